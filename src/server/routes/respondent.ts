// The respondent pages: /s/<workspace>/<token> (personal or anonymous employee token), /s/<workspace>/a/<public id>
// (a survey's public link), the unsubscribe page and the style sheet. Server-rendered HTML forms, post/redirect/get;
// a GET never records an answer (mail scanners fetch links), it only notes that the link was opened.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FidelioError } from '../../domain/errors.js';
import type { Store } from '../../store/store.js';
import {
  type AnswerError,
  type AnswerOutcome,
  answerState,
  linkFingerprint,
  nextQuestion,
  type Respondent,
  recordAnswer,
  touchesResponses,
} from '../../surveys/answers.js';
import {
  anonymousTeam,
  countWaveOpened,
  markInvitationOpened,
  unsubscribeContact,
} from '../../surveys/invitations.js';
import { parseAnswer, type SurveyLocale } from '../../surveys/questions.js';
import {
  answerErrorText,
  errorStatusPage,
  messagePage,
  questionPage,
  refusalMessage,
  unsubscribePage,
} from '../../surveys/respondent/pages.js';
import {
  type Refusal,
  resolvePublicLink,
  resolveToken,
  type TokenTarget,
  tokenChannel,
  tokenRespondent,
} from '../../surveys/respondent/resolve.js';
import { RESPONDENT_STRINGS, respondentLocale } from '../../surveys/respondent/strings.js';
import { RESPONDENT_CSS } from '../../surveys/respondent/styles.js';
import type { Channel, Survey } from '../../surveys/survey.js';
import type { WorkspaceHub, WorkspaceRuntime } from '../hub.js';
import { HttpProblem } from '../problem.js';

export interface RespondentOptions {
  /** Send the public link's answer cookie with Secure (behind HTTPS). */
  secureCookies?: boolean;
}

/** Requests per minute per IP address to a public link (pages and answers together). */
export const PUBLIC_LINK_RATE_LIMIT = 60;
const FORM_LIMIT = 64 * 1024;
const ANSWER_COOKIE = 'fidelio_answer';
const OPENED_COOKIE = 'fidelio_opened';
const COOKIE_DAYS = 90;

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; '),
  'x-frame-options': 'DENY',
  // Links carry tokens: no page may pass its address on.
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

type Query = { lang?: string; score?: string; done?: string };
type TokenRoute = { Params: { workspace: string; token: string }; Querystring: Query };
type PublicRoute = { Params: { workspace: string; publicId: string }; Querystring: Query };

/** The request's address with the token hidden, for logs. */
export function redactedUrl(url: string): string {
  if (url.startsWith('/s/assets/')) return url;
  return url.replace(/^(\/s\/[^/?]+\/)(?!a\/)[^/?]+/, '$1[token]');
}

export function registerRespondentRoutes(
  app: FastifyInstance,
  hub: WorkspaceHub,
  options: RespondentOptions = {},
): void {
  void app.register(
    async (scope) => {
      scope.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: FORM_LIMIT },
        (_request, body, done) => done(null, new URLSearchParams(body as string)),
      );
      scope.addHook('onSend', async (_request, reply) => {
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
        if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      });
      scope.setErrorHandler((error, request, reply) => errorPage(error, request, reply));
      registerPages(scope, hub, options);
    },
    {
      logSerializers: {
        req: (request: FastifyRequest) => `${request.method} ${redactedUrl(request.url)} from ${request.ip}`,
      },
    },
  );
}

