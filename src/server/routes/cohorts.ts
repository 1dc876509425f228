// GET /api/v1/cohorts: signup-month cohorts by months since signup, as logo or revenue retention (the
// dashboard's retention heatmap).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireInstant } from '../../domain/time.js';
import { COHORT_BASES, cohortTable } from '../../kpi/cohorts.js';
import { latestDataInstant } from '../../kpi/store-facts.js';
import type { Store } from '../../store/store.js';
import { principal } from '../auth.js';
import { segmentFilter, segmentShape } from '../dashboard-scope.js';
import type { WorkspaceHub } from '../hub.js';
import { Params } from '../list-paging.js';

export const cohortsQuery = z.strictObject({
  from: z.string().max(100).describe('the first signup month is the UTC month of this instant'),
  to: z.string().max(100).describe('end of the range, exclusive; a month it cuts is included whole'),
  basis: z
    .enum(COHORT_BASES)
    .default('logo')
    .describe('logo: % of accounts with MRR > 0; revenue: MRR as % of the first month with MRR'),
  as_of: z
    .string()
    .max(100)
    .optional()
    .describe('months ending after this are null (default: the latest in the data)'),
  ...segmentShape,
});
type CohortsQuery = z.infer<typeof cohortsQuery>;

const cohortsAnswer = z.object({
  basis: z.enum(COHORT_BASES),
  as_of: z.string(),
  cohorts: z.array(
    z.object({
      cohort: z.string().describe('signup month, YYYY-MM (UTC)'),
      size: z.number().int().describe('accounts created in that month'),
      values: z
        .array(z.number().nullable())
        .describe('values[k]: percent at the end of the k-th month after signup (k = 0: the signup month)'),
    }),
  ),
});

async function cohorts(store: Store, query: CohortsQuery) {
  const from = requireInstant(query.from, 'from');
  const to = requireInstant(query.to, 'to');
  const asOf =
    query.as_of === undefined
      ? ((await latestDataInstant(store)) ?? to)
      : requireInstant(query.as_of, 'as_of');
  const params = new Params();
  const segment = await segmentFilter(store, query, params);
  const rows = await cohortTable(store, {
    from,
    to,
    basis: query.basis,
    asOf,
    ctx: { segmentBy: segment.by },
    segment: segment.placeholder,
    params: params.values,
  });
  return { basis: query.basis, as_of: asOf.toISOString(), cohorts: rows };
}

export function registerCohortRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/cohorts',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['dashboard'],
        summary: 'Signup-month cohorts × months since signup: logo or revenue retention in percent',
        description: 'See docs/api.md "Dashboard data".',
        querystring: cohortsQuery,
        response: { 200: cohortsAnswer },
      },
    },
    async (request) => {
      const runtime = await hub.runtime(principal(request).workspace);
      return runtime.cached(`cohorts:${JSON.stringify(request.query)}`, () =>
        cohorts(runtime.reader, request.query),
      );
    },
  );
}
