// Contractual retention of a store's customers (issue 6 §1): monthly cohorts of first-time customers, their
// survivors by whole month of tenure, the shifted-beta-geometric model fitted on all of them at once
// (sbg-cohorts.ts), its projections and a subscription CLV, per segment and overall. docs/clv.md explains.
import { FidelioError } from '../../domain/errors.js';
import { mrrAtCte } from '../../kpi/mrr-at.js';
import type { QueryContext } from '../../kpi/query-context.js';
import { segmentsCte } from '../../kpi/query-context.js';
import { resolveSegmentBy } from '../../kpi/segments.js';
import { latestDataInstant, storeCurrency } from '../../kpi/store-facts.js';
import { type Store, sqlTimestamp } from '../../store/store.js';
import { sbgRetention, sbgSurvival, subscriptionClv } from './sbg.js';
import { type CohortCounts, fitSbgCohorts, projectCohort, SbgDataError } from './sbg-cohorts.js';

export interface CohortRetentionRequest {
  /** Default: the latest instant in the data. */
  asOf?: Date | undefined;
  segmentBy?: string | undefined;
  /** Months of the projected curves and of each cohort's projection. */
  months: number;
  discountMonthly: number;
  grossMargin: number;
}

/** A monthly cohort: customers whose first subscription started in that UTC month. */
export interface Cohort {
  /** `YYYY-MM` (UTC). */
  cohort: string;
  size: number;
  /** Whole months of tenure every member has completed by as_of. */
  age: number;
  /** alive[k]: members whose first subscription had not ended k months after it started (k = 0 … age). */
  alive: number[];
  /** Expected survivors 1 … months months after `age`: alive[age] · S(age + k)/S(age); [] without a model. */
  projected: number[];
}

export interface CurvePoint {
  month: number;
  /** The pooled (Kaplan–Meier) survival of the cohorts observed that long; null when none is. */
  observed_survival: number | null;
  /** Share of customers who were still there at month − 1 and renewed for month; null when none at risk. */
  observed_retention: number | null;
  /** Customers of the cohorts observed at least `month` months still there at month − 1 (month 0: all). */
  at_risk: number;
  /** sBG S(month) and r(month); null without a model. */
  survival: number | null;
  retention: number | null;
}

export interface SbgModel {
  a: number;
  b: number;
  log_likelihood: number;
  converged: boolean;
}

export interface SegmentRetention {
  /** The segment value; null in `overall` (every customer, with or without a value). */
  segment: string | null;
  customers: number;
  /** null when the cohorts cannot be fitted; `reason` says why. */
  model: SbgModel | null;
  reason: string | null;
  /** Active accounts and MRR ÷ active accounts at as_of (KPI-SPEC arpa); null without active accounts. */
  active_customers: number;
  arpa: number | null;
  /** Σ_{t≥0} S(t)/(1+d)^t in months: a new customer's discounted expected lifetime (F&H 2010 DEL). */
  discounted_lifetime_months: number | null;
  /** arpa × gross_margin × discounted_lifetime_months. */
  clv: number | null;
  /** Months 0 … months. */
  curve: CurvePoint[];
  cohorts: Cohort[];
}

export interface CohortRetention {
  as_of: string;
  months: number;
  discount_monthly: number;
  gross_margin: number;
  currency: string | null;
  segment_by: string | null;
  overall: SegmentRetention;
  segments: SegmentRetention[];
}

export const MAX_PROJECTION_MONTHS = 120;

const monthLabel = (index: number) =>
  new Date(Date.UTC(Math.floor(index / 12), index % 12, 1)).toISOString().slice(0, 7);
const monthIndexSql = (ts: string) =>
  `CAST(EXTRACT(YEAR FROM ${ts}) * 12 + EXTRACT(MONTH FROM ${ts}) - 1 AS INTEGER)`;
/** 1 when `start` plus `months` months (as both engines add them: Jan 31 + 1 month = Feb 28) `op` `instant`. */
const compareMonths = (start: string, months: string, op: '<' | '>', instant: string) =>
  `CASE WHEN ${start} + INTERVAL '1 month' * ${months} ${op} ${instant} THEN 1 ELSE 0 END`;

/**
 * One row per (segment, cohort, lost, horizon): how many customers first became customers in cohort month
 * `cohort`, left their first subscription in tenure month `lost` (null: not by as_of), and were observed
 * for `horizon` whole months by as_of. Tenure month k is (start + (k−1) months, start + k months]: a
 * subscription that ends exactly on its k-th monthly anniversary was not renewed for month k + 1.
 */
