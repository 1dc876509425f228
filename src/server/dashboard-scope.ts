// What the dashboard's data routes share: a report's range and period read as the report reads them, one
// period of it, and a segment (a field and one of its values) to keep.
import { z } from 'zod';
import type { Period } from '../domain/time.js';
import { calendarPeriods, parseInstant } from '../domain/time.js';
import type { QueryContext, SegmentBy } from '../kpi/query-context.js';
import { resolveSegmentBy } from '../kpi/segments.js';
import { heldHealthSnapshots, latestDataInstant } from '../kpi/store-facts.js';
import type { Store } from '../store/store.js';
import { idText, type Params, queryProblem } from './list-paging.js';
import { reportQuery, reportRequest } from './routes/report.js';

export const segmentShape = {
  segment_by: reportQuery.shape.segment_by,
  segment: idText
    .optional()
    .describe('keep rows of accounts whose segment_by field has this value (without it: the total row)'),
};

/** The account field to segment by and the bound placeholder of the value kept, or null for the total. */
export interface SegmentFilter {
  by: SegmentBy;
  placeholder: string | null;
}

/**
 * Resolves segment_by as the report does. `team` segments employee answers, which these routes never show;
 * a segment without segment_by is a 400.
 */
export async function segmentFilter(
  store: Store,
  query: { segment_by?: string | undefined; segment?: string | undefined },
  params: Params,
): Promise<SegmentFilter> {
  if (query.segment !== undefined && query.segment_by === undefined) {
    throw queryProblem(
      'segment',
      'segment_without_field',
      'give segment_by too (for example segment_by=segment)',
    );
  }
  const by = await resolveSegmentBy(store, query.segment_by);
  if (by?.kind === 'team') {
    throw queryProblem(
      'segment_by',
      'employee_answers_private',
      'team groups employee answers, which are anonymous (KPI-SPEC §5); read eNPS by team from GET /api/v1/report',
      'team',
    );
  }
  return { by, placeholder: query.segment === undefined ? null : params.add(query.segment) };
}

/** The query of a route that reads one period of a report's range. */
export const periodQueryShape = {
  ...reportQuery.shape,
  ...segmentShape,
  period_start: z
    .string()
    .max(100)
    .optional()
    .describe('the start of the period to read (one of the report’s row starts); default: the last period'),
};
type PeriodQuery = z.infer<z.ZodObject<typeof periodQueryShape>>;

/** The period of the range that `period_start` names (the last one by default), or a 400 naming it. */
export function chosenPeriod(periods: readonly Period[], periodStart: string | undefined): Period {
  if (periodStart === undefined) return periods[periods.length - 1]!;
  const start = parseInstant(periodStart);
  const found = start && periods.find((p) => p.start.getTime() === start.getTime());
  if (!found) {
    throw queryProblem(
      'period_start',
      'not_a_period_start',
      'not the start of a period of this range and period kind; use a "start" of the report’s rows',
      periodStart,
    );
  }
  return found;
}

/** The KPI engine's context for one period of the report the query describes, and the segment kept. */
export async function periodScope(
  store: Store,
  query: PeriodQuery,
  params: Params,
): Promise<{ ctx: QueryContext; segment: SegmentFilter }> {
  const request = reportRequest(query);
  const periods = calendarPeriods(request.from, request.to, request.period, request.tz);
  const period = chosenPeriod(periods, query.period_start);
  const segment = await segmentFilter(store, query, params);
  const ctx: QueryContext = {
    periods: [period],
    periodKind: request.period,
    segmentBy: segment.by,
    asOf: request.asOf ?? (await latestDataInstant(store)) ?? request.to,
    config: request.config,
    dialect: store.dialect,
    healthSnapshots: await heldHealthSnapshots(store),
  };
  return { ctx, segment };
}
