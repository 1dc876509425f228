// The 95 % intervals on cases worked out by hand (the comments show the arithmetic; checked against scipy).
import { describe, expect, it } from 'vitest';
import { meanInterval, netPromoterInterval, tQuantile975, wilsonInterval } from './confidence-intervals.js';

describe('confidence intervals (95 %)', () => {
  it('NPS: normal approximation on +1/0/−1 answers', () => {
    // 5 promoters, 3 detractors of 10: mean 0.2; variance 0.8 − 0.2² = 0.76; se √(0.76 / 10) = 0.275681;
    // 1.959964 × 0.275681 = 0.540325 → 20 ± 54.03.
    const e = netPromoterInterval(5, 3, 10);
    expect(e.value).toBeCloseTo(20, 9);
    expect(e.low).toBeCloseTo(-34.032478, 5);
    expect(e.high).toBeCloseTo(74.032478, 5);
    // All promoters: no spread, and never beyond ±100.
    expect(netPromoterInterval(4, 0, 4)).toEqual({ value: 100, low: 100, high: 100 });
    expect(netPromoterInterval(1, 0, 1)).toEqual({ value: 100, low: null, high: null });
    expect(netPromoterInterval(0, 0, 0)).toEqual({ value: null, low: null, high: null });
  });

  it('a share: the Wilson score interval', () => {
    // 8 of 10: z² = 3.841459; centre (0.8 + 0.192073) / 1.384146 = 0.716740;
    // half 1.959964 × √(0.016 + 0.009604) / 1.384146 = 0.226578 → 49.016 … 94.332.
    const e = wilsonInterval(8, 10);
    expect(e.value).toBe(80);
    expect(e.low).toBeCloseTo(49.016247, 5);
    expect(e.high).toBeCloseTo(94.331785, 5);
    // 0 of 3: the interval starts at 0, not below.
    expect(wilsonInterval(0, 3).low).toBeCloseTo(0, 12);
  });

  it('a mean: Student t, clamped to the scale', () => {
    // 1, 2, 3, 4, 5: mean 3, s² = 10 / 4 = 2.5, s/√5 = 0.707107; t(0.975, 4) = 2.776445 → 3 ± 1.963243.
    const e = meanInterval(
      [1, 2, 3, 4, 5].map((value) => ({ value, count: 1 })),
      [1, 5],
    );
    expect(e.value).toBe(3);
    expect(e.low).toBeCloseTo(1.036757, 5);
    expect(e.high).toBeCloseTo(4.963243, 5);
    // 1 and 3: 2 ± 12.706 × 1 → the whole scale.
    expect(
      meanInterval(
        [
          { value: 1, count: 1 },
          { value: 3, count: 1 },
        ],
        [1, 5],
      ),
    ).toEqual({ value: 2, low: 1, high: 5 });
  });

  it('t quantiles: the table, then the Cornish–Fisher expansion', () => {
    expect(tQuantile975(1)).toBeCloseTo(12.706205, 6);
    expect(tQuantile975(30)).toBeCloseTo(2.042272, 6);
    // Exact values (scipy.stats.t.ppf): 2.0395134 for 31, 1.9799304 for 120.
    expect(tQuantile975(31)).toBeCloseTo(2.0395134, 6);
    expect(tQuantile975(120)).toBeCloseTo(1.9799304, 6);
  });
});
