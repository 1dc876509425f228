// Health KPIs (KPI-SPEC §4): the mean health score of active accounts and how many are at risk.
import { DAY_MS } from '../domain/time.js';
import type { Kpi } from './kpi.js';
import { mean } from './kpi.js';
import { grouping, periodsCte, type QueryContext, segmentsCte } from './query-context.js';
import { type FlowSource, num } from './source.js';

export const HEALTH_KPIS: readonly Kpi[] = [
  {
    id: 'health_mean',
    family: 'health',
    label: 'Health score (mean)',
    unit: 'score',
    better: 'higher',
    formula: 'mean health score (0–100, weighted components) over accounts active at end',
    finalize: (a) => mean(a.health.scoreSum, a.health.scored),
  },
  {
    id: 'at_risk_customers',
    family: 'health',
    label: 'At-risk customers',
    unit: 'count',
    better: 'lower',
    formula: 'accounts active at end whose health score is below 40 (band at_risk)',
    finalize: (a) => a.health.atRisk,
  },
];

const before = (daysBack: number) => (end: Date) => new Date(end.getTime() - daysBack * DAY_MS);
const real = (expr: string) => `CAST(${expr} AS DOUBLE PRECISION)`;

/**
 * `scored(account_id, idx, usage_trend, satisfaction, support_load, revenue_trend, pending_cancellation, score)`:
 * every account active at a period's end with its components (0–1) and score (0–100) at that instant.
 */
export function healthScoresSql(ctx: QueryContext): string {
  const m = ctx.config.health;
  const w = m.weights;
  const totalWeight = Object.values(w).reduce((s, x) => s + x, 0);
  const periods = periodsCte(ctx, {
    extra: {
      usage_recent_from: before(m.usage_window_days),
      usage_previous_from: before(2 * m.usage_window_days),
      satisfaction_from: before(m.satisfaction_window_days),
      support_from: before(m.support_window_days),
      revenue_from: before(m.revenue_window_days),
    },
  });
  return `${periods}, ${segmentsCte(ctx)},
  active AS (
    SELECT m.account_id, p.idx, m.new_mrr AS mrr_end FROM mrr_movements m
    JOIN periods p ON m.effective_at < p.p_end AND (m.next_at IS NULL OR m.next_at >= p.p_end)
    WHERE m.new_mrr > 0),
  usage AS (
    SELECT u.account_id, p.idx,
      SUM(CASE WHEN u.day >= p.usage_recent_from THEN u.events ELSE 0 END) AS recent,
      SUM(CASE WHEN u.day < p.usage_recent_from THEN u.events ELSE 0 END) AS previous
    FROM usage_daily u JOIN periods p ON u.day >= p.usage_previous_from AND u.day < p.p_end
    GROUP BY u.account_id, p.idx),
  answers AS (
    SELECT r.account_id, p.idx,
      AVG(CASE WHEN r.metric = 'nps' THEN ${real('r.score')} / 10 ELSE ${real('r.score - 1')} / 4 END) AS satisfaction
    FROM responses r JOIN periods p ON r.submitted_at >= p.satisfaction_from AND r.submitted_at < p.p_end
    WHERE r.metric IN ('nps', 'csat') AND r.account_id IS NOT NULL
    GROUP BY r.account_id, p.idx),
  support AS (
    SELECT t.account_id, p.idx, COUNT(*) AS tickets
    FROM tickets t JOIN periods p ON t.opened_at >= p.support_from AND t.opened_at < p.p_end
    WHERE t.account_id IS NOT NULL
    GROUP BY t.account_id, p.idx),
  revenue AS (
    SELECT m.account_id, p.idx, SUM(m.new_mrr - m.old_mrr) AS recent_change
    FROM mrr_movements m JOIN periods p ON m.effective_at >= p.revenue_from AND m.effective_at < p.p_end
    GROUP BY m.account_id, p.idx),
  pending AS (
    SELECT DISTINCT c.account_id, p.idx FROM cancellations c
    JOIN periods p ON c.requested_at < p.p_end AND c.ends_at >= p.p_end),
  components AS (
    SELECT a.account_id, a.idx,
      CASE WHEN COALESCE(u.recent, 0) = 0 THEN 0 WHEN COALESCE(u.previous, 0) = 0 THEN 1
           ELSE LEAST(1, ${real('u.recent')} / u.previous) END AS usage_trend,
      COALESCE(s.satisfaction, 0.5) AS satisfaction,
      GREATEST(0, 1 - ${real('COALESCE(t.tickets, 0)')} / ${m.support_tickets_for_zero}) AS support_load,
      CASE WHEN a.mrr_end - COALESCE(rv.recent_change, 0) <= 0 THEN 1
           ELSE LEAST(1, a.mrr_end / (a.mrr_end - rv.recent_change)) END AS revenue_trend,
      CASE WHEN pc.account_id IS NULL THEN 1 ELSE 0 END AS pending_cancellation
    FROM active a
    LEFT JOIN usage u ON u.account_id = a.account_id AND u.idx = a.idx
    LEFT JOIN answers s ON s.account_id = a.account_id AND s.idx = a.idx
    LEFT JOIN support t ON t.account_id = a.account_id AND t.idx = a.idx
    LEFT JOIN revenue rv ON rv.account_id = a.account_id AND rv.idx = a.idx
    LEFT JOIN pending pc ON pc.account_id = a.account_id AND pc.idx = a.idx),
  scored AS (
    SELECT c.*, 100 * (${w.usage_trend} * c.usage_trend + ${w.satisfaction} * c.satisfaction
      + ${w.support_load} * c.support_load + ${w.revenue_trend} * c.revenue_trend
      + ${w.pending_cancellation} * c.pending_cancellation) / ${totalWeight} AS score
    FROM components c)`;
}

export const healthSource: FlowSource = {
  kind: 'flow',
  name: 'health scores',
  sql: (ctx: QueryContext) => {
    const g = grouping(ctx);
    return `WITH ${healthScoresSql(ctx)}
    SELECT ${g.select}, COUNT(*) AS scored, SUM(s.score) AS score_sum,
      SUM(CASE WHEN s.score < ${ctx.config.health.bands.at_risk_below} THEN 1 ELSE 0 END) AS at_risk
    FROM scored s JOIN periods p ON p.idx = s.idx LEFT JOIN segments sg ON sg.account_id = s.account_id
    GROUP BY ${g.groupBy}`;
  },
  apply: (target, row) => {
    target.health.scored += num(row.scored);
    target.health.scoreSum += num(row.score_sum);
    target.health.atRisk += num(row.at_risk);
  },
};
