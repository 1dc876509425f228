// Cohort survival and the sBG fit on a small store worked out by hand (as_of 2025-04-01).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohortRetention, type SegmentRetention } from '../src/insight/clv/cohort-retention.js';
import type { Store } from '../src/store/store.js';
import { cohortAccounts, cohortMrrChanges } from './cohorts-fixture.js';
import { storeFromCsv } from './support/csv-store.js';

// The customers (test/cohorts-fixture.ts). Tenure month k of a customer who started at s is (s + (k−1) months, s + k months]; as_of 2025-04-01.
// A x  new 01-15 (100), ends 02-15: exactly one month → lost in month 1. Observed 2 whole months (04-15 > as_of).
// B x  new 01-31 (50), stays. Anniversaries 02-28, 03-31: observed 2 months.
// C y  new 01-10 (200), ends 03-20: after 03-10 → lost in month 3, beyond the cohort's 2 observed months.
// D y  new 01-05 (80), ends 02-01 (lost in month 1), back 03-01 (a reactivation: not a survivor again).
// E x  new 02-01 (100), ends 03-01 exactly → lost in month 1; observed 2 months (04-01 = as_of).
// F y  new 02-20 (60), stays; observed 1 month (04-20 > as_of), so the February cohort is 1 month old.
// J y  new 01-20 (100), ends 03-10: before 03-20 → lost in month 2.
// G x  never pays: not a customer.  H x  new 03-31 12:00 (40): the March cohort, 0 months old.
// I x  new 2025-05-01: after as_of.

let store: Store;
beforeAll(async () => {
  store = await storeFromCsv({ 'accounts.csv': cohortAccounts, 'mrr_changes.csv': cohortMrrChanges });
});
afterAll(() => store.close());

const request = { asOf: new Date('2025-04-01'), months: 36, discountMonthly: 0.01, grossMargin: 0.8 };

/** Log-likelihood by hand: S(1) = b/(a+b), S(2) = S(1)·(b+1)/(a+b+1), P(T = 1) = 1 − S(1), P(T = 2) = S(1) − S(2). */
function byHand(a: number, b: number, [lost1, lost2, kept1, kept2]: readonly number[]): number {
  const s1 = b / (a + b);
  const s2 = s1 * ((b + 1) / (a + b + 1));
  return (
    lost1! * Math.log(1 - s1) + lost2! * Math.log(s1 - s2) + kept1! * Math.log(s1) + kept2! * Math.log(s2)
  );
}

/** The best of a grid in (ln a, ln b): the fit must be at least as good. */
function gridBest(ll: (a: number, b: number) => number): number {
  let best = Number.NEGATIVE_INFINITY;
  for (let i = -60; i <= 60; i++) {
    for (let j = -60; j <= 60; j++) best = Math.max(best, ll(Math.exp(i / 10), Math.exp(j / 10)));
  }
  return best;
}

function expectFitted(part: SegmentRetention, counts: readonly number[]) {
  const model = part.model!;
  expect(model.converged).toBe(true);
  expect(model.log_likelihood).toBeCloseTo(byHand(model.a, model.b, counts), 9);
  expect(model.log_likelihood).toBeGreaterThanOrEqual(gridBest((a, b) => byHand(a, b, counts)) - 1e-9);
}

