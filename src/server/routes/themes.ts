// GET /api/v1/themes and /api/v1/themes/{id}/comments: feedback themes of customer comments (never employee
// answers) with their statistics, and the comments behind each theme. Computed once per data version.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseInstant } from '../../domain/time.js';
import { computeThemes, DEFAULT_MIN_MENTIONS, type ThemesRequest } from '../../insight/themes/themes.js';
import { principal } from '../auth.js';
import type { WorkspaceHub } from '../hub.js';
import { queryProblem } from '../list-paging.js';
import { HttpProblem } from '../problem.js';

const rangeShape = {
  from: z
    .string()
    .max(100)
    .optional()
    .describe('comments submitted at or after this instant (2025-03-01 = 00:00 UTC)'),
  to: z.string().max(100).optional().describe('comments submitted before this instant'),
  min_mentions: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .optional()
    .describe(`themes with fewer mentioning comments are left out (default ${DEFAULT_MIN_MENTIONS})`),
};
const themesQuery = z.strictObject(rangeShape);
const commentsQuery = z.strictObject({
  ...rangeShape,
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .describe('at most this many comments, newest first'),
});

const share = z.number().nullable();
const languages = z.object({ en: z.number(), it: z.number(), fr: z.number(), ms: z.number() });
const theme = z.object({
  id: z.string(),
  name: z.string().describe('its top terms, in the form written most often'),
  seed: z.string().nullable().describe('the seeded theme it comes from, or null when discovered'),
  terms: z.array(z.string()),
  mentions: z.number().int(),
  share: share.describe('percent of analysed comments'),
  languages,
  nps: z.object({
    promoters: z.number().int(),
    passives: z.number().int(),
    detractors: z.number().int(),
    promoter_share: share,
    passive_share: share,
    detractor_share: share,
  }),
  csat: z.object({ high: z.number().int(), low: z.number().int(), high_share: share, low_share: share }),
  detractor_lift: z.object({
    detractor_share: share,
    others_share: share,
    lift: z.number().nullable(),
    z: z.number().nullable(),
    p_value: z.number().nullable(),
  }),
  accounts: z.object({
    count: z.number().int(),
    mrr: z.number(),
    churned: z.number().int(),
    churn_pct: share,
  }),
  trend: z.array(
    z.object({ period: z.string(), mentions: z.number().int(), comments: z.number().int(), share }),
  ),
  example_comment_ids: z.array(z.string()),
});
const themesAnswer = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  as_of: z.string(),
  min_mentions: z.number().int(),
  comments: z.number().int(),
  analysed: z.number().int(),
  languages: languages.extend({ other: z.number() }),
  totals: z.object({
    promoters: z.number().int(),
    passives: z.number().int(),
    detractors: z.number().int(),
    csat_high: z.number().int(),
    csat_low: z.number().int(),
  }),
  themes: z.array(theme),
});
const themeComment = z.object({
  response_id: z.string(),
  submitted_at: z.string(),
  metric: z.string(),
  score: z.number(),
  account_id: z.string().nullable(),
  comment: z.string(),
  locale: z.string().nullable(),
  language: z.enum(['en', 'it', 'fr', 'ms']).nullable(),
  language_source: z.enum(['locale', 'detected']),
});
const commentsAnswer = z.object({
  theme: z.object({ id: z.string(), name: z.string() }),
  items: z.array(themeComment),
  total: z.number().int(),
});

function instantParam(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const instant = parseInstant(value);
  if (!instant) {
    throw queryProblem(
      name,
      'instant',
      'not an ISO-8601 date (2025-03-01) or date-time with an offset (2025-03-01T10:00:00Z)',
      value,
    );
  }
  return instant;
}

function requestOf(query: {
  from?: string | undefined;
  to?: string | undefined;
  min_mentions?: number | undefined;
}) {
  const from = instantParam('from', query.from);
  const to = instantParam('to', query.to);
  const request: ThemesRequest = { minMentions: query.min_mentions ?? DEFAULT_MIN_MENTIONS };
  if (from) request.from = from;
  if (to) request.to = to;
  return request;
}

export function registerThemeRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const themesOf = async (workspace: Parameters<WorkspaceHub['runtime']>[0], request: ThemesRequest) => {
    const runtime = await hub.runtime(workspace);
    const key = `themes:${request.from?.toISOString() ?? ''}:${request.to?.toISOString() ?? ''}:${request.minMentions}`;
    return runtime.cached(key, () => computeThemes(runtime.reader, request));
  };
  typed.get(
    '/api/v1/themes',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['read'],
        summary:
          'Feedback themes of customer comments (en, it, fr, ms) with NPS/CSAT shares, lift, MRR and churn',
        description:
          'The method and the formulas are in docs/themes.md. Employee (enps) comments are never read.',
        querystring: themesQuery,
        response: { 200: themesAnswer },
      },
    },
    async (request) => (await themesOf(principal(request).workspace, requestOf(request.query))).report,
  );
  typed.get(
    '/api/v1/themes/:id/comments',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['read'],
        summary: 'The comments that mention a theme, newest first',
        params: z.object({ id: z.string().min(1).max(200).describe('a theme id of GET /api/v1/themes') }),
        querystring: commentsQuery,
        response: { 200: commentsAnswer },
      },
    },
    async (request) => {
      const result = await themesOf(principal(request).workspace, requestOf(request.query));
      const found = result.report.themes.find((t) => t.id === request.params.id);
      if (!found) {
        throw new HttpProblem(
          404,
          'unknown_theme',
          `no theme "${request.params.id}" in this range; GET /api/v1/themes lists them`,
        );
      }
      const comments = result.comments.get(found.id) ?? [];
      return {
        theme: { id: found.id, name: found.name },
        items: comments.slice(0, request.query.limit),
        total: comments.length,
      };
    },
  );
}
