// Browser sessions: log in (an HttpOnly, SameSite=Strict cookie), see who you are and your CSRF token, log out.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal, Tenancy } from '../../tenancy/tenancy.js';
import { type Authenticator, principal, SESSION_COOKIE } from '../auth.js';

const sessionAnswer = z.object({
  email: z.string(),
  workspace: z.string(),
  role: z.string(),
  scopes: z.array(z.string()),
  csrf_token: z.string().describe('send as X-CSRF-Token with every request that changes data'),
  demo: z.boolean(),
});

const describe = (p: Principal) => ({
  email: p.email ?? '',
  workspace: p.workspace.name,
  role: p.role ?? '',
  scopes: [...p.scopes],
  csrf_token: p.csrfToken ?? '',
  demo: p.workspace.isDemo,
});

export function registerSessionRoutes(
  app: FastifyInstance,
  tenancy: Tenancy,
  authenticator: Authenticator,
  secureCookies: boolean,
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    '/api/v1/session',
    {
      config: { scope: 'public' },
      schema: {
        tags: ['session'],
        summary: 'Log in with e-mail and password (sets the session cookie)',
        body: z.strictObject({ email: z.string(), password: z.string(), workspace: z.string().optional() }),
        response: { 200: sessionAnswer },
      },
    },
    async (request, reply) => {
      const { token, principal: who } = await tenancy.login(
        request.body.email,
        request.body.password,
        request.body.workspace,
      );
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: secureCookies,
        path: '/',
        maxAge: 7 * 24 * 3600,
      });
      return describe(who);
    },
  );
  typed.get(
    '/api/v1/session',
    {
      config: { scope: 'read' },
      schema: { tags: ['session'], summary: 'The logged-in person', response: { 200: sessionAnswer } },
    },
    async (request) => describe(principal(request)),
  );
  typed.delete(
    '/api/v1/session',
    { config: { scope: 'read' }, schema: { tags: ['session'], summary: 'Log out' } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await tenancy.logout(token);
      authenticator.forgetAll();
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );
}
