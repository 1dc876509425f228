// Revenue KPIs (KPI-SPEC §4): MRR, ARPA, the MRR movements, NRR, GRR and expansion revenue.
import type { Kpi } from './kpi.js';
import { pct, ratio } from './kpi.js';
import { grouping, periodOf, periodsCte, type QueryContext, segmentsCte } from './query-context.js';
import { type FlowSource, num } from './source.js';

const kpi = (k: Omit<Kpi, 'family'>): Kpi => ({ family: 'revenue', ...k });

export const REVENUE_KPIS: readonly Kpi[] = [
  kpi({
    id: 'mrr',
    label: 'MRR',
    unit: 'currency',
    better: 'higher',
    formula: 'Σ MRR of every account at the end of the period',
    finalize: (a) => a.subscription.mrrEnd,
  }),
  kpi({
    id: 'active_customers',
    label: 'Active customers',
    unit: 'count',
    better: 'higher',
    formula: 'E = accounts with MRR > 0 at the end of the period',
    finalize: (a) => a.subscription.activeEnd,
  }),
  kpi({
    id: 'arpa',
    label: 'ARPA',
    unit: 'currency',
    better: 'higher',
    formula: 'mrr ÷ active_customers',
    finalize: (a) => ratio(a.subscription.mrrEnd, a.subscription.activeEnd),
  }),
  kpi({
    id: 'new_mrr',
    label: 'New MRR',
    unit: 'currency',
    better: 'higher',
    formula: 'Σ new MRR of first subscriptions (0 → > 0, never active before) in the period',
    finalize: (a) => a.subscription.newMrr,
  }),
  kpi({
    id: 'reactivation_mrr',
    label: 'Reactivation MRR',
    unit: 'currency',
    better: 'higher',
    formula: 'Σ new MRR of returning accounts (0 → > 0, active before) in the period',
    finalize: (a) => a.subscription.reactivationMrr,
  }),
  kpi({
    id: 'expansion_mrr',
    label: 'Expansion MRR',
    unit: 'currency',
    better: 'higher',
    formula: 'Σ (new − old) of upgrades (old > 0, new > old) in the period',
    finalize: (a) => a.subscription.expansionMrr,
  }),
  kpi({
    id: 'contraction_mrr',
    label: 'Contraction MRR',
    unit: 'currency',
    better: 'lower',
    formula: 'Σ (old − new) of downgrades (old > 0, 0 < new < old) in the period',
    finalize: (a) => a.subscription.contractionMrr,
  }),
  kpi({
    id: 'churned_mrr',
    label: 'Churned MRR',
    unit: 'currency',
    better: 'lower',
    formula: 'Σ old MRR of cancellations taking effect (old > 0 → 0) in the period',
    finalize: (a) => a.subscription.churnedMrr,
  }),
  kpi({
    id: 'net_new_mrr',
    label: 'Net new MRR',
    unit: 'currency',
    better: 'higher',
    formula: 'new + reactivation + expansion − contraction − churned MRR (= mrr at end − mrr at start)',
    finalize: (a) => {
      const s = a.subscription;
      return s.newMrr + s.reactivationMrr + s.expansionMrr - s.contractionMrr - s.churnedMrr;
    },
  }),
  kpi({
    id: 'nrr',
    label: 'Net revenue retention',
    unit: 'percent',
    better: 'higher',
    formula: 'Σ_{a ∈ S} MRR_a(end) ÷ Σ_{a ∈ S} MRR_a(start) × 100, S = accounts active at start',
    finalize: (a) => pct(a.subscription.startCohortMrrEnd, a.subscription.mrrStart),
  }),
  kpi({
    id: 'grr',
    label: 'Gross revenue retention',
    unit: 'percent',
    better: 'higher',
    formula: 'Σ_{a ∈ S} min(MRR_a(end), MRR_a(start)) ÷ Σ_{a ∈ S} MRR_a(start) × 100',
    finalize: (a) => pct(a.subscription.startCohortMrrFloor, a.subscription.mrrStart),
  }),
  kpi({
    id: 'expansion_revenue',
    label: 'Expansion revenue',
    unit: 'currency',
    better: 'higher',
    formula: 'expansion_mrr + Σ one-time payments in the period by accounts active just before paying',
    finalize: (a) => a.subscription.expansionMrr + a.oneTimeExpansion,
  }),
];

/** One-time payments by accounts whose MRR just before the payment (changes strictly earlier) was > 0. */
export const oneTimeExpansionSource: FlowSource = {
  kind: 'flow',
  name: 'one-time expansion payments',
  sql: (ctx: QueryContext) => {
    const g = grouping(ctx);
    return `WITH ${periodsCte(ctx)}, ${segmentsCte(ctx)}
    SELECT ${g.select}, SUM(pay.amount) AS amount
    FROM payments pay
    ${periodOf(ctx, 'pay.paid_at')}
    JOIN mrr_movements m ON m.account_id = pay.account_id AND m.effective_at < pay.paid_at
      AND (m.next_at IS NULL OR m.next_at >= pay.paid_at) AND m.new_mrr > 0
    LEFT JOIN segments sg ON sg.account_id = pay.account_id
    WHERE pay.kind = 'one_time'
    GROUP BY ${g.groupBy}`;
  },
  apply: (target, row) => {
    target.oneTimeExpansion += num(row.amount);
  },
};
