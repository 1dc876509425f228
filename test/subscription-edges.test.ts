// Revenue, retention and value KPIs on a fixture of edge cases; every expected number is worked out by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/store/store.js';
import { report, row, storeFromCsv } from './support/csv-store.js';

// P, Q (segment a) and R (b) sign up on 2025-01-01; T (b) on 2025-02-03.
const accounts = `account_id,created_at,segment
P,2025-01-01,a
Q,2025-01-01,a
R,2025-01-01,b
T,2025-02-03,b
`;
// Q's first line at 2025-01-01 is superseded by the later line at the same instant (KPI-SPEC §2: later wins).
// P churns and returns within February; Q expands then contracts in February and churns in May;
// R churns at exactly 2025-03-01 00:00Z (a March change); T joins and leaves within February.
const mrrChanges = `account_id,effective_at,mrr
P,2025-01-01,100
Q,2025-01-01,999
Q,2025-01-01,200
R,2025-01-15,50
P,2025-02-10,0
P,2025-02-20,100
Q,2025-02-05,300
Q,2025-02-15,250
T,2025-02-03,80
T,2025-02-25,0
R,2025-03-01T00:00:00Z,0
Q,2025-05-10,0
`;
const cancellations = `account_id,requested_at,ends_at
R,2025-02-10,2025-03-01
`;
const renewals = `account_id,due_at,outcome
R,2025-02-15,churned
Q,2025-02-20,renewed
P,2025-02-25,pending
`;
// One-time payments count as expansion only when the account was active just before paying:
// Q yes (300 since 02-05); T no (its first MRR starts at that very instant); P no (churned on 02-10).
const payments = `payment_id,account_id,paid_at,amount,kind
pay1,Q,2025-01-01,200,recurring
pay2,Q,2025-02-07,500,one_time
pay3,T,2025-02-03,40,one_time
pay4,P,2025-02-15,30,one_time
`;
const costs = `account_id,incurred_at,amount,kind
P,2025-01-01,100,acquisition
T,2025-02-03,60,acquisition
,2025-02-10,90,acquisition
Q,2025-02-20,20,service
`;
// Value event report_created: P after 2.5 days, Q after 10, R after 45; T only before it was created.
const usage = `account_id,occurred_at,event
P,2025-01-02,login
P,2025-01-03T12:00:00Z,report_created
Q,2025-01-11,report_created
R,2025-02-15,report_created
T,2025-02-01,report_created
`;

let store: Store;
beforeAll(async () => {
  store = await storeFromCsv({
    'accounts.csv': accounts,
    'mrr_changes.csv': mrrChanges,
    'cancellations.csv': cancellations,
    'renewals.csv': renewals,
    'payments.csv': payments,
    'costs.csv': costs,
    'usage.csv': usage,
  });
});
afterAll(() => store.close());

describe('subscription edge cases, February 2025', () => {
  it('counts churn within the period although the customer came back: churn_rate ≠ 100 − crr', async () => {
    const feb = row(await report(store, '2025-02-01', '2025-03-01'), '2025-02-01');
    // S = {P, Q, R}; E = {P 100, Q 250, R 50} (R's churn at 03-01 is March's); N = {} → crr 3/3.
    // Churned: P (02-10) and T (02-25) → 2/3.
    expect(feb).toMatchObject({ active_customers: 3, crr: 100, churned_customers: 2 });
    expect(feb.churn_rate).toBeCloseTo(66.666667, 5);
  });

  it('classifies every movement: new, reactivation, expansion, contraction, churn', async () => {
    const feb = row(await report(store, '2025-02-01', '2025-03-01'), '2025-02-01');
    // new T 80; reactivation P 100; expansion Q 200→300 = 100; contraction Q 300→250 = 50;
    // churn P 100 + T 80 = 180; net 80 + 100 + 100 − 50 − 180 = 50 = mrr 400 − 350.
    expect(feb).toMatchObject({
      new_mrr: 80,
      reactivation_mrr: 100,
      expansion_mrr: 100,
      contraction_mrr: 50,
      churned_mrr: 180,
      net_new_mrr: 50,
      mrr: 400,
      new_customers: 1,
      reactivated_customers: 1,
    });
  });

  it('NRR and GRR compare each start customer with itself', async () => {
    const feb = row(await report(store, '2025-02-01', '2025-03-01'), '2025-02-01');
    // start: P 100 + Q 200 + R 50 = 350; end: 100 + 250 + 50 = 400 → 114.29 %;
    // floor: min(100,100) + min(250,200) + min(50,50) = 350 → 100 %.
    expect(feb.nrr).toBeCloseTo(114.285714, 5);
    expect(feb.grr).toBeCloseTo(100, 9);
  });

  it('a cancellation is not churn: R is pending churn in February and churns in March', async () => {
    const r = await report(store, '2025-02-01', '2025-04-01');
    expect(row(r, '2025-02-01').pending_churn_customers).toBe(1);
    // March: S = {P, Q, R}, R leaves at 03-01 → crr 2/3, churn 1/3, churned_mrr 50.
    const mar = row(r, '2025-03-01');
    expect(mar).toMatchObject({
      pending_churn_customers: 0,
      churned_customers: 1,
      churned_mrr: 50,
      mrr: 350,
    });
    expect(mar.crr).toBeCloseTo(66.666667, 5);
  });

  it('renewal rate leaves pending renewals out', async () => {
    const r = await report(store, '2025-02-01', '2025-04-01');
    expect(row(r, '2025-02-01').renewal_rate).toBe(50);
    expect(row(r, '2025-03-01').renewal_rate).toBeNull();
  });

  it('expansion revenue adds one-time payments of accounts active just before paying', async () => {
    const feb = row(await report(store, '2025-02-01', '2025-03-01'), '2025-02-01');
    expect(feb.expansion_revenue).toBe(100 + 500);
  });

  it('segments split every count; rows without an account count in totals only', async () => {
    const r = await report(store, '2025-02-01', '2025-03-01', { segmentBy: 'segment' });
    // a: S = {P 100, Q 200}, end 100 + 250 → nrr 350/300; churned P → 1/2.
    const a = row(r, '2025-02-01', 'a');
    expect(a).toMatchObject({ active_customers: 2, crr: 100, churn_rate: 50, grr: 100, cac: null });
    expect(a.nrr).toBeCloseTo(116.666667, 5);
    // b: S = {R}; T joins and leaves → churn 1/1 = 100 % while crr stays 100 %; cac = T's 60 / 1 new.
    expect(row(r, '2025-02-01', 'b')).toMatchObject({ crr: 100, churn_rate: 100, new_customers: 1, cac: 60 });
    // total cac: 60 + unattributed 90 over 1 new customer.
    expect(row(r, '2025-02-01').cac).toBe(150);
  });
});

