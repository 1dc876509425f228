// Health KPIs (KPI-SPEC §4): the mean health score of active accounts and how many are at risk.
import { sqlTimestamp } from '../store/store.js';
import type { HealthModel } from './health-model.js';
import type { Kpi } from './kpi.js';
import { mean } from './kpi.js';
import { bucketOf, grouping, periodsCte, type QueryContext, segmentsCte } from './query-context.js';
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

const real = (expr: string) => `CAST(${expr} AS DOUBLE PRECISION)`;
const dayOf = (timestamp: string) => `CAST(FLOOR(EXTRACT(EPOCH FROM ${timestamp}) / 86400) AS BIGINT)`;

/**
 * CTEs ending in `components(account_id, idx, usage_trend, satisfaction, support_load, revenue_trend,
 * pending_cancellation)`: every account active at a period's end with its components (0–1) at that instant.
 * Windows are whole UTC days before the end's day: each fact meets the periods whose windows hold its day
 * through `window_days`, and all facts of an (account, period) meet in one GROUP BY.
 */
export function healthComponentsSql(ctx: QueryContext): string {
  const m = ctx.config.health;
  const longest = Math.max(
    2 * m.usage_window_days,
    m.satisfaction_window_days,
    m.support_window_days,
    m.revenue_window_days,
  );
  const last = ctx.periods.length;
  const first = sqlTimestamp(ctx.periods[0]!.start);
  const end = sqlTimestamp(ctx.periods[last - 1]!.end);
  const within = (day: string, days: number) => `w.end_day - ${day} <= ${days}`;
  return `${periodsCte(ctx)}, ${segmentsCte(ctx)},
  window_days(day, idx, end_day) AS (
    SELECT g.d, p.idx, ${dayOf('p.p_end')} FROM periods p,
      generate_series(${dayOf('p.p_end')} - ${longest}, ${dayOf('p.p_end')} - 1) AS g(d)),
  facts AS (
    SELECT m.account_id, p.idx, m.new_mrr AS mrr_end, 0 AS recent_use, 0 AS previous_use,
      CAST(NULL AS DOUBLE PRECISION) AS answer, 0 AS tickets, 0 AS mrr_change, 0 AS pending
    FROM mrr_movements m
    LEFT JOIN buckets b1 ON b1.bucket = ${bucketOf(ctx, 'm.effective_at')}
    LEFT JOIN buckets b2 ON b2.bucket = ${bucketOf(ctx, 'm.next_at')}
    JOIN periods p ON p.idx >= COALESCE(b1.idx, CASE WHEN m.effective_at < ${first} THEN 0 END)
      AND p.idx < COALESCE(b2.idx, CASE WHEN m.next_at IS NULL OR m.next_at >= ${end} THEN ${last}
                                        WHEN m.next_at < ${first} THEN 0 END)
    WHERE m.new_mrr > 0
    UNION ALL
    SELECT u.account_id, w.idx, 0,
      CASE WHEN ${within('w.day', m.usage_window_days)} THEN u.events ELSE 0 END,
      CASE WHEN ${within('w.day', m.usage_window_days)} THEN 0 ELSE u.events END, NULL, 0, 0, 0
    FROM usage_daily u JOIN window_days w ON w.day = CAST(u.day - DATE '1970-01-01' AS BIGINT)
    WHERE ${within('w.day', 2 * m.usage_window_days)}
    UNION ALL
    SELECT r.account_id, w.idx, 0, 0, 0,
      CASE WHEN r.metric = 'nps' THEN ${real('r.score')} / 10 ELSE ${real('r.score - 1')} / 4 END, 0, 0, 0
    FROM responses r JOIN window_days w ON w.day = ${dayOf('r.submitted_at')}
    WHERE r.metric IN ('nps', 'csat') AND r.account_id IS NOT NULL AND ${within('w.day', m.satisfaction_window_days)}
    UNION ALL
    SELECT t.account_id, w.idx, 0, 0, 0, NULL, 1, 0, 0
    FROM tickets t JOIN window_days w ON w.day = ${dayOf('t.opened_at')}
    WHERE t.account_id IS NOT NULL AND ${within('w.day', m.support_window_days)}
    UNION ALL
    SELECT v.account_id, w.idx, 0, 0, 0, NULL, 0, v.new_mrr - v.old_mrr, 0
    FROM mrr_movements v JOIN window_days w ON w.day = ${dayOf('v.effective_at')}
    WHERE ${within('w.day', m.revenue_window_days)}
    UNION ALL
    SELECT c.account_id, p.idx, 0, 0, 0, NULL, 0, 0, 1
    FROM cancellations c JOIN periods p ON c.requested_at < p.p_end AND c.ends_at >= p.p_end),
  per_account AS (
    SELECT account_id, idx, SUM(mrr_end) AS mrr_end, SUM(recent_use) AS recent_use,
      SUM(previous_use) AS previous_use, AVG(answer) AS satisfaction, SUM(tickets) AS tickets,
      SUM(mrr_change) AS mrr_change, MAX(pending) AS pending
    FROM facts GROUP BY account_id, idx),
  components AS (
    SELECT a.account_id, a.idx,
      CASE WHEN a.recent_use = 0 THEN 0 WHEN a.previous_use = 0 THEN 1
           ELSE LEAST(1, ${real('a.recent_use')} / a.previous_use) END AS usage_trend,
      COALESCE(a.satisfaction, 0.5) AS satisfaction,
      GREATEST(0, 1 - ${real('a.tickets')} / ${m.support_tickets_for_zero}) AS support_load,
      CASE WHEN a.mrr_end - a.mrr_change <= 0 THEN 1
           ELSE LEAST(1, a.mrr_end / (a.mrr_end - a.mrr_change)) END AS revenue_trend,
      1 - a.pending AS pending_cancellation
    FROM per_account a WHERE a.mrr_end > 0)`;
}

