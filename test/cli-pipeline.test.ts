// The whole path a user takes: demo → CSV folder → import → report in every format, and the report's errors.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KPIS } from '../src/kpi/catalogue.js';
import type { Report } from '../src/kpi/engine.js';
import { fidelio, requireBuiltCli } from './support/cli.js';

let work: string;
let db: string;
let report: Report;
const RANGE = ['--from', '2024-07-01', '--to', '2025-07-01'];
const planReport = () => [
  'report',
  '--db',
  db,
  ...RANGE,
  '--segment-by',
  'plan',
  '--value-event',
  'report_created',
];

beforeAll(async () => {
  requireBuiltCli();
  work = await mkdtemp(join(tmpdir(), 'fidelio-pipeline-'));
  db = join(work, 'store.duckdb');
  const csv = join(work, 'csv');
  expect(
    (await fidelio('demo', '--csv', csv, '--accounts', '400', '--end', '2025-06', '--seed', '3')).code,
  ).toBe(0);
  expect((await fidelio('import', csv, '--db', db)).code).toBe(0);
  const run = await fidelio(...planReport());
  expect(run.code).toBe(0);
  report = JSON.parse(run.stdout) as Report;
}, 120_000);
afterAll(() => rm(work, { recursive: true, force: true }));

describe('demo → csv → import → report', () => {
  it('reports every KPI of the spec for every month and plan', () => {
    const plans = [...new Set(report.rows.map((r) => r.segment))];
    expect(plans).toEqual([null, 'growth', 'scale', 'starter']);
    expect(report.rows).toHaveLength(12 * 4);
    for (const row of report.rows) expect(Object.keys(row.kpis).sort()).toEqual(KPIS.map((k) => k.id).sort());
  });

  it('adds up: the plans sum to the total, and MRR moves by net new MRR from month to month', () => {
    const totals = report.rows.filter((r) => r.segment === null);
    for (const total of totals) {
      const parts = report.rows.filter((r) => r.segment !== null && r.start === total.start);
      for (const id of [
        'mrr',
        'active_customers',
        'new_mrr',
        'churned_mrr',
        'expansion_mrr',
        'churned_customers',
      ]) {
        expect(parts.reduce((s, r) => s + (r.kpis[id] ?? 0), 0)).toBeCloseTo(total.kpis[id]!, 6);
      }
    }
    totals.slice(1).forEach((row, i) => {
      expect(row.kpis.mrr! - totals[i]!.kpis.mrr!).toBeCloseTo(row.kpis.net_new_mrr!, 6);
    });
  });

  it('looks like a business: paying customers, retention below 100 %, answers and tickets', () => {
    const june = report.rows.find((r) => r.segment === null && r.start.startsWith('2025-06'))!.kpis;
    expect(june.active_customers).toBeGreaterThan(50);
    expect(june.crr).toBeGreaterThan(80);
    expect(june.crr).toBeLessThan(100);
    expect(june.nps_responses).toBeGreaterThan(0);
    expect(june.fcr).not.toBeNull();
    expect(june.ttfv_median_days).not.toBeNull();
  });

  it('prints the same numbers as a table and as CSV', async () => {
    const table = await fidelio('report', '--db', db, ...RANGE, '--format', 'table');
    expect(table.code).toBe(0);
    const firstMrr = report.rows[0]!.kpis.mrr!;
    expect(table.stdout).toContain(
      firstMrr.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    );
    const csv = await fidelio('report', '--db', db, ...RANGE, '--format', 'csv');
    const [header, first] = csv.stdout.trim().split('\n');
    const columns = header!.split(',');
    expect(Number(first!.split(',')[columns.indexOf('mrr')])).toBe(firstMrr);
  });

  it('a second import of the same folder changes nothing', async () => {
    const again = await fidelio('import', join(work, 'csv'), '--db', db);
    expect(again.stdout).toMatch(/usage\.csv\s+[\d,]+\s+0\s+0\s+[\d,]+/);
    const run = await fidelio(...planReport());
    expect(JSON.parse(run.stdout)).toEqual(report);
  });
});

describe('report errors', () => {
  it.each([
    [['--period', 'fortnight'], /--period/],
    [
      ['--segment-by', 'colour'],
      /--segment-by colour is not an account field; choose one of segment, country, name, plan, team/,
    ],
    [['--tz', 'Mars/Olympus'], /--tz "Mars\/Olympus" is not an IANA time zone/],
    [['--as-of', 'soon'], /--as-of "soon" is not an ISO-8601 date/],
  ])('exits 2 and explains %j', async (args, message) => {
    const run = await fidelio('report', '--db', db, ...RANGE, ...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('exits 2 when --to is not after --from', async () => {
    const run = await fidelio('report', '--db', db, '--from', '2025-01-01', '--to', '2025-01-01');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/must be after --from/);
  });
});
