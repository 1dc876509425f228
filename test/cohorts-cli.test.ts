// The built `fidelio cohorts` on the hand-worked store of test/cohort-retention.test.ts: the JSON is the
// library's answer, table and CSV print the same numbers, bad options exit 2 naming the option.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohortRetention } from '../src/insight/clv/cohort-retention.js';
import { cohortAccounts, cohortMrrChanges } from './cohorts-fixture.js';
import { fidelio, requireBuiltCli } from './support/cli.js';
import { storeFromCsv } from './support/csv-store.js';

let work: string;
let db: string;

beforeAll(async () => {
  requireBuiltCli();
  work = await mkdtemp(join(tmpdir(), 'fidelio-cohorts-'));
  const data = join(work, 'data');
  await mkdir(data);
  await writeFile(join(data, 'accounts.csv'), cohortAccounts);
  await writeFile(join(data, 'mrr_changes.csv'), cohortMrrChanges);
  db = join(work, 'store.duckdb');
  const imported = await fidelio('import', data, '--db', db);
  expect(imported.code, imported.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const args = ['--as-of', '2025-04-01', '--segment-by', 'segment', '--months', '12'];

describe('fidelio cohorts', () => {
  it('prints the JSON of cohortRetention', async () => {
    const run = await fidelio('cohorts', '--db', db, ...args, '--discount-monthly', '0.02');
    expect(run.code, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout);
    const store = await storeFromCsv({ 'accounts.csv': cohortAccounts, 'mrr_changes.csv': cohortMrrChanges });
    try {
      const expected = await cohortRetention(store, {
        asOf: new Date('2025-04-01'),
        segmentBy: 'segment',
        months: 12,
        discountMonthly: 0.02,
        grossMargin: 1,
      });
      expect(answer).toEqual(JSON.parse(JSON.stringify(expected)));
    } finally {
      await store.close();
    }
    expect(answer.overall.cohorts.map((c: { alive: number[] }) => c.alive)).toEqual([[5, 3, 2], [2, 1], [1]]);
    expect(answer.overall.curve).toHaveLength(13);
  });

  it('prints a table and a CSV with the same model', async () => {
    const json = JSON.parse((await fidelio('cohorts', '--db', db, ...args)).stdout);
    const table = await fidelio('cohorts', '--db', db, ...args, '--format', 'table');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(
      `sBG a ${json.overall.model.a.toFixed(4)}  b ${json.overall.model.b.toFixed(4)}`,
    );
    expect(table.stdout).toContain('Segment: x');
    expect(table.stdout).toMatch(/no model: the fit runs to the edge/);
    expect(table.stdout).toMatch(/2025-01\s+5\s+2\s+2/);
    const csv = await fidelio('cohorts', '--db', db, ...args, '--format', 'csv');
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'segment,a,b,log_likelihood,arpa,clv,month,at_risk,observed_survival,survival,observed_retention,retention',
    );
    // 13 months (0 … 12) for all customers, x and y.
    expect(lines).toHaveLength(1 + 3 * 13);
    const month1 = lines[2]!.split(',');
    expect(month1[0]).toBe('');
    expect(Number(month1[1])).toBe(json.overall.model.a);
    expect(Number(month1[7])).toBe(7);
    expect(Number(month1[8])).toBeCloseTo(4 / 7, 12);
  });

  it('exits 2 naming a bad option', async () => {
    for (const [flag, value, message] of [
      ['--months', '0', /--months "0" must be a whole number/],
      ['--months', 'x', /--months "x"/],
      ['--discount-monthly', '1', /--discount-monthly "1" must be a rate/],
      ['--as-of', 'yesterday', /--as-of/],
      ['--segment-by', 'nope', /--segment-by nope is not an account field/],
      ['--segment-by', 'team', /--segment-by team groups employee answers/],
      ['--format', 'xml', /format/],
    ] as const) {
      const run = await fidelio('cohorts', '--db', db, flag, value);
      expect(run.code, `${flag} ${value}`).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});
