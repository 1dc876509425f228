// Value KPIs (KPI-SPEC §4): subscription and historical CLV, CAC, LTV:CAC, time to first value.
import { monthsPerPeriod } from '../domain/time.js';
import type { RowAggregates } from './aggregates.js';
import type { Kpi } from './kpi.js';
import { mean, median, pct, ratio } from './kpi.js';

const kpi = (k: Omit<Kpi, 'family'>): Kpi => ({ family: 'value', ...k });

/** The period's churn rate as a monthly fraction: m = 1 − (1 − churn)^(1/k) for a period of k months. */
export function monthlyChurn(a: RowAggregates): number | null {
  const churn = pct(a.subscription.churnedCustomers, a.subscription.activeStart);
  if (churn === null) return null;
  const k = monthsPerPeriod(a.periodKind);
  if (k === 1) return churn / 100;
  // churn_rate counts customers who joined and left within the period, so over a long period it can pass
  // 100 %; no monthly rate compounds to that, and the formula has no real value: undefined.
  if (churn > 100) return null;
  return 1 - (1 - churn / 100) ** (1 / k);
}

function subscriptionClv(a: RowAggregates): number | null {
  const arpa = ratio(a.subscription.mrrEnd, a.subscription.activeEnd);
  const m = monthlyChurn(a);
  if (arpa === null || m === null || m === 0) return null;
  return (arpa * a.grossMargin) / m;
}

function cac(a: RowAggregates): number | null {
  return ratio(a.acquisitionCosts, a.subscription.newCustomers);
}

export const VALUE_KPIS: readonly Kpi[] = [
  kpi({
    id: 'clv',
    label: 'Customer lifetime value',
    unit: 'currency',
    better: 'higher',
    formula:
      'arpa × gross_margin ÷ m, m = monthly churn = 1 − (1 − churn_rate/100)^(1/k) for k-month periods',
    finalize: subscriptionClv,
  }),
  kpi({
    id: 'clv_historical',
    label: 'Historical CLV',
    unit: 'currency',
    better: 'higher',
    formula: 'mean over accounts created before end of (payments − acquisition and service costs) before end',
    finalize: (a) => mean(a.history.payments - a.history.costs, a.history.accounts),
  }),
  kpi({
    id: 'cac',
    label: 'Customer acquisition cost',
    unit: 'currency',
    better: 'lower',
    formula: 'acquisition costs incurred in the period ÷ new_customers',
    finalize: cac,
  }),
  kpi({
    id: 'ltv_cac_ratio',
    label: 'LTV : CAC',
    unit: 'ratio',
    better: 'higher',
    formula: 'clv ÷ cac',
    finalize: (a) => ratio(subscriptionClv(a), cac(a)),
  }),
  kpi({
    id: 'ttfv_median_days',
    label: 'Time to first value (median)',
    unit: 'days',
    better: 'lower',
    formula:
      'median days from created_at to the first value event, over accounts created in the period that reached value by as_of',
    finalize: (a) => (a.ttfv ? median(a.ttfv.sortedDays) : null),
  }),
  kpi({
    id: 'ttfv_reached_pct',
    label: 'Reached value in window',
    unit: 'percent',
    better: 'higher',
    formula:
      'of accounts created in the period with created_at + window ≤ as_of, % with a value event within the window',
    finalize: (a) => (a.ttfv ? pct(a.ttfv.reachedInWindow, a.ttfv.eligible) : null),
  }),
];
