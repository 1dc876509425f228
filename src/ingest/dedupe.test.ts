// KPI-SPEC §2 re-imports: rows keyed by their id column or by the whole row; mrr_changes by (account, effective_at).
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DuckDbStore, openDuckDbStore } from '../store/duckdb-store.js';
import { BASE_FILES, importFiles, removeCsvFolders, storeContents } from './test-kit.js';

let store: DuckDbStore;

beforeEach(async () => {
  store = await openDuckDbStore(':memory:');
});
afterEach(() => store.close());
afterAll(removeCsvFolders);

const ACCOUNTS = 'account_id,created_at,name\nA,2025-01-01,Alpha\n';
const MRR = 'account_id,effective_at,mrr,event_id\n';
const RESPONSES = 'response_id,submitted_at,metric,score\n';
const USAGE = 'account_id,occurred_at,event\n';

const counts = (summary: { files: { file: string; added: number; replaced: number; skipped: number }[] }) =>
  Object.fromEntries(summary.files.map((f) => [f.file, [f.added, f.replaced, f.skipped]]));

describe('re-importing', () => {
  it('adds nothing and changes nothing when the same folder is imported again', async () => {
    await importFiles(store, BASE_FILES);
    const before = await storeContents(store);
    const again = await importFiles(store, BASE_FILES);
    expect(again.files.every((f) => f.added === 0 && f.replaced === 0 && f.skipped === f.rows)).toBe(true);
    expect(again.files).toHaveLength(9);
    expect(await storeContents(store)).toEqual(before);
  });

  it('adds just the new rows when a folder overlaps what is stored', async () => {
    await importFiles(store, { 'accounts.csv': ACCOUNTS, 'usage.csv': `${USAGE}A,2025-03-01,login\n` });
    const summary = await importFiles(store, {
      'accounts.csv': `${ACCOUNTS}C,2025-02-01,Gamma\n`,
      'usage.csv': `${USAGE}A,2025-03-01,login\nC,2025-03-02,login\n`,
    });
    expect(counts(summary)).toEqual({ 'accounts.csv': [1, 0, 1], 'usage.csv': [1, 0, 1] });
    expect(await store.query('SELECT account_id FROM usage_events ORDER BY ALL')).toEqual([
      { account_id: 'A' },
      { account_id: 'C' },
    ]);
  });

  it('keeps a stored account as it is when accounts.csv repeats its id with other fields', async () => {
    await importFiles(store, {
      'accounts.csv': 'account_id,created_at,name,plan\nA,2025-01-01,Alpha,gold\n',
    });
    const summary = await importFiles(store, {
      'accounts.csv': 'account_id,created_at,name,plan\nA,2024-06-01,Renamed,free\n',
    });
    expect(counts(summary)).toEqual({ 'accounts.csv': [0, 0, 1] });
    expect(await store.query('SELECT name FROM accounts')).toEqual([{ name: 'Alpha' }]);
    expect(await store.query('SELECT value FROM account_attributes')).toEqual([{ value: 'gold' }]);
  });
});

describe('id keys', () => {
  it('counts a response_id repeated in one file once, the first line winning', async () => {
    const summary = await importFiles(store, {
      'responses.csv': `${RESPONSES}r1,2025-03-01,nps,9\nr1,2025-03-01,nps,3\n`,
    });
    expect(counts(summary)).toEqual({ 'responses.csv': [1, 0, 1] });
    expect(await store.query('SELECT response_id, score FROM responses')).toEqual([
      { response_id: 'r1', score: 9 },
    ]);
  });

  it('keeps a stored response over a new row with the same response_id', async () => {
    await importFiles(store, { 'responses.csv': `${RESPONSES}r1,2025-03-01,nps,9\n` });
    const summary = await importFiles(store, {
      'responses.csv': `${RESPONSES}r1,2025-04-01,nps,2\nr2,2025-04-01,nps,5\n`,
    });
    expect(counts(summary)).toEqual({ 'responses.csv': [1, 0, 1] });
    expect(await store.query('SELECT response_id, score FROM responses ORDER BY ALL')).toEqual([
      { response_id: 'r1', score: 9 },
      { response_id: 'r2', score: 5 },
    ]);
  });

  it('skips a stored ticket_id or payment_id even when the other fields differ', async () => {
    const files = (contacts: number, amount: number) => ({
      'accounts.csv': ACCOUNTS,
      'tickets.csv': `ticket_id,opened_at,contacts\nt1,2025-03-01,${contacts}\n`,
      'payments.csv': `payment_id,account_id,paid_at,amount,kind\np1,A,2025-03-01,${amount},recurring\n`,
    });
    await importFiles(store, files(1, 100));
    const summary = await importFiles(store, files(4, 999));
    expect(counts(summary)).toEqual({
      'accounts.csv': [0, 0, 1],
      'payments.csv': [0, 0, 1],
      'tickets.csv': [0, 0, 1],
    });
    expect(await store.query('SELECT contacts FROM tickets')).toEqual([{ contacts: 1 }]);
    expect(await store.query('SELECT amount FROM payments')).toEqual([{ amount: 100 }]);
  });
});

