// The multi-cohort sBG fit: the published High End numbers, censored cohorts, simulated recovery, bad input.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitSbg, sbgLogLikelihood, sbgRetention, sbgSurvival } from './sbg.js';
import {
  type CohortCounts,
  fitSbgCohorts,
  poolCohorts,
  projectCohort,
  SbgDataError,
  sbgPooledLogLikelihood,
} from './sbg-cohorts.js';
import { gammaVariate, seededRandom } from './simulate.js';

const table = readFileSync(
  new URL('../../../test/fixtures/sbg/fader_hardie_2007_table1.csv', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',').map(Number));
const highEnd = table.map((row) => row[2]!);
const highEnd07 = highEnd.slice(0, 8);

/** Cohorts of `size` customers from Beta(a, b) churn probabilities; cohort i observed for `periods[i]` periods. */
function simulate(a: number, b: number, size: number, periods: readonly number[], seed: number) {
  const u = seededRandom(seed);
  return periods.map((n) => {
    const alive = new Array<number>(n + 1).fill(0);
    for (let i = 0; i < size; i++) {
      const x = gammaVariate(u, a, 1);
      const theta = x / (x + gammaVariate(u, b, 1));
      let t = 0;
      alive[0]! += 1;
      while (t < n && u() >= theta) {
        t += 1;
        alive[t]! += 1;
      }
    }
    return { alive };
  });
}

