// GET /api/v1/surveys/:id/results: a survey's results (src/surveys/results.ts) for a range, by calendar period and,
// for employee surveys, by team. Anonymous results are withheld where the employee lattice says so, with the reason.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { METRICS } from '../../domain/import-format.js';
import { parseInstant } from '../../domain/time.js';
import { DEFAULT_CONFIG } from '../../kpi/config.js';
import { CALENDAR_KINDS, WITHHELD_CODES } from '../../surveys/employee-disclosure.js';
import { QUESTION_TYPES } from '../../surveys/questions.js';
import { surveyResults } from '../../surveys/results.js';
import { loadSurvey } from '../../surveys/survey-store.js';
import { principal } from '../auth.js';
import type { WorkspaceHub } from '../hub.js';
import { queryProblem } from '../list-paging.js';
import { HttpProblem } from '../problem.js';

export const surveyResultsQuery = z.strictObject({
  from: z
    .string()
    .max(100)
    .optional()
    .describe('first instant (2025-03-01 = 00:00 UTC); with a period, its start'),
  to: z.string().max(100).optional().describe('end of the range, exclusive'),
  period: z
    .enum(CALENDAR_KINDS)
    .optional()
    .describe('results per UTC calendar period too (employee surveys: always, month unless given)'),
  team: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: each team beside the company (employee surveys)'),
});

const withheldShape = z.object({
  suppressed: z.literal(true),
  code: z.enum(WITHHELD_CODES),
  reason: z.string(),
});
const shown = <T extends z.ZodType>(shape: T) => z.union([shape, withheldShape]);
const count = z.number().int();
const kpiShape = z.object({
  metric: z.enum(METRICS),
  id: z.string().describe('nps, enps, csat, csat_mean, ces or fcr_perceived'),
  question_id: z.string(),
  value: z.number().nullable(),
  ci_low: z.number().nullable().describe('95 % confidence interval'),
  ci_high: z.number().nullable(),
  answers: count,
});
const blockShape = {
  sent: count,
  opened: count.nullable(),
  started: shown(count),
  answered: shown(count),
  response_rate: shown(z.number().nullable()),
  kpi: shown(kpiShape).nullable(),
  kpis: shown(z.array(kpiShape)),
  distribution: shown(z.array(z.object({ score: z.number(), count }))),
  questions: z.array(
    z.object({
      question_id: z.string(),
      type: z.enum(QUESTION_TYPES),
      answered: shown(count),
      mean: shown(z.number().nullable()).optional(),
      counts: shown(z.array(z.object({ value: z.string(), count }))).optional(),
    }),
  ),
  comments: shown(
    z.array(
      z.object({
        answer_id: z.string().optional(),
        question_id: z.string(),
        text: z.string(),
        score: z.number().nullable(),
        locale: z.string().nullable(),
        submitted_at: z.string().nullable(),
      }),
    ),
  ),
};
const resultsAnswer = z.object({
  survey_id: z.string(),
  name: z.string(),
  anonymous: z.boolean(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  period: z.enum(CALENDAR_KINDS).nullable(),
  minimum_group: count.nullable(),
  ...blockShape,
  periods: z.array(
    z.object({ start: z.string(), end: z.string(), team: z.string().nullable(), ...blockShape }),
  ),
});

/** An instant parameter, or a 400 naming it. */
function instantParam(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const instant = parseInstant(value);
  if (!instant) {
    throw queryProblem(
      name,
      'instant',
      'not an ISO-8601 date (2025-03-01) or date-time with an offset',
      value,
    );
  }
  return instant;
}

export function registerSurveyResultsRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/surveys/:id/results',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['surveys'],
        summary: "A survey's results: counts, KPI with its 95 % interval, distribution, questions, comments",
        description: 'See docs/surveys.md "Results and anonymity".',
        params: z.object({ id: z.string().min(1).max(200) }),
        querystring: surveyResultsQuery,
        response: { 200: resultsAnswer },
      },
    },
    async (request) => {
      const runtime = await hub.runtime(principal(request).workspace);
      const survey = await loadSurvey(runtime.reader, request.params.id);
      if (!survey) throw new HttpProblem(404, 'unknown_survey', `no survey "${request.params.id}"`);
      const { query } = request;
      const from = instantParam('from', query.from);
      const to = instantParam('to', query.to);
      if (from && to && to.getTime() <= from.getTime()) {
        throw queryProblem('to', 'empty_range', 'must be after from', query.to);
      }
      if (query.team === 'true' && !survey.anonymous) {
        throw queryProblem(
          'team',
          'employee_surveys_only',
          'a team breakdown is for employee surveys',
          'true',
        );
      }
      const now = new Date();
      // Which periods have ended changes at month starts: the key names the month, the data version the rest.
      const key = `survey-results:${survey.survey_id}:${JSON.stringify(query)}:${now.toISOString().slice(0, 7)}`;
      return runtime.cached(key, () =>
        surveyResults(runtime.reader, survey, {
          from,
          to,
          period: query.period,
          byTeam: query.team === 'true',
          now,
          minimumGroup: DEFAULT_CONFIG.min_employee_group,
        }),
      );
    },
  );
}
