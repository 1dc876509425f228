// Retention what-if on a small store whose rates and projection are worked out by hand (as_of 2025-01-01, so the
// window is 2024-01-01 → 2025-01-01).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whatIfCsv, whatIfTable } from '../src/cli/what-if.js';
import { computeWhatIf, project, type WhatIfRequest } from '../src/insight/what-if/what-if.js';
import type { Store } from '../src/store/store.js';
import { storeFromCsv } from './support/csv-store.js';

// Ten accounts with 100 each since 2023-06 (segment x), so S = 10 and MRR 1,000 at the window's start. In the window:
// A0 churns on 03-01 and A1 on 06-01 (2 churned, 200 churned MRR), A2 expands 100 → 160 (+60), A3 contracts
// 100 → 76 (−24); B0 is new on 02-01 with 100 and B1 on 07-01 with 140 (segment y: 2 new, 240 new MRR).
// Now: A2…A9 and B0, B1 = 10 customers, MRR 160 + 76 + 6 × 100 + 100 + 140 = 1,076.
const a = Array.from({ length: 10 }, (_, i) => `A${i}`);
const accounts = `account_id,created_at,segment
${a.map((id) => `${id},2023-06-01,x`).join('\n')}
B0,2024-02-01,y
B1,2024-07-01,y
`;
const mrrChanges = `account_id,effective_at,mrr
${a.map((id) => `${id},2023-06-01,100`).join('\n')}
A0,2024-03-01,0
A1,2024-06-01,0
A2,2024-04-01,160
A3,2024-05-01,76
B0,2024-02-01,100
B1,2024-07-01,140
`;

let store: Store;
beforeAll(async () => {
  store = await storeFromCsv({ 'accounts.csv': accounts, 'mrr_changes.csv': mrrChanges });
});
afterAll(() => store.close());

const request = (over: Partial<WhatIfRequest> = {}): WhatIfRequest => ({
  months: 2,
  asOf: new Date('2025-01-01'),
  grossMargin: 1,
  change: { churnDelta: 0, retentionDelta: 0, expansionPct: 0 },
  ...over,
});

// Mean customers (10 + 10) / 2 = 10, mean MRR (1,000 + 1,076) / 2 = 1,038.
// c = 2 / 12 / 10 = 1/60; c_mrr = 200 / 12 / 1,038; r = 24 / 12 / 1,038; x = 60 / 12 / 1,038;
// a = 2/12 = 1/6 new customers a month, n = 240 / 12 = 20 new MRR a month.
// MRR factor g = 1 − (200 + 24 − 60) / 12,456 = 0.98683365.
const g = 1 - 164 / 12_456;

describe('rates of the trailing 12 months', () => {
  it('reads the stocks and flows of the window', async () => {
    const w = await computeWhatIf(store, request());
    expect(w.window).toEqual({ from: '2024-01-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z' });
    const r = w.segments[0]!.rates;
    expect(w.segments[0]!.segment).toBeNull();
    expect(r).toMatchObject({
      customers_start: 10,
      customers_now: 10,
      mrr_start: 1000,
      mrr_now: 1076,
      new_customers: 2,
      new_mrr: 240,
      churned_customers: 2,
      churned_mrr: 200,
      expansion_mrr: 60,
      contraction_mrr: 24,
    });
    expect(r.churn_rate).toBeCloseTo(1 / 60, 12);
    expect(r.mrr_churn_rate).toBeCloseTo(200 / 12 / 1038, 12);
    expect(r.expansion_rate).toBeCloseTo(60 / 12 / 1038, 12);
    expect(r.contraction_rate).toBeCloseTo(24 / 12 / 1038, 12);
  });
});

