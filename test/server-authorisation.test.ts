// Who may call what: every route of the OpenAPI document × every kind of caller (none, each key scope, each
// role's session, sessions without their CSRF token, another workspace), and what each caller may see.
import type { HTTPMethods, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';
import type { Role, Scope } from '../src/tenancy/access.js';
import type { Workspace } from '../src/tenancy/tenancy.js';
import { StoreProbe } from './support/store-probe.js';

// Routes that authenticate otherwise (a password, a Stripe signature), publish the documentation, or serve the
// survey widget to any site (/api/public/).
const PUBLIC = new Set(['POST /api/v1/session', 'GET /api/openapi.json', 'GET /api/docs', 'GET /healthz']);
const isPublic = (route: string) =>
  PUBLIC.has(route) ||
  /^POST \/api\/v1\/webhooks\/stripe\//.test(route) ||
  /^\w+ \/api\/public\//.test(route);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOCAL_TOKEN = 'local-channel-token-for-tests';

/**
 * The permission a route needs, by the table of docs/server.md: admin for keys, the Stripe secret, KPI targets,
 * outgoing webhooks and follow-up recipients, read for every other GET (and for logging out: anyone logged in
 * may), ingest for POSTing data and working on follow-ups. A route no rule covers fails the matrix until someone
 * decides.
 */
function requiredScope(method: string, path: string): Scope {
  if (/^\/api\/v1\/(keys|stripe-secret)(\/|$)/.test(path)) return 'admin';
  if (/^\/api\/v1\/(webhooks|follow-up-recipients)(\/|$)/.test(path)) return 'admin';
  if (SAFE_METHODS.has(method)) return 'read';
  if (/^\/api\/v1\/targets\//.test(path)) return 'admin';
  if (/^\/api\/v1\/health-models(\/|$)/.test(path)) return 'admin';
  if (method === 'PUT' && /^\/api\/v1\/survey-fatigue\/settings$/.test(path)) return 'admin';
  if (method === 'PATCH' && /^\/api\/v1\/follow-ups\//.test(path)) return 'ingest';
  if (method === 'DELETE' && path === '/api/v1/session') return 'read';
  if (method === 'POST' || method === 'PATCH') return 'ingest';
  throw new Error(`no rule says which permission ${method} ${path} needs: add one to requiredScope`);
}

// ---- two workspaces with distinct data: A ("tangerine") is the one attacked, B ("cobalt") the neighbour ----

interface Side {
  workspace: Workspace;
  /** An account that exists only in this workspace. */
  account: string;
  /** Every full-scope key of the side (for seeding and for B's calls). */
  token: string;
}

const hub = await WorkspaceHub.open(':memory:');
const app = await buildApp({ hub, localToken: LOCAL_TOKEN });
await app.ready();
const probe = await StoreProbe.open(hub);
afterAll(async () => {
  await probe.close();
  await app.close();
  await hub.close();
});

const PASSWORD = 'correct horse battery staple';
const A = await seedSide('tangerine', 3, 100);
const B = await seedSide('cobalt', 1, 50);
/** Strings that only A's data contains: B's callers must never receive one of them. */
const A_MARKERS = ['tangerine', ...(await hub.tenancy.listKeys(A.workspace)).map((k) => k.id)];

/** `accounts` accounts created 2023-12-01, each with `mrr` MRR from 2023-12-05 (as of 2023-12-31: mrr ×
 * accounts). Account ids carry the workspace name, so a leak is visible in any answer. */
async function seedSide(name: string, accounts: number, mrr: number): Promise<Side> {
  const workspace = await hub.tenancy.createWorkspace(name);
  const { token } = await hub.tenancy.createKey(name, ['read', 'ingest', 'admin']);
  const ids = Array.from({ length: accounts }, (_, i) => `${name}-acct-${i + 1}`);
  const post = (url: string, payload: unknown[]) =>
    app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload });
  expect(
    (
      await post(
        '/api/v1/accounts',
        ids.map((id) => ({ account_id: id, created_at: '2023-12-01T00:00:00Z', segment: `${name}-segment` })),
      )
    ).statusCode,
  ).toBe(200);
  expect(
    (
      await post(
        '/api/v1/mrr-changes',
        ids.map((id) => ({ account_id: id, effective_at: '2023-12-05T00:00:00Z', mrr, currency: 'EUR' })),
      )
    ).statusCode,
  ).toBe(200);
  return { workspace, account: ids[0]!, token };
}

// ---- callers ----

type CsrfHeader = 'own' | 'none' | 'foreign';

interface Caller {
  label: string;
  side: Side | null;
  scopes: readonly Scope[];
  via: 'none' | 'key' | 'session';
  /** For sessions: whether the X-CSRF-Token header is sent, and whether it is the session's own. */
  csrf?: CsrfHeader;
  headers(): Record<string, string>;
  /** Logs in again (after the matrix logged the session out). */
  relogin?(): Promise<void>;
}

function keyCaller(label: string, side: Side, token: string, scopes: readonly Scope[]): Caller {
  return { label, side, scopes, via: 'key', headers: () => ({ authorization: `Bearer ${token}` }) };
}

interface Login {
  cookie: string;
  csrf: string;
}

async function login(email: string, workspace: string): Promise<Login> {
  const answer = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { email, password: PASSWORD, workspace },
  });
  expect(answer.statusCode).toBe(200);
  const cookie = answer.cookies.find((c) => c.name === 'fidelio_session');
  return {
    cookie: `fidelio_session=${cookie!.value}`,
    csrf: answer.json<{ csrf_token: string }>().csrf_token,
  };
}

