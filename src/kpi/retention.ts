// Retention KPIs (KPI-SPEC §4): CRR, customer counts by movement, churn rate, pending churn, renewal rate.
import type { Kpi } from './kpi.js';
import { pct } from './kpi.js';
import { grouping, periodOf, periodsCte, type QueryContext, segmentsCte } from './query-context.js';
import { type FlowSource, num } from './source.js';

const kpi = (k: Omit<Kpi, 'family'>): Kpi => ({ family: 'retention', ...k });

export const RETENTION_KPIS: readonly Kpi[] = [
  kpi({
    id: 'crr',
    label: 'Customer retention rate',
    unit: 'percent',
    better: 'higher',
    formula: '(E − N) ÷ S × 100: share of customers active at start still active at end',
    finalize: (a) => pct(a.subscription.activeEnd - a.subscription.joined, a.subscription.activeStart),
  }),
  kpi({
    id: 'new_customers',
    label: 'New customers',
    unit: 'count',
    better: 'higher',
    formula: 'accounts with a new-business movement in the period',
    finalize: (a) => a.subscription.newCustomers,
  }),
  kpi({
    id: 'reactivated_customers',
    label: 'Reactivated customers',
    unit: 'count',
    better: 'higher',
    formula: 'accounts with a reactivation movement in the period',
    finalize: (a) => a.subscription.reactivatedCustomers,
  }),
  kpi({
    id: 'churned_customers',
    label: 'Churned customers',
    unit: 'count',
    better: 'lower',
    formula: 'accounts with at least one churn movement (MRR > 0 → 0) in the period',
    finalize: (a) => a.subscription.churnedCustomers,
  }),
  kpi({
    id: 'churn_rate',
    label: 'Churn rate',
    unit: 'percent',
    better: 'lower',
    formula: 'churned_customers ÷ S × 100 (counts customers who joined and left within the period too)',
    finalize: (a) => pct(a.subscription.churnedCustomers, a.subscription.activeStart),
  }),
  kpi({
    id: 'pending_churn_customers',
    label: 'Pending churn',
    unit: 'count',
    better: 'lower',
    formula: 'accounts active at end with a cancellation where requested_at < end ≤ ends_at',
    finalize: (a) => a.pendingChurn,
  }),
  kpi({
    id: 'renewal_rate',
    label: 'Renewal rate',
    unit: 'percent',
    better: 'higher',
    formula: 'renewals due in the period renewed ÷ (renewed + churned) × 100; pending excluded',
    finalize: (a) => pct(a.renewals.renewed, a.renewals.renewed + a.renewals.churned),
  }),
];

export const renewalsSource: FlowSource = {
  kind: 'flow',
  name: 'renewals',
  sql: (ctx: QueryContext) => {
    const g = grouping(ctx);
    return `WITH ${periodsCte(ctx)}, ${segmentsCte(ctx)}
    SELECT ${g.select},
      SUM(CASE WHEN r.outcome = 'renewed' THEN 1 ELSE 0 END) AS renewed,
      SUM(CASE WHEN r.outcome = 'churned' THEN 1 ELSE 0 END) AS churned,
      SUM(CASE WHEN r.outcome = 'pending' THEN 1 ELSE 0 END) AS pending
    FROM renewals r LEFT JOIN segments sg ON sg.account_id = r.account_id
    ${periodOf(ctx, 'r.due_at')}
    GROUP BY ${g.groupBy}`;
  },
  apply: (target, row) => {
    target.renewals.renewed += num(row.renewed);
    target.renewals.churned += num(row.churned);
    target.renewals.pending += num(row.pending);
  },
};

/** Accounts that asked to cancel (requested_at < end ≤ ends_at) and are still active at the period's end. */
export const pendingChurnSource: FlowSource = {
  kind: 'flow',
  name: 'pending cancellations',
  sql: (ctx: QueryContext) => {
    const g = grouping(ctx);
    return `WITH ${periodsCte(ctx)}, ${segmentsCte(ctx)}
    SELECT ${g.select}, COUNT(DISTINCT c.account_id) AS pending
    FROM cancellations c
    JOIN periods p ON c.requested_at < p.p_end AND c.ends_at >= p.p_end
    JOIN mrr_movements m ON m.account_id = c.account_id AND m.effective_at < p.p_end
      AND (m.next_at IS NULL OR m.next_at >= p.p_end) AND m.new_mrr > 0
    LEFT JOIN segments sg ON sg.account_id = c.account_id
    GROUP BY ${g.groupBy}`;
  },
  apply: (target, row) => {
    target.pendingChurn += num(row.pending);
  },
};