describe('projection', () => {
  it('as is: customers stay at a ÷ c = 10, MRR_1 = 1,076 g + 20 = 1,081.833, MRR_2 = MRR_1 g + 20', async () => {
    const { baseline } = (await computeWhatIf(store, request())).total;
    expect(baseline.points.map((p) => p.customers)).toEqual([expect.closeTo(10, 10), expect.closeTo(10, 10)]);
    expect(baseline.points[0]!.mrr).toBeCloseTo(1081.833, 3);
    const m2 = (1076 * g + 20) * g + 20; // 1,087.589
    expect(baseline.points[1]!.mrr).toBeCloseTo(1087.589, 3);
    expect(baseline.mrr).toBeCloseTo(m2, 9);
    expect(baseline.revenue).toBeCloseTo(1076 * g + 20 + m2, 9);
    // CLV at month 2: arpa 108.7589 ÷ (1/60) = 6,525.53.
    expect(baseline.clv).toBeCloseTo((m2 / 10) * 60, 6);
  });

  it('with −1 point of churn: c = 1/60 − 0.01, MRR churn × 0.4, and the difference in money', async () => {
    const w = await computeWhatIf(
      store,
      request({ change: { churnDelta: -1, retentionDelta: 0, expansionPct: 0 } }),
    );
    const c = 1 / 60 - 0.01; // 0.0066667, 0.4 of 1/60
    const g2 = 1 - (0.4 * 200 + 24 - 60) / 12_456; // 0.99646758
    const { scenario, difference } = w.total;
    expect(scenario.churn_rate).toBeCloseTo(c, 12);
    // customers: 10 × (1 − c) + 1/6 = 10.1, then 10.1 × (1 − c) + 1/6 = 10.19933.
    expect(scenario.points[0]!.customers).toBeCloseTo(10.1, 10);
    expect(scenario.points[1]!.customers).toBeCloseTo(10.1 * (1 - c) + 1 / 6, 10);
    const m1 = 1076 * g2 + 20; // 1,092.1991
    expect(scenario.points[0]!.mrr).toBeCloseTo(1092.199, 3);
    const m2 = m1 * g2 + 20;
    expect(difference.mrr).toBeCloseTo(m2 - ((1076 * g + 20) * g + 20), 9);
    expect(difference.revenue).toBeCloseTo(m1 + m2 - (1076 * g + 20) - ((1076 * g + 20) * g + 20), 9);
    expect(difference.revenue).toBeGreaterThan(0);
    // +1 point of retention is the same change.
    const retention = await computeWhatIf(
      store,
      request({ change: { churnDelta: 0, retentionDelta: 1, expansionPct: 0 } }),
    );
    expect(retention.total.scenario).toEqual(scenario);
  });

  it('with +10 % expansion: x × 1.1', async () => {
    const w = await computeWhatIf(
      store,
      request({ change: { churnDelta: 0, retentionDelta: 0, expansionPct: 10 } }),
    );
    const g3 = 1 - (200 + 24 - 66) / 12_456;
    expect(w.total.scenario.points[0]!.mrr).toBeCloseTo(1076 * g3 + 20, 9);
    expect(w.total.difference.customers).toBeCloseTo(0, 10);
  });

  it('by segment: x and y projected apart, the total their sum', async () => {
    const w = await computeWhatIf(store, request({ segmentBy: 'segment', months: 12 }));
    expect(w.segments.map((s) => s.segment)).toEqual(['x', 'y']);
    const [x, y] = w.segments;
    // x: 10 → 8 customers, no new business; y: 0 → 2, all of it.
    expect(x!.rates).toMatchObject({ customers_start: 10, customers_now: 8, new_customers: 0 });
    expect(y!.rates).toMatchObject({ customers_start: 0, customers_now: 2, new_customers: 2, churn_rate: 0 });
    // x: c = 2 / 12 / 9, customers 8 (1 − c)^12.
    expect(x!.baseline.customers).toBeCloseTo(8 * (1 - 2 / 108) ** 12, 9);
    // y never churns: 2 + 12 × 1/6 = 4 customers, MRR 240 + 12 × 20 = 480; CLV undefined without churn.
    expect(y!.baseline.customers).toBeCloseTo(4, 10);
    expect(y!.baseline.mrr).toBeCloseTo(480, 9);
    expect(y!.baseline.clv).toBeNull();
    expect(w.total.baseline.mrr).toBeCloseTo(x!.baseline.mrr + y!.baseline.mrr, 9);
    expect(w.total.baseline.points[5]!.customers).toBeCloseTo(
      x!.baseline.points[5]!.customers + y!.baseline.points[5]!.customers,
      9,
    );
  });

  it('keeps rates within 0…1 and refuses bad months', async () => {
    const rates = (await computeWhatIf(store, request())).segments[0]!.rates;
    expect(project(rates, 3, 1, { churnDelta: -50, retentionDelta: 0, expansionPct: 0 }).churn_rate).toBe(0);
    await expect(computeWhatIf(store, request({ months: 0 }))).rejects.toThrow('months');
    await expect(computeWhatIf(store, request({ months: 37 }))).rejects.toThrow('months');
    await expect(computeWhatIf(store, request({ segmentBy: 'team' }))).rejects.toThrow('team');
  });

  it('renders a table and a CSV', async () => {
    const w = await computeWhatIf(
      store,
      request({ segmentBy: 'segment', change: { churnDelta: -1, retentionDelta: 0, expansionPct: 0 } }),
    );
    const table = whatIfTable(w);
    expect(table).toContain('Segment: x');
    expect(table).toContain('Revenue over 2 months');
    expect(table).toContain('churn -1 pt/mo');
    const csv = whatIfCsv(w).trim().split('\n');
    expect(csv[0]).toBe(
      'segment,month,baseline_customers,baseline_mrr,scenario_customers,scenario_mrr,difference_mrr',
    );
    expect(csv).toHaveLength(1 + 3 * 2);
    expect(csv[5]!.startsWith('total,1,')).toBe(true);
  });
});