async function sessionCaller(label: string, side: Side, role: Role, csrf: CsrfHeader): Promise<Caller> {
  const email = `${role}-${label.replaceAll(' ', '-')}@${side.workspace.name}.test`;
  await hub.tenancy.addUser(side.workspace.name, email, role, PASSWORD);
  let current = await login(email, side.workspace.name);
  const other = await login(email, side.workspace.name);
  // The role table of docs/server.md: owner and admin hold all three, analyst read and ingest, viewer read.
  const scopes: Record<Role, Scope[]> = {
    owner: ['read', 'ingest', 'admin'],
    admin: ['read', 'ingest', 'admin'],
    analyst: ['read', 'ingest'],
    viewer: ['read'],
  };
  return {
    label,
    side,
    scopes: scopes[role],
    via: 'session',
    csrf,
    headers: () => ({
      cookie: current.cookie,
      ...(csrf === 'own' ? { 'x-csrf-token': current.csrf } : {}),
      ...(csrf === 'foreign' ? { 'x-csrf-token': other.csrf } : {}),
    }),
    relogin: async () => {
      current = await login(email, side.workspace.name);
    },
  };
}

async function keyOf(side: Side, scopes: Scope[]): Promise<string> {
  return (await hub.tenancy.createKey(side.workspace.name, scopes)).token;
}

const A_CALLERS: Caller[] = [
  { label: 'no credentials', side: null, scopes: [], via: 'none', headers: () => ({}) },
  keyCaller('read key', A, await keyOf(A, ['read']), ['read']),
  keyCaller('ingest key', A, await keyOf(A, ['ingest']), ['ingest']),
  keyCaller('admin key', A, await keyOf(A, ['admin']), ['admin']),
  await sessionCaller('viewer session', A, 'viewer', 'own'),
  await sessionCaller('analyst session', A, 'analyst', 'own'),
  await sessionCaller('admin session', A, 'admin', 'own'),
  await sessionCaller('owner session', A, 'owner', 'own'),
  await sessionCaller('owner session without X-CSRF-Token', A, 'owner', 'none'),
  await sessionCaller("owner session with another session's X-CSRF-Token", A, 'owner', 'foreign'),
];
const B_CALLERS: Caller[] = [
  keyCaller("workspace B's full key", B, B.token, ['read', 'ingest', 'admin']),
  await sessionCaller("workspace B's owner session", B, 'owner', 'own'),
];

// ---- one valid request per route (routes without one get a generic request) ----

interface Context {
  side: Side;
  /** A number no other request of this file uses (ids, instants). */
  n: number;
}

interface Sample {
  body?: (c: Context) => unknown;
  /** Path parameters naming a resource that exists only in `side` (made fresh for each call). */
  params?: (side: Side) => Promise<Record<string, string>>;
  query?: Record<string, string>;
  logsOut?: boolean;
}

let counter = 0;
/** Distinct instants from 2024-01-10, after every seeded row and long before now. */
const at = (n: number) => new Date(Date.UTC(2024, 0, 10) + n * 60_000).toISOString();
const track = (c: Context) => ({
  event: 'login',
  userId: c.side.account,
  messageId: `msg-${c.n}`,
  timestamp: at(c.n),
});

