// The in-product survey widget: GET /widget.js (built from web/widget into dist/web), and the public API it
// calls from any site: a survey's questions in the respondent's language, and answers, one question at a time.
//
// CORS: these routes answer any origin (`Access-Control-Allow-Origin: *`). Nothing on them is authenticated by
// cookies or other ambient credentials (a personal token travels in the body, handed over by the host
// application), so a foreign page gains nothing a plain HTTP client does not have; `*` also forbids credentialed
// requests. Abuse is bounded by a per-IP rate limit and, for anonymous answers, a daily fingerprint.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { linkFingerprint, type Respondent, recordAnswer, touchesResponses } from '../../surveys/answers.js';
import {
  MAX_TEXT_ANSWER,
  QUESTION_TYPES,
  type Question,
  SURVEY_LOCALES,
  type SurveyLocale,
  scoreRange,
  textIn,
} from '../../surveys/questions.js';
import { resolveToken, tokenRespondent } from '../../surveys/respondent/resolve.js';
import type { Survey } from '../../surveys/survey.js';
import { loadSurveyByPublicId } from '../../surveys/survey-store.js';
import type { WorkspaceHub, WorkspaceRuntime } from '../hub.js';
import { HttpProblem } from '../problem.js';
import { DEFAULT_WEB_ROOT } from '../web-assets.js';

/** Answer requests per minute from one IP address (a respondent sends one per question). */
export const WIDGET_ANSWERS_PER_MINUTE = 120;

/** The widget's own words; `{n}` and `{total}` in `progress` are filled in by the widget. */
const TEXTS: Record<SurveyLocale, Record<string, string>> = {
  en: {
    title: 'We would love your feedback',
    progress: 'Question {n} of {total}',
    next: 'Next',
    send: 'Send',
    close: 'Close',
    yes: 'Yes',
    no: 'No',
    required: 'Please answer this question.',
    thanks: 'Thank you! Your answer has been recorded.',
    already: 'You have already answered this survey. Thank you!',
    error: 'Your answer could not be sent. Please try again.',
  },
  it: {
    title: 'La tua opinione ci interessa',
    progress: 'Domanda {n} di {total}',
    next: 'Avanti',
    send: 'Invia',
    close: 'Chiudi',
    yes: 'Sì',
    no: 'No',
    required: 'Rispondi a questa domanda.',
    thanks: 'Grazie! La tua risposta è stata registrata.',
    already: 'Hai già risposto a questo sondaggio. Grazie!',
    error: 'Non è stato possibile inviare la risposta. Riprova.',
  },
  fr: {
    title: 'Votre avis nous intéresse',
    progress: 'Question {n} sur {total}',
    next: 'Suivant',
    send: 'Envoyer',
    close: 'Fermer',
    yes: 'Oui',
    no: 'Non',
    required: 'Veuillez répondre à cette question.',
    thanks: 'Merci ! Votre réponse a été enregistrée.',
    already: 'Vous avez déjà répondu à cette enquête. Merci !',
    error: 'Votre réponse n’a pas pu être envoyée. Veuillez réessayer.',
  },
  ms: {
    title: 'Kami ingin mendengar pendapat anda',
    progress: 'Soalan {n} daripada {total}',
    next: 'Seterusnya',
    send: 'Hantar',
    close: 'Tutup',
    yes: 'Ya',
    no: 'Tidak',
    required: 'Sila jawab soalan ini.',
    thanks: 'Terima kasih! Jawapan anda telah direkodkan.',
    already: 'Anda telah menjawab tinjauan ini. Terima kasih!',
    error: 'Jawapan anda tidak dapat dihantar. Sila cuba lagi.',
  },
};

const params = z.object({
  workspace: z.string().max(40),
  publicId: z.string().max(64).describe("the survey's public_id"),
});

const languages = z
  .string()
  .max(200)
  .describe('language tags in order of preference, comma-separated (it-IT,en); else the survey default');