describe('whole-row keys', () => {
  it('stores identical usage rows once, within a file and across imports', async () => {
    const usage = `${USAGE}A,2025-03-01T10:00:00Z,login\nA,2025-03-01T10:00:00Z,login\nA,2025-03-01T10:00:01Z,login\n`;
    const first = await importFiles(store, { 'accounts.csv': ACCOUNTS, 'usage.csv': usage });
    expect(counts(first)['usage.csv']).toEqual([2, 0, 1]);
    const second = await importFiles(store, { 'usage.csv': usage });
    expect(counts(second)['usage.csv']).toEqual([0, 0, 3]);
    expect(await store.query('SELECT count(*) AS n FROM usage_events')).toEqual([{ n: 2 }]);
  });
});

describe('mrr_changes', () => {
  it('keeps the later line of two changes for one account at the same effective_at', async () => {
    const summary = await importFiles(store, {
      'accounts.csv': ACCOUNTS,
      'mrr_changes.csv': `${MRR}A,2025-02-01,100,\nA,2025-02-01T00:00:00Z,150,\n`,
    });
    expect(counts(summary)['mrr_changes.csv']).toEqual([1, 0, 1]);
    expect(await store.query('SELECT mrr FROM mrr_changes')).toEqual([{ mrr: 150 }]);
  });

  it('replaces a stored change by a later import at the same (account, effective_at) and recomputes movements', async () => {
    await importFiles(store, {
      'accounts.csv': ACCOUNTS,
      'mrr_changes.csv': `${MRR}A,2025-01-01,100,\nA,2025-02-01,150,\nA,2025-03-01,120,\n`,
    });
    const movements = () =>
      store.query(
        "SELECT strftime(effective_at, '%m') AS month, old_mrr, new_mrr, movement FROM mrr_movements ORDER BY ALL",
      );
    expect(await movements()).toEqual([
      { month: '01', old_mrr: 0, new_mrr: 100, movement: 'new' },
      { month: '02', old_mrr: 100, new_mrr: 150, movement: 'expansion' },
      { month: '03', old_mrr: 150, new_mrr: 120, movement: 'contraction' },
    ]);
    // February becomes 80: 100 → 80 is now a contraction and 80 → 120 an expansion.
    const summary = await importFiles(store, { 'mrr_changes.csv': `${MRR}A,2025-02-01,80,\n` });
    expect(counts(summary)['mrr_changes.csv']).toEqual([0, 1, 0]);
    expect(await store.query('SELECT mrr FROM mrr_changes ORDER BY effective_at')).toEqual([
      { mrr: 100 },
      { mrr: 80 },
      { mrr: 120 },
    ]);
    expect(await movements()).toEqual([
      { month: '01', old_mrr: 0, new_mrr: 100, movement: 'new' },
      { month: '02', old_mrr: 100, new_mrr: 80, movement: 'contraction' },
      { month: '03', old_mrr: 80, new_mrr: 120, movement: 'expansion' },
    ]);
  });

  it('skips a change whose event_id is stored, and a repeat of an event_id within the file', async () => {
    await importFiles(store, { 'accounts.csv': ACCOUNTS, 'mrr_changes.csv': `${MRR}A,2025-01-01,100,e1\n` });
    const summary = await importFiles(store, {
      'mrr_changes.csv': `${MRR}A,2025-05-01,999,e1\nA,2025-06-01,200,e2\nA,2025-07-01,300,e2\n`,
    });
    expect(counts(summary)['mrr_changes.csv']).toEqual([1, 0, 2]);
    expect(await store.query('SELECT event_id, mrr FROM mrr_changes ORDER BY ALL')).toEqual([
      { event_id: 'e1', mrr: 100 },
      { event_id: 'e2', mrr: 200 },
    ]);
  });
});
