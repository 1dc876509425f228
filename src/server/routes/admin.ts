// Workspace administration over the API: API keys and the Stripe signing secret (the "admin" permission).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SCOPES } from '../../tenancy/access.js';
import type { Tenancy } from '../../tenancy/tenancy.js';
import { type Authenticator, principal } from '../auth.js';
import { HttpProblem } from '../problem.js';

export function registerAdminRoutes(
  app: FastifyInstance,
  tenancy: Tenancy,
  authenticator: Authenticator,
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/v1/keys',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'The workspace API keys (never their secrets)',
        response: {
          200: z.array(
            z.object({
              id: z.string(),
              scopes: z.array(z.string()),
              created_at: z.string(),
              revoked_at: z.string().nullable(),
            }),
          ),
        },
      },
    },
    async (request) =>
      (await tenancy.listKeys(principal(request).workspace)).map((k) => ({
        id: k.id,
        scopes: k.scopes.split(','),
        created_at: k.created_at.toISOString(),
        revoked_at: k.revoked_at?.toISOString() ?? null,
      })),
  );
  typed.post(
    '/api/v1/keys',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Create an API key; its token is shown only in this answer',
        body: z.strictObject({ scopes: z.array(z.enum(SCOPES)).min(1) }),
        response: { 201: z.object({ id: z.string(), token: z.string() }) },
      },
    },
    async (request, reply) => {
      const key = await tenancy.createKey(principal(request).workspace.name, [
        ...new Set(request.body.scopes),
      ]);
      return reply.code(201).send(key);
    },
  );
  typed.delete(
    '/api/v1/keys/:id',
    {
      config: { scope: 'admin' },
      schema: { tags: ['admin'], summary: 'Revoke an API key', params: z.object({ id: z.string() }) },
    },
    async (request, reply) => {
      if (!(await tenancy.revokeKey(principal(request).workspace, request.params.id))) {
        throw new HttpProblem(404, 'unknown_key', `no active key ${request.params.id} in this workspace`);
      }
      authenticator.forgetAll();
      return reply.code(204).send();
    },
  );
  typed.put(
    '/api/v1/stripe-secret',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['admin'],
        summary: "Set the signing secret of the workspace's Stripe webhook endpoint",
        body: z.strictObject({ secret: z.string() }),
      },
    },
    async (request, reply) => {
      await tenancy.setStripeSecret(principal(request).workspace, request.body.secret);
      return reply.code(204).send();
    },
  );
}
