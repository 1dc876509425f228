// Satisfaction, support, employee and health KPIs on small fixtures; expected numbers worked out by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/store/store.js';
import { report, row, storeFromCsv } from './support/csv-store.js';

const accounts = `account_id,created_at,segment
H,2024-01-01,x
G,2024-01-01,x
K,2025-01-01,y
`;
// H: 200 until 2025-01-15, then 100 (its MRR 90 days before 2025-03-01 was 200).
// G: stable 100. K: new on 2025-01-01 with 50 (no MRR 90 days before 03-01).
const mrrChanges = `account_id,effective_at,mrr
H,2024-01-01,200
H,2025-01-15,100
G,2024-01-01,100
K,2025-01-01,50
`;
const cancellations = `account_id,requested_at,ends_at
H,2025-02-20,2025-04-01
K,2025-02-21,2025-04-01
`;
// csat 5, 4, 3, 1 → 2 of 4 satisfied = 50 %, mean 3.25.
// ces on 1–7: 4 (midpoint, not high), 5 (high), 1; on 1–5: 3 (midpoint), 4 (high) → 4, 5, 1, 4, 5.5 → 3.9; 2/5 high.
// fcr answers 1, 1, 0 → 66.67 %. H answered nps 8 (health 0.8); K nps 0.
// eNPS by team in February: eng 6 answers (10 10 9 8 6 3 → 50 − 33.33 = 16.67), ops 3, sales 7 (all 9 → 100).
const responses = `response_id,submitted_at,metric,score,account_id,scale,team
c1,2025-02-02,csat,5,H,,
c2,2025-02-02,csat,4,G,,
c3,2025-02-03,csat,3,,,
c4,2025-02-03,csat,1,,,
e1,2025-02-04,ces,4,,7,
e2,2025-02-04,ces,5,,,
e3,2025-02-04,ces,1,,7,
e4,2025-02-05,ces,3,,5,
e5,2025-02-05,ces,4,,5,
f1,2025-02-06,fcr,1,,,
f2,2025-02-06,fcr,1,,,
f3,2025-02-06,fcr,0,,,
n1,2025-02-07,nps,8,H,,
n2,2025-02-07,nps,0,K,,
${['10', '10', '9', '8', '6', '3'].map((s, i) => `eng${i},2025-02-10,enps,${s},,,eng`).join('\n')}
${['7', '8', '2'].map((s, i) => `ops${i},2025-02-10,enps,${s},,,ops`).join('\n')}
${Array.from({ length: 7 }, (_, i) => `sales${i},2025-02-10,enps,9,,,sales`).join('\n')}
`;
// Not abandoned: t1 (resolved, 1 contact: FCR), t2 (2 contacts), t3 (unresolved), t5 (blank = not abandoned, FCR).
// t4 is abandoned and left out → 2 / 4 = 50 %. K's five tickets in the 90 days before 03-01 empty its support score.
const tickets = `ticket_id,opened_at,account_id,resolved_at,contacts,abandoned
t1,2025-02-01,H,2025-02-01T05:00:00Z,1,false
t2,2025-02-02,,2025-02-03,2,no
t3,2025-02-03,,,1,0
t4,2025-02-04,,2025-02-04,1,yes
t5,2025-02-05,K,2025-02-06,1,
k1,2025-01-05,K,,1,
k2,2025-01-06,K,,1,
k3,2025-01-07,K,,1,
k4,2025-01-08,K,,1,
`;
// H: 10 events in the 30 days before 03-01, 20 in the 30 days before those → usage 0.5. G and K: none.
const usage = `account_id,occurred_at,event
${Array.from({ length: 10 }, (_, i) => `H,2025-02-${String(10 + i).padStart(2, '0')},login`).join('\n')}
${Array.from({ length: 20 }, (_, i) => `H,2025-01-${String(5 + i).padStart(2, '0')},login`).join('\n')}
`;

let store: Store;
beforeAll(async () => {
  store = await storeFromCsv({
    'accounts.csv': accounts,
    'mrr_changes.csv': mrrChanges,
    'cancellations.csv': cancellations,
    'responses.csv': responses,
    'tickets.csv': tickets,
    'usage.csv': usage,
  });
});
afterAll(() => store.close());

const february = async (segmentBy?: string) =>
  report(store, '2025-02-01', '2025-03-01', segmentBy ? { segmentBy } : {});

