// GET /api/v1/report (the CLI's report, same options, same JSON) and GET /api/v1/kpis (the catalogue).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PERIOD_KINDS, requireInstant, requireTimeZone } from '../../domain/time.js';
import { KPIS } from '../../kpi/catalogue.js';
import { DEFAULT_CONFIG } from '../../kpi/config.js';
import { computeReport } from '../../kpi/engine.js';
import { latestDataInstant } from '../../kpi/store-facts.js';
import { principal } from '../auth.js';
import type { WorkspaceHub, WorkspaceRuntime } from '../hub.js';

export const reportQuery = z.strictObject({
  from: z.string().describe('first instant of the range (2024-01-01 = 00:00 UTC)'),
  to: z.string().describe('end of the range, exclusive'),
  period: z.enum(PERIOD_KINDS).default('month'),
  segment_by: z.string().min(1).optional().describe('segment, country, an account attribute, or team'),
  as_of: z.string().optional().describe('the time the data describes (default: the latest in the data)'),
  value_event: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('usage events that mean "reached value" (repeat, or separate with commas)'),
  tz: z.string().default('UTC').describe('IANA time zone of the calendar'),
});
export type ReportQuery = z.infer<typeof reportQuery>;

/** GET /api/v1/report's own query: the report's, and `ci` (the routes reading one period share only the former). */
const reportRouteQuery = reportQuery.extend({
  ci: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: each row adds `ci`, 95 % intervals of nps, csat, crr and churn_rate'),
});

/** The engine's request for query parameters, checked exactly as the CLI checks its flags. */
export function reportRequest(query: ReportQuery & { ci?: 'true' | 'false' | undefined }) {
  const events = [query.value_event ?? []]
    .flat()
    .flatMap((e) => e.split(','))
    .map((e) => e.trim());
  return {
    from: requireInstant(query.from, 'from'),
    to: requireInstant(query.to, 'to'),
    period: query.period,
    segmentBy: query.segment_by,
    asOf: query.as_of === undefined ? undefined : requireInstant(query.as_of, 'as_of'),
    tz: requireTimeZone(query.tz),
    config:
      query.value_event === undefined
        ? DEFAULT_CONFIG
        : { ...DEFAULT_CONFIG, value_events: events.filter((e) => e !== '') },
    ...(query.ci === 'true' ? { ci: true } : {}),
  };
}

type ReportRequest = ReturnType<typeof reportRequest>;

/** The report at the workspace's current data version, computed once per version and request. */
export function cachedReport(runtime: WorkspaceRuntime, request: ReportRequest) {
  return runtime.cached(`report:${JSON.stringify(request)}`, () => computeReport(runtime.reader, request));
}

/**
 * Computes ahead the report the dashboard's overview asks first: the last 12 UTC months to the month of `at`,
 * by segment (its default window, see web/src/format.ts defaultRange), for now and for the latest data.
 */
export async function warmOverviewReports(runtime: WorkspaceRuntime, now: Date = new Date()): Promise<void> {
  const latest = await latestDataInstant(runtime.reader);
  const months = new Set([now, latest ?? now].map((at) => `${at.getUTCFullYear()}-${at.getUTCMonth()}`));
  for (const month of months) {
    const [year, index] = month.split('-').map(Number) as [number, number];
    const day = (y: number, m: number) => new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
    const query = reportQuery.parse({
      from: day(year, index - 11),
      to: day(year, index + 1),
      segment_by: 'segment',
    });
    await cachedReport(runtime, reportRequest(query));
  }
}

const reportAnswer = z.object({
  as_of: z.string(),
  period: z.enum(PERIOD_KINDS),
  currency: z.string().nullable().describe('the currency of money KPIs (ISO 4217)'),
  rows: z.array(
    z.object({
      start: z.string(),
      end: z.string(),
      segment: z.string().nullable(),
      kpis: z.record(z.string(), z.number().nullable()),
      suppressed: z.array(z.string()),
      ci: z
        .record(
          z.string(),
          z.object({
            low: z.number().nullable(),
            high: z.number().nullable(),
            n: z.number(),
            enough: z.boolean().describe('false: fewer answers or accounts than ci_min_sample (default 30)'),
          }),
        )
        .optional()
        .describe('with ci=true: 95 % intervals (extension of KPI-SPEC §6)'),
    }),
  ),
});

export function registerReportRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/v1/report',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['report'],
        summary: 'Every KPI by period and segment (KPI-SPEC §6)',
        querystring: reportRouteQuery,
        response: { 200: reportAnswer },
      },
    },
    async (request) => {
      const reportOf = reportRequest(request.query);
      const runtime = await hub.runtime(principal(request).workspace);
      return cachedReport(runtime, reportOf);
    },
  );
  typed.get(
    '/api/v1/kpis',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['report'],
        summary: 'The KPI catalogue: id, label, unit, better direction, formula',
        response: {
          200: z.array(
            z.object({
              id: z.string(),
              family: z.string(),
              label: z.string(),
              unit: z.string(),
              better: z.string(),
              formula: z.string(),
            }),
          ),
        },
      },
    },
    async () =>
      KPIS.map(({ id, family, label, unit, better, formula }) => ({
        id,
        family,
        label,
        unit,
        better,
        formula,
      })),
  );
}