const widgetQuestion = z.object({
  id: z.string(),
  type: z.enum(QUESTION_TYPES),
  text: z.string(),
  required: z.boolean(),
  min: z.number().int().optional().describe('scale questions: the lowest score'),
  max: z.number().int().optional().describe('scale questions: the highest score'),
  low_label: z.string().optional(),
  high_label: z.string().optional(),
  choices: z.array(z.object({ id: z.string(), text: z.string() })).optional(),
  max_length: z.number().int().optional().describe('text questions: the longest answer taken'),
});

const widgetSurvey = z.object({
  survey: z.string(),
  locale: z.enum(SURVEY_LOCALES),
  questions: z.array(widgetQuestion),
  texts: z.record(z.string(), z.string()).describe("the widget's own words in this locale"),
});

const answerBody = z.strictObject({
  token: z.string().max(200).optional().describe('a personal token from POST /api/v1/surveys/{id}/send'),
  answer_id: z
    .string()
    .max(100)
    .optional()
    .describe('the anonymous answer to continue (from an earlier reply)'),
  values: z
    .record(z.string(), z.unknown())
    .describe('question id → answer (a score, true/false, choice ids, text)'),
  complete: z.boolean().describe('true with the last question'),
  lang: languages.optional(),
});

const answerReply = z.union([
  z.object({
    status: z.literal('recorded'),
    answer_id: z.string(),
    completed: z.boolean(),
    next_question: z.string().nullable(),
  }),
  z.object({ status: z.literal('already_answered') }),
]);

/** The first supported locale of comma-separated language tags, else the survey's default. */
function localeOf(tags: string | undefined, fallback: SurveyLocale): SurveyLocale {
  for (const tag of (tags ?? '').split(',')) {
    const primary = tag.trim().toLowerCase().split(/[-_;]/)[0] ?? '';
    if ((SURVEY_LOCALES as readonly string[]).includes(primary)) return primary as SurveyLocale;
  }
  return fallback;
}

function widgetQuestionOf(q: Question, locale: SurveyLocale): z.infer<typeof widgetQuestion> {
  const range = scoreRange(q);
  return {
    id: q.id,
    type: q.type,
    text: textIn(q.text, locale),
    required: q.required,
    ...(range ? { min: range[0], max: range[1] } : {}),
    ...(q.low_label ? { low_label: textIn(q.low_label, locale) } : {}),
    ...(q.high_label ? { high_label: textIn(q.high_label, locale) } : {}),
    ...(q.choices ? { choices: q.choices.map((c) => ({ id: c.id, text: textIn(c.text, locale) })) } : {}),
    ...(q.type === 'text' ? { max_length: MAX_TEXT_ANSWER } : {}),
  };
}

/** The workspace's active survey that takes widget answers; one 404 for every other case. */
async function widgetSurveyOf(
  hub: WorkspaceHub,
  workspaceName: string,
  publicId: string,
): Promise<{ runtime: WorkspaceRuntime; survey: Survey }> {
  const missing = new HttpProblem(404, 'unknown_survey', `no active widget survey "${publicId}" here`);
  const workspace = await hub.tenancy.findWorkspace(workspaceName);
  if (!workspace) throw missing;
  const runtime = await hub.runtime(workspace);
  const survey = await loadSurveyByPublicId(runtime.reader, publicId);
  if (survey?.status !== 'active' || !survey.channels.includes('widget')) throw missing;
  return { runtime, survey };
}

/** Who answers: a personal token's invitation (of this survey), else this browser today, anonymously. */
async function respondentOf(
  runtime: WorkspaceRuntime,
  survey: Survey,
  request: FastifyRequest,
  body: { token?: string | undefined; answer_id?: string | undefined },
  now: Date,
): Promise<Respondent> {
  if (body.token === undefined) {
    const header = (name: string) => String(request.headers[name] ?? '');
    const fingerprint = linkFingerprint(request.ip, header('user-agent'), header('accept-language'), now);
    return { kind: 'anonymous_link', answer_id: body.answer_id ?? null, fingerprint };
  }
  const target = await resolveToken(runtime.reader, body.token, now);
  if (
    typeof target === 'string' ||
    target.kind !== 'personal' ||
    target.survey.survey_id !== survey.survey_id
  ) {
    throw new HttpProblem(422, 'invalid_token', 'the token is not a personal token of this survey', [
      { path: '$.token', rule: 'token', message: 'not a personal token of this survey' },
    ]);
  }
  return tokenRespondent(target);
}