const SAMPLES: Record<string, Sample> = {
  'POST /api/v1/accounts': {
    body: (c) => [{ account_id: `${c.side.workspace.name}-new-${c.n}`, created_at: at(c.n) }],
  },
  'POST /api/v1/mrr-changes': {
    body: (c) => [{ account_id: c.side.account, effective_at: at(c.n), mrr: 100 + c.n }],
  },
  'POST /api/v1/cancellations': {
    body: (c) => [{ account_id: c.side.account, requested_at: at(c.n), ends_at: at(c.n + 50_000) }],
  },
  'POST /api/v1/payments': {
    body: (c) => [
      {
        payment_id: `pay-${c.n}`,
        account_id: c.side.account,
        paid_at: at(c.n),
        amount: 10,
        kind: 'recurring',
      },
    ],
  },
  'POST /api/v1/costs': {
    body: (c) => [{ account_id: c.side.account, incurred_at: at(c.n), amount: 5, kind: 'service' }],
  },
  'POST /api/v1/renewals': {
    body: (c) => [{ account_id: c.side.account, due_at: at(c.n), outcome: 'renewed' }],
  },
  'POST /api/v1/responses': {
    body: (c) => [{ response_id: `resp-${c.n}`, submitted_at: at(c.n), metric: 'nps', score: 9 }],
  },
  'POST /api/v1/tickets': { body: (c) => [{ ticket_id: `tk-${c.n}`, opened_at: at(c.n), contacts: 1 }] },
  'POST /api/v1/usage': {
    body: (c) => [
      { account_id: c.side.account, occurred_at: at(c.n), event: 'login', event_id: `ev-${c.n}` },
    ],
  },
  'POST /api/v1/track': { body: track },
  'POST /api/v1/batch': { body: (c) => ({ batch: [track(c)] }) },
  'POST /api/v1/keys': { body: () => ({ scopes: ['read'] }) },
  'DELETE /api/v1/keys/{id}': {
    params: async (side) => ({ id: (await hub.tenancy.createKey(side.workspace.name, ['read'])).id }),
  },
  'PUT /api/v1/stripe-secret': { body: (c) => ({ secret: `whsec_matrix${c.n}abcdefgh` }) },
  'DELETE /api/v1/session': { logsOut: true },
  'GET /api/v1/accounts/{id}': { params: async (side) => ({ id: side.account }) },
};

/** Values for required query parameters of routes without a sample (new GET routes get these). */
const QUERY_VALUES: Record<string, string> = { from: '2023-12-01', to: '2024-02-01', metric: 'nps' };

interface Operation {
  parameters?: { name: string; in: string; required?: boolean }[];
}
interface Route {
  method: string;
  path: string;
  name: string;
  scope: Scope;
  sample: Sample | null;
  operation: Operation;
}

const document = app.swagger() as { paths?: Record<string, Record<string, Operation>> };
const ROUTES: Route[] = Object.entries(document.paths ?? {})
  .flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const upper = method.toUpperCase();
      const name = `${upper} ${path}`;
      return {
        method: upper,
        path,
        name,
        scope: requiredScope(upper, path),
        sample: SAMPLES[name] ?? null,
        operation,
      };
    }),
  )
  .filter((r) => !isPublic(r.name));

/** The request a caller of `side` sends to `route`; path parameters name a resource of `owner`. */
async function requestFor(route: Route, side: Side, owner: Side): Promise<InjectOptions> {
  counter += 1;
  const context = { side, n: counter };
  const params = route.sample?.params
    ? await route.sample.params(owner)
    : // A new route with a path parameter: the one resource of A every workspace-scoped route knows.
      Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, owner.account]));
  const url = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  const required = (route.operation.parameters ?? []).filter((p) => p.in === 'query' && p.required);
  const query =
    route.sample?.query ?? Object.fromEntries(required.map((p) => [p.name, QUERY_VALUES[p.name] ?? '']));
  const body = route.sample?.body?.(context) ?? (SAFE_METHODS.has(route.method) ? undefined : {});
  return {
    method: route.method as HTTPMethods,
    url,
    query,
    ...(body === undefined ? {} : { payload: body as NonNullable<InjectOptions['payload']> }),
  };
}

const hasPathParams = (route: Route) => /\{\w+\}/.test(route.path);

/** What policy says `caller` (of workspace A, or none) gets from `route`: 'ok' means a 2xx. */
function expectedFor(route: Route, caller: Caller): 'ok' | 401 | 403 {
  if (caller.via === 'none') return 401;
  if (!caller.scopes.includes(route.scope)) return 403;
  if (caller.via === 'session' && caller.csrf !== 'own' && !SAFE_METHODS.has(route.method)) return 403;
  return 'ok';
}

