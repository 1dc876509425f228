// Per-account features at snapshot instants, and the churn label of the 90 days after each, in one set-based
// query that reuses the default health model's component SQL (src/kpi/health.ts) for the windows it shares.
import { FidelioError } from '../../domain/errors.js';
import type { Period } from '../../domain/time.js';
import { DEFAULT_CONFIG } from '../../kpi/config.js';
import { healthComponentsSql } from '../../kpi/health.js';
import type { QueryContext } from '../../kpi/query-context.js';
import { latestDataInstant } from '../../kpi/store-facts.js';
import type { Store } from '../../store/store.js';

/** The learned models' features, in the order of their coefficients. */
export const FEATURES = [
  'usage_level',
  'usage_trend',
  'users',
  'satisfaction',
  'nps_last',
  'csat_last',
  'no_feedback',
  'tickets',
  'fcr',
  'mrr_level',
  'mrr_trend',
  'tenure',
  'pending_cancellation',
] as const;
export type Feature = (typeof FEATURES)[number];

/** What each feature measures at the snapshot instant E (docs/health-lab.md repeats this). */
export const FEATURE_DEFINITIONS: Record<Feature, string> = {
  usage_level: 'ln(1 + usage events in the 30 days before E)',
  usage_trend: 'the default model usage_trend component (last 30 days ÷ the 30 before, capped at 1)',
  users: 'ln(1 + distinct users with usage events in the 30 days before E)',
  satisfaction: 'the default model satisfaction component (mean NPS/CSAT of 180 days, 0.5 without answers)',
  nps_last: 'the last NPS answer of the 365 days before E ÷ 10 (0.5 without one)',
  csat_last: 'the last CSAT answer of the 365 days before E, (score − 1) ÷ 4 (0.5 without one)',
  no_feedback: '1 when the account gave no NPS or CSAT answer in the 365 days before E, else 0',
  tickets: 'ln(1 + tickets opened in the 90 days before E)',
  fcr: 'share of those tickets (not abandoned) resolved before E at the first contact (1 without tickets)',
  mrr_level: 'ln(MRR at E)',
  mrr_trend: 'ln(MRR at E ÷ MRR 90 days before E), 0 when it had no MRR then',
  tenure: 'ln(1 + months since the account was created)',
  pending_cancellation: '1 when a cancellation was requested before E and takes effect at or after E, else 0',
};

/** Days after a snapshot in which an MRR drop to 0 (a churn movement, KPI-SPEC §3) makes its label 1. */
export const HORIZON_DAYS = 90;
const DAY = 86_400_000;

export interface DefaultComponents {
  usage_trend: number;
  satisfaction: number;
  support_load: number;
  revenue_trend: number;
  pending_cancellation: number;
}

export interface Observation {
  account_id: string;
  snapshot_at: Date;
  /** Values in the order of FEATURES. */
  features: number[];
  components: DefaultComponents;
  /** Churned within HORIZON_DAYS after the snapshot; null when the data ends before the horizon does. */
  label: 0 | 1 | null;
}

/** Snapshots are whole UTC days (a date means 00:00 UTC of that day). */
export function requireSnapshotDay(instant: Date, option: string): Date {
  if (instant.getTime() % DAY !== 0) {
    throw new FidelioError(
      'usage',
      'invalid_snapshot',
      `${option} ${instant.toISOString()} is not a UTC day start: snapshots are dates (2025-06-01)`,
    );
  }
  return instant;
}

/** Every UTC month start in [from, to]. */
export function monthlySnapshots(from: Date, to: Date): Date[] {
  const out: Date[] = [];
  const onStart = from.getUTCDate() === 1 && from.getTime() % DAY === 0;
  let t = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + (onStart ? 0 : 1), 1));
  while (t.getTime() <= to.getTime()) {
    out.push(t);
    t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1));
  }
  return out;
}

interface FeatureRow {
  account_id: string;
  idx: unknown;
  usage_trend: number;
  satisfaction: number;
  support_load: number;
  revenue_trend: number;
  pending_cancellation: number;
  recent_use: unknown;
  tickets: unknown;
  mrr_end: unknown;
  mrr_change: unknown;
  users: unknown;
  nps_last: unknown;
  csat_last: unknown;
  handled: unknown;
  first_contact: unknown;
  tenure_seconds: unknown;
  churned: unknown;
}

const real = (expr: string) => `CAST(${expr} AS DOUBLE PRECISION)`;
const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const orNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * The observations of every account active (MRR > 0) at each snapshot, in one query. Snapshots are sorted
 * UTC day starts; each becomes the end of a period, so the component SQL's windows end exactly there.
 */
