// GET /api/v1/experience: the CLI's `fidelio experience`, same JSON (docs/experience.md).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireInstant } from '../../domain/time.js';
import { computeExperience } from '../../insight/experience/experience.js';
import { DEFAULT_CONFIG } from '../../kpi/config.js';
import { principal } from '../auth.js';
import type { WorkspaceHub } from '../hub.js';

const experienceQuery = z.strictObject({
  from: z.string().describe('start of the range: groups come from the answers before it'),
  to: z.string().describe('end of the range, exclusive; MRR at risk is measured at it'),
});

const measure = z.object({
  value: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  n: z.number(),
  enough: z.boolean(),
});

const group = z.object({
  group: z.string(),
  accounts: z.number(),
  mrr_start: z.number(),
  mrr_end: z.number(),
  retention: measure,
  nrr: measure,
  expansion: measure,
  expansion_mrr: measure,
  clv: measure,
});

const bucket = z.object({ accounts: z.number(), mrr: z.number() });

const experienceAnswer = z.object({
  from: z.string(),
  to: z.string(),
  months: z.number(),
  currency: z.string().nullable(),
  gross_margin: z.number(),
  by_nps: z.array(group),
  by_csat: z.array(group),
  mrr_at_risk: z.object({
    at: z.string(),
    active: bucket,
    detractors: bucket,
    pending_cancellation: bucket,
    both: bucket,
    either: bucket,
    either_pct: z.number().nullable(),
  }),
});

export function registerExperienceRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/experience',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['report'],
        summary: 'Retention, NRR, expansion and CLV by NPS and CSAT group, with 95 % intervals; MRR at risk',
        querystring: experienceQuery,
        response: { 200: experienceAnswer },
      },
    },
    async (request) => {
      const query = {
        from: requireInstant(request.query.from, 'from'),
        to: requireInstant(request.query.to, 'to'),
        grossMargin: DEFAULT_CONFIG.gross_margin,
        minSample: DEFAULT_CONFIG.ci_min_sample,
      };
      const runtime = await hub.runtime(principal(request).workspace);
      return runtime.cached(`experience:${JSON.stringify(query)}`, () =>
        computeExperience(runtime.reader, query),
      );
    },
  );
}