describe('value KPIs', () => {
  it('subscription CLV is arpa × margin ÷ monthly churn, and LTV:CAC divides it by CAC', async () => {
    const feb = row(await report(store, '2025-02-01', '2025-03-01'), '2025-02-01');
    // arpa 400/3; m = 2/3 → clv = 200; cac 150 → 1.3333.
    expect(feb.clv).toBeCloseTo(200, 9);
    expect(feb.ltv_cac_ratio).toBeCloseTo(200 / 150, 9);
    const half = row(
      await report(store, '2025-02-01', '2025-03-01', { config: { gross_margin: 0.5 } }),
      '2025-02-01',
    );
    expect(half.clv).toBeCloseTo(100, 9);
  });

  it('a quarter converts its churn rate to a monthly one', async () => {
    const q2 = row(await report(store, '2025-04-01', '2025-07-01', { period: 'quarter' }), '2025-04-01');
    // S = {P, Q}; Q churns in May → 50 %; m = 1 − 0.5^(1/3) = 0.2062995; arpa 100 → 484.7322.
    expect(q2.churn_rate).toBe(50);
    expect(q2.clv).toBeCloseTo(484.7322, 3);
  });

  it('historical CLV is money in minus costs per account created so far', async () => {
    const r = await report(store, '2025-01-01', '2025-03-01');
    // Jan end: P, Q, R; payments 200; attributed costs 100 → 100/3.
    expect(row(r, '2025-01-01').clv_historical).toBeCloseTo(33.333333, 5);
    // Feb end: 4 accounts; payments 770; attributed costs 180 (the unattributed 90 is not an account's) → 147.5.
    expect(row(r, '2025-02-01').clv_historical).toBeCloseTo(147.5, 9);
  });

  it('time to first value: median days over accounts that reached value by as_of', async () => {
    const options = { valueEvent: ['report_created'], asOf: new Date('2025-03-01') };
    const r = await report(store, '2025-01-01', '2025-03-01', {
      asOf: options.asOf,
      config: { value_events: options.valueEvent },
    });
    // January cohort: P 2.5, Q 10, R 45 → median 10; all eligible (created + 30 d ≤ as_of), 2 of 3 in window.
    expect(row(r, '2025-01-01').ttfv_median_days).toBeCloseTo(10, 9);
    expect(row(r, '2025-01-01').ttfv_reached_pct).toBeCloseTo(66.666667, 5);
    // February cohort: T's only value event predates it; its window ends 03-05, after as_of → not eligible.
    expect(row(r, '2025-02-01')).toMatchObject({ ttfv_median_days: null, ttfv_reached_pct: null });
  });

  it('the median of an even count is the mean of the middle two', async () => {
    const r = await report(store, '2025-01-01', '2025-02-01', {
      asOf: new Date('2025-02-10'),
      config: { value_events: ['report_created'] },
    });
    // R reaches value on 02-15, after as_of: P 2.5 and Q 10 → 6.25.
    expect(row(r, '2025-01-01').ttfv_median_days).toBeCloseTo(6.25, 9);
  });

  it('without a configured value event, time to first value is undefined, not 0', async () => {
    const jan = row(await report(store, '2025-01-01', '2025-02-01'), '2025-01-01');
    expect(jan).toMatchObject({ ttfv_median_days: null, ttfv_reached_pct: null });
  });
});

describe('empty denominators', () => {
  it('give null ratios, while counts and sums are 0', async () => {
    // December 2024: nothing exists yet.
    const dec = row(await report(store, '2024-12-01', '2025-01-01'), '2024-12-01');
    for (const id of [
      'arpa',
      'crr',
      'churn_rate',
      'nrr',
      'grr',
      'renewal_rate',
      'clv',
      'cac',
      'nps',
      'csat',
      'ces',
    ]) {
      expect(dec[id], id).toBeNull();
    }
    for (const id of ['mrr', 'active_customers', 'new_mrr', 'churned_customers', 'nps_responses']) {
      expect(dec[id], id).toBe(0);
    }
  });

  it('January: no customer at the start, so no retention ratio', async () => {
    const jan = row(await report(store, '2025-01-01', '2025-02-01'), '2025-01-01');
    expect(jan).toMatchObject({
      crr: null,
      churn_rate: null,
      nrr: null,
      new_customers: 3,
      new_mrr: 350,
      mrr: 350,
    });
  });
});