export async function observationsAt(store: Store, snapshots: readonly Date[]): Promise<Observation[]> {
  const ends = [...new Set(snapshots.map((s) => s.getTime()))].sort((a, b) => a - b).map((t) => new Date(t));
  if (ends.length === 0) return [];
  const periods: Period[] = ends.map((end, i) => ({
    start: i === 0 ? new Date(end.getTime() - DAY) : ends[i - 1]!,
    end,
  }));
  const latest = await latestDataInstant(store);
  const ctx: QueryContext = {
    periods,
    periodKind: 'day',
    segmentBy: null,
    asOf: latest ?? ends[ends.length - 1]!,
    config: DEFAULT_CONFIG,
    dialect: store.dialect,
    healthSnapshots: null,
  };
  const sql = `WITH ${healthComponentsSql(ctx)},
  users AS (
    SELECT e.account_id, p.idx, COUNT(DISTINCT e.user_id) AS users
    FROM usage_events e JOIN periods p ON e.occurred_at < p.p_end AND e.occurred_at >= p.p_end - INTERVAL '30 days'
    GROUP BY e.account_id, p.idx),
  answers AS (
    SELECT r.account_id, p.idx, r.metric, r.score,
      ROW_NUMBER() OVER (PARTITION BY r.account_id, p.idx, r.metric ORDER BY r.submitted_at DESC, r.response_id DESC) AS rn
    FROM responses r JOIN periods p ON r.submitted_at < p.p_end AND r.submitted_at >= p.p_end - INTERVAL '365 days'
    WHERE r.metric IN ('nps', 'csat') AND r.account_id IS NOT NULL),
  last_answers AS (
    SELECT account_id, idx,
      MAX(CASE WHEN metric = 'nps' THEN CAST(score AS DOUBLE PRECISION) / 10 END) AS nps_last,
      MAX(CASE WHEN metric = 'csat' THEN CAST(score - 1 AS DOUBLE PRECISION) / 4 END) AS csat_last
    FROM answers WHERE rn = 1 GROUP BY account_id, idx),
  support AS (
    SELECT t.account_id, p.idx,
      SUM(CASE WHEN COALESCE(t.abandoned, false) THEN 0 ELSE 1 END) AS handled,
      SUM(CASE WHEN NOT COALESCE(t.abandoned, false) AND t.contacts = 1 AND t.resolved_at < p.p_end
          THEN 1 ELSE 0 END) AS first_contact
    FROM tickets t JOIN periods p ON t.opened_at < p.p_end AND t.opened_at >= p.p_end - INTERVAL '90 days'
    WHERE t.account_id IS NOT NULL
    GROUP BY t.account_id, p.idx),
  churned AS (
    SELECT m.account_id, p.idx, 1 AS churned
    FROM mrr_movements m
    JOIN periods p ON m.effective_at >= p.p_end AND m.effective_at < p.p_end + INTERVAL '${HORIZON_DAYS} days'
    WHERE m.movement = 'churn'
    GROUP BY m.account_id, p.idx)
  SELECT c.account_id, CAST(c.idx AS INTEGER) AS idx, ${real('c.usage_trend')} AS usage_trend,
    ${real('c.satisfaction')} AS satisfaction, ${real('c.support_load')} AS support_load,
    ${real('c.revenue_trend')} AS revenue_trend, ${real('c.pending_cancellation')} AS pending_cancellation,
    ${real('a.recent_use')} AS recent_use, ${real('a.tickets')} AS tickets, ${real('a.mrr_end')} AS mrr_end,
    ${real('a.mrr_change')} AS mrr_change, ${real('u.users')} AS users, l.nps_last, l.csat_last,
    ${real('s.handled')} AS handled, ${real('s.first_contact')} AS first_contact,
    ${real('EXTRACT(EPOCH FROM p.p_end) - EXTRACT(EPOCH FROM ac.created_at)')} AS tenure_seconds,
    ${real('ch.churned')} AS churned
  FROM components c
  JOIN periods p ON p.idx = c.idx
  JOIN per_account a ON a.account_id = c.account_id AND a.idx = c.idx
  LEFT JOIN users u ON u.account_id = c.account_id AND u.idx = c.idx
  LEFT JOIN last_answers l ON l.account_id = c.account_id AND l.idx = c.idx
  LEFT JOIN support s ON s.account_id = c.account_id AND s.idx = c.idx
  LEFT JOIN churned ch ON ch.account_id = c.account_id AND ch.idx = c.idx
  LEFT JOIN accounts ac ON ac.account_id = c.account_id
  ORDER BY c.idx, c.account_id`;
  // Plain doubles and a period index: converting DECIMALs, BIGINTs and timestamps row by row costs more
  // than the query on large stores.
  const rows = await store.query<FeatureRow & Record<string, unknown>>(sql);
  return rows.map((row) => observationOf(row, ends[Number(row.idx)]!, latest));
}

function observationOf(row: FeatureRow, at: Date, latest: Date | null): Observation {
  const mrr = n(row.mrr_end);
  const before = mrr - n(row.mrr_change);
  const nps = orNull(row.nps_last);
  const csat = orNull(row.csat_last);
  const handled = n(row.handled);
  const months = Math.max(0, (n(row.tenure_seconds) * 1000) / (30.4375 * DAY));
  const values: Record<Feature, number> = {
    usage_level: Math.log1p(n(row.recent_use)),
    usage_trend: Number(row.usage_trend),
    users: Math.log1p(n(row.users)),
    satisfaction: Number(row.satisfaction),
    nps_last: nps ?? 0.5,
    csat_last: csat ?? 0.5,
    no_feedback: nps === null && csat === null ? 1 : 0,
    tickets: Math.log1p(n(row.tickets)),
    fcr: handled === 0 ? 1 : n(row.first_contact) / handled,
    mrr_level: Math.log(Math.max(mrr, 1e-9)),
    mrr_trend: before > 0 ? Math.log(mrr / before) : 0,
    tenure: Math.log1p(months),
    pending_cancellation: 1 - Number(row.pending_cancellation),
  };
  const complete = latest !== null && at.getTime() + HORIZON_DAYS * DAY <= latest.getTime();
  return {
    account_id: String(row.account_id),
    snapshot_at: at,
    features: FEATURES.map((f) => values[f]),
    components: {
      usage_trend: Number(row.usage_trend),
      satisfaction: Number(row.satisfaction),
      support_load: Number(row.support_load),
      revenue_trend: Number(row.revenue_trend),
      pending_cancellation: Number(row.pending_cancellation),
    },
    label: complete ? (n(row.churned) > 0 ? 1 : 0) : null,
  };
}
