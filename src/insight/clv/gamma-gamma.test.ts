// Gamma-Gamma: recovery on simulated spends, the fit beats nearby points, the gradient is right.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitGammaGamma, gammaGammaExpectedSpend, gammaGammaLogLikelihood } from './gamma-gamma.js';
import { simulateCustomers } from './simulate.js';

const TRUE = { p: 6, q: 4, gamma: 15 };
const all = simulateCustomers(60_000, { r: 1, alpha: 5, a: 0.5, b: 3 }, TRUE, 11);
const repeat = [...all.frequency.keys()].filter((i) => all.frequency[i]! > 0);
const data = {
  frequency: Float64Array.from(repeat, (i) => all.frequency[i]!),
  monetary: Float64Array.from(repeat, (i) => all.monetary[i]!),
};
const fit = fitGammaGamma(data);

describe('Gamma-Gamma', () => {
  it('recovers the parameters of simulated spends (within 15 %)', () => {
    expect(data.frequency.length).toBeGreaterThan(20_000);
    for (const key of ['p', 'q', 'gamma'] as const) {
      expect(fit.params[key] / TRUE[key], key).toBeGreaterThan(0.85);
      expect(fit.params[key] / TRUE[key], key).toBeLessThan(1.15);
    }
  });

  it('ends at a log-likelihood at least that of the truth and every nearby point', () => {
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gammaGammaLogLikelihood(TRUE, data));
    const step = fc.double({ min: -0.05, max: 0.05, noNaN: true });
    fc.assert(
      fc.property(fc.tuple(step, step, step), ([dp, dq, dg]) => {
        const { p, q, gamma } = fit.params;
        const nearby = { p: p * Math.exp(dp), q: q * Math.exp(dq), gamma: gamma * Math.exp(dg) };
        expect(gammaGammaLogLikelihood(nearby, data)).toBeLessThanOrEqual(fit.logLikelihood + 1e-6);
      }),
      { numRuns: 50 },
    );
  });

  it('has an analytic gradient that matches finite differences', () => {
    const at = { p: 3, q: 2, gamma: 10 };
    const gradient = new Float64Array(3);
    gammaGammaLogLikelihood(at, data, gradient);
    (['p', 'q', 'gamma'] as const).forEach((key, i) => {
      const h = 1e-6;
      const up = gammaGammaLogLikelihood({ ...at, [key]: at[key] * Math.exp(h) }, data);
      const down = gammaGammaLogLikelihood({ ...at, [key]: at[key] * Math.exp(-h) }, data);
      expect(gradient[i]! / ((up - down) / (2 * h))).toBeCloseTo(1, 4);
    });
  });

  it('counts every copy of a repeated customer: twice the data, twice the log-likelihood and gradient', () => {
    const twice = (column: Float64Array) => Float64Array.of(...column, ...column);
    const doubled = { frequency: twice(data.frequency), monetary: twice(data.monetary) };
    const at = { p: 3, q: 2, gamma: 10 };
    const [once, both] = [new Float64Array(3), new Float64Array(3)];
    const single = gammaGammaLogLikelihood(at, data, once);
    expect(gammaGammaLogLikelihood(at, doubled, both) / single).toBeCloseTo(2, 12);
    expect([...both].map((g, i) => g / once[i]!)).toEqual([...once].map(() => expect.closeTo(2, 10)));
  });

  it('expects a spend between the population mean pγ/(q−1) and the customer’s own mean', () => {
    // CDNOW by hand: 6.25 × 15.44 / 2.74 = 35.22 for a customer with no repeat purchase.
    expect(gammaGammaExpectedSpend({ p: 6.25, q: 3.74, gamma: 15.44 }, 0, 0)).toBeCloseTo(35.219, 3);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.double({ min: 0.01, max: 1000, noNaN: true }),
        (x, mx) => {
          const spend = gammaGammaExpectedSpend(fit.params, x, mx);
          const mean = gammaGammaExpectedSpend(fit.params, 0, 0);
          expect(spend).toBeGreaterThanOrEqual(Math.min(mean, mx) * (1 - 1e-12));
          expect(spend).toBeLessThanOrEqual(Math.max(mean, mx) * (1 + 1e-12));
        },
      ),
    );
  });
});
