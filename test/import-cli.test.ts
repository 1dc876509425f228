// `fidelio import DIR --db FILE` as a user runs it: exit codes, stderr issue lines, the summary, a busy store.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFolder } from '../src/ingest/csv-import.js';
import { BASE_FILES, csvFolder, removeCsvFolders } from '../src/ingest/test-kit.js';
import { openDuckDbStore } from '../src/store/duckdb-store.js';
import { fidelio, requireBuiltCli } from './support/cli.js';

let work: string;

beforeAll(async () => {
  requireBuiltCli();
  work = await mkdtemp(join(tmpdir(), 'fidelio-cli-'));
});
afterAll(async () => {
  await removeCsvFolders();
  await rm(work, { recursive: true, force: true });
});

describe('fidelio import', () => {
  it('exits 0 on a good folder and prints the per-file summary', async () => {
    const db = join(work, 'good.duckdb');
    const run = await fidelio('import', await csvFolder(BASE_FILES), '--db', db);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]?.split(/\s+/)).toEqual(['file', 'rows', 'added', 'replaced', 'skipped']);
    expect(lines.slice(1, 10).map((l) => l.split(/\s+/))).toContainEqual([
      'accounts.csv',
      '2',
      '2',
      '0',
      '0',
    ]);
    expect(lines.slice(1, 10).map((l) => l.split(/\s+/)[0])).toEqual(Object.keys(BASE_FILES));
    expect(lines[10]).toMatch(/^skipped = already stored/);
  });

  it('exits 2 on a bad folder, printing file:line:column lines on stderr, and leaves the store file unchanged', async () => {
    const db = join(work, 'bad.duckdb');
    const store = await openDuckDbStore(db);
    await importFolder(store, await csvFolder(BASE_FILES));
    await store.close();
    const before = await readFile(db);
    const run = await fidelio(
      'import',
      await csvFolder({
        'accounts.csv': 'account_id,created_at\nN,2025-03-01\n',
        'mrr_changes.csv': 'account_id,effective_at,mrr\nN,2025-13-01,10\nZ,2025-03-01,-1\n',
      }),
      '--db',
      db,
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^fidelio: the import was rejected: 3 problems found; nothing was written\n/);
    expect(run.stderr.split('\n').filter((l) => l.startsWith('  '))).toEqual([
      '  mrr_changes.csv:2:effective_at effective_at must be an ISO-8601 date (2025-03-01) or date-time with an offset or Z (value "2025-13-01", rule timestamp)',
      '  mrr_changes.csv:3:mrr mrr must be a finite number ≥ 0 with "." as decimal separator (value "-1", rule non_negative_number)',
      '  mrr_changes.csv:3:account_id account_id names no account in accounts.csv or in the store (value "Z", rule known_account)',
    ]);
    expect((await readFile(db)).equals(before)).toBe(true);
  });

  it('exits 3 naming the store file when another process holds it open', async () => {
    const db = join(work, 'busy.duckdb');
    const holder = await openDuckDbStore(db);
    try {
      const run = await fidelio('import', await csvFolder(BASE_FILES), '--db', db);
      expect(run.code).toBe(3);
      expect(run.stderr).toContain(`the store ${db} is open in another process (PID ${process.pid})`);
    } finally {
      await holder.close();
    }
  });
});
