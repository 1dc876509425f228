// /api/v1/surveys: the survey templates, and surveys created, read, listed and changed (activate, pause, close,
// reschedule). Writes go through the commit queue; they change no KPI input, so no health rebuild follows.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Store } from '../../store/store.js';
import { type InvitationChannel, inviteContacts, respondentBaseUrl } from '../../surveys/invitations.js';
import { question } from '../../surveys/questions.js';
import {
  AUDIENCES,
  audienceFilter,
  CHANNELS,
  reminders,
  SURVEY_STATUSES,
  type Survey,
  schedule,
  surveyInput,
  TEMPLATES,
} from '../../surveys/survey.js';
import {
  createSurvey,
  listSurveys,
  requireSurvey,
  type SurveyChange,
  surveyFromInput,
  updateSurvey,
} from '../../surveys/survey-store.js';
import { TEMPLATE_SPECS, templateQuestions } from '../../surveys/templates.js';
import { sendWave } from '../../surveys/waves.js';
import type { Principal } from '../../tenancy/tenancy.js';
import { principal } from '../auth.js';
import type { WorkspaceHub } from '../hub.js';
import { HttpProblem } from '../problem.js';

const survey = z.object({
  survey_id: z.string(),
  public_id: z.string().describe('the id in anonymous links and the widget'),
  name: z.string(),
  template: z.enum(TEMPLATES),
  audience: z.enum(AUDIENCES),
  anonymous: z.boolean().describe('employee surveys: answers keep no person, account or invitation'),
  default_locale: z.string(),
  questions: z.array(question),
  channels: z.array(z.enum(CHANNELS)),
  audience_filter: audienceFilter,
  schedule: schedule.nullable(),
  reminders: reminders,
  status: z.enum(SURVEY_STATUSES),
  created_at: z.string(),
  created_by: z.string().nullable(),
  updated_at: z.string(),
});

const template = z.object({
  template: z.enum(TEMPLATES),
  audience: z.enum(AUDIENCES),
  anonymous: z.boolean(),
  questions: z.array(question).describe('empty for pulse and custom, whose questions you write (1–10)'),
});

const surveyParams = z.object({ id: z.string().min(1).max(100) });

const MAX_SEND_CONTACTS = 10_000;
const INVITATION_CHANNELS = [
  'email',
  'link',
  'api',
  'widget',
] as const satisfies readonly InvitationChannel[];

const sendBody = z
  .strictObject({
    contact_ids: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(MAX_SEND_CONTACTS)
      .optional()
      .describe("the contacts to ask; or all: true for the survey's whole audience"),
    all: z.literal(true).optional(),
    channel: z
      .enum(INVITATION_CHANNELS)
      .describe(
        'email: queued and sent within a minute; link/api/widget: the answer holds each personal link',
      ),
    context: z
      .record(z.string().max(100), z.string().max(500))
      .optional()
      .describe('what the invitation is about, e.g. {"ticket_id": "T-1"}; kept with it'),
  })
  .refine((b) => (b.contact_ids === undefined) !== (b.all === undefined), {
    message: 'give either contact_ids or all: true',
    path: ['contact_ids'],
  });

const sendAnswer = z.object({
  wave_id: z.string().nullable(),
  invited: z.array(
    z.object({
      contact_id: z.string(),
      invitation_id: z.string(),
      link: z
        .string()
        .nullable()
        .describe('null for anonymous surveys: a link would tie the person to their answer'),
      token: z
        .string()
        .nullable()
        .describe("the link's token, for the widget's data-token (null for anonymous surveys, like link)"),
    }),
  ),
  not_asked: z.array(z.object({ contact_id: z.string(), reason: z.string() })),
  emails_queued: z.number().int(),
});

const surveyChange = z
  .strictObject({
    name: z.string().min(1).max(200),
    status: z.enum(SURVEY_STATUSES),
    channels: z.array(z.enum(CHANNELS)).min(1),
    audience_filter: audienceFilter,
    schedule: schedule.nullable(),
    reminders: reminders,
  })
  .partial();

/** Sends `survey` now: the checks a sending must pass, then the invitations (and a wave when one is needed). */
async function sendSurvey(store: Store, survey: Survey, body: z.infer<typeof sendBody>, now: Date) {
  if (survey.status !== 'active') {
    throw new HttpProblem(
      409,
      'survey_not_active',
      `the survey is ${survey.status}; activate it before sending`,
    );
  }
  if (!survey.channels.includes(body.channel)) {
    throw new HttpProblem(422, 'channel_not_enabled', `the survey does not use the ${body.channel} channel`, [
      {
        path: '$.channel',
        rule: 'survey_channel',
        message: `enable ${body.channel} in the survey's channels first`,
      },
    ]);
  }
  // A wave groups what reminders follow and what anonymous tokens derive from.
  const needsWave = body.all === true || body.channel === 'email' || survey.anonymous;
  if (needsWave) return sendWave(store, survey, null, body.channel, now, body.contact_ids, body.context);
  const { invited, notAsked } = await inviteContacts(store, survey, {
    contactIds: body.contact_ids ?? [],
    channel: body.channel,
    waveId: null,
    now,
    ...(body.context ? { context: body.context } : {}),
  });
  return { survey, wave: null, invited, notAsked };
}

