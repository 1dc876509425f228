// BG/NBD: the fit maximises the likelihood, predictions are probabilities and monotone expectations,
// and simulated data give back the parameters they were drawn from.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bgNbdExpected, bgNbdLogLikelihood, bgNbdPAlive, bgNbdStart, bgNbdTail, fitBgNbd } from './bgnbd.js';
import { simulateCustomers } from './simulate.js';

const TRUE = { r: 0.5, alpha: 6, a: 0.7, b: 2.5 };
const GG = { p: 6, q: 4, gamma: 15 };
const data = simulateCustomers(20_000, TRUE, GG, 7);
const fit = fitBgNbd(data);

const positive = (min: number, max: number) => fc.double({ min, max, noNaN: true });
const params = fc.record({
  r: positive(0.01, 20),
  alpha: positive(0.01, 50),
  a: positive(0.01, 20),
  b: positive(0.01, 20),
});
const customer = fc
  .record({ x: fc.integer({ min: 0, max: 200 }), T: positive(0.01, 500), share: positive(0, 1) })
  .map(({ x, T, share }) => ({ x, T, tx: x === 0 ? 0 : T * share }));

describe('BG/NBD fit', () => {
  it('recovers the parameters of simulated data (20,000 customers, within 15 %)', () => {
    expect(fit.converged).toBe(true);
    expect(fit.params.r).toBeGreaterThan(TRUE.r * 0.85);
    expect(fit.params.r).toBeLessThan(TRUE.r * 1.15);
    expect(fit.params.alpha).toBeGreaterThan(TRUE.alpha * 0.85);
    expect(fit.params.alpha).toBeLessThan(TRUE.alpha * 1.15);
    expect(fit.params.a).toBeGreaterThan(TRUE.a * 0.85);
    expect(fit.params.a).toBeLessThan(TRUE.a * 1.15);
    expect(fit.params.b).toBeGreaterThan(TRUE.b * 0.85);
    expect(fit.params.b).toBeLessThan(TRUE.b * 1.15);
  });

  it('ends at a log-likelihood at least that of the start, the truth and every nearby point', () => {
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgNbdLogLikelihood(bgNbdStart(data), data));
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgNbdLogLikelihood(TRUE, data));
    fc.assert(
      fc.property(
        fc.tuple(positive(-0.05, 0.05), positive(-0.05, 0.05), positive(-0.05, 0.05), positive(-0.05, 0.05)),
        ([dr, dal, da, db]) => {
          const p = fit.params;
          const nearby = {
            r: p.r * Math.exp(dr),
            alpha: p.alpha * Math.exp(dal),
            a: p.a * Math.exp(da),
            b: p.b * Math.exp(db),
          };
          expect(bgNbdLogLikelihood(nearby, data)).toBeLessThanOrEqual(fit.logLikelihood + 1e-6);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('has an analytic gradient that matches finite differences', () => {
    const at = { r: 0.4, alpha: 5, a: 0.9, b: 2 };
    const gradient = new Float64Array(4);
    bgNbdLogLikelihood(at, data, gradient);
    const keys = ['r', 'alpha', 'a', 'b'] as const;
    keys.forEach((key, i) => {
      const h = 1e-6;
      const up = bgNbdLogLikelihood({ ...at, [key]: at[key] * Math.exp(h) }, data);
      const down = bgNbdLogLikelihood({ ...at, [key]: at[key] * Math.exp(-h) }, data);
      expect(gradient[i]).toBeCloseTo((up - down) / (2 * h), 1);
    });
  });
  it('counts every copy of a repeated customer: twice the data, twice the log-likelihood and gradient', () => {
    const twice = (column: Float64Array) => Float64Array.of(...column, ...column);
    const doubled = { frequency: twice(data.frequency), recency: twice(data.recency), T: twice(data.T) };
    const at = { r: 0.4, alpha: 5, a: 0.9, b: 2 };
    const [once, both] = [new Float64Array(4), new Float64Array(4)];
    const single = bgNbdLogLikelihood(at, data, once);
    expect(bgNbdLogLikelihood(at, doubled, both) / single).toBeCloseTo(2, 12);
    expect([...both].map((g, i) => g / once[i]!)).toEqual([...once].map(() => expect.closeTo(2, 10)));
  });
});

describe('BG/NBD predictions', () => {
  it('P(alive) is a probability, and 1 for a customer who never bought again', () => {
    fc.assert(
      fc.property(params, customer, (p, c) => {
        const alive = bgNbdPAlive(p, c.x, c.tx, c.T);
        expect(alive).toBeGreaterThanOrEqual(0);
        expect(alive).toBeLessThanOrEqual(1);
        if (c.x === 0) expect(alive).toBe(1);
      }),
    );
  });

  it('expected purchases are non-negative and non-decreasing in the horizon', () => {
    fc.assert(
      fc.property(params, customer, positive(0, 200), positive(0, 200), (p, c, t1, t2) => {
        const [short, long] = t1 <= t2 ? [t1, t2] : [t2, t1];
        const e1 = bgNbdExpected(p, short, c.x, c.tx, c.T);
        const e2 = bgNbdExpected(p, long, c.x, c.tx, c.T);
        expect(e1).toBeGreaterThanOrEqual(0);
        expect(e2).toBeGreaterThanOrEqual(e1 * (1 - 1e-9) - 1e-12);
      }),
    );
  });

  it('for a brand-new customer (x = 0, T = 0) equals the unconditional E[X(t)] of FHL 2005 eq. 7', () => {
    const t = 10;
    const { r, alpha, a, b } = TRUE;
    const z = t / (alpha + t);
    // FHL 2005 eq. 7 by its own series (not the code's Euler-transformed one).
    let series = 1;
    let term = 1;
    for (let n = 0; n < 10_000; n++) {
      term *= ((r + n) * (b + n) * z) / ((a + b - 1 + n) * (n + 1));
      series += term;
    }
    const unconditional = ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + t)) ** r * series);
    expect(bgNbdExpected(TRUE, t, 0, 0, 0)).toBeCloseTo(unconditional, 10);
  });
});

describe('BG/NBD hypergeometric tail', () => {
  it('agrees between the Euler-transformed and the direct series around the switch (r = 10)', () => {
    fc.assert(
      fc.property(
        positive(0.05, 5),
        positive(0.1, 5),
        positive(0.1, 10),
        fc.integer({ min: 0, max: 300 }),
        positive(0.1, 100),
        positive(0.1, 200),
        (a, b, alpha, x, T, t) => {
          if (a + b + x - 1 <= 0) return; // the direct series does not apply there (c ≤ 0)
          const below = bgNbdTail({ r: 9.999999, alpha, a, b }, t, x, T);
          const above = bgNbdTail({ r: 10.000001, alpha, a, b }, t, x, T);
          expect(Math.abs(below - above)).toBeLessThan(1e-6 * Math.max(1, Math.abs(below)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stays finite for Poisson-like buyers (r and α in the trillions, as monthly billing gives)', () => {
    const params = { r: 2e13, alpha: 9e13, a: 0.77, b: 35 };
    const e = bgNbdExpected(params, 52, 16, 107, 108);
    expect(Number.isFinite(e)).toBe(true);
    expect(e).toBeGreaterThan(0);
    expect(e).toBeLessThan(52 * (2e13 / 9e13) * 1.001);
  });
});
