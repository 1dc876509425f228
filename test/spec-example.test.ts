// The worked example of KPI-SPEC §7, number for number (arithmetic in test/fixtures/spec-example/README.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFolder } from '../src/ingest/csv-import.js';
import type { Report } from '../src/kpi/engine.js';
import { openDuckDbStore } from '../src/store/duckdb-store.js';
import type { Store } from '../src/store/store.js';
import { report, row } from './support/csv-store.js';

let store: Store;
let monthly: Report;

beforeAll(async () => {
  store = await openDuckDbStore(':memory:');
  await importFolder(store, new URL('./fixtures/spec-example', import.meta.url).pathname);
  monthly = await report(store, '2025-01-01', '2025-04-01', { segmentBy: 'segment' });
});
afterAll(() => store.close());

describe('KPI-SPEC §7 worked example', () => {
  it('January, total: two new customers and an expansion', () => {
    expect(row(monthly, '2025-01-01')).toMatchObject({
      active_customers: 3,
      crr: 100,
      churn_rate: 0,
      mrr: 280,
      new_mrr: 130,
      expansion_mrr: 50,
      net_new_mrr: 180,
      nrr: 150,
      grr: 100,
      clv: null,
    });
    expect(row(monthly, '2025-01-01').arpa).toBeCloseTo(93.333333, 5);
  });

  it('February, total: a change at exactly 00:00 on the 1st belongs to February', () => {
    const feb = row(monthly, '2025-02-01');
    expect(feb).toMatchObject({
      active_customers: 2,
      mrr: 200,
      arpa: 100,
      contraction_mrr: 30,
      churned_mrr: 50,
    });
    expect(feb.net_new_mrr).toBe(-80);
    expect(feb.crr).toBeCloseTo(66.666667, 5);
    expect(feb.churn_rate).toBeCloseTo(33.333333, 5);
    expect(feb.nrr).toBeCloseTo(71.428571, 5);
    expect(feb.grr).toBeCloseTo(71.428571, 5);
    expect(feb.clv).toBeCloseTo(300, 9);
  });

  it('February, segment x', () => {
    const x = row(monthly, '2025-02-01', 'x');
    expect(x).toMatchObject({
      crr: 50,
      churn_rate: 50,
      mrr: 80,
      arpa: 80,
      churned_mrr: 50,
      net_new_mrr: -50,
    });
    expect(x.nrr).toBeCloseTo(61.538462, 5);
    expect(x.grr).toBeCloseTo(61.538462, 5);
    expect(x.clv).toBeCloseTo(160, 9);
  });

  it('March, total: A returns as a reactivation, not a new customer', () => {
    const mar = row(monthly, '2025-03-01');
    expect(mar).toMatchObject({ crr: 100, churn_rate: 0, mrr: 260, reactivation_mrr: 60, net_new_mrr: 60 });
    expect(mar).toMatchObject({ new_customers: 0, reactivated_customers: 1, nrr: 100, grr: 100, clv: null });
    expect(mar.arpa).toBeCloseTo(86.666667, 5);
  });

  it('January answers: the duplicate counts once; an answer without account counts only in the total', () => {
    expect(row(monthly, '2025-01-01')).toMatchObject({
      nps: 25,
      nps_responses: 4,
      ces: 6,
      ces_high_effort_pct: 100,
    });
    expect(row(monthly, '2025-01-01', 'x')).toMatchObject({ nps: -50, nps_responses: 2 });
  });

  it('every row carries every KPI and the report names its as_of and period', () => {
    expect(monthly.period).toBe('month');
    expect(monthly.as_of).toBe('2025-03-05T00:00:00.000Z');
    expect(monthly.rows).toHaveLength(9);
    for (const r of monthly.rows) expect(Object.keys(r.kpis)).toHaveLength(36);
  });
});
