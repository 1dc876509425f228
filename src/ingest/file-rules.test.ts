// KPI-SPEC §2 rules on whole files and headers: unknown files and columns, missing or repeated columns, bad CSV.
import { describe, expect, it } from 'vitest';
import { baseStoreForEachTest, importFiles, NEW_ACCOUNT } from './test-kit.js';

const { store, rejected } = baseStoreForEachTest();

describe('columns', () => {
  it('rejects a column that usage.csv does not define (unknown_column)', async () => {
    expect(
      await rejected({ 'usage.csv': 'account_id,occurred_at,event,browser\nA,2025-03-01,x,firefox\n' }),
    ).toEqual([{ file: 'usage.csv', line: 1, column: 'browser', value: 'browser', rule: 'unknown_column' }]);
  });

  it('keeps extra accounts.csv columns as attributes of the new accounts, leaving blank cells out', async () => {
    await importFiles(store(), {
      'accounts.csv': 'account_id,created_at,plan,region\nN,2025-03-01,silver,\nM,2025-03-02,gold,emea\n',
    });
    expect(await store().query('SELECT * FROM account_attributes ORDER BY ALL')).toEqual([
      { account_id: 'A', name: 'plan', value: 'gold' }, // from the base import; B's plan was blank
      { account_id: 'M', name: 'plan', value: 'gold' },
      { account_id: 'M', name: 'region', value: 'emea' },
      { account_id: 'N', name: 'plan', value: 'silver' },
    ]);
  });

  it('rejects a file without one of its required columns (missing_column)', async () => {
    expect(
      await rejected({ 'payments.csv': 'payment_id,account_id,paid_at,amount\np9,A,2025-03-01,5\n' }),
    ).toEqual([{ file: 'payments.csv', line: 1, column: 'kind', value: 'kind', rule: 'missing_column' }]);
  });

  it('rejects a header that names a column twice (duplicate_column)', async () => {
    expect(await rejected({ 'usage.csv': 'account_id,occurred_at,event,event\nA,2025-03-01,x,y\n' })).toEqual(
      [{ file: 'usage.csv', line: 1, column: 'event', value: 'event', rule: 'duplicate_column' }],
    );
  });

  it('rejects a header with an unnamed column (blank_column_name)', async () => {
    expect(await rejected({ 'usage.csv': 'account_id,,occurred_at,event\nA,,2025-03-01,x\n' })).toEqual([
      { file: 'usage.csv', line: 1, column: '#2', value: '#2', rule: 'blank_column_name' },
    ]);
  });

  it('reads columns in any order, ignoring surrounding spaces and quotes in the header', async () => {
    await importFiles(store(), { 'usage.csv': ' event ,"account_id",occurred_at\nsearch,A,2025-03-01\n' });
    expect(await store().query("SELECT account_id FROM usage_events WHERE event = 'search'")).toEqual([
      { account_id: 'A' },
    ]);
  });
});

describe('files', () => {
  it('rejects an empty file, which has no header row (header_required)', async () => {
    expect(await rejected({ 'usage.csv': '' })).toEqual([
      { file: 'usage.csv', line: 1, column: '-', value: '-', rule: 'header_required' },
    ]);
  });

  it('rejects a csv file the import format does not define (unknown_file)', async () => {
    expect(await rejected({ 'mrr-changes.csv': 'account_id,effective_at,mrr\nA,2025-03-01,5\n' })).toEqual([
      { file: 'mrr-changes.csv', line: 0, column: '-', value: 'mrr-changes.csv', rule: 'unknown_file' },
    ]);
  });

  it('ignores files that are not csv, and names them in the summary', async () => {
    const summary = await importFiles(store(), {
      ...NEW_ACCOUNT,
      'README.md': '# export\n',
      '.DS_Store': '',
    });
    expect(summary.ignored).toEqual(['README.md']);
    expect(summary.files.map((f) => f.file)).toEqual(['accounts.csv']);
  });

  it('rejects a line with more fields than the header, naming that line (csv_syntax)', async () => {
    expect(
      await rejected({ 'usage.csv': 'account_id,occurred_at,event\nA,2025-03-01,x\nA,2025-03-01,x,extra\n' }),
    ).toEqual([{ file: 'usage.csv', line: 3, column: '-', value: null, rule: 'csv_syntax' }]);
  });

  it('rejects a file that is not valid UTF-8 (utf8)', async () => {
    const bytes = Buffer.concat([
      Buffer.from('account_id,occurred_at,event\nA,2025-03-01,'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('\n'),
    ]);
    expect(await rejected({ 'usage.csv': bytes })).toEqual([
      { file: 'usage.csv', line: 2, column: '-', value: null, rule: 'utf8' },
    ]);
  });
});
