// Experience and money (issue 6 §4): retention, NRR, expansion and CLV of the accounts active at the range's
// start, grouped by their latest NPS and CSAT answers before it, with 95 % intervals; and MRR at risk at its end.
import { wilsonInterval } from '../../domain/confidence-intervals.js';
import { FidelioError } from '../../domain/errors.js';
import { mrrAtCte } from '../../kpi/mrr-at.js';
import { storeCurrency } from '../../kpi/store-facts.js';
import { type Store, sqlTimestamp } from '../../store/store.js';
import { bootstrapMany } from './bootstrap.js';

export interface ExperienceRequest {
  from: Date;
  to: Date;
  /** Fraction of revenue kept after serving it (the clv KPI's gross_margin). */
  grossMargin: number;
  /** Estimates resting on fewer accounts are marked `enough: false` (the KPI config's ci_min_sample). */
  minSample: number;
}

/** A measure with its 95 % interval; n is the accounts it rests on. */
export interface Measure {
  value: number | null;
  low: number | null;
  high: number | null;
  n: number;
  enough: boolean;
}

export interface GroupMeasures {
  group: string;
  /** Accounts active (MRR > 0) at `from` in the group. */
  accounts: number;
  mrr_start: number;
  mrr_end: number;
  /** % of them still active at `to` (Wilson). */
  retention: Measure;
  /** Σ MRR at `to` ÷ Σ MRR at `from` × 100 over them (bootstrap over accounts). */
  nrr: Measure;
  /** % of them whose MRR at `to` exceeds their MRR at `from` (Wilson). */
  expansion: Measure;
  /** Σ max(0, MRR at `to` − MRR at `from`) ÷ Σ MRR at `from` × 100 (bootstrap over accounts). */
  expansion_mrr: Measure;
  /** The clv formula on the group: arpa at `to` × gross_margin ÷ monthly churn (bootstrap over accounts). */
  clv: Measure;
}

export interface RiskBucket {
  accounts: number;
  mrr: number;
}

export interface MrrAtRisk {
  /** The instant the risk is measured at: `to`. */
  at: string;
  active: RiskBucket;
  /** Active accounts whose latest NPS answer before `at` is 0–6. */
  detractors: RiskBucket;
  /** Active accounts with a cancellation requested before `at` that ends at or after it. */
  pending_cancellation: RiskBucket;
  both: RiskBucket;
  either: RiskBucket;
  /** either.mrr ÷ active.mrr × 100. */
  either_pct: number | null;
}

export interface Experience {
  from: string;
  to: string;
  /** Length of the range in months (see monthsBetween), the k of the clv formula. */
  months: number;
  currency: string | null;
  gross_margin: number;
  by_nps: GroupMeasures[];
  by_csat: GroupMeasures[];
  mrr_at_risk: MrrAtRisk;
}

export const NPS_GROUPS = ['promoter', 'passive', 'detractor', 'no_answer'] as const;
export const CSAT_GROUPS = ['satisfied', 'neutral', 'dissatisfied', 'no_answer'] as const;

const DAY = 86_400_000;

/** Each account's latest answer of `metric` before an instant (ties: the greatest response_id). */
function latestAnswer(metric: string, instant: string, name: string): string {
  return `${name}(account_id, score) AS (
    SELECT account_id, score FROM (
      SELECT account_id, score,
        ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY submitted_at DESC, response_id DESC) AS rn
      FROM responses WHERE metric = '${metric}' AND account_id IS NOT NULL AND submitted_at < ${instant}) r
    WHERE rn = 1)`;
}

/**
 * The start cohort, one row per (NPS group, CSAT group, MRR at start, MRR at end) with its number of accounts:
 * every cohort measure of both groupings reads it.
 */