describe('satisfaction and effort', () => {
  it('CSAT counts 4–5 as satisfied; its mean is the plain mean', async () => {
    expect(row(await february(), '2025-02-01')).toMatchObject({ csat: 50, csat_mean: 3.25 });
  });

  it('CES puts 5-point answers on the 7-point scale and counts answers above their own midpoint', async () => {
    const feb = row(await february(), '2025-02-01');
    expect(feb.ces).toBeCloseTo(3.9, 9);
    expect(feb.ces_high_effort_pct).toBe(40);
  });

  it('FCR as perceived is the share of "yes" answers', async () => {
    expect(row(await february(), '2025-02-01').fcr_perceived).toBeCloseTo(66.666667, 5);
  });
});

describe('first contact resolution', () => {
  it('leaves abandoned tickets out and needs a resolution with one contact', async () => {
    expect(row(await february(), '2025-02-01').fcr).toBe(50);
  });
});

describe('employee answers', () => {
  // Employee results are shown once their month has ended (docs/metrics.md, eNPS); the data ends on 02-21.
  const ended = (segmentBy?: string) =>
    report(store, '2025-02-01', '2025-03-01', {
      asOf: new Date('2025-03-01'),
      ...(segmentBy ? { segmentBy } : {}),
    });

  it('eNPS of the whole company', async () => {
    // 16 answers: promoters 3 + 7 = 10, detractors 2 + 1 (the ops 2) = 3 → (10 − 3) / 16 = 43.75.
    expect(row(await ended(), '2025-02-01').enps).toBeCloseTo(43.75, 9);
  });

  it('suppresses a team under 5 answers, and a second team so that subtraction reveals nothing', async () => {
    const r = await ended('team');
    const ops = r.rows.find((x) => x.segment === 'ops')!;
    const eng = r.rows.find((x) => x.segment === 'eng')!;
    expect(ops.kpis.enps).toBeNull();
    expect(ops.suppressed).toEqual(['enps']);
    // Total minus sales minus eng would give ops back: eng, the smallest other team, is hidden too.
    expect(eng.kpis.enps).toBeNull();
    expect(eng.suppressed).toEqual(['enps']);
    expect(row(r, '2025-02-01', 'sales').enps).toBe(100);
    expect(row(r, '2025-02-01').enps).toBeCloseTo(43.75, 9);
  });

  it('suppresses the total too when the whole company gave fewer than 5 answers', async () => {
    const small = await report(store, '2025-02-01', '2025-03-01', { config: { min_employee_group: 20 } });
    expect(small.rows[0]!.suppressed).toEqual(['enps']);
    expect(small.rows[0]!.kpis.enps).toBeNull();
  });
});

describe('health', () => {
  it('scores each active account from its weighted components at the period end', async () => {
    // H: usage 10/20 = 0.5, satisfaction mean(nps 8/10, csat (5−1)/4) = 0.9, support 1 − 1/5 = 0.8,
    //    revenue 100/200 = 0.5, pending cancellation 0
    //    → 100 × (0.3×0.5 + 0.25×0.9 + 0.15×0.8 + 0.1×0.5 + 0.2×0) = 54.5.
    // G: usage 0, satisfaction csat (4−1)/4 = 0.75, support 1, revenue 1, no cancellation
    //    → 100 × (0 + 0.1875 + 0.15 + 0.1 + 0.2) = 63.75.
    // K: usage 0, satisfaction 0, support max(0, 1 − 5/5) = 0, revenue 1 (no MRR 90 days before), pending 0
    //    → 100 × 0.1 = 10 → at risk.
    const feb = row(await february(), '2025-02-01');
    expect(feb.health_mean).toBeCloseTo((54.5 + 63.75 + 10) / 3, 9);
    expect(feb.at_risk_customers).toBe(1);
  });

  it('takes its weights from the configuration', async () => {
    const weights = {
      usage_trend: 0,
      satisfaction: 0,
      support_load: 0,
      revenue_trend: 0,
      pending_cancellation: 1,
    };
    const r = await report(store, '2025-02-01', '2025-03-01', { config: { health: healthWith(weights) } });
    // Only pending cancellation counts: H 0, G 100, K 0 → mean 33.33, two at risk.
    expect(row(r, '2025-02-01').health_mean).toBeCloseTo(100 / 3, 9);
    expect(row(r, '2025-02-01').at_risk_customers).toBe(2);
  });
});

function healthWith(weights: Record<string, number>) {
  return {
    weights: weights as never,
    usage_window_days: 30,
    satisfaction_window_days: 180,
    support_window_days: 90,
    support_tickets_for_zero: 5,
    revenue_window_days: 90,
    bands: { healthy: 70, at_risk_below: 40 },
  };
}
