// The pieces every aggregate query shares: the periods as a VALUES list, the segment join and grouping.
import type { Period, PeriodKind } from '../domain/time.js';
import { type Dialect, sqlIdentifier, sqlString, sqlTimestamp } from '../store/store.js';
import type { KpiConfig } from './config.js';

/** How rows map to segments: an account column or attribute, or the `team` of employee answers. */
export type SegmentBy = { kind: 'account'; field: string; column: boolean } | { kind: 'team' } | null;

export interface QueryContext {
  periods: readonly Period[];
  periodKind: PeriodKind;
  segmentBy: SegmentBy;
  asOf: Date;
  config: KpiConfig;
  dialect: Dialect;
  /** The health snapshots import keeps: up to which UTC month start, and for which windows. */
  healthSnapshots: HealthSnapshots | null;
}

export interface HealthSnapshots {
  last: Date;
  windows: string;
}

/** Index of the pseudo-period (−∞, first start) that cumulative sources use for the state before the report. */
export const PREFIX = -1;
const DAWN = new Date('0001-01-01T00:00:00Z');

/**
 * `periods(idx, p_start, p_end, b_first, b_last)` for the report periods, where b_first…b_last are the
 * buckets (see `bucketSeconds`) a period spans; with `prefix`, also row −1 covering all earlier time.
 * `buckets(bucket, idx)` lists every bucket of the report with its period.
 */
export function periodsCte(ctx: QueryContext, options: { prefix?: boolean } = {}): string {
  const unit = bucketSeconds(ctx) * 1000;
  const rows = ctx.periods.map((p, idx) => ({ idx, start: p.start, end: p.end }));
  if (options.prefix) rows.unshift({ idx: PREFIX, start: DAWN, end: ctx.periods[0]!.start });
  const values = rows.map((r) => {
    const [first, last] = r.idx === PREFIX ? [0, -1] : [r.start.getTime() / unit, r.end.getTime() / unit - 1];
    return [String(r.idx), sqlTimestamp(r.start), sqlTimestamp(r.end), String(first), String(last)].join(
      ', ',
    );
  });
  return `periods(idx, p_start, p_end, b_first, b_last) AS (VALUES (${values.join('), (')})),
  buckets(bucket, idx) AS (SELECT g.b, p.idx FROM periods p, generate_series(p.b_first, p.b_last) AS g(b))`;
}

/**
 * Facts find their period through an equi-join on a time bucket rather than a range join: buckets are the
 * widest unit — a day, an hour or 15 minutes — that every period boundary is a whole multiple of.
 */
export function bucketSeconds(ctx: QueryContext): number {
  const boundaries = ctx.periods.flatMap((p) => [p.start.getTime(), p.end.getTime()]);
  return [86_400, 3_600, 900].find((u) => boundaries.every((b) => b % (u * 1000) === 0)) ?? 1;
}

/** The bucket of a timestamp expression (seconds since 1970 divided by the bucket size). */
export function bucketOf(ctx: QueryContext, column: string): string {
  return `CAST(FLOOR(EXTRACT(EPOCH FROM ${column}) / ${bucketSeconds(ctx)}) AS BIGINT)`;
}

/**
 * Joins the period `p` a timestamp falls in; rows outside the report are dropped, or with `prefix`,
 * rows before it get period −1.
 */
export function periodOf(
  ctx: QueryContext,
  column: string,
  options: { prefix?: boolean; alias?: string } = {},
): string {
  const bk = `bk_${options.alias ?? 'p'}`;
  const p = options.alias ?? 'p';
  if (!options.prefix) {
    return `JOIN buckets ${bk} ON ${bk}.bucket = ${bucketOf(ctx, column)} JOIN periods ${p} ON ${p}.idx = ${bk}.idx`;
  }
  const first = sqlTimestamp(ctx.periods[0]!.start);
  return `LEFT JOIN buckets ${bk} ON ${bk}.bucket = ${bucketOf(ctx, column)}
    JOIN periods ${p} ON ${p}.idx = COALESCE(${bk}.idx, CASE WHEN ${column} < ${first} THEN ${PREFIX} END)`;
}

/** The accounts' segment values as `segments(account_id, seg)`; accounts without a value get no row. */
export function segmentsCte(ctx: QueryContext): string {
  const by = ctx.segmentBy;
  if (by?.kind !== 'account')
    return 'segments(account_id, seg) AS (SELECT account_id, NULL FROM accounts WHERE false)';
  if (by.column) {
    const column = sqlIdentifier(by.field);
    return `segments(account_id, seg) AS (SELECT account_id, ${column} FROM accounts WHERE ${column} IS NOT NULL)`;
  }
  return `segments(account_id, seg) AS (
    SELECT account_id, value FROM account_attributes WHERE name = ${sqlString(by.field)} AND value IS NOT NULL)`;
}

/**
 * Group by period, and by segment too when segmenting: total rows have `is_total = 1`.
 * `segExpr` is the segment of a row (e.g. `sg.seg`, or `r.team` for employee answers).
 */
export function grouping(
  ctx: QueryContext,
  segExpr = 'sg.seg',
  extra: readonly string[] = [],
): { select: string; groupBy: string } {
  const keys = ['p.idx', ...extra];
  if (ctx.segmentBy === null)
    return { select: `${keys.join(', ')}, NULL AS seg, 1 AS is_total`, groupBy: keys.join(', ') };
  return {
    select: `${keys.join(', ')}, ${segExpr} AS seg, GROUPING(${segExpr}) AS is_total`,
    groupBy: `GROUPING SETS ((${keys.join(', ')}), (${[...keys, segExpr].join(', ')}))`,
  };
}

/** Seconds between two timestamps, in both engines. */
export function secondsBetween(later: string, earlier: string): string {
  return `(EXTRACT(EPOCH FROM ${later}) - EXTRACT(EPOCH FROM ${earlier}))`;
}

/** An interval of whole days as a quoted literal both engines read. */
export function days(count: number): string {
  return `INTERVAL '${Math.round(count)} days'`;
}
