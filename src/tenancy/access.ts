// Who may do what: roles of people, scopes of API keys, and the permissions both grant.
import { FidelioError } from '../domain/errors.js';

export const ROLES = ['owner', 'admin', 'analyst', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** What a request may do; every route names the one it needs. */
export const SCOPES = ['read', 'ingest', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  owner: ['read', 'ingest', 'admin'],
  admin: ['read', 'ingest', 'admin'],
  analyst: ['read', 'ingest'],
  viewer: ['read'],
};

export function scopesOfRole(role: Role): readonly Scope[] {
  return ROLE_SCOPES[role];
}

export function parseRole(text: string): Role {
  if ((ROLES as readonly string[]).includes(text)) return text as Role;
  throw new FidelioError('usage', 'unknown_role', `role must be one of ${ROLES.join(', ')} (got "${text}")`);
}

/** "ingest,read" → ['ingest', 'read']; unknown or missing scopes are a usage error. */
export function parseScopes(text: string): Scope[] {
  const scopes = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new FidelioError(
      'usage',
      'unknown_scope',
      `scopes must be a comma-separated list of ${SCOPES.join(', ')} (got "${text}")`,
    );
  }
  return [...new Set(scopes)] as Scope[];
}
