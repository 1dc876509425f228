// POST /api/v1/webhooks/stripe/{workspace}: Stripe events, signed with the workspace's signing secret.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { stripeFacts } from '../../ingest/stripe/events.js';
import { verifyStripeSignature } from '../../ingest/stripe/signature.js';
import { storeStripeEvent } from '../../ingest/stripe/store-event.js';
import type { WorkspaceHub } from '../hub.js';
import { rawBodyOf } from '../json-body.js';
import { HttpProblem } from '../problem.js';

export function registerStripeRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/v1/webhooks/stripe/:workspace',
    {
      config: { scope: 'public' },
      schema: {
        tags: ['ingest'],
        summary:
          'Stripe webhook endpoint (customer.*, customer.subscription.*, invoice.paid); see docs/stripe.md',
        params: z.object({ workspace: z.string() }),
        headers: z.looseObject({ 'stripe-signature': z.string().optional() }),
        body: z.unknown(),
        security: [],
        response: {
          200: z.object({ received: z.literal(true), applied: z.string(), duplicate: z.boolean() }),
        },
      },
    },
    async (request) => {
      const workspace = await hub.tenancy.findWorkspace(request.params.workspace);
      if (!workspace) throw new HttpProblem(404, 'not_found', 'no such webhook endpoint');
      const secret = await hub.tenancy.stripeSecret(workspace);
      if (!secret) {
        throw new HttpProblem(
          409,
          'stripe_not_configured',
          'this workspace has no Stripe signing secret yet: an admin sets it with PUT /api/v1/stripe-secret',
        );
      }
      const raw = rawBodyOf(request);
      if (!raw) throw new HttpProblem(400, 'empty_body', 'a Stripe event is a JSON body');
      verifyStripeSignature(raw, request.headers['stripe-signature'], secret);
      const event = request.body as { id: string; type: string; created: number };
      const facts = stripeFacts(event);
      const runtime = await hub.runtime(workspace);
      const outcome = await runtime.queue.submitJob((store) => storeStripeEvent(store, event, facts));
      return { received: true as const, ...outcome };
    },
  );
}
