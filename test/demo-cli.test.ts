// `fidelio demo` as a user runs it: a new store through the normal import, an import folder, refusals.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FILES } from '../src/demo/demo-files.js';
import { openDuckDbStore } from '../src/store/duckdb-store.js';
import { fidelio, requireBuiltCli } from './support/cli.js';

const SMALL = ['--accounts', '300', '--end', '2025-06'];

let work: string;

beforeAll(async () => {
  requireBuiltCli();
  work = await mkdtemp(join(tmpdir(), 'fidelio-demo-cli-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('fidelio demo --csv', () => {
  it('writes the ten import files and prints their row counts', async () => {
    const dir = join(work, 'folder');
    const run = await fidelio('demo', '--csv', dir, ...SMALL);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect((await readdir(dir)).sort()).toEqual(DEMO_FILES.map((f) => f.name).sort());
    expect(run.stdout).toMatch(/^demo data: 300 accounts, 2022-07 … 2025-06, seed 1 → /);
    const accounts = await readFile(join(dir, 'accounts.csv'), 'utf8');
    expect(accounts.split('\n')[0]).toBe('account_id,created_at,name,segment,country,plan');
    expect(run.stdout).toMatch(/accounts\.csv\s+300\n/);
    expect(run.stdout).toMatch(/done in \d+\.\d s\n$/);
  });

  it('writes the same bytes on worker threads as on the main thread', async () => {
    const threaded = join(work, 'threaded');
    const inline = join(work, 'inline');
    expect((await fidelio('demo', '--csv', threaded, ...SMALL, '--seed', '9', '--workers', '2')).code).toBe(
      0,
    );
    expect((await fidelio('demo', '--csv', inline, ...SMALL, '--seed', '9', '--workers', '0')).code).toBe(0);
    for (const file of DEMO_FILES) {
      expect(await readFile(join(threaded, file.name))).toEqual(await readFile(join(inline, file.name)));
    }
  });

  it('refuses a folder that already holds files', async () => {
    const dir = join(work, 'busy');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'keep me');
    const run = await fidelio('demo', '--csv', dir, ...SMALL);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/busy is not empty/);
  });
});

describe('fidelio demo --db', () => {
  it('creates a new store through the normal import', async () => {
    const db = join(work, 'demo.duckdb');
    const run = await fidelio('demo', '--db', db, ...SMALL);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^file\s+rows\s+added/);
    expect(run.stdout).toMatch(/demo store: 300 accounts, 2022-07 … 2025-06, seed 1 → /);
    const store = await openDuckDbStore(db);
    try {
      const rows = await store.query<{ n: number }>('SELECT count(*) AS n FROM accounts');
      expect(rows[0]?.n).toBe(300);
    } finally {
      await store.close();
    }
  });

  it('refuses to write into a store file that exists', async () => {
    const db = join(work, 'existing.duckdb');
    await writeFile(db, '');
    const run = await fidelio('demo', '--db', db, ...SMALL);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/existing\.duckdb already exists; .*pick another file/);
  });
});

describe('fidelio demo arguments', () => {
  it('names the value event in its help', async () => {
    const run = await fidelio('demo', '--help');
    expect(run.stdout).toMatch(/the value event is report_created; use --value-event report_created/i);
  });

  it.each([
    [['--end', '2025-13'], /--end "2025-13" is not a month/],
    [['--accounts', '0'], /--accounts "0" must be an integer from 1/],
    [['--seed', '-3'], /--seed "-3" must be an integer/],
    [['--csv', 'x', '--db', 'y.duckdb'], /either --db or --csv/],
  ])('rejects %j as a usage error', async (args, message) => {
    const run = await fidelio('demo', ...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
