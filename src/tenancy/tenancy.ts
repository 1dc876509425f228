// Workspaces, people, API keys and sessions, kept in the control schema. Each workspace's data lives in its own
// schema, so a store opened for one workspace cannot name another's tables.
import { randomBytes } from 'node:crypto';
import { FidelioError } from '../domain/errors.js';
import type { Store } from '../store/store.js';
import { type Role, type Scope, scopesOfRole } from './access.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { digest, newSecret, sameSecret } from './tokens.js';

export interface Workspace {
  id: string;
  name: string;
  schema: string;
  isDemo: boolean;
}

/** Who is asking, for which workspace, allowed to do what. */
export interface Principal {
  workspace: Workspace;
  scopes: readonly Scope[];
  /** 'key' for API keys, 'session' for browser logins (which need a CSRF token to change anything). */
  via: 'key' | 'session';
  /** The API key's id (never its secret), for keys. */
  keyId?: string;
  userId?: string;
  email?: string;
  role?: Role;
  csrfToken?: string;
}

/** The workspace every store has (control migration 1): its data is the main schema, where CLI imports land. */
export const DEFAULT_WORKSPACE = 'default';

const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const KEY_PREFIX = 'fid_';
const SESSION_DAYS = 7;
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

const newId = () => randomBytes(6).toString('hex');

type WorkspaceRow = {
  id: string;
  name: string;
  schema_name: string;
  is_demo: boolean;
};
const toWorkspace = (row: WorkspaceRow): Workspace => ({
  id: row.id,
  name: row.name,
  schema: row.schema_name,
  isDemo: row.is_demo,
});

export class Tenancy {
  constructor(private readonly control: Store) {}

  async createWorkspace(name: string, options: { demo?: boolean } = {}): Promise<Workspace> {
    if (!NAME.test(name)) {
      throw new FidelioError(
        'usage',
        'bad_workspace_name',
        `a workspace name is 1–40 lower-case letters, digits and "-", starting with a letter or digit (got "${name}")`,
      );
    }
    if (await this.findWorkspace(name)) {
      throw new FidelioError('conflict', 'workspace_exists', `a workspace named "${name}" already exists`);
    }
    const workspace: Workspace = {
      id: newId(),
      name,
      schema: `ws_${name.replaceAll('-', '_')}`,
      isDemo: options.demo ?? false,
    };
    await this.control.run('INSERT INTO workspaces VALUES ($1, $2, $3, $4, NULL, now())', [
      workspace.id,
      workspace.name,
      workspace.schema,
      workspace.isDemo,
    ]);
    return workspace;
  }

  async listWorkspaces(): Promise<Workspace[]> {
    const rows = await this.control.query<WorkspaceRow>('SELECT * FROM workspaces ORDER BY created_at, name');
    return rows.map(toWorkspace);
  }

  async findWorkspace(name: string): Promise<Workspace | null> {
    const rows = await this.control.query<WorkspaceRow>('SELECT * FROM workspaces WHERE name = $1', [name]);
    return rows[0] ? toWorkspace(rows[0]) : null;
  }

  async requireWorkspace(name: string): Promise<Workspace> {
    const workspace = await this.findWorkspace(name);
    if (!workspace) throw new FidelioError('not_found', 'unknown_workspace', `no workspace named "${name}"`);
    return workspace;
  }