export function cohortSql(from: Date, to: Date): string {
  const f = sqlTimestamp(from);
  const t = sqlTimestamp(to);
  return `WITH ${mrrAtCte('at_start', f)}, ${mrrAtCte('at_end', t)},
  ${latestAnswer('nps', f, 'nps_last')}, ${latestAnswer('csat', f, 'csat_last')}
  SELECT
    CASE WHEN n.score IS NULL THEN 'no_answer' WHEN n.score >= 9 THEN 'promoter'
      WHEN n.score >= 7 THEN 'passive' ELSE 'detractor' END AS nps_group,
    CASE WHEN c.score IS NULL THEN 'no_answer' WHEN c.score >= 4 THEN 'satisfied'
      WHEN c.score = 3 THEN 'neutral' ELSE 'dissatisfied' END AS csat_group,
    s.mrr AS mrr_start, COALESCE(e.mrr, 0) AS mrr_end, COUNT(*) AS accounts
  FROM at_start s
  LEFT JOIN at_end e ON e.account_id = s.account_id
  LEFT JOIN nps_last n ON n.account_id = s.account_id
  LEFT JOIN csat_last c ON c.account_id = s.account_id
  WHERE s.mrr > 0
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4`;
}

/** MRR at risk at an instant: active accounts that are detractors, have a pending cancellation, or both. */
export function riskSql(at: Date): string {
  const t = sqlTimestamp(at);
  return `WITH ${mrrAtCte('active', t)}, ${latestAnswer('nps', t, 'nps_last')},
  pending(account_id) AS (
    SELECT DISTINCT account_id FROM cancellations WHERE requested_at < ${t} AND ends_at >= ${t}),
  flagged AS (
    SELECT a.mrr, COALESCE(n.score <= 6, false) AS detractor, p.account_id IS NOT NULL AS pending
    FROM active a LEFT JOIN nps_last n ON n.account_id = a.account_id
    LEFT JOIN pending p ON p.account_id = a.account_id
    WHERE a.mrr > 0)
  SELECT COUNT(*) AS active_accounts, COALESCE(SUM(mrr), 0) AS active_mrr,
    SUM(CASE WHEN detractor THEN 1 ELSE 0 END) AS detractor_accounts,
    COALESCE(SUM(CASE WHEN detractor THEN mrr ELSE 0 END), 0) AS detractor_mrr,
    SUM(CASE WHEN pending THEN 1 ELSE 0 END) AS pending_accounts,
    COALESCE(SUM(CASE WHEN pending THEN mrr ELSE 0 END), 0) AS pending_mrr,
    SUM(CASE WHEN detractor AND pending THEN 1 ELSE 0 END) AS both_accounts,
    COALESCE(SUM(CASE WHEN detractor AND pending THEN mrr ELSE 0 END), 0) AS both_mrr
  FROM flagged`;
}

/** Accounts of one cohort cell: MRR at start and end, and how many accounts share them. */
export interface CohortCell {
  mrrStart: number;
  mrrEnd: number;
  accounts: number;
}

interface Sums {
  accounts: number;
  retained: number;
  expanded: number;
  mrrStart: number;
  mrrEnd: number;
  /** Σ MRR at end over retained accounts. */
  retainedMrr: number;
  expansionMrr: number;
}

function sums(cells: readonly CohortCell[], weights?: Float64Array): Sums {
  const out: Sums = {
    accounts: 0,
    retained: 0,
    expanded: 0,
    mrrStart: 0,
    mrrEnd: 0,
    retainedMrr: 0,
    expansionMrr: 0,
  };
  cells.forEach((c, i) => {
    const w = weights ? weights[i]! : c.accounts;
    out.accounts += w;
    out.mrrStart += w * c.mrrStart;
    out.mrrEnd += w * c.mrrEnd;
    if (c.mrrEnd > 0) {
      out.retained += w;
      out.retainedMrr += w * c.mrrEnd;
    }
    if (c.mrrEnd > c.mrrStart) {
      out.expanded += w;
      out.expansionMrr += w * (c.mrrEnd - c.mrrStart);
    }
  });
  return out;
}

const nan = (v: number | null) => (v === null ? Number.NaN : v);

function nrrOf(s: Sums): number | null {
  return s.mrrStart === 0 ? null : (s.mrrEnd / s.mrrStart) * 100;
}

function expansionMrrOf(s: Sums): number | null {
  return s.mrrStart === 0 ? null : (s.expansionMrr / s.mrrStart) * 100;
}

/**
 * The clv formula of KPI-SPEC §4 on a group: arpa = Σ MRR at end ÷ accounts still active; monthly churn
 * m = 1 − (retained ÷ accounts)^(1/k) over the k months of the range; clv = arpa × gross_margin ÷ m. Null when
 * no account is left (no arpa) or none churned (m = 0).
 */