const anyOrigin = async (_request: FastifyRequest, reply: FastifyReply) => {
  reply.header('access-control-allow-origin', '*');
};

export function registerSurveyWidgetRoutes(
  app: FastifyInstance,
  hub: WorkspaceHub,
  webRoot = DEFAULT_WEB_ROOT,
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const surveyPath = '/api/public/:workspace/surveys/:publicId';
  // A route's `config.rateLimit` would be skipped: the app-wide hook has already counted the request.
  const limitAnswers = app.createRateLimit({
    max: WIDGET_ANSWERS_PER_MINUTE,
    timeWindow: 60_000,
    keyGenerator: (request) => `widget:${request.ip}`,
  });

  app.get('/widget.js', { config: { scope: 'public' }, schema: { hide: true } }, async (request, reply) => {
    let script: Buffer;
    try {
      script = await readFile(join(webRoot, 'widget.js'));
    } catch {
      throw new HttpProblem(404, 'not_found', 'the widget is not built: run `npm run build`');
    }
    const etag = `"${createHash('sha256').update(script).digest('base64url').slice(0, 22)}"`;
    // Any page may load it, with or without a crossorigin attribute; the address is fixed, so caches revalidate.
    reply
      .header('cache-control', 'public, max-age=3600')
      .header('etag', etag)
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(script);
  });

  typed.get(
    surveyPath,
    {
      config: { scope: 'public' },
      onSend: anyOrigin,
      schema: {
        tags: ['surveys'],
        summary:
          "A widget survey's questions and the widget's words in the respondent's language (any origin)",
        params,
        querystring: z.strictObject({ lang: languages.optional() }),
        security: [],
        response: { 200: widgetSurvey },
      },
    },
    async (request, reply) => {
      const { survey } = await widgetSurveyOf(hub, request.params.workspace, request.params.publicId);
      const locale = localeOf(request.query.lang, survey.default_locale);
      reply.header('cache-control', 'public, max-age=60');
      return {
        survey: survey.public_id,
        locale,
        questions: survey.questions.map((q) => widgetQuestionOf(q, locale)),
        texts: TEXTS[locale],
      };
    },
  );

  app.options(
    `${surveyPath}/answers`,
    { config: { scope: 'public' }, schema: { hide: true } },
    async (_request, reply) =>
      reply
        .code(204)
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '7200')
        .send(),
  );

  typed.post(
    `${surveyPath}/answers`,
    {
      config: { scope: 'public' },
      bodyLimit: 64 * 1024,
      onRequest: async (request) => {
        const limit = await limitAnswers(request);
        if (!limit.isAllowed && limit.isExceeded) {
          throw new HttpProblem(
            429,
            'rate_limited',
            `too many answers from this address; retry in ${limit.ttlInSeconds} s`,
            [],
            { 'retry-after': String(limit.ttlInSeconds) },
          );
        }
      },
      onSend: anyOrigin,
      schema: {
        tags: ['surveys'],
        summary: 'Answers from the widget, one or more questions at a time (any origin; rate limited per IP)',
        params,
        body: answerBody,
        security: [],
        response: { 200: answerReply },
      },
    },
    async (request) => {
      const { runtime, survey } = await widgetSurveyOf(
        hub,
        request.params.workspace,
        request.params.publicId,
      );
      const { values, complete, lang } = request.body;
      const now = new Date();
      const respondent = await respondentOf(runtime, survey, request, request.body, now);
      const locale = localeOf(lang, survey.default_locale);
      const outcome = await runtime.queue.submitJob(
        (store) =>
          recordAnswer(store, { survey, respondent, channel: 'widget', locale, values, complete, now }),
        { touchesFacts: touchesResponses(survey, values) },
      );
      if (outcome.status === 'invalid') {
        throw new HttpProblem(
          422,
          'invalid_answer',
          `the answer is not valid: ${outcome.errors.map((e) => `${e.question_id}: ${e.message}`).join('; ')}`,
          outcome.errors.map((e) => ({
            path: `$.values.${e.question_id}`,
            rule: 'answer',
            message: e.message,
          })),
        );
      }
      return outcome;
    },
  );
}
