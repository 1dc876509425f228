// /api/v1/surveys: the survey templates, and surveys created, read, listed and changed (activate, pause, close,
// reschedule). Writes go through the commit queue; they change no KPI input, so no health rebuild follows.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { question } from '../../surveys/questions.js';
import {
  AUDIENCES,
  audienceFilter,
  CHANNELS,
  reminders,
  SURVEY_STATUSES,
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
import type { Principal } from '../../tenancy/tenancy.js';
import { principal } from '../auth.js';
import type { WorkspaceHub } from '../hub.js';

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

/** Who made a change: the person's email, or the API key's id. */
function author(caller: Principal): string {
  return caller.email ?? `key:${caller.keyId ?? 'unknown'}`;
}

export function registerSurveyRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
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
}