function registerPages(app: FastifyInstance, hub: WorkspaceHub, options: RespondentOptions): void {
  const open = { config: { scope: 'public' as const }, schema: { hide: true } };
  // Counted apart from the app-wide limit (whose hook has already run, so a route's config.rateLimit would not).
  const countPublic = app.createRateLimit({
    max: PUBLIC_LINK_RATE_LIMIT,
    timeWindow: 60_000,
    keyGenerator: (request) => `public-link:${request.ip}`,
  });
  const limited = {
    ...open,
    onRequest: async (request: FastifyRequest) => {
      const limit = await countPublic(request);
      if (!limit.isAllowed && limit.isExceeded) {
        throw new HttpProblem(429, 'rate_limited', 'too many requests to a public survey link', [], {
          'retry-after': String(limit.ttlInSeconds),
        });
      }
    },
  };

  app.get('/s/assets/respondent.css', open, async (_request, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(RESPONDENT_CSS),
  );

  app.get<TokenRoute>('/s/:workspace/:token', open, async (request, reply) => {
    const now = new Date();
    const opened = await openToken(hub, request, now);
    if (typeof opened === 'string') return refusalPage(request, reply, opened);
    const { runtime, target } = opened;
    const locale = localeOf(request, target);
    const state = await answerState(runtime.reader, target.survey, tokenRespondent(target));
    if (state?.completed) return donePage(request, reply, locale);
    noteOpened(request, reply, runtime, target, state !== null, now);
    return showQuestion(request, reply, target.survey, locale, state?.values ?? {});
  });

  app.post<TokenRoute>('/s/:workspace/:token', open, async (request, reply) => {
    const opened = await openToken(hub, request, new Date());
    if (typeof opened === 'string') return refusalPage(request, reply, opened);
    const { runtime, target } = opened;
    const team =
      target.kind === 'anonymous' ? await anonymousTeam(runtime.reader, target.wave, target.nonce) : null;
    return answer(request, reply, runtime, target.survey, localeOf(request, target), {
      respondent: tokenRespondent(target, team),
      channel: tokenChannel(target),
    });
  });

  app.get<TokenRoute>('/s/:workspace/:token/unsubscribe', open, async (request, reply) => {
    const opened = await openToken(hub, request, new Date());
    if (typeof opened === 'string' || opened.target.kind !== 'personal') {
      return refusalPage(request, reply, 'not_found');
    }
    return html(reply, unsubscribePage(localeOf(request, opened.target), selfUrl(request)));
  });

  // Also the one-click unsubscribe of mail programs (RFC 8058: a POST of List-Unsubscribe=One-Click).
  app.post<TokenRoute>('/s/:workspace/:token/unsubscribe', open, async (request, reply) => {
    const now = new Date();
    const opened = await openToken(hub, request, now);
    if (typeof opened === 'string' || opened.target.kind !== 'personal') {
      return refusalPage(request, reply, 'not_found');
    }
    const { contactId } = opened.target;
    await opened.runtime.queue.submitJob((store) => unsubscribeContact(store, contactId, now), {
      touchesFacts: false,
    });
    const locale = localeOf(request, opened.target);
    const words = RESPONDENT_STRINGS[locale];
    return html(reply, messagePage(locale, words.unsubscribedTitle, words.unsubscribedBody));
  });

  app.get<PublicRoute>('/s/:workspace/a/:publicId', limited, async (request, reply) => {
    const opened = await openPublicLink(hub, request);
    if (typeof opened === 'string') return refusalPage(request, reply, opened);
    const { runtime, survey } = opened;
    const locale = publicLocale(request, survey);
    const state = await answerState(runtime.reader, survey, publicRespondent(request, ''));
    if (state?.completed) return donePage(request, reply, locale);
    return showQuestion(request, reply, survey, locale, state?.values ?? {});
  });

  app.post<PublicRoute>('/s/:workspace/a/:publicId', limited, async (request, reply) => {
    const opened = await openPublicLink(hub, request);
    if (typeof opened === 'string') return refusalPage(request, reply, opened);
    const header = (name: string) => String(request.headers[name] ?? '');
    const fingerprint = linkFingerprint(
      request.ip,
      header('user-agent'),
      header('accept-language'),
      new Date(),
    );
    return answer(request, reply, opened.runtime, opened.survey, publicLocale(request, opened.survey), {
      respondent: publicRespondent(request, fingerprint),
      channel: 'anonymous_link',
      remember: (answerId) =>
        reply.setCookie(ANSWER_COOKIE, answerId, {
          path: request.url.split('?')[0]!,
          httpOnly: true,
          sameSite: 'lax',
          secure: options.secureCookies ?? false,
          maxAge: COOKIE_DAYS * 86_400,
        }),
    });
  });

  // Any other address under /s/ is a link that is not valid (not the dashboard's page fallback).
  app.all('/s/*', open, async (request, reply) => refusalPage(request, reply, 'not_found'));
}

/** The workspace's runtime and what the token opens, or why it opens nothing. */
async function openToken(
  hub: WorkspaceHub,
  request: FastifyRequest<TokenRoute>,
  now: Date,
): Promise<{ runtime: WorkspaceRuntime; target: TokenTarget } | Refusal> {
  const workspace = await hub.tenancy.findWorkspace(request.params.workspace);
  if (!workspace) return 'not_found';
  const runtime = await hub.runtime(workspace);
  const target = await resolveToken(runtime.reader, request.params.token, now);
  return typeof target === 'string' ? target : { runtime, target };
}

/** The workspace's runtime and the survey of a public link, or why it opens nothing. */
async function openPublicLink(
  hub: WorkspaceHub,
  request: FastifyRequest<PublicRoute>,
): Promise<{ runtime: WorkspaceRuntime; survey: Survey } | Refusal> {
  const workspace = await hub.tenancy.findWorkspace(request.params.workspace);
  if (!workspace) return 'not_found';
  const runtime = await hub.runtime(workspace);
  const survey = await resolvePublicLink(runtime.reader, request.params.publicId);
  return typeof survey === 'string' ? survey : { runtime, survey };
}

function html(reply: FastifyReply, page: string): FastifyReply {
  return reply.type('text/html; charset=utf-8').send(page);
}

function localeOf(request: FastifyRequest<{ Querystring: Query }>, target: TokenTarget): SurveyLocale {
  return respondentLocale({
    lang: request.query.lang,
    contactLocale: target.kind === 'personal' ? target.locale : null,
    acceptLanguage: request.headers['accept-language'],
    fallback: target.survey.default_locale,
  });
}

function publicLocale(request: FastifyRequest<{ Querystring: Query }>, survey: Survey): SurveyLocale {
  return respondentLocale({
    lang: request.query.lang,
    contactLocale: null,
    acceptLanguage: request.headers['accept-language'],
    fallback: survey.default_locale,
  });
}

function publicRespondent(request: FastifyRequest, fingerprint: string): Respondent {
  return { kind: 'anonymous_link', answer_id: request.cookies[ANSWER_COOKIE] ?? null, fingerprint };
}

/** This page's address, keeping only its language (the score of an e-mail link is used once). */
function selfUrl(
  request: FastifyRequest<{ Querystring: Query }>,
  extra: Record<string, string> = {},
): string {
  const path = request.url.split('?')[0]!;
  const query = new URLSearchParams({
    ...(request.query.lang ? { lang: request.query.lang } : {}),
    ...extra,
  }).toString();
  return query ? `${path}?${query}` : path;
}

/**
 * Notes the first opening of a link, in the background and without touching KPI inputs: a personal invitation's
 * opened_at; for anonymous tokens only the wave's counter (once per browser, by a cookie).
 */
function noteOpened(
  request: FastifyRequest,
  reply: FastifyReply,
  runtime: WorkspaceRuntime,
  target: TokenTarget,
  started: boolean,
  now: Date,
): void {
  let work: ((store: Store) => Promise<void>) | null = null;
  if (target.kind === 'personal' && !target.opened) {
    work = (store) => markInvitationOpened(store, target.invitationId, now);
  } else if (target.kind === 'anonymous' && !started && !request.cookies[OPENED_COOKIE]) {
    work = (store) => countWaveOpened(store, target.wave.wave_id);
    reply.setCookie(OPENED_COOKIE, '1', {
      path: request.url.split('?')[0]!,
      httpOnly: true,
      sameSite: 'lax',
      maxAge: COOKIE_DAYS * 86_400,
    });
  }
  if (!work) return;
  runtime.queue
    .submitJob(work, { touchesFacts: false })
    .catch((error) => request.log.warn({ err: error }, 'could not note a survey link as opened'));
}

/** The next question, with the e-mail link's score chosen when it is the first question's. */
function showQuestion(
  request: FastifyRequest<{ Querystring: Query }>,
  reply: FastifyReply,
  survey: Survey,
  locale: SurveyLocale,
  values: Record<string, unknown>,
): FastifyReply {
  const question = nextQuestion(survey, values);
  if (!question) return donePage(request, reply, locale);
  const fromLink =
    question === survey.questions[0] && request.query.score !== undefined
      ? parseAnswer(question, request.query.score)
      : null;
  const value = fromLink && 'value' in fromLink ? fromLink.value : null;
  return html(
    reply,
    questionPage({ locale, survey, question, action: selfUrl(request), value, confirm: value !== null }),
  );
}

/** After the last answer: thank you (right after answering) or "already answered" (coming back). */
function donePage(
  request: FastifyRequest<{ Querystring: Query }>,
  reply: FastifyReply,
  locale: SurveyLocale,
) {
  const words = RESPONDENT_STRINGS[locale];
  const page =
    request.query.done === '1'
      ? messagePage(locale, words.thanksTitle, words.thanksBody)
      : messagePage(locale, words.alreadyTitle, words.alreadyBody);
  return html(reply, page);
}

/** Records the question a form posted, then redirects (303) to the next page, or re-shows it with its error. */
async function answer(
  request: FastifyRequest<{ Querystring: Query }>,
  reply: FastifyReply,
  runtime: WorkspaceRuntime,
  survey: Survey,
  locale: SurveyLocale,
  who: { respondent: Respondent; channel: Channel; remember?: (answerId: string) => void },
): Promise<FastifyReply> {
  const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
  const question = survey.questions.find((q) => q.id === form.get('question'));
  if (!question) throw new HttpProblem(400, 'bad_form', 'the form names no question of this survey');
  const raw = question.type === 'multiple_choice' ? form.getAll(question.id) : (form.get(question.id) ?? '');
  const values = { [question.id]: raw };
  const last = question === survey.questions.at(-1);
  const outcome: AnswerOutcome = await runtime.queue.submitJob(
    (store) =>
      recordAnswer(store, {
        survey,
        respondent: who.respondent,
        channel: who.channel,
        locale,
        values,
        complete: last,
        now: new Date(),
      }),
    { touchesFacts: touchesResponses(survey, values) },
  );
  if (outcome.status === 'invalid')
    return invalidPage(request, reply, survey, locale, outcome.errors, values);
  if (outcome.status === 'already_answered') {
    // Said at once: a public link's page cannot tell by itself that this browser answered already.
    const words = RESPONDENT_STRINGS[locale];
    return html(reply.code(409), messagePage(locale, words.alreadyTitle, words.alreadyBody));
  }
  who.remember?.(outcome.answer_id);
  return reply.redirect(selfUrl(request, outcome.completed ? { done: '1' } : {}), 303);
}

/** 422: the question again, with what was sent and an error in the respondent's language. */
function invalidPage(
  request: FastifyRequest<{ Querystring: Query }>,
  reply: FastifyReply,
  survey: Survey,
  locale: SurveyLocale,
  errors: readonly AnswerError[],
  values: Record<string, unknown>,
): FastifyReply {
  const first = errors[0]!;
  const question = survey.questions.find((q) => q.id === first.question_id);
  if (!question) throw new FidelioError('invalid_input', 'unknown_question', first.message);
  const raw = values[question.id];
  const kept = typeof raw === 'string' && question.type === 'text' ? raw : null;
  return html(
    reply.code(422),
    questionPage({
      locale,
      survey,
      question,
      action: selfUrl(request),
      value: kept,
      error: answerErrorText(question, raw, locale),
    }),
  );
}

function refusalPage(request: FastifyRequest, reply: FastifyReply, refusal: Refusal): FastifyReply {
  const page = refusalMessage(refusal, requestLocale(request));
  return html(reply.code(page.status), page.html);
}

/** The language of a page that knows no survey or person: ?lang=, else the browser's, else English. */
function requestLocale(request: FastifyRequest): SurveyLocale {
  return respondentLocale({
    lang: (request.query as Query | undefined)?.lang,
    contactLocale: null,
    acceptLanguage: request.headers['accept-language'],
    fallback: 'en',
  });
}

/** Errors as pages, never stack traces: rate limits, unreadable forms, shutdown, and our own failures. */
function errorPage(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status =
    error instanceof HttpProblem
      ? error.status
      : error instanceof FidelioError
        ? (({ not_found: 404, conflict: 409 } as Record<string, number>)[error.kind] ?? 400)
        : ((error as { statusCode?: number }).statusCode ?? 500);
  if (error instanceof HttpProblem)
    for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  if (status >= 500 && status !== 503) request.log.error({ err: error }, 'respondent page failed');
  return html(reply.code(status), errorStatusPage(status, requestLocale(request)));
}
