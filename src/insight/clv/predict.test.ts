// Per-account CLV: monotone in the horizon, bounded by undiscounted value, and the margin scales it.
import { describe, expect, it } from 'vitest';
import { NotEnoughDataError, predictClv } from './predict.js';
import { simulateCustomers } from './simulate.js';

const sim = simulateCustomers(3000, { r: 0.3, alpha: 5, a: 0.8, b: 2.5 }, { p: 6, q: 4, gamma: 15 }, 3);
const inputs = { ...sim, accountIds: Array.from(sim.frequency, (_, i) => `a${i}`) };
const settings = { horizonMonths: 12, discountMonthly: 0.01, grossMargin: 1, unit: 'week' as const };

describe('predictClv', () => {
  it('never lowers expected purchases or CLV when the horizon grows', () => {
    const months = [1, 3, 6, 12, 24];
    const runs = months.map((horizonMonths) => predictClv(inputs, { ...settings, horizonMonths }));
    for (let m = 1; m < runs.length; m++) {
      runs[m]!.accounts.forEach((account, i) => {
        const before = runs[m - 1]!.accounts[i]!;
        expect(account.expected_purchases).toBeGreaterThanOrEqual(before.expected_purchases);
        expect(account.clv).toBeGreaterThanOrEqual(before.clv);
      });
    }
  });

  it('is the discounted value: between its undiscounted sum /(1+d)^H and /(1+d); margin scales it', () => {
    const full = predictClv(inputs, settings);
    const half = predictClv(inputs, { ...settings, grossMargin: 0.5 });
    const flat = predictClv(inputs, { ...settings, discountMonthly: 0 });
    full.accounts.forEach((account, i) => {
      const value = account.expected_purchases * account.expected_spend;
      expect(account.clv).toBeLessThanOrEqual(value / 1.01 + 1e-9);
      expect(account.clv).toBeGreaterThanOrEqual(value / 1.01 ** 12 - 1e-9);
      expect(flat.accounts[i]!.clv).toBeCloseTo(value, 9);
      expect(half.accounts[i]!.clv).toBeCloseTo(account.clv / 2, 9);
      expect(account.p_alive).toBeGreaterThanOrEqual(0);
      expect(account.p_alive).toBeLessThanOrEqual(1);
    });
  });

  it('refuses to fit with fewer than 10 repeat buyers', () => {
    const few = {
      accountIds: ['a', 'b', 'c'],
      frequency: Float64Array.of(0, 1, 2),
      recency: Float64Array.of(0, 3, 5),
      T: Float64Array.of(10, 10, 10),
      monetary: Float64Array.of(Number.NaN, 10, 20),
    };
    expect(() => predictClv(few, settings)).toThrow(NotEnoughDataError);
    expect(() => predictClv(few, settings)).toThrow(/2 account\(s\) bought on more than one day/);
  });
});
