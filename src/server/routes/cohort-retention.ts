// GET /api/v1/cohort-retention: the CLI's `fidelio cohorts`, same JSON (docs/clv.md "Subscriptions").
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FidelioError } from '../../domain/errors.js';
import { requireInstant } from '../../domain/time.js';
import { cohortRetention, MAX_PROJECTION_MONTHS } from '../../insight/clv/cohort-retention.js';
import { DEFAULT_CONFIG } from '../../kpi/config.js';
import { principal } from '../auth.js';
import type { WorkspaceHub } from '../hub.js';
import { queryProblem } from '../list-paging.js';

export const cohortRetentionQuery = z.strictObject({
  as_of: z
    .string()
    .max(100)
    .optional()
    .describe('the data up to this instant (default: the latest in the data)'),
  segment_by: z.string().min(1).max(200).optional().describe('segment, country or an account attribute'),
  months: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PROJECTION_MONTHS)
    .default(36)
    .describe('months of the projected curves and cohorts'),
  discount_monthly: z.coerce
    .number()
    .min(0)
    .lt(1)
    .default(0.01)
    .describe('monthly discount rate of the CLV (0.01 = 1 % a month)'),
});

const nullableNumber = z.number().nullable();
const part = z.object({
  segment: z.string().nullable().describe('the segment value; null for all customers'),
  customers: z.number().int().describe('customers in the cohorts (first subscription started by as_of)'),
  model: z
    .object({ a: z.number(), b: z.number(), log_likelihood: z.number(), converged: z.boolean() })
    .nullable(),
  reason: z.string().nullable().describe('why there is no model'),
  active_customers: z.number().int(),
  arpa: nullableNumber,
  discounted_lifetime_months: nullableNumber,
  clv: nullableNumber,
  curve: z.array(
    z.object({
      month: z.number().int(),
      observed_survival: nullableNumber,
      observed_retention: nullableNumber,
      at_risk: z.number().int(),
      survival: nullableNumber,
      retention: nullableNumber,
    }),
  ),
  cohorts: z.array(
    z.object({
      cohort: z.string().describe('YYYY-MM (UTC) of the first subscription'),
      size: z.number().int(),
      age: z.number().int().describe('whole months of tenure every member has completed by as_of'),
      alive: z.array(z.number().int()),
      projected: z.array(z.number()),
    }),
  ),
});

const cohortRetentionAnswer = z.object({
  as_of: z.string(),
  months: z.number().int(),
  discount_monthly: z.number(),
  gross_margin: z.number(),
  currency: z.string().nullable(),
  segment_by: z.string().nullable(),
  overall: part,
  segments: z.array(part),
});

/** resolveSegmentBy's refusals, which name the CLI flag: here they name the query parameter. */
const SEGMENT_ERRORS = new Set(['unknown_segment_field', 'team_segment']);

export function registerCohortRetentionRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/cohort-retention',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['report'],
        summary:
          'Contractual retention: the shifted-beta-geometric model fitted on monthly customer cohorts, observed and projected curves, cohort projections and a subscription CLV',
        description: 'See docs/clv.md "Subscriptions: the sBG model".',
        querystring: cohortRetentionQuery,
        response: { 200: cohortRetentionAnswer },
      },
    },
    async (request) => {
      const q = request.query;
      const query = {
        asOf: q.as_of === undefined ? undefined : requireInstant(q.as_of, 'as_of'),
        segmentBy: q.segment_by,
        months: q.months,
        discountMonthly: q.discount_monthly,
        grossMargin: DEFAULT_CONFIG.gross_margin,
      };
      const runtime = await hub.runtime(principal(request).workspace);
      return runtime.cached(`cohort-retention:${JSON.stringify(query)}`, async () => {
        try {
          return await cohortRetention(runtime.reader, query);
        } catch (error) {
          if (error instanceof FidelioError && SEGMENT_ERRORS.has(error.code)) {
            throw queryProblem('segment_by', error.code, error.message, q.segment_by ?? '');
          }
          throw error;
        }
      });
    },
  );
}
