// GET /api/v1/survey-fatigue/audit: why each person was or was not asked; GET/PUT
// /api/v1/survey-fatigue/settings: the fatigue limit of each survey template (admins set it, through the commit
// queue, which bumps the data version).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseInstant } from '../../domain/time.js';
import {
  fatigueAudit,
  fatigueDays,
  MAX_AUDIT_ROWS,
  MAX_FATIGUE_DAYS,
  setFatigueDays,
} from '../../surveys/fatigue.js';
import { TEMPLATES, type Template } from '../../surveys/survey.js';
import { principal } from '../auth.js';
import type { WorkspaceHub } from '../hub.js';
import { idText, queryProblem } from '../list-paging.js';

const days = z
  .number()
  .int()
  .min(0)
  .max(MAX_FATIGUE_DAYS)
  .describe(`whole days, 0–${MAX_FATIGUE_DAYS}; 0 turns the rule off for the template`);

const allDays = z.object(
  Object.fromEntries(TEMPLATES.map((t) => [t, days])) as Record<Template, typeof days>,
);

const settings = z.object({
  fatigue_days: allDays.describe(
    'nobody is asked by a survey of the template within this many days of any ask',
  ),
});

const settingsBody = z.strictObject({
  fatigue_days: allDays
    .partial()
    .strict()
    .describe('the templates whose limit changes; the others keep theirs'),
});

const auditQuery = z.strictObject({
  contact_id: idText.optional(),
  survey_id: idText.optional().describe('the survey that considered asking'),
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT_ROWS).default(100),
  before: z.string().max(100).optional().describe('only decisions made before this instant'),
  cursor: z.string().max(1000).optional().describe('the `next` of the previous page'),
});

const auditRow = z.object({
  decided_at: z.string(),
  contact_id: z.string(),
  survey_id: z.string(),
  channel: z.string(),
  asked: z.boolean(),
  reason: z
    .string()
    .describe('e.g. "not asked: asked 12 days ago by \\"Q3 NPS\\" (email); the nps limit is 30 days"'),
});

/** A page's last row as an opaque cursor. */
function auditCursor(row: { decided_at: string; survey_id: string; contact_id: string }): string {
  return Buffer.from(JSON.stringify([row.decided_at, row.survey_id, row.contact_id])).toString('base64url');
}

function auditCursorOf(cursor: string) {
  try {
    const [decided_at, survey_id, contact_id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      typeof decided_at === 'string' &&
      parseInstant(decided_at) &&
      typeof survey_id === 'string' &&
      typeof contact_id === 'string'
    ) {
      return { decided_at, survey_id, contact_id };
    }
  } catch {
    // Falls through to the problem below.
  }
  throw queryProblem('cursor', 'cursor', 'not a cursor this list returned', cursor);
}

export function registerSurveyFatigueRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/v1/survey-fatigue/audit',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['surveys'],
        summary: 'Why each person was or was not asked by a survey, newest first',
        querystring: auditQuery,
        response: {
          200: z.object({
            items: z.array(auditRow),
            next: z.string().nullable().describe('the cursor of the next page; null on the last one'),
          }),
        },
      },
    },
    async (request) => {
      const { before, cursor, ...query } = request.query;
      const instant = before === undefined ? undefined : parseInstant(before);
      if (instant === null) {
        throw queryProblem(
          'before',
          'instant',
          'not an ISO-8601 date (2025-03-01) or date-time with an offset (2025-03-01T10:00:00Z)',
          before,
        );
      }
      const after = cursor === undefined ? undefined : auditCursorOf(cursor);
      const runtime = await hub.runtime(principal(request).workspace);
      const items = await fatigueAudit(runtime.reader, { ...query, before: instant, after });
      const last = items.at(-1);
      return { items, next: items.length === query.limit && last ? auditCursor(last) : null };
    },
  );
  typed.get(
    '/api/v1/survey-fatigue/settings',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['surveys'],
        summary: 'The fatigue limit of each survey template',
        querystring: z.strictObject({}),
        response: { 200: settings },
      },
    },
    async (request) => {
      const runtime = await hub.runtime(principal(request).workspace);
      return { fatigue_days: await fatigueDays(runtime.reader) };
    },
  );
  typed.put(
    '/api/v1/survey-fatigue/settings',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['surveys'],
        summary: 'Change the fatigue limit of some survey templates',
        body: settingsBody,
        response: { 200: settings },
      },
    },
    async (request) => {
      const runtime = await hub.runtime(principal(request).workspace);
      const overrides = request.body.fatigue_days as Partial<Record<Template, number>>;
      const fatigue_days = await runtime.queue.submitJob((store) => setFatigueDays(store, overrides), {
        touchesFacts: false,
      });
      return { fatigue_days };
    },
  );
}
