// Signup cohorts: accounts grouped by the UTC month of created_at, followed month by month through their MRR
// at each month's end (KPI-SPEC §3: MRR_a(t) reads the changes strictly before t).
import { FidelioError } from '../domain/errors.js';
import type { Store } from '../store/store.js';
import { sqlTimestamp } from '../store/store.js';
import type { QueryContext } from './query-context.js';
import { segmentsCte } from './query-context.js';

export const COHORT_BASES = ['logo', 'revenue'] as const;
export type CohortBasis = (typeof COHORT_BASES)[number];

export interface CohortRow {
  /** The signup month, `YYYY-MM` (UTC). */
  cohort: string;
  size: number;
  /** values[k]: the state at the end of the k-th month after signup (k = 0 is the signup month). */
  values: (number | null)[];
}

export interface CohortRequest {
  from: Date;
  to: Date;
  basis: CohortBasis;
  asOf: Date;
  /** Only `segmentBy` is read (an account field, or null). */
  ctx: Pick<QueryContext, 'segmentBy'>;
  /** A bound placeholder holding the segment value, or null for every account. */
  segment: string | null;
  params: readonly unknown[];
}

/** Upper bound on signup months, so a typo in a year fails fast. */
export const MAX_COHORT_MONTHS = 600;

/** Months since year 0 of a UTC instant: the index the SQL uses too. */
const monthIndex = (t: Date) => t.getUTCFullYear() * 12 + t.getUTCMonth();
const monthStart = (index: number) => new Date(Date.UTC(Math.floor(index / 12), index % 12, 1));
const sqlMonthIndex = (ts: string) =>
  `CAST(EXTRACT(YEAR FROM ${ts}) * 12 + EXTRACT(MONTH FROM ${ts}) - 1 AS BIGINT)`;

/**
 * The cohorts of the calendar months that intersect [from, to). A cell is the state at a month's end T; it
 * is null when T is after `as_of` (that month is not over in the data). logo: % of the cohort's accounts
 * with MRR > 0 at T. revenue: cohort MRR at T ÷ cohort MRR at the end of its first month with MRR × 100
 * (null before that month).
 * @example await cohortTable(store, { from, to, basis: 'logo', asOf, ctx: { segmentBy: null }, segment: null, params: [] })
 */
export async function cohortTable(store: Store, request: CohortRequest): Promise<CohortRow[]> {
  const first = monthIndex(request.from);
  const last = monthIndex(new Date(request.to.getTime() - 1)) + 1;
  if (last <= first) {
    throw new FidelioError('usage', 'empty_range', 'to must be after from');
  }
  if (last - first > MAX_COHORT_MONTHS) {
    throw new FidelioError('usage', 'too_many_periods', `more than ${MAX_COHORT_MONTHS} signup months`);
  }
  const seg =
    request.segment === null
      ? ''
      : `JOIN segments sg ON sg.account_id = a.account_id AND sg.seg = ${request.segment}`;
  const rows = await store.query(
    `WITH ${segmentsCte(request.ctx as QueryContext)},
    cohort_accounts AS (
      SELECT a.account_id, ${sqlMonthIndex('a.created_at')} AS cohort FROM accounts a ${seg}
      WHERE a.created_at >= ${sqlTimestamp(monthStart(first))} AND a.created_at < ${sqlTimestamp(monthStart(last))}),
    sizes AS (SELECT cohort, COUNT(*) AS size FROM cohort_accounts GROUP BY cohort),
    -- A change counts at every month end T after it (effective_at < T): it adds new − old to the cohort's MRR
    -- and moves its active count by one when it starts or ends a subscription; the sums telescope.
    deltas AS (
      SELECT c.cohort, ${sqlMonthIndex('m.effective_at')} + 1 AS t,
        SUM(m.new_mrr - m.old_mrr) AS mrr,
        SUM(CASE WHEN m.new_mrr > 0 THEN 1 ELSE 0 END - CASE WHEN m.old_mrr > 0 THEN 1 ELSE 0 END) AS active
      FROM cohort_accounts c JOIN mrr_movements m ON m.account_id = c.account_id
      WHERE ${sqlMonthIndex('m.effective_at')} < ${last}
      GROUP BY c.cohort, t),
    -- Running sums in SQL keep the MRR exact (DECIMAL): a cohort that left entirely holds exactly 0.
    held AS (
      SELECT cohort, t, SUM(active) OVER (PARTITION BY cohort ORDER BY t) AS active,
        SUM(mrr) OVER (PARTITION BY cohort ORDER BY t) AS mrr
      FROM deltas)
    SELECT s.cohort, s.size, h.t, h.active, h.mrr FROM sizes s LEFT JOIN held h ON h.cohort = s.cohort
    ORDER BY s.cohort, h.t`,
    request.params,
  );
  const sizes = new Map<number, number>();
  const running = new Map<number, { t: number; active: number; mrr: number }[]>();
  for (const r of rows) {
    const cohort = Number(r.cohort);
    sizes.set(cohort, Number(r.size));
    const list = running.get(cohort) ?? [];
    if (r.t !== null) list.push({ t: Number(r.t), active: Number(r.active), mrr: Number(r.mrr) });
    running.set(cohort, list);
  }
  /** The cohort's active count and MRR at each month end index: the running sums of the latest t ≤ T. */
  const heldBy = (cohort: number, ends: number[]) => {
    const list = running.get(cohort) ?? [];
    let i = -1;
    return new Map(
      ends.map((t) => {
        while (i + 1 < list.length && list[i + 1]!.t <= t) i += 1;
        return [t, i < 0 ? { active: 0, mrr: 0 } : { active: list[i]!.active, mrr: list[i]!.mrr }] as const;
      }),
    );
  };
  const over = (t: number) => monthStart(t).getTime() <= request.asOf.getTime();
  const cohorts: CohortRow[] = [];
  for (let c = first; c < last; c += 1) {
    const size = sizes.get(c) ?? 0;
    const ends = Array.from({ length: last - c }, (_, k) => c + k + 1);
    const held = heldBy(c, ends);
    const at = (t: number) => held.get(t)!;
    let values: (number | null)[];
    if (request.basis === 'logo') {
      values = ends.map((t) => (over(t) && size > 0 ? (at(t).active / size) * 100 : null));
    } else {
      const base = ends.find((t) => over(t) && at(t).mrr > 0);
      values = ends.map((t) =>
        base === undefined || t < base || !over(t) ? null : (at(t).mrr / at(base).mrr) * 100,
      );
    }
    const month = monthStart(c).toISOString().slice(0, 7);
    cohorts.push({ cohort: month, size, values });
  }
  return cohorts;
}
