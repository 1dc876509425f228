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
}

/** Index of the pseudo-period (−∞, first start) that cumulative sources use for the state before the report. */
export const PREFIX = -1;
const DAWN = new Date('0001-01-01T00:00:00Z');

/**
 * `periods(idx, p_start, p_end)` for the report periods; with `prefix`, also row −1 covering all earlier time.
 * Extra columns are instants derived from each period's end (health windows), named by `extra`.
 */
export function periodsCte(
  ctx: QueryContext,
  options: { prefix?: boolean; extra?: Record<string, (end: Date) => Date> } = {},
): string {
  const rows = ctx.periods.map((p, idx) => ({ idx, start: p.start, end: p.end }));
  if (options.prefix) rows.unshift({ idx: PREFIX, start: DAWN, end: ctx.periods[0]!.start });
  const extra = Object.entries(options.extra ?? {});
  const values = rows.map((r) =>
    [
      String(r.idx),
      sqlTimestamp(r.start),
      sqlTimestamp(r.end),
      ...extra.map(([, at]) => sqlTimestamp(at(r.end))),
    ].join(', '),
  );
  const names = ['idx', 'p_start', 'p_end', ...extra.map(([name]) => name)].join(', ');
  return `periods(${names}) AS (VALUES (${values.join('), (')}))`;
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
