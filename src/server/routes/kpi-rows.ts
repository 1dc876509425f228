// GET /api/v1/kpis/:id/rows: the rows behind a KPI's value in one period of a report (the accounts, movements,
// answers, tickets or payments it counts), paged, as JSON or spreadsheet-safe CSV.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CellType, DRILL_DOWNS, type DrillDown, isDrillable } from '../../kpi/drill-down.js';
import type { Row, Store } from '../../store/store.js';
import { principal } from '../auth.js';
import { periodQueryShape, periodScope } from '../dashboard-scope.js';
import type { WorkspaceHub } from '../hub.js';
import {
  csvNote,
  listCacheKey,
  type Order,
  Params,
  pageOf,
  pagingShape,
  sendCsv,
  wantsCsv,
} from '../list-paging.js';
import { HttpProblem } from '../problem.js';

export const kpiRowsQuery = z.strictObject({ ...periodQueryShape, ...pagingShape });
type KpiRowsQuery = z.infer<typeof kpiRowsQuery>;

type Cell = string | number | null;

const kpiRowsAnswer = z.object({
  kpi: z.string(),
  start: z.string().describe('the period drilled: [start, end)'),
  end: z.string(),
  segment: z.string().nullable().describe('the segment value kept, or null for the total'),
  explains: z.string().describe('how the KPI follows from the rows'),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
  total: z.number().int().describe('rows in the whole population, not only this page'),
  next: z.string().nullable(),
});
type KpiRowsAnswer = z.infer<typeof kpiRowsAnswer>;

/** The drill-down of a KPI id, or a 404 problem saying why there is none. */
function drillDownOf(id: string): DrillDown {
  const entry = Object.hasOwn(DRILL_DOWNS, id) ? DRILL_DOWNS[id] : undefined;
  if (!entry) throw new HttpProblem(404, 'unknown_kpi', `no KPI "${id}"; GET /api/v1/kpis lists the ids`);
  if (!isDrillable(entry)) throw new HttpProblem(404, 'not_drillable', entry.reason);
  return entry;
}

function cellOf(value: unknown, type: CellType): Cell {
  if (value === null || value === undefined) return null;
  if (type === 'flag') return value === true ? 'yes' : 'no';
  if (type === 'instant') return value instanceof Date ? value.toISOString() : String(value);
  if (type === 'number') return Number(value);
  return String(value);
}

async function kpiRows(
  store: Store,
  id: string,
  drill: DrillDown,
  query: KpiRowsQuery,
): Promise<KpiRowsAnswer> {
  const params = new Params();
  const { ctx, segment } = await periodScope(store, query, params);
  if (drill.needsValueEvents && ctx.config.value_events.length === 0) {
    throw new HttpProblem(400, 'invalid_query', `${id} needs the value events, as the report does`, [
      {
        path: 'query.value_event',
        rule: 'value_event_required',
        message: 'name the usage events that mean "reached value" (value_event=…)',
      },
    ]);
  }
  const order: Order = {
    name: drill.kind,
    field: { expr: 'sort_value', type: drill.sort.type },
    descending: drill.sort.descending,
  };
  const page = await pageOf(
    store,
    {
      ctes: drill.sql({ ctx, segment: segment.placeholder }),
      source: 'drill_rows',
      where: [],
      id: 'row_key',
    },
    order,
    { ...query, sort: `${id}:${drill.kind}` },
    params,
  );
  const period = ctx.periods[0]!;
  return {
    kpi: id,
    start: period.start.toISOString(),
    end: period.end.toISOString(),
    segment: query.segment ?? null,
    explains: drill.explains,
    columns: drill.columns.map(([name]) => name),
    rows: page.rows.map((row: Row) => drill.columns.map(([name, type]) => cellOf(row[name], type))),
    total: page.total,
    next: page.next,
  };
}

export function registerKpiRowsRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/kpis/:id/rows',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['dashboard'],
        summary: "The rows behind a KPI's value in one period (the last of the range, or period_start)",
        description: `Range, period and segments as for GET /api/v1/report; see docs/api.md "Dashboard data".${csvNote}`,
        params: z.object({ id: z.string().min(1).max(100) }),
        querystring: kpiRowsQuery,
        response: { 200: kpiRowsAnswer },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const drill = drillDownOf(id);
      const runtime = await hub.runtime(principal(request).workspace);
      const answer = await runtime.cached(`kpi-rows:${id}:${listCacheKey(request.query)}`, () =>
        kpiRows(runtime.reader, id, drill, request.query),
      );
      if (!wantsCsv(request, request.query.format)) return reply.header('vary', 'accept').send(answer);
      return sendCsv(reply, `${id}-rows`, answer, answer.columns, answer.rows);
    },
  );
}