describe('cohort survival from the store', () => {
  it('builds monthly cohorts of first-time customers with their survivors by whole month of tenure', async () => {
    const r = await cohortRetention(store, request);
    expect(r.as_of).toBe('2025-04-01T00:00:00.000Z');
    expect(r.overall.cohorts.map(({ cohort, size, age, alive }) => ({ cohort, size, age, alive }))).toEqual([
      { cohort: '2025-01', size: 5, age: 2, alive: [5, 3, 2] },
      { cohort: '2025-02', size: 2, age: 1, alive: [2, 1] },
      { cohort: '2025-03', size: 1, age: 0, alive: [1] },
    ]);
    expect(r.overall.customers).toBe(8);
  });

  it('splits by segment; accounts keep their cohort', async () => {
    const r = await cohortRetention(store, { ...request, segmentBy: 'segment' });
    expect(r.segments.map((s) => s.segment)).toEqual(['x', 'y']);
    const [x, y] = r.segments as [SegmentRetention, SegmentRetention];
    expect(x.cohorts.map((c) => c.alive)).toEqual([[2, 1, 1], [1, 0, 0], [1]]);
    expect(y.cohorts.map((c) => c.alive)).toEqual([
      [3, 2, 1],
      [1, 1],
    ]);
    // x: 2 of 3 leave in month 1, the one left stays in month 2 — retention jumps to 1, the fit runs to a,
    // b → 0 and is refused with the reason.
    expect(x.model).toBeNull();
    expect(x.reason).toMatch(/edge of the model/);
    // ARPA at as_of (MRR of the latest change before it): x = B 50 + H 40 over 2, y = D 80 + F 60 over 2
    // (C and J have left).
    expect(x.arpa).toBe(45);
    expect(y.arpa).toBe(70);
  });

  it('fits sBG on the pooled cohorts and projects them', async () => {
    const r = await cohortRetention(store, request);
    const o = r.overall;
    // Lost in month 1: A, D (January), E (February); in month 2: J; survivors: F after 1 month, B and C after 2.
    expectFitted(o, [3, 1, 1, 2]);
    const { a, b } = o.model!;
    // The observed curve: month 1 = 4 of 7 at risk stay (January 5 → 3, February 2 → 1); month 2 = 2 of 3.
    expect(o.curve[0]).toMatchObject({ observed_retention: null, observed_survival: 1, at_risk: 8 });
    expect(o.curve[1]).toMatchObject({ observed_retention: 4 / 7, observed_survival: 4 / 7, at_risk: 7 });
    expect(o.curve[2]).toMatchObject({ observed_retention: 2 / 3, observed_survival: 8 / 21, at_risk: 3 });
    expect(o.curve[3]).toMatchObject({ observed_retention: null, observed_survival: null, at_risk: 0 });
    expect(o.curve[1]!.survival).toBeCloseTo(b / (a + b), 12);
    expect(o.curve[2]!.retention).toBeCloseTo((b + 1) / (a + b + 1), 12);
    // January: 2 alive after 2 months → 2 · S(3)/S(2) = 2 (b+2)/(a+b+2) next month.
    expect(o.cohorts[0]!.projected[0]).toBeCloseTo((2 * (b + 2)) / (a + b + 2), 12);
    expect(o.cohorts[0]!.projected).toHaveLength(36);
    // ARPA: B 50, D 80 (reactivated), F 60, H 40 = 230 over 4; A, C, E have left; I starts after as_of.
    expect(o.active_customers).toBe(4);
    expect(o.arpa).toBe(57.5);
    // Discounted expected lifetime Σ S(t)/1.01^t summed by hand; CLV = 57.5 × 0.8 × that.
    let lifetime = 0;
    let s = 1;
    for (let t = 0; t < 20_000; t++) {
      lifetime += s / 1.01 ** t;
      s *= (b + t) / (a + b + t);
    }
    expect(o.discounted_lifetime_months).toBeCloseTo(lifetime, 6);
    expect(o.clv).toBeCloseTo(57.5 * 0.8 * lifetime, 4);
  });

  it('S(t) falls within [0, 1] and r(t) rises', async () => {
    const r = await cohortRetention(store, { ...request, segmentBy: 'segment' });
    for (const part of [r.overall, ...r.segments].filter((p) => p.model !== null)) {
      const curve = part.curve;
      expect(curve).toHaveLength(37);
      expect(curve[0]!.survival).toBe(1);
      for (let t = 1; t < curve.length; t++) {
        expect(curve[t]!.survival!).toBeLessThan(curve[t - 1]!.survival!);
        expect(curve[t]!.survival!).toBeGreaterThan(0);
        if (t > 1) expect(curve[t]!.retention!).toBeGreaterThan(curve[t - 1]!.retention!);
      }
    }
  });

  it('says why when no customer has left yet', async () => {
    const r = await cohortRetention(store, { ...request, asOf: new Date('2025-02-05') });
    // By 02-05 the January cohort (A, B, C, D, J) is 0 months old for B (02-28 > as_of): nothing observed.
    expect(r.overall.model).toBeNull();
    expect(r.overall.reason).toMatch(/observed for a whole period/);
    expect(r.overall.clv).toBeNull();
  });

  it('refuses bad options', async () => {
    await expect(cohortRetention(store, { ...request, months: 0 })).rejects.toThrow(/months must be/);
    await expect(cohortRetention(store, { ...request, discountMonthly: 1 })).rejects.toThrow(/discount/);
    await expect(cohortRetention(store, { ...request, segmentBy: 'nope' })).rejects.toThrow(
      /segment-by nope/,
    );
  });
});
