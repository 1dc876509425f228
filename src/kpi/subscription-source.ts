// Aggregates the MRR movements (KPI-SPEC §3) per period and segment, then accumulates the subscription state.
import { emptySubscription, type SubscriptionState } from './aggregates.js';
import { grouping, periodsCte, type QueryContext, segmentsCte } from './query-context.js';
import type { CumulativeSource } from './source.js';

export const MOVEMENTS = ['new', 'reactivation', 'expansion', 'contraction', 'churn'] as const;

/**
 * One row per (period, segment): changes of each account within the period reduced to its MRR at start and
 * end (first change's old, last change's new), then summed. Row −1 holds everything before the first period.
 */
export function subscriptionSql(ctx: QueryContext): string {
  const g = grouping(ctx);
  const byMovement = MOVEMENTS.flatMap((kind) => [
    `SUM(CASE WHEN m.movement = '${kind}' THEN m.old_mrr ELSE 0 END) AS ${kind}_old`,
    `SUM(CASE WHEN m.movement = '${kind}' THEN m.new_mrr ELSE 0 END) AS ${kind}_new`,
    `MAX(CASE WHEN m.movement = '${kind}' THEN 1 ELSE 0 END) AS has_${kind}`,
  ]);
  const sums = MOVEMENTS.flatMap((kind) => [
    `SUM(a.${kind}_old) AS ${kind}_old`,
    `SUM(a.${kind}_new) AS ${kind}_new`,
    `SUM(a.has_${kind}) AS ${kind}_accounts`,
  ]);
  return `WITH ${periodsCte(ctx, { prefix: true })}, ${segmentsCte(ctx)},
  per_account AS (
    SELECT m.account_id, p.idx,
      SUM(CASE WHEN m.prev_at IS NULL OR m.prev_at < p.p_start THEN m.old_mrr ELSE 0 END) AS start_mrr,
      SUM(CASE WHEN m.next_at IS NULL OR m.next_at >= p.p_end THEN m.new_mrr ELSE 0 END) AS end_mrr,
      ${byMovement.join(',\n      ')}
    FROM mrr_movements m JOIN periods p ON m.effective_at >= p.p_start AND m.effective_at < p.p_end
    GROUP BY m.account_id, p.idx)
  SELECT ${g.select},
    SUM(a.end_mrr - a.start_mrr) AS net,
    SUM(CASE WHEN a.end_mrr > 0 THEN 1 ELSE 0 END - CASE WHEN a.start_mrr > 0 THEN 1 ELSE 0 END) AS active_delta,
    SUM(CASE WHEN a.start_mrr = 0 AND a.end_mrr > 0 THEN 1 ELSE 0 END) AS joined,
    SUM(CASE WHEN a.start_mrr > 0 AND a.end_mrr = 0 THEN 1 ELSE 0 END) AS lost,
    SUM(CASE WHEN a.start_mrr > 0 THEN a.end_mrr - a.start_mrr ELSE 0 END) AS cohort_delta,
    SUM(CASE WHEN a.start_mrr > 0 AND a.end_mrr < a.start_mrr THEN a.start_mrr - a.end_mrr ELSE 0 END) AS cohort_loss,
    ${sums.join(',\n    ')}
  FROM per_account a JOIN periods p ON p.idx = a.idx LEFT JOIN segments sg ON sg.account_id = a.account_id
  GROUP BY ${g.groupBy}`;
}

/** Sums of one (period, segment) as the SQL returns them. */
export type SubscriptionSums = Record<string, number>;

/**
 * Turns per-period sums into the state of each period, carrying MRR and active counts forward from the
 * state before the first period (`before`): the end of one period is the start of the next.
 */
export function accumulateSubscription(
  before: SubscriptionSums | undefined,
  periods: readonly (SubscriptionSums | undefined)[],
): SubscriptionState[] {
  let mrr = before?.net ?? 0;
  let active = before?.active_delta ?? 0;
  return periods.map((sums) => {
    const s = sums ?? {};
    const get = (key: string) => s[key] ?? 0;
    const state: SubscriptionState = {
      ...emptySubscription(),
      mrrStart: mrr,
      activeStart: active,
      mrrEnd: mrr + get('net'),
      activeEnd: active + get('active_delta'),
      joined: get('joined'),
      // Accounts active at start and unchanged in the period keep their MRR: only changed ones move these sums.
      startCohortMrrEnd: mrr + get('cohort_delta'),
      startCohortMrrFloor: mrr - get('cohort_loss'),
      newMrr: get('new_new') - get('new_old'),
      reactivationMrr: get('reactivation_new') - get('reactivation_old'),
      expansionMrr: get('expansion_new') - get('expansion_old'),
      contractionMrr: get('contraction_old') - get('contraction_new'),
      churnedMrr: get('churn_old') - get('churn_new'),
      newCustomers: get('new_accounts'),
      reactivatedCustomers: get('reactivation_accounts'),
      churnedCustomers: get('churn_accounts'),
    };
    mrr = state.mrrEnd;
    active = state.activeEnd;
    return state;
  });
}

export const subscriptionSource: CumulativeSource = {
  kind: 'cumulative',
  name: 'MRR movements',
  sql: subscriptionSql,
  apply: (series, before, rows) => {
    const states = accumulateSubscription(
      before as SubscriptionSums | undefined,
      rows as (SubscriptionSums | undefined)[],
    );
    series.forEach((target, i) => {
      target.subscription = states[i]!;
    });
  },
};