/** Where respondents reach this server: the configured public URL, else the origin the caller used. */
function publicOrigin(request: FastifyRequest, publicUrl: string | undefined): string {
  return publicUrl ?? `${request.protocol}://${request.host}`;
}

/** Who made a change: the person's email, or the API key's id. */
function author(caller: Principal): string {
  return caller.email ?? `key:${caller.keyId ?? 'unknown'}`;
}

export function registerSurveyRoutes(app: FastifyInstance, hub: WorkspaceHub, publicUrl?: string): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/v1/surveys/templates',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['surveys'],
        summary: 'The survey templates and their questions in en, it, fr and ms',
        querystring: z.strictObject({ ces_scale: z.enum(['5', '7']).optional() }),
        response: { 200: z.object({ templates: z.array(template) }) },
      },
    },
    async (request) => ({
      templates: TEMPLATES.map((t) => ({
        template: t,
        audience: TEMPLATE_SPECS[t].audience,
        anonymous: TEMPLATE_SPECS[t].anonymous,
        questions: templateQuestions(t, request.query.ces_scale === '5' ? 5 : 7),
      })),
    }),
  );
  typed.get(
    '/api/v1/surveys',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['surveys'],
        summary: 'Every survey, newest first',
        querystring: z.strictObject({}),
        response: { 200: z.object({ surveys: z.array(survey) }) },
      },
    },
    async (request) => {
      const runtime = await hub.runtime(principal(request).workspace);
      return { surveys: await runtime.cached('surveys', () => listSurveys(runtime.reader)) };
    },
  );
  typed.post(
    '/api/v1/surveys',
    {
      config: { scope: 'ingest' },
      schema: {
        tags: ['surveys'],
        summary: 'Create a survey from a template (or your own questions for pulse and custom)',
        body: surveyInput,
        response: { 201: survey },
      },
    },
    async (request, reply) => {
      const caller = principal(request);
      const created = surveyFromInput(request.body, author(caller), new Date());
      const runtime = await hub.runtime(caller.workspace);
      await runtime.queue.submitJob((store) => createSurvey(store, created), { touchesFacts: false });
      return reply.code(201).send(created);
    },
  );
  typed.get(
    '/api/v1/surveys/:id',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['surveys'],
        summary: 'One survey',
        params: surveyParams,
        querystring: z.strictObject({}),
        response: { 200: survey },
      },
    },
    async (request) => {
      const runtime = await hub.runtime(principal(request).workspace);
      return requireSurvey(runtime.reader, request.params.id);
    },
  );
  typed.patch(
    '/api/v1/surveys/:id',
    {
      config: { scope: 'ingest' },
      schema: {
        tags: ['surveys'],
        summary:
          'Change a survey: name, status (draft, active, paused, closed), channels, audience, schedule',
        params: surveyParams,
        body: surveyChange,
        response: { 200: survey },
      },
    },
    async (request) => {
      const runtime = await hub.runtime(principal(request).workspace);
      const now = new Date();
      const change = Object.fromEntries(
        Object.entries(request.body).filter(([, v]) => v !== undefined),
      ) as SurveyChange;
      return runtime.queue.submitJob((store) => updateSurvey(store, request.params.id, change, now), {
        touchesFacts: false,
      });
    },
  );
  typed.post(
    '/api/v1/surveys/:id/send',
    {
      config: { scope: 'ingest' },
      // The path names the resource: a survey of another workspace is a 404 whatever the body.
      preValidation: async (request) => {
        const runtime = await hub.runtime(principal(request).workspace);
        await requireSurvey(runtime.reader, (request.params as { id: string }).id);
      },
      schema: {
        tags: ['surveys'],
        summary:
          'Send a survey now to some contacts or its whole audience (e.g. the FCR survey when a ticket closes)',
        description:
          'Each contact passes the fatigue rules first (GET /api/v1/survey-fatigue/audit says why one was not asked).',
        params: surveyParams,
        body: sendBody,
        response: { 200: sendAnswer },
      },
    },
    async (request) => {
      const caller = principal(request);
      const runtime = await hub.runtime(caller.workspace);
      const now = new Date();
      const sent = await runtime.queue.submitJob(
        async (store) => sendSurvey(store, await requireSurvey(store, request.params.id), request.body, now),
        { touchesFacts: false },
      );
      const base = respondentBaseUrl(publicOrigin(request, publicUrl), caller.workspace.name);
      const personal = !sent.survey.anonymous;
      return {
        wave_id: sent.wave?.wave_id ?? null,
        invited: sent.invited.map((i) => ({
          contact_id: i.contact_id,
          invitation_id: i.invitation_id,
          link: personal ? `${base}/${i.token}` : null,
          token: personal ? i.token : null,
        })),
        not_asked: sent.notAsked.map(({ contact_id, reason }) => ({ contact_id, reason })),
        emails_queued: request.body.channel === 'email' ? sent.invited.length : 0,
      };
    },
  );
}
