// Who is calling: an API key (`Authorization: Bearer fid_…`) or a browser session (HttpOnly, SameSite=Strict
// cookie plus an X-CSRF-Token header on every state-changing request). Each route declares the scope it needs.
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Scope } from '../tenancy/access.js';
import type { Principal, Tenancy } from '../tenancy/tenancy.js';
import { digest, sameSecret } from '../tenancy/tokens.js';
import { HttpProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The scope a caller needs; 'public' for routes that authenticate otherwise (login, webhooks). */
    scope?: Scope | 'public';
  }
}

export const SESSION_COOKIE = 'fidelio_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Verified credentials are remembered this long; logout and key revocation forget them at once. */
const CACHE_MS = 30_000;

export class Authenticator {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(private readonly tenancy: Tenancy) {}

  async principalOf(request: FastifyRequest): Promise<Principal | null> {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      const token = header.slice('Bearer '.length).trim();
      return this.remembered(`key:${digest(token)}`, () => this.tenancy.principalOfKey(token));
    }
    const session = request.cookies[SESSION_COOKIE];
    if (session) {
      return this.remembered(`session:${digest(session)}`, () => this.tenancy.principalOfSession(session));
    }
    return null;
  }

  forgetAll(): void {
    this.cache.clear();
  }

  private async remembered(key: string, look: () => Promise<Principal | null>): Promise<Principal | null> {
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.principal;
    const principal = await look();
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { principal, until: now + CACHE_MS });
    return principal;
  }
}

export function registerAuth(app: FastifyInstance, authenticator: Authenticator): void {
  app.decorateRequest('principal', null);
  // Before the body is read: a caller without the right credentials learns nothing from body checks.
  app.addHook('onRequest', async (request) => {
    const scope = request.routeOptions.config.scope;
    if (!scope || scope === 'public') return;
    const principal = await authenticator.principalOf(request);
    if (!principal) {
      throw new HttpProblem(
        401,
        'unauthenticated',
        'send an API key as "Authorization: Bearer <key>", or log in',
        [],
        {
          'www-authenticate': 'Bearer realm="fidelio"',
        },
      );
    }
    if (!principal.scopes.includes(scope)) {
      throw new HttpProblem(
        403,
        'missing_scope',
        `this needs the "${scope}" permission, which the caller lacks`,
      );
    }
    if (principal.via === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameSecret(sent, principal.csrfToken ?? '')) {
        throw new HttpProblem(
          403,
          'csrf',
          `a browser request that changes data needs the ${CSRF_HEADER} header from GET /api/v1/session`,
        );
      }
    }
    request.principal = principal;
  });
}

/** The caller of a route that declared a scope (the hook has checked it). */
export function principal(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('principal() on a route without a scope');
  return request.principal;
}