function isProblem(answer: LightMyRequestResponse, status: number, codes: string[]): boolean {
  const body = answer.json<{ status?: number; code?: string }>();
  return (
    String(answer.headers['content-type']).startsWith('application/problem+json') &&
    body.status === status &&
    codes.includes(body.code ?? '')
  );
}

/** Runs one cell of the matrix for a caller of A; a description of what went wrong, or null. */
async function checkA(route: Route, caller: Caller): Promise<string | null> {
  const expected = expectedFor(route, caller);
  const request = await requestFor(route, A, A);
  const before = expected === 'ok' ? null : await probe.fingerprint();
  const answer = await app.inject({ ...request, headers: caller.headers() });
  const where = `${caller.label}: ${answer.statusCode}`;
  if (before === null) {
    if (route.sample?.logsOut && caller.relogin) await caller.relogin();
    // A new route called with a generic request may refuse the request itself, but never the caller.
    const generic = route.sample === null && (hasPathParams(route) || !SAFE_METHODS.has(route.method));
    if (generic)
      return answer.statusCode === 401 || answer.statusCode === 403 ? `${where}, expected access` : null;
    return answer.statusCode >= 200 && answer.statusCode < 300
      ? null
      : `${where}, expected 2xx (${answer.body})`;
  }
  const codes = expected === 401 ? ['unauthenticated'] : ['missing_scope', 'csrf'];
  if (answer.statusCode !== expected || !isProblem(answer, expected, codes)) {
    return `${where}, expected ${expected} problem+json (${answer.body.slice(0, 200)})`;
  }
  if (expected === 401 && answer.headers['www-authenticate'] === undefined)
    return `${where} without WWW-Authenticate`;
  const after = await probe.fingerprint();
  return JSON.stringify(after) === JSON.stringify(before) ? null : `${where}, but the store changed`;
}

/** A caller of B: its own data on routes without an id (2xx), 404 for A's resources, never a change to A. */
async function checkB(route: Route, caller: Caller): Promise<string | null> {
  const request = await requestFor(route, B, A);
  const before = await probe.fingerprint(A.workspace);
  const answer = await app.inject({ ...request, headers: caller.headers() });
  if (route.sample?.logsOut && caller.relogin) await caller.relogin();
  const where = `${caller.label}: ${answer.statusCode}`;
  const after = await probe.fingerprint(A.workspace);
  if (JSON.stringify(after) !== JSON.stringify(before)) return `${where}, and workspace A changed`;
  // An id the caller sent may be echoed back ("no account … in this workspace"); anything else of A is a leak.
  const sent = `${request.url} ${JSON.stringify(request.payload ?? null)}`;
  const leaked = A_MARKERS.filter((m) => !sent.includes(m) && answer.body.includes(m));
  if (leaked.length > 0) return `${where}, and the answer holds A's ${leaked.join(', ')}`;
  if (hasPathParams(route))
    return answer.statusCode === 404 ? null : `${where}, expected 404 for A's resource`;
  if (route.sample === null && !SAFE_METHODS.has(route.method)) return null;
  return answer.statusCode >= 200 && answer.statusCode < 300
    ? null
    : `${where}, expected 2xx (${answer.body})`;
}

describe('the authorisation matrix (every route of /api/openapi.json but the public ones)', () => {
  it('covers the routes of the document', () => {
    // The routes known when this was written; the matrix covers new ones as they appear in the document.
    const names = ROUTES.map((r) => r.name);
    for (const known of Object.keys(SAMPLES)) expect(names).toContain(known);
    expect(names).toEqual(
      expect.arrayContaining(['GET /api/v1/report', 'GET /api/v1/kpis', 'GET /api/v1/keys']),
    );
  });

  it.each(ROUTES.map((r) => [r.name, r] as const))(
    '%s: each caller of the workspace gets what its permission allows, and refusals write nothing',
    async (_name, route) => {
      const mismatches: string[] = [];
      for (const caller of A_CALLERS) {
        const problem = await checkA(route, caller);
        if (problem) mismatches.push(problem);
      }
      expect(mismatches).toEqual([]);
    },
  );

  it.each(ROUTES.map((r) => [r.name, r] as const))(
    "%s: a caller of another workspace works on its own data and never sees or changes the workspace's",
    async (_name, route) => {
      const mismatches: string[] = [];
      for (const caller of B_CALLERS) {
        const problem = await checkB(route, caller);
        if (problem) mismatches.push(problem);
      }
      expect(mismatches).toEqual([]);
    },
  );
});

