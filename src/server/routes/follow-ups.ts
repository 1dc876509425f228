// /api/v1/follow-ups: the items detractors and low CSAT answers open (read to list; ingest to work on them, so
// analysts can), and /api/v1/follow-up-recipients: who is e-mailed about each new one (admin).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  FOLLOW_UP_STATUSES,
  findFollowUp,
  followUpRecipients,
  listFollowUps,
  setFollowUpRecipients,
  updateFollowUp,
} from '../../surveys/follow-ups.js';
import { principal } from '../auth.js';
import type { WorkspaceHub } from '../hub.js';
import { MAX_LIMIT } from '../list-paging.js';
import { HttpProblem } from '../problem.js';

const followUp = z.object({
  followup_id: z.string(),
  answer_id: z.string(),
  survey_id: z.string(),
  survey_name: z.string().nullable(),
  response_id: z.string(),
  account_id: z.string().nullable(),
  contact_id: z.string().nullable(),
  reason: z.enum(['detractor', 'low_csat']).describe('detractor: NPS 0–6; low_csat: CSAT 1–2'),
  score: z.number(),
  comment: z.string().nullable(),
  assignee: z.string().nullable(),
  status: z.enum(FOLLOW_UP_STATUSES),
  note: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

const recipients = z.object({
  recipients: z.array(z.email()).max(50).describe('e-mail addresses notified of each new follow-up'),
});

export function registerFollowUpRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/v1/follow-ups',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['surveys'],
        summary: 'Follow-ups opened by detractors (NPS ≤ 6) and low CSAT (≤ 2), newest first',
        querystring: z.strictObject({
          status: z.enum(FOLLOW_UP_STATUSES).optional(),
          assignee: z.string().min(1).max(200).optional(),
          survey_id: z.string().min(1).max(100).optional(),
          limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
        }),
        response: { 200: z.object({ items: z.array(followUp), total: z.number() }) },
      },
    },
    async (request) => listFollowUps((await hub.runtime(principal(request).workspace)).reader, request.query),
  );
  typed.patch(
    '/api/v1/follow-ups/:id',
    {
      config: { scope: 'ingest' },
      // The path names the resource: an unknown follow-up is a 404 whatever the body.
      preValidation: async (request) => {
        const { id } = request.params as { id: string };
        const runtime = await hub.runtime(principal(request).workspace);
        if (!(await findFollowUp(runtime.reader, id))) {
          throw new HttpProblem(404, 'unknown_follow_up', `no follow-up ${id} in this workspace`);
        }
      },
      schema: {
        tags: ['surveys'],
        summary: 'Assign a follow-up, move it along (open → in_progress → closed) or note what was done',
        params: z.object({ id: z.string().min(1).max(100) }),
        body: z
          .strictObject({
            assignee: z.string().trim().min(1).max(200).nullable().optional().describe('null unassigns'),
            status: z.enum(FOLLOW_UP_STATUSES).optional(),
            note: z.string().max(10_000).nullable().optional().describe('null clears it'),
          })
          // Only once the fields are right: an unknown field alone is reported as that, not as an empty change.
          .refine((b) => Object.keys(b).length > 0, {
            message: 'give at least one of assignee, status and note',
            when: (payload) => payload.issues.length === 0,
          }),
        response: { 200: followUp },
      },
    },
    async (request) => {
      const runtime = await hub.runtime(principal(request).workspace);
      return runtime.queue.submitJob(
        (store) => updateFollowUp(store, request.params.id, request.body, new Date()),
        { touchesFacts: false },
      );
    },
  );
  typed.get(
    '/api/v1/follow-up-recipients',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['surveys'],
        summary: 'Who is e-mailed about each new follow-up',
        querystring: z.strictObject({}),
        response: { 200: recipients },
      },
    },
    async (request) => ({
      recipients: await followUpRecipients((await hub.runtime(principal(request).workspace)).reader),
    }),
  );
  typed.put(
    '/api/v1/follow-up-recipients',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['surveys'],
        summary: 'Set who is e-mailed about each new follow-up (an empty list e-mails nobody)',
        body: z.strictObject(recipients.shape),
        response: { 200: recipients },
      },
    },
    async (request) => {
      const runtime = await hub.runtime(principal(request).workspace);
      const saved = await runtime.queue.submitJob(
        (store) => setFollowUpRecipients(store, request.body.recipients),
        { touchesFacts: false },
      );
      return { recipients: saved };
    },
  );
}
