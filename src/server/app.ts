// The Fastify application: strict JSON, problem+json errors, authentication, rate limits, OpenAPI, routes.
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { Authenticator, registerAuth } from './auth.js';
import type { WorkspaceHub } from './hub.js';
import { registerStrictJson } from './json-body.js';
import { HttpProblem, problemOf, schemaErrorFormatter, sendProblem } from './problem.js';
import { registerAccountRoutes } from './routes/accounts.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerApiDocs } from './routes/api-docs.js';
import { registerClvRoutes } from './routes/clv.js';
import { registerCohortRetentionRoutes } from './routes/cohort-retention.js';
import { registerCohortRoutes } from './routes/cohorts.js';
import { registerContactRoutes } from './routes/contacts.js';
import { registerExperienceRoutes } from './routes/experience.js';
import { registerFollowUpRoutes } from './routes/follow-ups.js';
import { registerHealthModelRoutes } from './routes/health-models.js';
import { registerIngestRoutes } from './routes/ingest.js';
import { registerKpiRowsRoutes } from './routes/kpi-rows.js';
import { registerLocalRoutes } from './routes/local.js';
import { registerReportRoutes } from './routes/report.js';
import { registerRespondentRoutes } from './routes/respondent.js';
import { registerResponseRoutes } from './routes/responses.js';
import { registerScoreDistributionRoutes } from './routes/score-distribution.js';
import { registerSessionRoutes } from './routes/session.js';
import { registerStripeRoutes } from './routes/stripe.js';
import { registerSurveyFatigueRoutes } from './routes/survey-fatigue.js';
import { registerSurveyResultsRoutes } from './routes/survey-results.js';
import { registerSurveyWidgetRoutes } from './routes/survey-widget.js';
import { registerSurveyRoutes } from './routes/surveys.js';
import { registerTargetRoutes } from './routes/targets.js';
import { registerThemeRoutes } from './routes/themes.js';
import { registerTrackRoutes } from './routes/track.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import { registerWhatIfRoutes } from './routes/what-if.js';
import { DEFAULT_WEB_ROOT, registerWebAssets } from './web-assets.js';

export const BODY_LIMIT = 1024 * 1024;

export interface RateLimits {
  /** Requests per minute for one API key or session. */
  perCaller: number;
  /** Requests per minute from one IP address without credentials (logins, webhooks, scanners). */
  perIp: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perCaller: 120_000, perIp: 600 };

export interface AppOptions {
  hub: WorkspaceHub;
  /** The token of the local channel the CLI uses while the server holds the store. */
  localToken?: string;
  rateLimits?: RateLimits;
  logger?: boolean;
  /** The built dashboard (default: dist/web beside the compiled server). */
  webRoot?: string;
  /** Send cookies with Secure (behind HTTPS). */
  secureCookies?: boolean;
  /** Where respondents reach this server, for survey links (default: the origin each request used). */
  publicUrl?: string;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  // Requests that arrive while the server closes get our own 503 problem (see refuseWhileClosing).
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    logger: options.logger ?? false,
    trustProxy: false,
    return503OnClosing: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setSchemaErrorFormatter(schemaErrorFormatter);
  app.setErrorHandler((error, request, reply) => sendProblem(reply, problemOf(error, request)));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      new HttpProblem(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`),
    ),
  );
  refuseWhileClosing(app);
  registerStrictJson(app);
  await app.register(cookie);
  const authenticator = new Authenticator(options.hub.tenancy);
  const limits = options.rateLimits ?? DEFAULT_RATE_LIMITS;
  await app.register(rateLimit, {
    global: false,
    timeWindow: 60_000,
    keyGenerator: (request) => callerKey(request, authenticator),
    max: (_request, key) => (key.startsWith('ip:') ? limits.perIp : limits.perCaller),
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(429, 'rate_limited', `too many requests; retry in ${Math.ceil(context.ttl / 1000)} s`),
  });
  // Counted before authentication, so refused credentials use up the address's allowance too.
  app.addHook('onRequest', app.rateLimit());
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Fidelio API',
        version: '1',
        description: 'Customer-success KPIs: ingest data, read reports. Errors are application/problem+json.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'an API key: fid_…' },
          session: { type: 'apiKey', in: 'cookie', name: 'fidelio_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  registerAuth(app, authenticator);
  registerSessionRoutes(app, options.hub.tenancy, authenticator, options.secureCookies ?? false);
  registerIngestRoutes(app, options.hub);
  registerTrackRoutes(app, options.hub);
  registerStripeRoutes(app, options.hub);
  registerReportRoutes(app, options.hub);
  registerExperienceRoutes(app, options.hub);
  registerWhatIfRoutes(app, options.hub);
  registerAccountRoutes(app, options.hub);
  registerResponseRoutes(app, options.hub);
  registerTargetRoutes(app, options.hub);
  registerThemeRoutes(app, options.hub);
  registerHealthModelRoutes(app, options.hub);
  registerClvRoutes(app, options.hub);
  registerKpiRowsRoutes(app, options.hub);
  registerCohortRoutes(app, options.hub);
  registerCohortRetentionRoutes(app, options.hub);
  registerScoreDistributionRoutes(app, options.hub);
  registerSurveyRoutes(app, options.hub, options.publicUrl);
  registerContactRoutes(app, options.hub);
  registerSurveyFatigueRoutes(app, options.hub);
  registerSurveyResultsRoutes(app, options.hub);
  registerFollowUpRoutes(app, options.hub);
  registerWebhookRoutes(app, options.hub);
  registerAdminRoutes(app, options.hub.tenancy, authenticator);
  if (options.localToken) registerLocalRoutes(app, options.hub, options.localToken);
  registerRespondentRoutes(app, options.hub, { secureCookies: options.secureCookies ?? false });
  registerApiDocs(app);
  registerSurveyWidgetRoutes(app, options.hub, options.webRoot ?? DEFAULT_WEB_ROOT);
  registerWebAssets(app, options.webRoot ?? DEFAULT_WEB_ROOT);
  app.get('/healthz', { config: { scope: 'public' }, schema: { hide: true } }, async () => ({ ok: true }));
  return app;
}

/** Rate limits count per verified key or session; everything else per IP address. */
async function callerKey(request: FastifyRequest, authenticator: Authenticator): Promise<string> {
  const caller = await authenticator.principalOf(request);
  if (!caller) return `ip:${request.ip}`;
  return caller.via === 'key' ? `key:${caller.keyId}` : `session:${caller.userId}:${caller.workspace.id}`;
}

/** Once closing starts, new requests get a 503 problem with Retry-After; those already taken finish. */
function refuseWhileClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async () => {
    if (closing) {
      throw new HttpProblem(503, 'shutting_down', 'the server is shutting down; retry shortly', [], {
        'retry-after': '1',
        connection: 'close',
      });
    }
  });
}
