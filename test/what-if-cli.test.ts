// The built `fidelio what-if`, `experience` and `report --ci` on an imported store: flags (negative numbers
// included), formats and exit codes, as a user runs them.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fidelio, requireBuiltCli } from './support/cli.js';

let work: string;
let db: string;

beforeAll(async () => {
  requireBuiltCli();
  work = await mkdtemp(join(tmpdir(), 'fidelio-what-if-'));
  const data = join(work, 'data');
  await mkdir(data);
  await writeFile(
    join(data, 'accounts.csv'),
    'account_id,created_at,segment\na,2024-01-01,x\nb,2024-01-01,x\nc,2024-01-01,y\n',
  );
  await writeFile(
    join(data, 'mrr_changes.csv'),
    'account_id,effective_at,mrr\na,2024-01-01,100\nb,2024-01-01,200\nc,2024-01-01,50\nb,2024-06-01,0\n',
  );
  await writeFile(
    join(data, 'responses.csv'),
    'response_id,submitted_at,metric,score,account_id\nr1,2024-03-01,nps,10,a\nr2,2024-03-01,nps,3,b\n',
  );
  db = join(work, 'store.duckdb');
  const imported = await fidelio('import', data, '--db', db);
  expect(imported.code, imported.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('fidelio what-if', () => {
  it('reads a negative --churn-delta and prints JSON with the difference', async () => {
    const run = await fidelio(
      'what-if',
      '--db',
      db,
      '--as-of',
      '2025-01-01',
      '--months',
      '12',
      '--churn-delta',
      '-1',
    );
    expect(run.code, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout);
    expect(answer.months).toBe(12);
    expect(answer.change).toEqual({ churn_delta: -1, retention_delta: 0, expansion_pct: 0 });
    expect(answer.total.difference.mrr).toBeGreaterThan(0);
  });

  it('prints a table by segment and a CSV', async () => {
    const table = await fidelio(
      'what-if',
      '--db',
      db,
      '--as-of',
      '2025-01-01',
      '--segment-by',
      'segment',
      '--format',
      'table',
    );
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('Segment: x');
    const csv = await fidelio(
      'what-if',
      '--db',
      db,
      '--as-of',
      '2025-01-01',
      '--months',
      '3',
      '--format',
      'csv',
    );
    expect(csv.stdout.trim().split('\n')).toHaveLength(4);
  });

  it('refuses bad numbers with exit 2', async () => {
    expect((await fidelio('what-if', '--db', db, '--months', '48')).code).toBe(2);
    expect((await fidelio('what-if', '--db', db, '--expansion-pct', 'ten')).code).toBe(2);
  });
});

describe('fidelio experience and report --ci', () => {
  it('groups by NPS in every format', async () => {
    const json = await fidelio('experience', '--db', db, '--from', '2024-04-01', '--to', '2024-10-01');
    expect(json.code, json.stderr).toBe(0);
    const answer = JSON.parse(json.stdout);
    expect(answer.by_nps.map((g: { accounts: number }) => g.accounts)).toEqual([1, 0, 1, 1]);
    for (const format of ['table', 'csv']) {
      const run = await fidelio(
        'experience',
        '--db',
        db,
        '--from',
        '2024-04-01',
        '--to',
        '2024-10-01',
        '--format',
        format,
      );
      expect(run.code, run.stderr).toBe(0);
    }
  });

  it('report --ci adds intervals; without it the JSON has none', async () => {
    const args = ['report', '--db', db, '--from', '2024-06-01', '--to', '2024-07-01'];
    const withCi = JSON.parse((await fidelio(...args, '--ci')).stdout);
    expect(withCi.rows[0].ci.churn_rate.n).toBe(3);
    expect(JSON.parse((await fidelio(...args)).stdout).rows[0].ci).toBeUndefined();
  });
});