  /** Adds a person to a workspace with a role; an existing person (by e-mail) keeps their password. */
  async addUser(workspaceName: string, email: string, role: Role, password: string): Promise<void> {
    const workspace = await this.requireWorkspace(workspaceName);
    const address = email.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(address)) {
      throw new FidelioError('usage', 'bad_email', `"${email}" is not an e-mail address`);
    }
    const existing = await this.control.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [
      address,
    ]);
    let userId = existing[0]?.id;
    if (!userId) {
      if (password.length < 10) {
        throw new FidelioError('usage', 'weak_password', 'a password needs at least 10 characters');
      }
      userId = newId();
      await this.control.run('INSERT INTO users VALUES ($1, $2, $3, now())', [
        userId,
        address,
        await hashPassword(password),
      ]);
    }
    await this.control.run(
      `INSERT INTO memberships VALUES ($1, $2, $3)
       ON CONFLICT (user_id, workspace_id) DO UPDATE SET role = excluded.role`,
      [userId, workspace.id, role],
    );
  }

  /** A new API key; the returned token is shown once and only its digest is stored. */
  async createKey(workspaceName: string, scopes: readonly Scope[]): Promise<{ id: string; token: string }> {
    const workspace = await this.requireWorkspace(workspaceName);
    const id = newId();
    const secret = newSecret();
    await this.control.run('INSERT INTO api_keys VALUES ($1, $2, $3, $4, now(), NULL)', [
      id,
      workspace.id,
      digest(secret),
      scopes.join(','),
    ]);
    return { id, token: `${KEY_PREFIX}${id}_${secret}` };
  }

  async revokeKey(workspace: Workspace, id: string): Promise<boolean> {
    const rows = await this.control.query(
      'UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND workspace_id = $2 AND revoked_at IS NULL RETURNING id',
      [id, workspace.id],
    );
    return rows.length > 0;
  }

  async listKeys(workspace: Workspace) {
    return this.control.query<{ id: string; scopes: string; created_at: Date; revoked_at: Date | null }>(
      'SELECT id, scopes, created_at, revoked_at FROM api_keys WHERE workspace_id = $1 ORDER BY created_at',
      [workspace.id],
    );
  }

  /** The principal of a bearer token, or null when it is unknown, malformed or revoked. */
  async principalOfKey(token: string): Promise<Principal | null> {
    if (!token.startsWith(KEY_PREFIX)) return null;
    const id = token.slice(KEY_PREFIX.length, KEY_PREFIX.length + 12);
    const secret = token.slice(KEY_PREFIX.length + 13);
    const rows = await this.control.query<WorkspaceRow & { secret_hash: string; scopes: string }>(
      `SELECT k.secret_hash, k.scopes, w.* FROM api_keys k JOIN workspaces w ON w.id = k.workspace_id
       WHERE k.id = $1 AND k.revoked_at IS NULL`,
      [id],
    );
    const row = rows[0];
    if (!row || !sameSecret(row.secret_hash, digest(secret))) return null;
    return { workspace: toWorkspace(row), scopes: row.scopes.split(',') as Scope[], via: 'key', keyId: id };
  }

  /**
   * Checks an e-mail and password and opens a session on one of the person's workspaces (the named one, or
   * their first). Unknown e-mail and wrong password take the same time and give the same answer.
   */
  async login(
    email: string,
    password: string,
    workspaceName?: string,
  ): Promise<{ token: string; principal: Principal }> {
    const users = await this.control.query<{ id: string; password_hash: string }>(
      'SELECT id, password_hash FROM users WHERE email = $1',
      [email.trim().toLowerCase()],
    );
    const user = users[0];
    const valid = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    const memberships = user && valid ? await this.membershipsOf(user.id) : [];
    const chosen = workspaceName
      ? memberships.find((m) => m.workspace.name === workspaceName)
      : memberships[0];
    if (!user || !valid || !chosen) {
      throw new FidelioError(
        'unauthorized',
        'bad_login',
        'unknown e-mail, wrong password or no such workspace',
      );
    }
    const token = newSecret(32);
    const csrfToken = newSecret(24);
    await this.control.run(
      `INSERT INTO sessions VALUES ($1, $2, $3, $4, now(), now() + INTERVAL ${SESSION_DAYS} DAY)`,
      [digest(token), user.id, chosen.workspace.id, csrfToken],
    );
    return {
      token,
      principal: {
        ...principalOfMembership(chosen),
        userId: user.id,
        email: email.trim().toLowerCase(),
        csrfToken,
      },
    };
  }

  async principalOfSession(token: string): Promise<Principal | null> {
    const rows = await this.control.query<
      WorkspaceRow & { user_id: string; email: string; role: Role; csrf_token: string }
    >(
      `SELECT s.user_id, s.csrf_token, u.email, m.role, w.*
       FROM sessions s JOIN users u ON u.id = s.user_id
       JOIN memberships m ON m.user_id = s.user_id AND m.workspace_id = s.workspace_id
       JOIN workspaces w ON w.id = s.workspace_id
       WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [digest(token)],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      workspace: toWorkspace(row),
      scopes: scopesOfRole(row.role),
      via: 'session',
      userId: row.user_id,
      email: row.email,
      role: row.role,
      csrfToken: row.csrf_token,
    };
  }

  async logout(token: string): Promise<void> {
    await this.control.run('DELETE FROM sessions WHERE token_hash = $1', [digest(token)]);
  }

  /** The Stripe signing secret of a workspace (the HMAC needs it in clear, so it is stored as given). */
  async stripeSecret(workspace: Workspace): Promise<string | null> {
    const rows = await this.control.query<{ stripe_secret: string | null }>(
      'SELECT stripe_secret FROM workspaces WHERE id = $1',
      [workspace.id],
    );
    return rows[0]?.stripe_secret ?? null;
  }

  async setStripeSecret(workspace: Workspace, secret: string): Promise<void> {
    if (!/^whsec_\S{8,}$/.test(secret)) {
      throw new FidelioError('usage', 'bad_stripe_secret', 'a Stripe signing secret starts with "whsec_"');
    }
    await this.control.run('UPDATE workspaces SET stripe_secret = $1 WHERE id = $2', [secret, workspace.id]);
  }

  private async membershipsOf(userId: string): Promise<{ workspace: Workspace; role: Role }[]> {
    const rows = await this.control.query<WorkspaceRow & { role: Role }>(
      `SELECT m.role, w.* FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
       WHERE m.user_id = $1 ORDER BY w.created_at, w.name`,
      [userId],
    );
    return rows.map((row) => ({ workspace: toWorkspace(row), role: row.role }));
  }
}

function principalOfMembership(m: { workspace: Workspace; role: Role }): Principal {
  return { workspace: m.workspace, scopes: scopesOfRole(m.role), via: 'session', role: m.role };
}