export function groupClv(s: Sums, months: number, grossMargin: number): number | null {
  if (s.accounts === 0 || s.retained === 0 || s.retained === s.accounts) return null;
  const m = 1 - (s.retained / s.accounts) ** (1 / months);
  return ((s.retainedMrr / s.retained) * grossMargin) / m;
}

/** The measures of one group from its cohort cells. */
export function groupMeasures(
  group: string,
  cells: readonly CohortCell[],
  months: number,
  request: Pick<ExperienceRequest, 'grossMargin' | 'minSample'>,
): GroupMeasures {
  const s = sums(cells);
  const enough = s.accounts >= request.minSample;
  const wilson = (successes: number): Measure => {
    const e = wilsonInterval(successes, s.accounts);
    return { value: e.value, low: e.low, high: e.high, n: s.accounts, enough };
  };
  const counts = cells.map((c) => c.accounts);
  // NRR, expansion MRR and CLV from the same resamples of accounts.
  const ratios = (x: Sums) => [nrrOf(x), expansionMrrOf(x), groupClv(x, months, request.grossMargin)];
  const values = ratios(s);
  const intervals = bootstrapMany(counts, (w) => ratios(sums(cells, w)).map(nan), values.length);
  const boot = (j: number): Measure => {
    const value = values[j]!;
    const ci = value === null ? null : intervals[j]!;
    return { value, low: ci?.low ?? null, high: ci?.high ?? null, n: s.accounts, enough };
  };
  return {
    group,
    accounts: s.accounts,
    mrr_start: s.mrrStart,
    mrr_end: s.mrrEnd,
    retention: wilson(s.retained),
    nrr: boot(0),
    expansion: wilson(s.expanded),
    expansion_mrr: boot(1),
    clv: boot(2),
  };
}

const num = (v: unknown) => Number(v ?? 0);

/**
 * Whole calendar months when `to` falls on the same UTC day of month and time as `from` (2025-01-01 → 2025-04-01
 * is 3), otherwise days × 12 ÷ 365.25.
 */
export function monthsBetween(from: Date, to: Date): number {
  const sameClock = from.toISOString().slice(8) === to.toISOString().slice(8);
  if (sameClock)
    return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
  return ((to.getTime() - from.getTime()) / DAY) * (12 / 365.25);
}

/** Retention, NRR, expansion and CLV by NPS and CSAT group, and MRR at risk: two set-based queries. */
export async function computeExperience(store: Store, request: ExperienceRequest): Promise<Experience> {
  if (request.to.getTime() <= request.from.getTime())
    throw new FidelioError('usage', 'empty_range', 'to must be after from');
  const months = monthsBetween(request.from, request.to);
  const rows = await store.query(cohortSql(request.from, request.to));
  const cells = rows.map((r) => ({
    nps: String(r.nps_group),
    csat: String(r.csat_group),
    cell: { mrrStart: num(r.mrr_start), mrrEnd: num(r.mrr_end), accounts: num(r.accounts) },
  }));
  const by = (groups: readonly string[], key: 'nps' | 'csat') =>
    groups.map((g) =>
      groupMeasures(
        g,
        cells.filter((c) => c[key] === g).map((c) => c.cell),
        months,
        request,
      ),
    );
  const [risk] = await store.query(riskSql(request.to));
  const bucket = (name: string): RiskBucket => ({
    accounts: num(risk?.[`${name}_accounts`]),
    mrr: num(risk?.[`${name}_mrr`]),
  });
  const detractors = bucket('detractor');
  const pending = bucket('pending');
  const both = bucket('both');
  const either = {
    accounts: detractors.accounts + pending.accounts - both.accounts,
    mrr: detractors.mrr + pending.mrr - both.mrr,
  };
  const active = bucket('active');
  return {
    from: request.from.toISOString(),
    to: request.to.toISOString(),
    months,
    currency: await storeCurrency(store),
    gross_margin: request.grossMargin,
    by_nps: by(NPS_GROUPS, 'nps'),
    by_csat: by(CSAT_GROUPS, 'csat'),
    mrr_at_risk: {
      at: request.to.toISOString(),
      active,
      detractors,
      pending_cancellation: pending,
      both,
      either,
      either_pct: active.mrr === 0 ? null : (either.mrr / active.mrr) * 100,
    },
  };
}
