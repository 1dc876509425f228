import { describe, expect, it } from 'vitest';
import { emptyAggregates } from './aggregates.js';
import { monthlyChurn, VALUE_KPIS } from './value.js';

const clv = VALUE_KPIS.find((k) => k.id === 'clv')!;

function quarter(activeStart: number, churned: number) {
  const a = emptyAggregates('quarter', 1, false);
  a.subscription.activeStart = activeStart;
  a.subscription.churnedCustomers = churned;
  a.subscription.activeEnd = 1;
  a.subscription.mrrEnd = 100;
  return a;
}

describe('subscription CLV over periods longer than a month', () => {
  it('compounds the churn rate to a monthly one', () => {
    // 1 of 2 churned in a quarter: m = 1 − 0.5^(1/3) = 0.2062995; arpa 100 → 484.7322.
    expect(monthlyChurn(quarter(2, 1))).toBeCloseTo(0.2062995, 6);
    expect(clv.finalize(quarter(2, 1))).toBeCloseTo(484.7322, 3);
  });

  it('is null when more customers churned than the period started with (no monthly rate compounds to that)', () => {
    // 3 churned of 2 at the start (joiners who left count too): 150 %, and (1 − 1.5)^(1/3) is not real.
    expect(monthlyChurn(quarter(2, 3))).toBeNull();
    expect(clv.finalize(quarter(2, 3))).toBeNull();
    // Exactly 100 %: m = 1, clv = arpa.
    expect(clv.finalize(quarter(2, 2))).toBe(100);
  });
});
