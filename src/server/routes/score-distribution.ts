// GET /api/v1/score-distribution: how many customer answers gave each score (NPS 0–10, CSAT 1–5, CES 1–7 and
// 1–5, FCR 0–1) in a range, in total or for one segment. Employee answers (eNPS) are never shown.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FidelioError } from '../../domain/errors.js';
import { METRICS } from '../../domain/import-format.js';
import { requireInstant } from '../../domain/time.js';
import { segmentsCte } from '../../kpi/query-context.js';
import { type Store, sqlTimestamp } from '../../store/store.js';
import { principal } from '../auth.js';
import { segmentFilter, segmentShape } from '../dashboard-scope.js';
import type { WorkspaceHub } from '../hub.js';
import { Params, queryProblem } from '../list-paging.js';

/** The scales each metric's answers use (KPI-SPEC §2); ces answers keep their own scale. */
const SCALES: Record<string, { scale: number | null; min: number; max: number }[]> = {
  nps: [{ scale: null, min: 0, max: 10 }],
  csat: [{ scale: null, min: 1, max: 5 }],
  ces: [
    { scale: 7, min: 1, max: 7 },
    { scale: 5, min: 1, max: 5 },
  ],
  fcr: [{ scale: null, min: 0, max: 1 }],
};

export const scoreDistributionQuery = z.strictObject({
  metric: z.enum(METRICS).describe('nps, csat, ces or fcr (enps is refused: employee answers are anonymous)'),
  from: z.string().max(100).describe('submitted at or after this instant (2025-03-01 = 00:00 UTC)'),
  to: z.string().max(100).describe('submitted before this instant'),
  ...segmentShape,
});
type ScoreDistributionQuery = z.infer<typeof scoreDistributionQuery>;

const scoreDistributionAnswer = z.object({
  metric: z.string(),
  from: z.string(),
  to: z.string(),
  segment: z.string().nullable(),
  total: z.number().int(),
  scales: z.array(
    z.object({
      scale: z.string().describe('"0-10", "1-5", "1-7" or "0-1"'),
      total: z.number().int(),
      counts: z.array(z.object({ score: z.number().int(), count: z.number().int() })),
    }),
  ),
});

async function scoreDistribution(store: Store, query: ScoreDistributionQuery) {
  if (query.metric === 'enps') {
    throw queryProblem(
      'metric',
      'employee_answers_private',
      'employee answers are anonymous (KPI-SPEC §5): their scores are not shown one by one or as counts; ' +
        'read eNPS from GET /api/v1/report, which suppresses groups under the minimum',
      'enps',
    );
  }
  const from = requireInstant(query.from, 'from');
  const to = requireInstant(query.to, 'to');
  if (to.getTime() <= from.getTime()) throw new FidelioError('usage', 'empty_range', 'to must be after from');
  const params = new Params();
  const segment = await segmentFilter(store, query, params);
  const seg =
    segment.placeholder === null
      ? ''
      : `JOIN segments sg ON sg.account_id = r.account_id AND sg.seg = ${segment.placeholder}`;
  const rows = await store.query(
    `WITH ${segmentsCte({ segmentBy: segment.by } as Parameters<typeof segmentsCte>[0])}
     SELECT r.scale, r.score, COUNT(*) AS answers FROM responses r ${seg}
     WHERE r.metric = ${params.add(query.metric)}
       AND r.submitted_at >= ${sqlTimestamp(from)} AND r.submitted_at < ${sqlTimestamp(to)}
     GROUP BY r.scale, r.score`,
    params.values,
  );
  const scales = SCALES[query.metric]!.map(({ scale, min, max }) => {
    const mine = rows.filter((r) => scale === null || Number(r.scale) === scale);
    const counts = Array.from({ length: max - min + 1 }, (_, i) => ({
      score: min + i,
      count: mine.filter((r) => Number(r.score) === min + i).reduce((s, r) => s + Number(r.answers), 0),
    }));
    return { scale: `${min}-${max}`, total: counts.reduce((s, c) => s + c.count, 0), counts };
  });
  return {
    metric: query.metric,
    from: from.toISOString(),
    to: to.toISOString(),
    segment: query.segment ?? null,
    total: scales.reduce((s, x) => s + x.total, 0),
    scales,
  };
}

export function registerScoreDistributionRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/score-distribution',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['dashboard'],
        summary: 'Customer answers per score of one metric in a range (never employee answers)',
        description: 'See docs/api.md "Dashboard data".',
        querystring: scoreDistributionQuery,
        response: { 200: scoreDistributionAnswer },
      },
    },
    async (request) => {
      const runtime = await hub.runtime(principal(request).workspace);
      return runtime.cached(`score-distribution:${JSON.stringify(request.query)}`, () =>
        scoreDistribution(runtime.reader, request.query),
      );
    },
  );
}