/** The weighted mean of a row's components, 0–100. */
function scoreExpr(ctx: QueryContext, row: string): string {
  const w = ctx.config.health.weights;
  const total = Object.values(w).reduce((s, x) => s + x, 0);
  const terms = (Object.keys(w) as (keyof typeof w)[]).map((name) => `${w[name]} * ${row}.${name}`);
  return `100 * (${terms.join(' + ')}) / ${total}`;
}

/**
 * `scored(account_id, idx, …components, score)`: from the snapshots import keeps (one per account and UTC
 * month start) when they hold every period end of the report, else computed from the facts.
 */
export function healthScoresSql(ctx: QueryContext): string {
  if (snapshotsCover(ctx)) {
    return `${periodsCte(ctx)}, ${segmentsCte(ctx)},
    scored AS (
      SELECT h.account_id, p.idx, h.usage_trend, h.satisfaction, h.support_load, h.revenue_trend,
        h.pending_cancellation, ${scoreExpr(ctx, 'h')} AS score
      FROM health_snapshots h JOIN periods p ON h.snapshot_at = p.p_end)`;
  }
  return `${healthComponentsSql(ctx)},
  scored AS (SELECT c.*, ${scoreExpr(ctx, 'c')} AS score FROM components c)`;
}

/** Snapshots serve a report whose periods all end on a UTC month start they hold, with their windows. */
function snapshotsCover(ctx: QueryContext): boolean {
  const held = ctx.healthSnapshots;
  if (!held || held.windows !== snapshotWindows(ctx.config.health)) return false;
  return ctx.periods.every(
    ({ end }) =>
      end.getTime() <= held.last.getTime() &&
      end.getTime() === Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), 1),
  );
}

/** What the stored components depend on besides the data (weights and bands apply at report time). */
export function snapshotWindows(model: HealthModel): string {
  const {
    usage_window_days,
    satisfaction_window_days,
    support_window_days,
    support_tickets_for_zero,
    revenue_window_days,
  } = model;
  return JSON.stringify({
    usage_window_days,
    satisfaction_window_days,
    support_window_days,
    support_tickets_for_zero,
    revenue_window_days,
  });
}

export const healthSource: FlowSource = {
  kind: 'flow',
  name: 'health scores',
  sql: (ctx: QueryContext) => {
    const g = grouping(ctx);
    return `WITH ${healthScoresSql(ctx)}
    SELECT ${g.select}, COUNT(*) AS scored, SUM(CAST(s.score AS DECIMAL(18, 6))) AS score_sum,
      SUM(CASE WHEN s.score < ${ctx.config.health.bands.at_risk_below} THEN 1 ELSE 0 END) AS at_risk
    FROM scored s LEFT JOIN segments sg ON sg.account_id = s.account_id JOIN periods p ON p.idx = s.idx
    GROUP BY ${g.groupBy}`;
  },
  apply: (target, row) => {
    target.health.scored += num(row.scored);
    target.health.scoreSum += num(row.score_sum);
    target.health.atRisk += num(row.at_risk);
  },
};