export function survivalSql(asOf: Date, segments: string): string {
  const at = sqlTimestamp(asOf);
  const diff = (later: string) => `(${monthIndexSql(later)} - ${monthIndexSql('l.started')})`;
  return `WITH ${segments},
  lives AS (
    SELECT account_id,
      MIN(CASE WHEN movement = 'new' THEN effective_at END) AS started,
      MIN(CASE WHEN movement = 'churn' THEN effective_at END) AS ended
    FROM mrr_movements WHERE effective_at <= ${at} AND movement IN ('new', 'churn')
    GROUP BY account_id),
  tenure AS (
    SELECT l.account_id, ${monthIndexSql('l.started')} AS cohort,
      ${diff(at)} - ${compareMonths('l.started', diff(at), '>', at)} AS horizon,
      CASE WHEN l.ended IS NULL THEN NULL
        ELSE ${diff('l.ended')} + ${compareMonths('l.started', diff('l.ended'), '<', 'l.ended')} END AS lost
    FROM lives l WHERE l.started IS NOT NULL)
  SELECT sg.seg, t.cohort, t.lost, t.horizon, COUNT(*) AS customers
  FROM tenure t LEFT JOIN segments sg ON sg.account_id = t.account_id
  GROUP BY sg.seg, t.cohort, t.lost, t.horizon`;
}

/** Active accounts and their MRR at as_of (MRR_a(as_of) > 0: the latest change before it), by segment. */
export function activeSql(asOf: Date, segments: string): string {
  const at = sqlTimestamp(asOf);
  return `WITH ${segments}, ${mrrAtCte('active', at, { activeOnly: true })}
  SELECT sg.seg, COUNT(*) AS customers, SUM(m.mrr) AS mrr
  FROM active m LEFT JOIN segments sg ON sg.account_id = m.account_id
  GROUP BY sg.seg`;
}

/** Survivor counts of each cohort from the grouped rows: age = the least horizon of its members. */
export function cohortCounts(
  rows: readonly { cohort: number; lost: number | null; horizon: number; customers: number }[],
): { cohort: number; size: number; alive: number[] }[] {
  const byCohort = new Map<number, (typeof rows)[number][]>();
  for (const row of rows) {
    const list = byCohort.get(row.cohort);
    if (list) list.push(row);
    else byCohort.set(row.cohort, [row]);
  }
  return [...byCohort.entries()]
    .sort(([x], [y]) => x - y)
    .map(([cohort, list]) => {
      const age = Math.max(0, Math.min(...list.map((r) => r.horizon)));
      const size = list.reduce((s, r) => s + r.customers, 0);
      const lostBy = new Array<number>(age + 1).fill(0);
      for (const r of list) if (r.lost !== null && r.lost <= age) lostBy[r.lost]! += r.customers;
      const alive = [size];
      for (let k = 1; k <= age; k++) alive.push(alive[k - 1]! - lostBy[k]!);
      return { cohort, size, alive };
    });
}

/** The pooled observed curve: r(t) = Σ alive[t] / Σ alive[t−1] over cohorts observed t months; S = Π r. */
function observedCurve(cohorts: readonly CohortCounts[], months: number) {
  const points: { survival: number | null; retention: number | null; atRisk: number }[] = [
    { survival: 1, retention: null, atRisk: cohorts.reduce((sum, c) => sum + c.alive[0]!, 0) },
  ];
  let survival: number | null = 1;
  for (let t = 1; t <= months; t++) {
    let atRisk = 0;
    let kept = 0;
    for (const { alive } of cohorts) {
      if (alive.length > t) {
        atRisk += alive[t - 1]!;
        kept += alive[t]!;
      }
    }
    const retention = atRisk > 0 ? kept / atRisk : null;
    survival = survival === null || retention === null ? null : survival * retention;
    points.push({ survival, retention, atRisk });
  }
  return points;
}

/** Σ_{t≥0} S(t)/(1+d)^t; with d = 0 the expected lifetime (a+b−1)/(a−1), infinite (null) when a ≤ 1. */
function discountedLifetime(model: SbgModel, discount: number): number | null {
  if (discount > 0) return subscriptionClv(model, 1, discount);
  return model.a > 1 ? (model.a + model.b - 1) / (model.a - 1) : null;
}