describe('credentials', () => {
  const kpis = (headers: Record<string, string>) =>
    app.inject({ method: 'GET', url: '/api/v1/kpis', headers });

  it('made-up, malformed and revoked keys and unknown session cookies are refused with 401', async () => {
    const revoked = await hub.tenancy.createKey(A.workspace.name, ['read']);
    const admin = { authorization: `Bearer ${A.token}` };
    expect((await kpis({ authorization: `Bearer ${revoked.token}` })).statusCode).toBe(200);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/keys/${revoked.id}`, headers: admin })).statusCode,
    ).toBe(204);
    // The right id with another secret, a key of the right shape nobody issued, garbage, a forged cookie.
    const [, id] = /^fid_([0-9a-f]{12})_/.exec(A.token)!;
    for (const headers of [
      { authorization: `Bearer ${revoked.token}` },
      { authorization: `Bearer fid_${id}_${'x'.repeat(32)}` },
      { authorization: 'Bearer fid_000000000000_abcdefabcdefabcdefabcdefabcdefab' },
      { authorization: 'Bearer not-a-key' },
      { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      { cookie: 'fidelio_session=forged-session-token-0123456789' },
    ]) {
      const answer = await kpis(headers);
      expect(answer.statusCode, JSON.stringify(headers)).toBe(401);
      expect(isProblem(answer, 401, ['unauthenticated'])).toBe(true);
    }
  });

  it('a logged-out session is refused with 401', async () => {
    const caller = await sessionCaller('logout check', A, 'viewer', 'own');
    const headers = caller.headers();
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/session', headers })).statusCode).toBe(204);
    expect((await kpis(headers)).statusCode).toBe(401);
  });

  it('a session cookie and a key of another workspace cannot be combined into access to A', async () => {
    // Workspace B's key with A's viewer session cookie: the key decides (it comes first), and it is B's.
    const viewer = A_CALLERS.find((c) => c.label === 'viewer session')!;
    const answer = await app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { ...viewer.headers(), authorization: `Bearer ${B.token}` },
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json<{ workspace: string }>().workspace).toBe('cobalt');
  });
});

// Authentication must come first: a caller without credentials learns nothing about the shape a route wants,
// and the server does not parse a megabyte of JSON for someone it will refuse anyway.
describe('authentication before the request is read', () => {
  it('every protected route answers 401 to a caller without credentials, whatever the body or query', async () => {
    const mismatches: string[] = [];
    for (const route of ROUTES) {
      const url = route.path.replace(/\{\w+\}/g, 'x');
      const method = route.method as HTTPMethods;
      // No query at all, a body of another shape, a body that is not JSON.
      const payloads = SAFE_METHODS.has(route.method)
        ? [undefined]
        : ['{"not": "the documented shape"}', '{not json'];
      for (const payload of payloads) {
        const answer = await app.inject({
          method,
          url,
          ...(payload === undefined ? {} : { payload, headers: { 'content-type': 'application/json' } }),
        });
        if (answer.statusCode !== 401)
          mismatches.push(`${route.name} ${payload ?? ''} → ${answer.statusCode}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('what another workspace sees', () => {
  const get = (url: string, caller: Caller) => app.inject({ method: 'GET', url, headers: caller.headers() });
  const [bKey, bSession] = B_CALLERS as [Caller, Caller];
  const aAdmin = A_CALLERS.find((c) => c.label === 'admin key')!;
  const aReader = A_CALLERS.find((c) => c.label === 'read key')!;

  it("lists only its own keys: no id of A's keys appears in B's list, and the reverse", async () => {
    const aIds = (await hub.tenancy.listKeys(A.workspace)).map((k) => k.id);
    const bIds = (await hub.tenancy.listKeys(B.workspace)).map((k) => k.id);
    const listed = (caller: Caller) => get('/api/v1/keys', caller).then((a) => a.json<{ id: string }[]>());
    expect((await listed(bKey)).map((k) => k.id).sort()).toEqual([...bIds].sort());
    expect((await listed(bSession)).map((k) => k.id).sort()).toEqual([...bIds].sort());
    expect((await listed(aAdmin)).map((k) => k.id).sort()).toEqual([...aIds].sort());
    expect(aIds.filter((id) => bIds.includes(id))).toEqual([]);
  });

  it('reports its own data: December 2023 MRR is 3 × 100 = 300 for A and 1 × 50 = 50 for B', async () => {
    // Seeded: A has 3 accounts at MRR 100 and B 1 account at MRR 50, all from 2023-12-05; the matrix writes
    // only from 2024-01-10 on, so December is as seeded whatever ran before.
    const december = '/api/v1/report?from=2023-12-01&to=2024-01-01';
    type Report = { rows: { segment: string | null; kpis: Record<string, number | null> }[] };
    const kpis = async (caller: Caller) => (await get(december, caller)).json<Report>().rows[0]!.kpis;
    const a = await kpis(aReader);
    expect([a.mrr, a.active_customers]).toEqual([300, 3]);
    for (const caller of [bKey, bSession]) {
      const b = await kpis(caller);
      expect([b.mrr, b.active_customers]).toEqual([50, 1]);
    }
  });

  it("segments by its own values only: B's report never names A's segment", async () => {
    const answer = await get('/api/v1/report?from=2023-12-01&to=2024-01-01&segment_by=segment', bKey);
    const segments = answer.json<{ rows: { segment: string | null }[] }>().rows.map((r) => r.segment);
    expect(segments).toEqual([null, 'cobalt-segment']);
  });

  it('lists only its own accounts and answers, in JSON and in CSV', async () => {
    // Seeded: A holds tangerine-acct-1…3 and B cobalt-acct-1, and the matrix added *-new-<n> accounts to
    // each. Every response id of this file is distinct (resp-<n>), so an id in both lists is a leak.
    for (const caller of [bKey, bSession]) {
      const accounts = (await get('/api/v1/accounts?limit=500', caller)).json<{
        items: { account_id: string }[];
      }>();
      expect(accounts.items.length).toBeGreaterThan(0);
      expect(accounts.items.filter((a) => !a.account_id.startsWith('cobalt-'))).toEqual([]);
      const csv = (await get('/api/v1/accounts?limit=500&format=csv', caller)).body;
      expect(csv).toContain('cobalt-acct-1');
      expect(csv).not.toContain('tangerine');
    }
    const ids = async (caller: Caller) =>
      (await get('/api/v1/responses?limit=500', caller))
        .json<{ items: { response_id: string }[] }>()
        .items.map((r) => r.response_id);
    const [aIds, bIds] = [await ids(aReader), await ids(bKey)];
    expect(aIds.length).toBeGreaterThan(0);
    expect(bIds.length).toBeGreaterThan(0);
    expect(aIds.filter((id) => bIds.includes(id))).toEqual([]);
  });

  it('its session names its own workspace', async () => {
    expect((await get('/api/v1/session', bSession)).json<{ workspace: string }>().workspace).toBe('cobalt');
  });

  it("cannot refer to A's accounts: an MRR change for A's account is invalid in B, and A is unchanged", async () => {
    const before = await probe.fingerprint(A.workspace);
    const answer = await app.inject({
      method: 'POST',
      url: '/api/v1/mrr-changes',
      headers: bKey.headers(),
      payload: [{ account_id: A.account, effective_at: '2024-06-01T00:00:00Z', mrr: 999 }],
    });
    expect(answer.statusCode).toBe(422);
    expect(answer.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual([
      '$[0].account_id',
    ]);
    expect(await probe.fingerprint(A.workspace)).toEqual(before);
  });
});

describe('the local channel of the CLI', () => {
  const create = (headers: Record<string, string>, remoteAddress = '127.0.0.1') =>
    app.inject({
      method: 'POST',
      url: '/api/local/workspaces',
      payload: { name: 'via-local' },
      headers,
      remoteAddress,
    });

  it('is invisible (404) without its token, with an API key, and from another machine', async () => {
    const before = await probe.fingerprint();
    for (const [headers, from] of [
      [{}, '127.0.0.1'],
      [{ authorization: `Bearer ${A.token}` }, '127.0.0.1'],
      [{ authorization: 'Local wrong-token' }, '127.0.0.1'],
      [{ authorization: `Local ${LOCAL_TOKEN}` }, '203.0.113.7'],
    ] as const) {
      const answer = await create(headers, from);
      expect(answer.statusCode, `${JSON.stringify(headers)} from ${from}`).toBe(404);
    }
    expect(await probe.fingerprint()).toEqual(before);
  });

  it('answers this machine with the token (the control case of the test above)', async () => {
    expect((await create({ authorization: `Local ${LOCAL_TOKEN}` })).statusCode).toBe(200);
    expect(await hub.tenancy.findWorkspace('via-local')).not.toBeNull();
  });
});
