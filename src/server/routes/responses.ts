// GET /api/v1/responses: a workspace's customer survey answers (never employee answers), filtered, sorted
// and paged, as JSON or spreadsheet-safe CSV.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { METRICS } from '../../domain/import-format.js';
import { parseInstant } from '../../domain/time.js';
import type { Store } from '../../store/store.js';
import { principal } from '../auth.js';
import type { WorkspaceHub } from '../hub.js';
import {
  csvNote,
  idText,
  type ListSql,
  likeEscape,
  listCacheKey,
  orderOf,
  Params,
  pageOf,
  pagingShape,
  queryProblem,
  type SortField,
  searchText,
  sendCsv,
  sortParam,
  wantsCsv,
} from '../list-paging.js';
import { RESPONSE_COLUMNS, responseItem, responseOf } from '../response-item.js';

const RESPONSE_SORTS: Record<string, SortField> = {
  submitted_at: { expr: 'submitted_at', type: 'timestamp' },
  score: { expr: 'score', type: 'integer' },
  metric: { expr: 'metric', type: 'text' },
  response_id: { expr: 'response_id', type: 'text' },
  account_id: { expr: 'account_id', type: 'text' },
};

export const responsesQuery = z.strictObject({
  metric: z
    .enum(METRICS)
    .optional()
    .describe('nps, csat, ces or fcr; enps answers are never listed (KPI-SPEC §5), see docs/api.md'),
  score_min: z.coerce.number().int().optional(),
  score_max: z.coerce.number().int().optional(),
  segment: idText.optional().describe('the segment of the answering account'),
  account_id: idText.optional(),
  from: z
    .string()
    .max(100)
    .optional()
    .describe('submitted at or after this instant (2025-03-01 = 00:00 UTC)'),
  to: z.string().max(100).optional().describe('submitted before this instant'),
  q: searchText.optional().describe('text in the comment (case-insensitive)'),
  locale: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
    .optional()
    .describe('the answer\'s language: "it" matches it and it-IT'),
  sort: sortParam(RESPONSE_SORTS, '-submitted_at'),
  ...pagingShape,
});
type ResponsesQuery = z.infer<typeof responsesQuery>;

const responsesAnswer = z.object({
  items: z.array(responseItem),
  total: z.number().int(),
  next: z.string().nullable(),
});

/** An instant parameter, or a 400 naming it. */
function instantParam(name: string, value: string): Date {
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

function responseFilters(query: ResponsesQuery, params: Params): string[] {
  // KPI-SPEC §5: employee answers are anonymous; listing them one by one (or by small groups) could
  // identify people, so they are not part of this list at all. The report shows eNPS with suppression.
  const where = ["metric <> 'enps'"];
  if (query.metric !== undefined) where.push(`metric = ${params.add(query.metric)}`);
  if (query.score_min !== undefined) where.push(`score >= ${params.add(query.score_min)}`);
  if (query.score_max !== undefined) where.push(`score <= ${params.add(query.score_max)}`);
  if (query.segment !== undefined) where.push(`segment = ${params.add(query.segment)}`);
  if (query.account_id !== undefined) where.push(`account_id = ${params.add(query.account_id)}`);
  const stamp = (d: Date) =>
    `CAST(${params.add(d.toISOString().replace('T', ' ').replace('Z', ''))} AS TIMESTAMP)`;
  if (query.from !== undefined) where.push(`submitted_at >= ${stamp(instantParam('from', query.from))}`);
  if (query.to !== undefined) where.push(`submitted_at < ${stamp(instantParam('to', query.to))}`);
  if (query.locale !== undefined) {
    const locale = params.add(query.locale.toLowerCase());
    where.push(`(lower(locale) = ${locale} OR lower(locale) LIKE ${locale} || '-%')`);
  }
  if (query.q !== undefined) {
    where.push(`lower(comment) LIKE lower(${params.add(`%${likeEscape(query.q)}%`)}) ESCAPE '\\'`);
  }
  return where;
}

async function listResponses(store: Store, query: ResponsesQuery) {
  if (query.metric === 'enps') {
    throw queryProblem(
      'metric',
      'employee_answers_private',
      'employee answers are anonymous (KPI-SPEC §5) and are not listed; read eNPS by team from ' +
        'GET /api/v1/report?segment_by=team, which suppresses small groups',
      'enps',
    );
  }
  const order = orderOf(RESPONSE_SORTS, query.sort);
  const params = new Params();
  const list: ListSql = {
    ctes: [
      `response_rows AS (
        SELECT r.response_id, r.submitted_at, r.metric, r.score, r.scale, r.account_id, a.name AS account_name,
          a.segment, r.respondent_id, r.comment, r.locale
        FROM responses r LEFT JOIN accounts a ON a.account_id = r.account_id)`,
    ],
    source: 'response_rows',
    where: responseFilters(query, params),
    id: 'response_id',
  };
  const page = await pageOf(store, list, order, query, params);
  return { items: page.rows.map(responseOf), total: page.total, next: page.next };
}

export function registerResponseRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/responses',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['read'],
        summary: 'Survey answers of customers (never employee answers), filtered, sorted and paged',
        description: `The list of docs/api.md "Reading accounts and answers".${csvNote}`,
        querystring: responsesQuery,
        response: { 200: responsesAnswer },
      },
    },
    async (request, reply) => {
      const runtime = await hub.runtime(principal(request).workspace);
      const answer = await runtime.cached(`read:responses:${listCacheKey(request.query)}`, () =>
        listResponses(runtime.reader, request.query),
      );
      if (!wantsCsv(request, request.query.format)) return reply.header('vary', 'accept').send(answer);
      const records = answer.items.map((item) => RESPONSE_COLUMNS.map((c) => item[c]));
      return sendCsv(reply, 'responses', answer, RESPONSE_COLUMNS, records);
    },
  );
}
