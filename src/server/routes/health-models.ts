// The health model lab over HTTP (docs/health-lab.md): list the versioned models with the record of
// activations (health history charts mark these changes), fit or back-test a model, activate one, and explain
// an account's health score. Fits and activations are admin writes through the commit queue.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FidelioError } from '../../domain/errors.js';
import { requireInstant } from '../../domain/time.js';
import { requireSnapshotDay } from '../../insight/health/features.js';
import { DEFAULT_L2, defaultSnapshots, explainAccount, fitHealthModel } from '../../insight/health/lab.js';
import {
  activateModel,
  activeModelId,
  DEFAULT_MODEL_ID,
  listActivations,
  listModels,
  type StoredModel,
} from '../../insight/health/registry.js';
import type { Principal } from '../../tenancy/tenancy.js';
import { principal } from '../auth.js';
import type { WorkspaceHub } from '../hub.js';

const idText = z.string().min(1).max(200);
const dateText = z.string().min(1).max(40);

const evaluation = z.looseObject({
  accounts: z.number(),
  churned: z.number(),
  auc: z.number().nullable(),
});

const model = z.object({
  model_id: z.string(),
  version: z.number(),
  kind: z.string(),
  created_at: z.string(),
  created_by: z.string().nullable(),
  active: z.boolean(),
  config: z.looseObject({ l2: z.number(), split: z.string().nullable() }),
  coefficients: z.looseObject({
    intercept: z.number(),
    features: z.array(
      z.object({ feature: z.string(), coefficient: z.number(), mean: z.number(), scale: z.number() }),
    ),
  }),
  metrics: z.looseObject({
    train: evaluation,
    test: evaluation.nullable(),
    default_model: evaluation.nullable(),
  }),
});

const activation = z.object({
  model_id: z.string(),
  activated_at: z.string(),
  activated_by: z.string().nullable(),
});

const contribution = z.object({
  feature: z.string(),
  value: z.number(),
  standardised: z.number().nullable(),
  coefficient: z.number().nullable(),
  weight: z.number().nullable(),
  points: z.number().nullable(),
  points_lost: z.number().nullable(),
  contribution: z.number(),
});

const explanation = z.object({
  account_id: z.string(),
  at: z.string(),
  model_id: z.string(),
  kind: z.enum(['default', 'logistic']),
  score: z.number(),
  band: z.enum(['healthy', 'neutral', 'at_risk']),
  probability: z.number().nullable(),
  logit: z.number().nullable(),
  intercept: z.number().nullable(),
  contributions: z.array(contribution),
});

const fitBody = z.strictObject({
  snapshot: dateText.optional().describe('one snapshot date (a UTC day start)'),
  from: dateText.optional().describe('first monthly snapshot (default: the first month with MRR)'),
  to: dateText
    .optional()
    .describe('last monthly snapshot (default: the last one with 90 days of data after it)'),
  split: dateText
    .optional()
    .describe(
      'back-test: train on snapshots whose 90-day label window ends by this date, test on those at or after it',
    ),
  l2: z
    .number()
    .min(0)
    .max(1e6)
    .optional()
    .describe('L2 penalty on the standardised coefficients (default 1)'),
});

/** Who acted: the person's email, or the API key's id. */
function author(caller: Principal): string {
  return caller.email ?? `key:${caller.keyId ?? 'unknown'}`;
}

const day = (text: string, field: string) => requireSnapshotDay(requireInstant(text, field), field);

/** A stored model as the API shows it (its JSON parts are plain objects the schema describes loosely). */
function withActive(m: StoredModel, active: string): z.infer<typeof model> {
  return { ...m, active: m.model_id === active } as unknown as z.infer<typeof model>;
}

export function registerHealthModelRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/v1/health-models',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['insight'],
        summary:
          'The health models: the active one, every fitted version, and every change of the active model',
        querystring: z.strictObject({}),
        response: {
          200: z.object({ active: z.string(), models: z.array(model), activations: z.array(activation) }),
        },
      },
    },
    async (request) => {
      const runtime = await hub.runtime(principal(request).workspace);
      const store = runtime.reader;
      const active = await activeModelId(store);
      return {
        active,
        models: (await listModels(store)).map((m) => withActive(m, active)),
        activations: await listActivations(store),
      };
    },
  );
  typed.post(
    '/api/v1/health-models',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['insight'],
        summary:
          'Fit (with split: back-test) a logistic churn model on snapshots and store it as a new version',
        body: fitBody,
        response: { 201: model },
      },
    },
    async (request, reply) => {
      const caller = principal(request);
      const body = request.body;
      if (body.snapshot !== undefined && (body.from !== undefined || body.to !== undefined)) {
        throw new FidelioError('usage', 'conflicting_options', 'give snapshot or from/to, not both');
      }
      const snapshot = body.snapshot === undefined ? undefined : day(body.snapshot, 'snapshot');
      const from = body.from === undefined ? undefined : day(body.from, 'from');
      const to = body.to === undefined ? undefined : day(body.to, 'to');
      const split = body.split === undefined ? null : day(body.split, 'split');
      const runtime = await hub.runtime(caller.workspace);
      const fitted = await runtime.queue.submitJob(
        async (store) =>
          fitHealthModel(store, {
            snapshots: snapshot ? [snapshot] : await defaultSnapshots(store, from, to),
            l2: body.l2 ?? DEFAULT_L2,
            split,
            by: author(caller),
          }),
        { touchesFacts: false },
      );
      const active = await activeModelId(runtime.reader);
      return reply.code(201).send(withActive(fitted, active));
    },
  );
  typed.post(
    '/api/v1/health-models/:id/activate',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['insight'],
        summary: `Make a model the active one ("${DEFAULT_MODEL_ID}" for the documented default); the change is recorded`,
        params: z.object({ id: idText }),
        response: { 200: activation },
      },
    },
    async (request) => {
      const caller = principal(request);
      const runtime = await hub.runtime(caller.workspace);
      return runtime.queue.submitJob((store) => activateModel(store, request.params.id, author(caller)), {
        touchesFacts: false,
      });
    },
  );
  typed.get(
    '/api/v1/accounts/:id/health-explanation',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['insight'],
        summary:
          "Why an account's health score is what it is: each feature's contribution, largest risk first",
        params: z.object({ id: idText }),
        querystring: z.strictObject({
          model: idText.optional().describe('a model id or "default" (default: the active model)'),
          at: dateText.optional().describe('the snapshot date (default: the day after the latest data)'),
        }),
        response: { 200: explanation },
      },
    },
    async (request) => {
      const runtime = await hub.runtime(principal(request).workspace);
      const { model: modelId, at } = request.query;
      const instant = at === undefined ? undefined : day(at, 'at');
      const key = `health-explanation:${JSON.stringify([request.params.id, modelId ?? null, at ?? null])}`;
      return runtime.cached(key, () =>
        explainAccount(runtime.reader, request.params.id, {
          ...(modelId === undefined ? {} : { modelId }),
          ...(instant === undefined ? {} : { at: instant }),
        }),
      );
    },
  );
}
