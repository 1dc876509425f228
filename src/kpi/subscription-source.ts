// Aggregates the MRR movements (KPI-SPEC §3) per period and segment, then accumulates the subscription state.
import { emptySubscription, type SubscriptionState } from './aggregates.js';
import { grouping, periodOf, periodsCte, type QueryContext, segmentsCte } from './query-context.js';
import type { CumulativeSource } from './source.js';

export const MOVEMENTS = ['new', 'reactivation', 'expansion', 'contraction', 'churn'] as const;

/**
 * One row per (period, segment), without grouping by account: a change is the account's first of the period
 * when the previous one is earlier (its old MRR is the account's MRR at start) and its last when the next one is
 * later (its new MRR is the MRR at end). Only accounts with several changes in a period pair their first and last
 * change (for N and GRR), in a join of those few rows. Row −1 holds everything before the first period.
 */
export function subscriptionSql(ctx: QueryContext): string {
  const g = grouping(ctx, 'c.seg');
  // Every branch of the UNION lists the same measures in this order; a branch maps the ones it knows.
  const measures = [
    'net',
    'active_delta',
    'joined',
    'joined_mrr',
    'cohort_loss',
    ...MOVEMENTS.flatMap((k) => [`${k}_old`, `${k}_new`, `${k}_accounts`]),
  ];
  const select = (known: Record<string, string>) =>
    measures.map((m) => `${known[m] ?? '0'} AS ${m}`).join(',\n      ');
  const perChange: Record<string, string> = {
    net: 'CASE WHEN m.is_last THEN m.new_mrr ELSE 0 END - CASE WHEN m.is_first THEN m.old_mrr ELSE 0 END',
    active_delta:
      'CASE WHEN m.is_last AND m.new_mrr > 0 THEN 1 ELSE 0 END - CASE WHEN m.is_first AND m.old_mrr > 0 THEN 1 ELSE 0 END',
  };
  for (const kind of MOVEMENTS) {
    perChange[`${kind}_old`] = `CASE WHEN m.movement = '${kind}' THEN m.old_mrr ELSE 0 END`;
    perChange[`${kind}_new`] = `CASE WHEN m.movement = '${kind}' THEN m.new_mrr ELSE 0 END`;
    // Once per account and period: only its first movement of this kind in the period counts.
    perChange[`${kind}_accounts`] =
      `CASE WHEN m.movement = '${kind}' AND (m.prev_same_at IS NULL OR m.prev_same_at < m.p_start) THEN 1 ELSE 0 END`;
  }
  // Per account and period, MRR at start is the first change's old, MRR at end the last change's new.
  const perAccount = (first: string, last: string): Record<string, string> => ({
    joined: `CASE WHEN ${first}.old_mrr = 0 AND ${last}.new_mrr > 0 THEN 1 ELSE 0 END`,
    joined_mrr: `CASE WHEN ${first}.old_mrr = 0 AND ${last}.new_mrr > 0 THEN ${last}.new_mrr ELSE 0 END`,
    cohort_loss: `CASE WHEN ${first}.old_mrr > ${last}.new_mrr THEN ${first}.old_mrr - ${last}.new_mrr ELSE 0 END`,
  });
  return `WITH ${periodsCte(ctx, { prefix: true })}, ${segmentsCte(ctx)},
  moves AS (
    SELECT m.account_id, sg.seg, m.old_mrr, m.new_mrr, m.movement, m.prev_same_at, p.idx, p.p_start,
      (m.prev_at IS NULL OR m.prev_at < p.p_start) AS is_first,
      (m.next_at IS NULL OR m.next_at >= p.p_end) AS is_last
    FROM mrr_movements m LEFT JOIN segments sg ON sg.account_id = m.account_id
    ${periodOf(ctx, 'm.effective_at', { prefix: true })}),
  contributions AS (
    SELECT m.seg, m.idx, ${select(perChange)}
    FROM moves m
    UNION ALL
    SELECT s.seg, s.idx, ${select(perAccount('s', 's'))}
    FROM moves s WHERE s.idx >= 0 AND s.is_first AND s.is_last
    UNION ALL
    SELECT f.seg, f.idx, ${select(perAccount('f', 'l'))}
    FROM moves f JOIN moves l ON l.account_id = f.account_id AND l.idx = f.idx
    WHERE f.idx >= 0 AND f.is_first AND NOT f.is_last AND l.is_last AND NOT l.is_first)
  SELECT ${g.select}, ${measures.map((name) => `SUM(c.${name}) AS ${name}`).join(', ')}
  FROM contributions c JOIN periods p ON p.idx = c.idx
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
      // Start customers' MRR moves by the net change of all accounts, less what accounts joining brought.
      startCohortMrrEnd: mrr + get('net') - get('joined_mrr'),
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
