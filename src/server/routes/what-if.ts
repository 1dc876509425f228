// GET /api/v1/what-if: the CLI's `fidelio what-if`, same JSON (docs/experience.md).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireInstant } from '../../domain/time.js';
import { computeWhatIf, MAX_MONTHS } from '../../insight/what-if/what-if.js';
import { DEFAULT_CONFIG } from '../../kpi/config.js';
import { principal } from '../auth.js';
import type { WorkspaceHub } from '../hub.js';

const whatIfQuery = z.strictObject({
  months: z.coerce.number().int().min(1).max(MAX_MONTHS).default(24).describe('months to project'),
  churn_delta: z.coerce.number().finite().default(0).describe('points added to the monthly churn rate'),
  retention_delta: z.coerce.number().finite().default(0).describe('points added to monthly retention'),
  expansion_pct: z.coerce
    .number()
    .finite()
    .default(0)
    .describe('percent added to the monthly expansion rate'),
  segment_by: z.string().min(1).optional().describe('segment, country or an account attribute'),
  as_of: z
    .string()
    .optional()
    .describe('rates from the 12 months before it (default: the latest in the data)'),
});

const point = z.object({ month: z.number(), customers: z.number(), mrr: z.number() });
const projection = z.object({
  churn_rate: z.number(),
  mrr_churn_rate: z.number(),
  expansion_rate: z.number(),
  points: z.array(point),
  customers: z.number(),
  mrr: z.number(),
  revenue: z.number(),
  clv: z.number().nullable(),
});
const difference = z.object({
  customers: z.number(),
  mrr: z.number(),
  revenue: z.number(),
  clv: z.number().nullable(),
});

const whatIfAnswer = z.object({
  as_of: z.string(),
  window: z.object({ from: z.string(), to: z.string() }),
  months: z.number(),
  currency: z.string().nullable(),
  gross_margin: z.number(),
  change: z.object({ churn_delta: z.number(), retention_delta: z.number(), expansion_pct: z.number() }),
  segments: z.array(
    z.object({
      segment: z.string().nullable(),
      rates: z.record(z.string(), z.number()),
      baseline: projection,
      scenario: projection,
      difference,
    }),
  ),
  total: z.object({ baseline: projection, scenario: projection, difference }),
});

export function registerWhatIfRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/what-if',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['report'],
        summary: 'MRR, customers and CLV projected ahead, as they are and under a change; the difference',
        querystring: whatIfQuery,
        response: { 200: whatIfAnswer },
      },
    },
    async (request) => {
      const q = request.query;
      const query = {
        months: q.months,
        asOf: q.as_of === undefined ? undefined : requireInstant(q.as_of, 'as_of'),
        segmentBy: q.segment_by,
        grossMargin: DEFAULT_CONFIG.gross_margin,
        change: {
          churnDelta: q.churn_delta,
          retentionDelta: q.retention_delta,
          expansionPct: q.expansion_pct,
        },
      };
      const runtime = await hub.runtime(principal(request).workspace);
      return runtime.cached(`what-if:${JSON.stringify(query)}`, () => computeWhatIf(runtime.reader, query));
    },
  );
}
