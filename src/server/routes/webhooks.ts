// /api/v1/webhooks: outgoing webhooks (admin). A webhook's URL must resolve to public addresses only unless the
// admin allows private targets; its signing secret is shown once, in the answer that creates it.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { resolveTarget, TargetRefused } from '../../alerts/target-guard.js';
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  WEBHOOK_EVENTS,
} from '../../alerts/webhooks.js';
import { principal } from '../auth.js';
import type { WorkspaceHub } from '../hub.js';
import { MAX_LIMIT } from '../list-paging.js';
import { HttpProblem } from '../problem.js';

const webhook = z.object({
  webhook_id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  allow_private: z.boolean(),
  created_at: z.string(),
});

const delivery = z.object({
  delivery_id: z.string().describe('also the id of the event body and the Fidelio-Delivery header'),
  event: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']).describe('failed: every attempt failed; none follows'),
  attempts: z.number(),
  last_status: z.number().nullable().describe("the receiver's HTTP status at the last attempt"),
  last_error: z.string().nullable(),
  next_attempt_at: z.string().nullable(),
  delivered_at: z.string().nullable(),
  created_at: z.string(),
});

const idParams = z.object({ id: z.string().min(1).max(100) });

function unknownWebhook(id: string): HttpProblem {
  return new HttpProblem(404, 'unknown_webhook', `no webhook ${id} in this workspace`);
}

export function registerWebhookRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    '/api/v1/webhooks',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Create an outgoing webhook; its signing secret is shown only in this answer',
        description:
          'Each event is POSTed as JSON signed with Fidelio-Signature: t=<unix>,v1=<hex HMAC-SHA256 of ' +
          '"<t>.<body>" keyed with the secret>. Redirects are not followed. A URL resolving to a loopback, ' +
          'private, link-local or reserved address is refused (422) unless allow_private is true.',
        body: z.strictObject({
          url: z.string().min(1).max(2000).describe('an http or https URL without user name or password'),
          events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).describe('the events to send'),
          allow_private: z
            .boolean()
            .default(false)
            .describe('allow a target on a private, loopback or link-local address (an internal service)'),
        }),
        response: { 201: webhook.extend({ secret: z.string() }) },
      },
    },
    async (request, reply) => {
      const { url, events, allow_private } = request.body;
      let checked: URL;
      try {
        checked = (await resolveTarget(url, { allowPrivate: allow_private })).url;
      } catch (error) {
        if (!(error instanceof TargetRefused)) throw error;
        throw new HttpProblem(422, 'refused_webhook_url', `url: ${error.message}`, [
          { path: '$.url', rule: 'webhook_target', message: error.message, value: url },
        ]);
      }
      const runtime = await hub.runtime(principal(request).workspace);
      const created = await runtime.queue.submitJob(
        (store) => createWebhook(store, { url: checked.href, events, allow_private }, new Date()),
        { touchesFacts: false },
      );
      return reply.code(201).send(created);
    },
  );
  typed.get(
    '/api/v1/webhooks',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'The outgoing webhooks (never their secrets)',
        querystring: z.strictObject({}),
        response: { 200: z.array(webhook) },
      },
    },
    async (request) => listWebhooks((await hub.runtime(principal(request).workspace)).reader),
  );
  typed.delete(
    '/api/v1/webhooks/:id',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Delete an outgoing webhook and its deliveries, sent or not',
        params: idParams,
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const runtime = await hub.runtime(principal(request).workspace);
      const deleted = await runtime.queue.submitJob((store) => deleteWebhook(store, id), {
        touchesFacts: false,
      });
      if (!deleted) throw unknownWebhook(id);
      return reply.code(204).send();
    },
  );
  typed.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['admin'],
        summary: "A webhook's deliveries, newest first: attempts, the last answer or error, the next attempt",
        params: idParams,
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
        }),
        response: { 200: z.object({ items: z.array(delivery), total: z.number() }) },
      },
    },
    async (request) => {
      const runtime = await hub.runtime(principal(request).workspace);
      const page = await listDeliveries(runtime.reader, request.params.id, request.query);
      if (!page) throw unknownWebhook(request.params.id);
      return page;
    },
  );
}