describe('sBG on many cohorts', () => {
  it('on one cohort equals fitSbg: High End a = 0.668, b = 3.806 (Fader & Hardie 2007)', () => {
    const joint = fitSbgCohorts([{ alive: highEnd07 }]);
    const single = fitSbg(highEnd07);
    expect(Math.abs(joint.params.a - 0.668)).toBeLessThan(1e-3);
    expect(Math.abs(joint.params.b - 3.806)).toBeLessThan(1e-3);
    expect(joint.params.a).toBeCloseTo(single.params.a, 6);
    expect(joint.params.b).toBeCloseTo(single.params.b, 6);
    expect(joint.logLikelihood).toBeCloseTo(single.logLikelihood, 6);
    expect(joint.converged).toBe(true);
  });

  it('pools by hand: two cohorts, a = b = 1 gives P(T = 1) = S(1) = 1/2', () => {
    // Cohort 1: 2 customers, one left in period 1, one still there; cohort 2: 1 customer, not yet observed.
    const pooled = poolCohorts([{ alive: [2, 1] }, { alive: [1] }]);
    expect([...pooled.lost]).toEqual([0, 1]);
    expect([...pooled.kept]).toEqual([0, 1]);
    expect(pooled.customers).toBe(2);
    expect(sbgPooledLogLikelihood({ a: 1, b: 1 }, pooled)).toBeCloseTo(2 * Math.log(0.5), 12);
    // The sum over cohorts of the single-cohort likelihood.
    const cohorts = [{ alive: [10, 8, 5] }, { alive: [4, 3] }, { alive: [7, 7, 6, 2] }];
    const params = { a: 0.8, b: 2.3 };
    const sum = cohorts.reduce((s, c) => s + sbgLogLikelihood(params, c.alive), 0);
    expect(sbgPooledLogLikelihood(params, poolCohorts(cohorts))).toBeCloseTo(sum, 10);
  });

  it('the gradient matches finite differences', () => {
    const pooled = poolCohorts([{ alive: [10, 8, 5] }, { alive: [4, 3] }, { alive: [7, 7, 6, 2] }]);
    const g = new Float64Array(2);
    const at = (la: number, lb: number) =>
      sbgPooledLogLikelihood({ a: Math.exp(la), b: Math.exp(lb) }, pooled);
    sbgPooledLogLikelihood({ a: Math.exp(-0.2), b: Math.exp(0.9) }, pooled, g);
    const h = 1e-6;
    expect(g[0]).toBeCloseTo((at(-0.2 + h, 0.9) - at(-0.2 - h, 0.9)) / (2 * h), 5);
    expect(g[1]).toBeCloseTo((at(-0.2, 0.9 + h) - at(-0.2, 0.9 - h)) / (2 * h), 5);
  });

  it('High End split into cohorts: uncensored halves give the same fit, censored ones nearly', () => {
    const half = highEnd07.map((n) => Math.ceil(n / 2));
    const rest = highEnd07.map((n, t) => n - half[t]!);
    const split = fitSbgCohorts([{ alive: half }, { alive: rest }]);
    expect(split.params.a).toBeCloseTo(fitSbg(highEnd07).params.a, 6);
    expect(split.params.b).toBeCloseTo(fitSbg(highEnd07).params.b, 6);
    // Years 0–12 in four cohorts of 250 observed for 12, 9, 7 and 4 years: the customers of the shorter
    // ones are censored (their later losses unknown). The 0–12 fit of one cohort differs from the 0–7
    // one; the censored fit must land near both.
    const quarter = highEnd.map((n) => n / 4);
    const censored: CohortCounts[] = [12, 9, 7, 4].map((n) => ({
      alive: quarter.slice(0, n + 1).map(Math.round),
    }));
    const fit = fitSbgCohorts(censored);
    expect(Math.abs(fit.params.a - 0.668) / 0.668).toBeLessThan(0.1);
    expect(Math.abs(fit.params.b - 3.806) / 3.806).toBeLessThan(0.1);
  });

  it('recovers known (a, b) from simulated cohorts observed 1 … 24 months', () => {
    for (const [a, b, seed] of [
      [0.7, 2.5, 1],
      [1.5, 12, 2],
    ] as const) {
      const periods = Array.from({ length: 24 }, (_, i) => i + 1);
      const fit = fitSbgCohorts(simulate(a, b, 2000, periods, seed));
      expect(fit.converged).toBe(true);
      expect(Math.abs(fit.params.a - a) / a).toBeLessThan(0.1);
      expect(Math.abs(fit.params.b - b) / b).toBeLessThan(0.15);
    }
  });

  it('projects a cohort from its survivors: alive · S(t + k)/S(t)', () => {
    // a = b = 1: S(t) = 1/(t + 1); 100 alive after 1 period → 100 · (1/3)/(1/2), 100 · (1/4)/(1/2).
    const ahead = projectCohort({ a: 1, b: 1 }, 100, 1, 2);
    expect(ahead[0]).toBeCloseTo(200 / 3, 10);
    expect(ahead[1]).toBeCloseTo(50, 10);
  });

  it('properties: pooling adds the cohorts’ likelihoods; S falls in [0, 1], r rises; projections fall', () => {
    const cohort = fc
      .tuple(
        fc.integer({ min: 0, max: 500 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
      )
      .map(([size, keep]) => {
        const alive = [size];
        for (const k of keep) alive.push(Math.floor(alive.at(-1)! * k));
        return { alive };
      });
    const params = fc.record({
      a: fc.double({ min: 0.05, max: 50, noNaN: true }),
      b: fc.double({ min: 0.05, max: 50, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(cohort, { minLength: 1, maxLength: 8 }), params, (cohorts, p) => {
        const sum = cohorts.reduce((s, c) => s + (c.alive.length > 1 ? sbgLogLikelihood(p, c.alive) : 0), 0);
        const pooled = sbgPooledLogLikelihood(p, poolCohorts(cohorts));
        expect(Math.abs(pooled - sum)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(sum)));
        const survival = sbgSurvival(p, 36);
        for (let t = 1; t <= 36; t++) {
          expect(survival[t]!).toBeLessThan(survival[t - 1]!);
          expect(survival[t]!).toBeGreaterThan(0);
          if (t > 1) expect(sbgRetention(p, t)).toBeGreaterThan(sbgRetention(p, t - 1));
        }
        const ahead = projectCohort(p, 100, 3, 12);
        expect(ahead[0]!).toBeLessThan(100);
        for (let k = 1; k < 12; k++) expect(ahead[k]!).toBeLessThan(ahead[k - 1]!);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses empty, growing, fractional and uninformative counts with a clear error', () => {
    expect(() => fitSbgCohorts([])).toThrow(/at least one cohort/);
    expect(() => fitSbgCohorts([{ alive: [] }])).toThrow(/cohort 0 has no counts/);
    expect(() => fitSbgCohorts([{ alive: [10, 8] }, { alive: [10, 9, 9.5] }])).toThrow(
      /cohort 1: alive\[2\] = 9.5/,
    );
    expect(() => fitSbgCohorts([{ alive: [10, 8] }, { alive: [10, 9, 10] }])).toThrow(
      /cohort 1: survivor counts must not increase \(period 2: 10 after 9\)/,
    );
    expect(() => fitSbgCohorts([{ alive: [10] }, { alive: [3] }])).toThrow(/observed for a whole period/);
    expect(() => fitSbgCohorts([{ alive: [10, 10, 10] }])).toThrow(/no customer has left yet/);
    expect(() => fitSbgCohorts([{ alive: [10, 0] }])).toThrow(/every customer left in the first period/);
    expect(() => fitSbgCohorts([{ alive: [10, 10, 10] }])).toThrow(SbgDataError);
    // 2 of 3 leave at once and the last one stays: the best fit is a, b → 0 (leave at once or never).
    expect(() => fitSbgCohorts([{ alive: [2, 1, 1] }, { alive: [1, 0, 0] }])).toThrow(/edge of the model/);
  });
});