function segmentRetention(
  segment: string | null,
  counts: { cohort: number; size: number; alive: number[] }[],
  active: { customers: number; mrr: number },
  request: CohortRetentionRequest,
): SegmentRetention {
  let model: SbgModel | null = null;
  let reason: string | null = null;
  try {
    const fit = fitSbgCohorts(counts);
    model = { ...fit.params, log_likelihood: fit.logLikelihood, converged: fit.converged };
  } catch (error) {
    if (!(error instanceof SbgDataError)) throw error;
    reason = error.message;
  }
  const { months } = request;
  const survival = model ? sbgSurvival(model, months) : null;
  const observed = observedCurve(counts, months);
  const curve: CurvePoint[] = observed.map((o, month) => ({
    month,
    observed_survival: o.survival,
    observed_retention: o.retention,
    at_risk: o.atRisk,
    survival: survival ? survival[month]! : null,
    retention: model && month > 0 ? sbgRetention(model, month) : null,
  }));
  const arpa = active.customers > 0 ? active.mrr / active.customers : null;
  const lifetime = model ? discountedLifetime(model, request.discountMonthly) : null;
  return {
    segment,
    customers: counts.reduce((s, c) => s + c.size, 0),
    model,
    reason,
    active_customers: active.customers,
    arpa,
    discounted_lifetime_months: lifetime,
    clv: arpa === null || lifetime === null ? null : arpa * request.grossMargin * lifetime,
    curve,
    cohorts: counts.map((c) => {
      const age = c.alive.length - 1;
      return {
        cohort: monthLabel(c.cohort),
        size: c.size,
        age,
        alive: c.alive,
        projected: model ? projectCohort(model, c.alive[age]!, age, months) : [],
      };
    }),
  };
}

/**
 * The cohorts of a store, fitted and projected overall and per value of `segmentBy`.
 * @example await cohortRetention(store, { months: 36, discountMonthly: 0.01, grossMargin: 1 })
 */
export async function cohortRetention(
  store: Store,
  request: CohortRetentionRequest,
): Promise<CohortRetention> {
  if (!Number.isInteger(request.months) || request.months < 1 || request.months > MAX_PROJECTION_MONTHS) {
    throw new FidelioError(
      'usage',
      'bad_months',
      `months must be a whole number from 1 to ${MAX_PROJECTION_MONTHS}`,
    );
  }
  if (!(request.discountMonthly >= 0 && request.discountMonthly < 1)) {
    throw new FidelioError('usage', 'bad_discount', 'the monthly discount rate must be from 0 to below 1');
  }
  const segmentBy = await resolveSegmentBy(store, request.segmentBy);
  if (segmentBy?.kind === 'team') {
    throw new FidelioError(
      'usage',
      'team_segment',
      '--segment-by team groups employee answers; cohorts segment accounts (segment, country or an account attribute)',
    );
  }
  const asOf = request.asOf ?? (await latestDataInstant(store)) ?? new Date();
  const segments = segmentsCte({ segmentBy } as Pick<QueryContext, 'segmentBy'> as QueryContext);
  const rows = (await store.query(survivalSql(asOf, segments))).map((r) => ({
    seg: r.seg === null || r.seg === undefined ? null : String(r.seg),
    cohort: Number(r.cohort),
    lost: r.lost === null ? null : Number(r.lost),
    horizon: Number(r.horizon),
    customers: Number(r.customers),
  }));
  const activeRows = (await store.query(activeSql(asOf, segments))).map((r) => ({
    seg: r.seg === null || r.seg === undefined ? null : String(r.seg),
    customers: Number(r.customers),
    mrr: Number(r.mrr ?? 0),
  }));
  const activeOf = (seg: string | null | undefined) => {
    const list = seg === undefined ? activeRows : activeRows.filter((r) => r.seg === seg);
    return {
      customers: list.reduce((s, r) => s + r.customers, 0),
      mrr: list.reduce((s, r) => s + r.mrr, 0),
    };
  };
  const values = [...new Set(rows.map((r) => r.seg).filter((s): s is string => s !== null))].sort();
  return {
    as_of: asOf.toISOString(),
    months: request.months,
    discount_monthly: request.discountMonthly,
    gross_margin: request.grossMargin,
    currency: await storeCurrency(store),
    segment_by: request.segmentBy ?? null,
    overall: segmentRetention(null, cohortCounts(rows), activeOf(undefined), request),
    segments: values.map((value) =>
      segmentRetention(value, cohortCounts(rows.filter((r) => r.seg === value)), activeOf(value), request),
    ),
  };
}
