// importFolder as a whole: every issue collected before failing once, the summary, the store left usable.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FidelioError, formatIssue } from '../domain/errors.js';
import { type DuckDbStore, openDuckDbStore } from '../store/duckdb-store.js';
import { importFolder, MAX_REPORTED_ISSUES } from './csv-import.js';
import {
  BASE_FILES,
  csvFolder,
  importFiles,
  rejectedIssues,
  removeCsvFolders,
  storeContents,
} from './test-kit.js';

let store: DuckDbStore;

beforeEach(async () => {
  store = await openDuckDbStore(':memory:');
});
afterEach(() => store.close());
afterAll(removeCsvFolders);

const ACCOUNTS = 'account_id,created_at\nA,2025-01-01\n';
const USAGE = 'account_id,occurred_at,event\n';

describe('collecting issues', () => {
  it('reports exactly the first 50 issues, ordered by line, of a file with 60 bad rows', async () => {
    // Lines 2..61 each lack the event; only lines 2..51 are reported.
    const rows = Array.from(
      { length: 60 },
      (_, i) => `A,2025-03-${String((i % 28) + 1).padStart(2, '0')},\n`,
    );
    const issues = await rejectedIssues(store, {
      'accounts.csv': ACCOUNTS,
      'usage.csv': USAGE + rows.join(''),
    });
    expect(MAX_REPORTED_ISSUES).toBe(50);
    expect(issues).toHaveLength(50);
    expect(issues.map((i) => i.line)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    expect(new Set(issues.map((i) => `${i.column} ${i.rule}`))).toEqual(new Set(['event required']));
  });

  it('names the line in the file when a quoted comment spans lines or blank lines precede the row', async () => {
    const issues = await rejectedIssues(store, {
      'accounts.csv': ACCOUNTS,
      'responses.csv': `response_id,submitted_at,metric,score,comment\nr1,2025-03-01,nps,9,"great\nproduct"\n\nr2,2025-03-01,nps,11,\n`,
    });
    // Line 1 header, lines 2–3 the first answer, line 4 blank, line 5 the score of 11.
    expect(issues).toEqual([
      { file: 'responses.csv', line: 5, column: 'score', value: '11', rule: 'nps_score' },
    ]);
  });

  it('says when there are more problems than it shows', async () => {
    const rows = Array.from({ length: 60 }, () => 'A,2025-03-01,\n');
    await expect(
      importFiles(store, { 'accounts.csv': ACCOUNTS, 'usage.csv': USAGE + rows.join('') }),
    ).rejects.toThrow(/more than 50 problems found \(showing the first 50\); nothing was written/);
  });

  it('reports the issues of several files together, in one error', async () => {
    const issues = await rejectedIssues(store, {
      'accounts.csv': 'account_id,created_at\nA,2025-01-01\nB,soon\n',
      'payments.csv': 'payment_id,account_id,paid_at,amount\np1,A,2025-01-01,5\n',
      'usage.csv': `${USAGE}A,2025-03-01,x\nZ,2025-03-01,x\n`,
      'exports.csv': 'anything\n',
    });
    expect(issues).toEqual([
      { file: 'exports.csv', line: 0, column: '-', value: 'exports.csv', rule: 'unknown_file' },
      { file: 'payments.csv', line: 1, column: 'kind', value: 'kind', rule: 'missing_column' },
      { file: 'accounts.csv', line: 3, column: 'created_at', value: 'soon', rule: 'timestamp' },
      { file: 'usage.csv', line: 3, column: 'account_id', value: 'Z', rule: 'known_account' },
    ]);
  });

  it('reports a CSV syntax error together with the issues found in the files before it', async () => {
    // Files are read in the format's order (payments before usage); DuckDB stops at the malformed line.
    const issues = await rejectedIssues(store, {
      'payments.csv': 'payment_id,account_id,paid_at,amount\n',
      'usage.csv': `${USAGE}A,2025-03-01,x,extra\n`,
      'exports.csv': 'anything\n',
    });
    expect(issues.map((i) => `${i.file}:${i.line} ${i.rule}`)).toEqual([
      'exports.csv:0 unknown_file',
      'payments.csv:1 missing_column',
      'usage.csv:2 csv_syntax',
    ]);
  });

  it('throws one invalid_input FidelioError whose issues print as file:line:column lines', async () => {
    const dir = await csvFolder({ 'accounts.csv': ACCOUNTS, 'usage.csv': `${USAGE}A,2025-03-01,\n` });
    const error = await importFolder(store, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FidelioError);
    const fidelio = error as FidelioError;
    expect([fidelio.kind, fidelio.code]).toEqual(['invalid_input', 'invalid_import']);
    expect(fidelio.message).toMatch(/1 problem found; nothing was written/);
    expect(fidelio.issues.map(formatIssue)).toEqual([
      'usage.csv:2:event event is required (value empty, rule required)',
    ]);
  });

  it('leaves the store usable after a rejected import', async () => {
    await rejectedIssues(store, { 'accounts.csv': ACCOUNTS, 'usage.csv': `${USAGE}A,2025-03-01,\n` });
    expect((await storeContents(store)).accounts).toEqual([]);
    const summary = await importFiles(store, {
      'accounts.csv': ACCOUNTS,
      'usage.csv': `${USAGE}A,2025-03-01,x\n`,
    });
    expect(summary.files.map((f) => [f.file, f.added])).toEqual([
      ['accounts.csv', 1],
      ['usage.csv', 1],
    ]);
  });
});

describe('the folder', () => {
  it('loads the files in the order of the format, accounts first, and counts each one', async () => {
    const summary = await importFiles(store, BASE_FILES);
    expect(summary).toEqual({
      files: [
        { file: 'accounts.csv', rows: 2, added: 2, replaced: 0, skipped: 0 },
        { file: 'mrr_changes.csv', rows: 2, added: 2, replaced: 0, skipped: 0 },
        { file: 'cancellations.csv', rows: 1, added: 1, replaced: 0, skipped: 0 },
        { file: 'payments.csv', rows: 1, added: 1, replaced: 0, skipped: 0 },
        { file: 'costs.csv', rows: 2, added: 2, replaced: 0, skipped: 0 },
        { file: 'renewals.csv', rows: 1, added: 1, replaced: 0, skipped: 0 },
        { file: 'responses.csv', rows: 2, added: 2, replaced: 0, skipped: 0 },
        { file: 'tickets.csv', rows: 1, added: 1, replaced: 0, skipped: 0 },
        { file: 'usage.csv', rows: 2, added: 2, replaced: 0, skipped: 0 },
      ],
      ignored: [],
    });
  });

  it('is a usage error when the folder cannot be read or holds no import file', async () => {
    await expect(importFolder(store, '/nonexistent/fidelio-export')).rejects.toMatchObject({
      kind: 'usage',
      code: 'folder_unreadable',
    });
    await expect(importFolder(store, await csvFolder({ 'notes.txt': 'hello\n' }))).rejects.toMatchObject({
      kind: 'usage',
      code: 'nothing_to_import',
    });
  });

  it('reports its progress by phase, ending with done', async () => {
    const phases: string[] = [];
    await importFolder(store, await csvFolder({ 'accounts.csv': ACCOUNTS }), {
      onProgress: (p) => phases.push(p.phase),
    });
    expect(phases).toEqual(['reading', 'validating', 'loading', 'rollups', 'done']);
  });

  it('counts a file as read only after reading it', async () => {
    const events: [string, string | undefined, number, number][] = [];
    const files = { 'accounts.csv': ACCOUNTS, 'usage.csv': `${USAGE}A,2025-03-01,login\n` };
    await importFolder(store, await csvFolder(files), {
      onProgress: (p) => events.push([p.phase, p.file, p.bytesDone, p.bytesTotal]),
    });
    const [accounts, usage] = [ACCOUNTS.length, files['usage.csv'].length];
    expect(events.slice(0, 3)).toEqual([
      ['reading', 'accounts.csv', 0, accounts + usage],
      ['reading', 'usage.csv', accounts, accounts + usage],
      ['validating', undefined, accounts + usage, accounts + usage],
    ]);
  });
});
