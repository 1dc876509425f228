// sBG reproduces Fader & Hardie (2007) on their Table 1 and projects sensibly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitSbg, sbgLogLikelihood, sbgRetention, sbgSurvival, subscriptionClv } from './sbg.js';

const table = readFileSync(
  new URL('../../../test/fixtures/sbg/fader_hardie_2007_table1.csv', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',').map(Number));
// F&H 2007 fit years 0–7 and hold out 8–12.
const regular = table.slice(0, 8).map((row) => row[1]!);
const highEnd = table.slice(0, 8).map((row) => row[2]!);

describe('sBG on Fader & Hardie (2007), years 0–7', () => {
  it('fits High End a = 0.668, b = 3.806 and Regular a = 0.704, b = 1.182', () => {
    // Published to 3 decimals: ±0.0005 rounding, plus a little for the optimiser's stopping point.
    const high = fitSbg(highEnd).params;
    expect(Math.abs(high.a - 0.668)).toBeLessThan(1e-3);
    expect(Math.abs(high.b - 3.806)).toBeLessThan(1e-3);
    const reg = fitSbg(regular).params;
    expect(Math.abs(reg.a - 0.704)).toBeLessThan(1e-3);
    expect(Math.abs(reg.b - 1.182)).toBeLessThan(1e-3);
  });

  it('projects the held-out years 8–12 within 2 points of the cohort (F&H 2007, Figure 3)', () => {
    for (const [column, alive] of [
      [2, highEnd],
      [1, regular],
    ] as const) {
      const survival = sbgSurvival(fitSbg(alive).params, 12);
      for (let year = 8; year <= 12; year++) {
        expect(Math.abs(survival[year]! * 1000 - table[year]![column]!)).toBeLessThan(20);
      }
    }
  });

  it('fits better than the start point and nearby points', () => {
    const fit = fitSbg(highEnd);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(sbgLogLikelihood({ a: 1, b: 1 }, highEnd));
    for (const [da, db] of [
      [0.01, 0],
      [-0.01, 0],
      [0, 0.01],
      [0, -0.01],
    ] as const) {
      const nearby = { a: fit.params.a * (1 + da), b: fit.params.b * (1 + db) };
      expect(sbgLogLikelihood(nearby, highEnd)).toBeLessThanOrEqual(fit.logLikelihood);
    }
  });

  it('retention rises with tenure and survival is its running product', () => {
    const params = { a: 0.704, b: 1.182 };
    const survival = sbgSurvival(params, 10);
    for (let t = 1; t <= 10; t++) {
      expect(survival[t]).toBeCloseTo(survival[t - 1]! * sbgRetention(params, t), 12);
      if (t > 1) expect(sbgRetention(params, t)).toBeGreaterThan(sbgRetention(params, t - 1));
    }
  });

  it('values a subscriber: the finite sums approach the closed form ₂F₁(1, b; a+b; 1/(1+d))', () => {
    const params = { a: 0.668, b: 3.806 };
    // By hand for 2 periods: 100 + 100 × S(1)/1.1, S(1) = b/(a+b) = 0.8507.
    expect(subscriptionClv(params, 100, 0.1, 2)).toBeCloseTo(100 + (100 * (3.806 / 4.474)) / 1.1, 9);
    const closed = subscriptionClv(params, 100, 0.1);
    expect(subscriptionClv(params, 100, 0.1, 2000)).toBeCloseTo(closed, 6);
    expect(subscriptionClv(params, 100, 0.1, 10)).toBeLessThan(closed);
  });

  it('refuses survivor counts that grow', () => {
    expect(() => fitSbg([100, 90, 95])).toThrow(/must not increase/);
  });
});
