// Bad input at the HTTP edge: every refusal is problem+json naming where, and leaves the store as it was;
// rate limits per key and per address; redeliveries count once and conflicting ids leave the first version.
import type { HTTPMethods, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';
import { StoreProbe } from './support/store-probe.js';

const hub = await WorkspaceHub.open(':memory:');
const app = await buildApp({ hub });
const workspace = await hub.tenancy.createWorkspace('acme');
const { token } = await hub.tenancy.createKey('acme', ['read', 'ingest']);
const probe = await StoreProbe.open(hub);
afterAll(async () => {
  await probe.close();
  await app.close();
  await hub.close();
});

const auth = { authorization: `Bearer ${token}` };
const HOUR_MS = 3_600_000;
/** An NPS answer submitted on 2024-03-01 plus `n` minutes. */
const answer = (id: string, score = 9, n = 0) => ({
  response_id: id,
  submitted_at: new Date(Date.UTC(2024, 2, 1) + n * 60_000).toISOString(),
  metric: 'nps',
  score,
});

function post(url: string, payload: unknown, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url,
    headers: { ...auth, ...headers },
    payload: payload as NonNullable<InjectOptions['payload']>,
  });
}

/** How many answers the workspace holds, read the way a client would (the list's total). */
async function storedAnswers(): Promise<number> {
  const list = await app.inject({ method: 'GET', url: '/api/v1/responses?limit=1', headers: auth });
  expect(list.statusCode).toBe(200);
  return list.json<{ total: number }>().total;
}

interface Problem {
  type: string;
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; rule: string; message: string }[];
}

function expectProblem(reply: LightMyRequestResponse, status: number): Problem {
  expect(reply.statusCode, reply.body).toBe(status);
  expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = reply.json<Problem>();
  expect(problem.status).toBe(status);
  expect(problem.code).toMatch(/^[a-z0-9_]+$/);
  expect(problem.detail.length).toBeGreaterThan(0);
  return problem;
}

// Two answers are stored before any bad request, so "unchanged" is not "still empty".
expect((await post('/api/v1/responses', [answer('seed-1'), answer('seed-2')])).statusCode).toBe(200);

interface BadRequest {
  what: string;
  send: () => Promise<LightMyRequestResponse>;
  status: number;
  /** The errors[].path values the answer must list; null where the whole body is at fault. */
  paths: string[] | null;
}

const in25Hours = new Date(Date.now() + 25 * HOUR_MS).toISOString();
const longComment = 'x'.repeat(1200);

const BAD: BadRequest[] = [
  {
    // 900 rows × (1,200-byte comment + ~90 bytes of the rest) ≈ 1.16 MB > 1,048,576 bytes.
    what: 'a body over 1 MB',
    send: () =>
      post(
        '/api/v1/responses',
        Array.from({ length: 900 }, (_, i) => ({ ...answer(`big-${i}`), comment: longComment })),
      ),
    status: 413,
    paths: null,
  },
  {
    // Row 1's comment alone is 33,000 bytes > 32 × 1,024 = 32,768; row 0 is fine and is not stored either.
    what: 'a row over 32 KB',
    send: () =>
      post('/api/v1/responses', [answer('fine-0'), { ...answer('huge-1'), comment: 'y'.repeat(33_000) }]),
    status: 400,
    paths: ['$[1]'],
  },
  {
    what: 'a timestamp more than 24 h in the future',
    send: () =>
      post('/api/v1/responses', [answer('now-0'), { ...answer('ahead-1'), submitted_at: in25Hours }]),
    status: 422,
    paths: ['$[1].submitted_at'],
  },
  {
    // 0xff can never occur in UTF-8; a lenient decoder would store U+FFFD instead.
    what: 'invalid UTF-8 bytes',
    send: () =>
      post(
        '/api/v1/responses',
        Buffer.concat([
          Buffer.from('[{"response_id":"bad-'),
          Buffer.from([0xff, 0xfe]),
          Buffer.from('","submitted_at":"2024-03-01T00:00:00Z","metric":"nps","score":9}]'),
        ]),
        { 'content-type': 'application/json' },
      ),
    status: 400,
    paths: null,
  },
  {
    what: 'malformed JSON',
    send: () =>
      post('/api/v1/responses', '[{"response_id": "cut-off",', { 'content-type': 'application/json' }),
    status: 400,
    paths: null,
  },
  {
    // A misspelt column is an error, never silently dropped: the path names the field.
    what: 'an unknown field',
    send: () => post('/api/v1/responses', [answer('ok-0'), { ...answer('typo-1'), scroe: 9 }]),
    status: 400,
    paths: ['$[1].scroe'],
  },
  {
    what: 'unknown fields in a Segment track call',
    send: () => post('/api/v1/track', { event: 'login', userId: 'u1', messageId: 'm-typo', propertys: {} }),
    status: 400,
    paths: ['$.propertys'],
  },
  {
    what: '1,001 rows (one more than the limit)',
    send: () =>
      post(
        '/api/v1/responses',
        Array.from({ length: 1001 }, (_, i) => answer(`many-${i}`, 9, i)),
      ),
    status: 400,
    paths: ['$'],
  },
  {
    // Valid JSON text, but declared as text/plain (what an HTML form or a careless client sends).
    what: 'a text/plain body',
    send: () =>
      post('/api/v1/responses', JSON.stringify([answer('plain-0')]), { 'content-type': 'text/plain' }),
    status: 415,
    paths: null,
  },
  {
    what: 'a form-encoded body',
    send: () =>
      post('/api/v1/responses', 'response_id=form-0&metric=nps&score=9', {
        'content-type': 'application/x-www-form-urlencoded',
      }),
    status: 415,
    paths: null,
  },
];

describe('bad input is refused as problem+json and writes nothing', () => {
  it.each(BAD.map((b) => [b.what, b] as const))('%s', async (_what, bad) => {
    const [before, count] = [await probe.fingerprint(), await storedAnswers()];
    const problem = expectProblem(await bad.send(), bad.status);
    if (bad.paths) expect(problem.errors?.map((e) => e.path)).toEqual(bad.paths);
    expect(await probe.fingerprint()).toEqual(before);
    expect(await storedAnswers()).toBe(count);
  });

  // docs/server.md: every error names where; for a body that cannot be read at all, that is the body, `$`
  // (the content type is part of the body's description).
  it('refusals of the whole body name it too: errors[].path is "$"', async () => {
    const missing: string[] = [];
    for (const bad of BAD.filter((b) => b.paths === null)) {
      const problem = (await bad.send()).json<Problem>();
      if (!problem.errors?.some((e) => e.path === '$'))
        missing.push(`${bad.what}: ${JSON.stringify(problem)}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('the limits are inclusive', () => {
  it('1,000 rows, a row of exactly 32,768 bytes and an instant 23 h ahead are accepted', async () => {
    const before = await storedAnswers();
    const thousand = Array.from({ length: 1000 }, (_, i) => answer(`limit-${i}`, 9, i));
    expect((await post('/api/v1/responses', thousand)).json()).toEqual({ accepted: 1000, duplicates: 0 });
    // The limit counts the row's JSON text: pad the comment until that text is 32 × 1,024 bytes exactly.
    const row = { ...answer('exactly-32k'), comment: '' };
    row.comment = 'z'.repeat(32_768 - Buffer.byteLength(JSON.stringify(row)));
    expect(Buffer.byteLength(JSON.stringify(row))).toBe(32_768);
    expect((await post('/api/v1/responses', [row])).json()).toEqual({ accepted: 1, duplicates: 0 });
    const soon = {
      ...answer('in-23-hours'),
      submitted_at: new Date(Date.now() + 23 * HOUR_MS).toISOString(),
    };
    expect((await post('/api/v1/responses', [soon])).json()).toEqual({ accepted: 1, duplicates: 0 });
    // 1,000 + 1 + 1 new answers.
    expect(await storedAnswers()).toBe(before + 1002);
  });
});

describe('redelivery', () => {
  // Submitted 150,000 minutes after 2024-03-01 (2024-06-14), after every other answer of this file.
  const redo = (id: string, score: number) => answer(id, score, 150_000);
  const list = async () =>
    (await app.inject({ method: 'GET', url: '/api/v1/responses?limit=500&from=2024-06-01', headers: auth }))
      .json<{ items: { response_id: string; score: number }[] }>()
      .items.filter((r) => r.response_id.startsWith('redo-'));

  it('the same answer sent twice is stored once: the second answer counts it as a duplicate', async () => {
    expect((await post('/api/v1/responses', [redo('redo-1', 10)])).json()).toEqual({
      accepted: 1,
      duplicates: 0,
    });
    expect((await post('/api/v1/responses', [redo('redo-1', 10)])).json()).toEqual({
      accepted: 0,
      duplicates: 1,
    });
    // One new and one redelivered row in one request.
    expect((await post('/api/v1/responses', [redo('redo-1', 10), redo('redo-2', 10)])).json()).toEqual({
      accepted: 1,
      duplicates: 1,
    });
    expect(await list()).toHaveLength(2);
  });

  it('the same id with another score is a 409 naming the id, and the first version stays', async () => {
    const before = await probe.fingerprint();
    // The conflicting row comes second: the new row before it (redo-3) is refused with it (one request, one
    // outcome).
    const problem = expectProblem(
      await post('/api/v1/responses', [redo('redo-3', 10), redo('redo-1', 0)]),
      409,
    );
    expect(problem.errors?.map((e) => e.path)).toEqual(['$[1].response_id']);
    expect(await probe.fingerprint()).toEqual(before);
    expect((await list()).find((r) => r.response_id === 'redo-1')?.score).toBe(10);
    expect((await list()).some((r) => r.response_id === 'redo-3')).toBe(false);
  });

  it('an MRR change redelivered is a duplicate; the same account and instant with another MRR is a 409', async () => {
    const account = [{ account_id: 'redo-acct', created_at: '2024-01-01T00:00:00Z' }];
    expect((await post('/api/v1/accounts', account)).json()).toEqual({ accepted: 1, duplicates: 0 });
    const change = (mrr: number) => [{ account_id: 'redo-acct', effective_at: '2024-01-05T00:00:00Z', mrr }];
    expect((await post('/api/v1/mrr-changes', change(100))).json()).toEqual({ accepted: 1, duplicates: 0 });
    expect((await post('/api/v1/mrr-changes', change(100))).json()).toEqual({ accepted: 0, duplicates: 1 });
    expectProblem(await post('/api/v1/mrr-changes', change(250)), 409);
    // The account's MRR in January is still the first version: 100.
    const january = await app.inject({
      method: 'GET',
      url: '/api/v1/report?from=2024-01-01&to=2024-02-01',
      headers: auth,
    });
    const total = january.json<{ rows: { kpis: Record<string, number | null> }[] }>().rows[0]!.kpis;
    expect(total.mrr).toBe(100);
  });

  it('a Segment track call redelivered with the same messageId counts once', async () => {
    await post('/api/v1/accounts', [{ account_id: 'redo-user', created_at: '2024-01-01T00:00:00Z' }]);
    const call = {
      event: 'login',
      userId: 'redo-user',
      messageId: 'redo-msg-1',
      timestamp: '2024-03-02T10:00:00Z',
    };
    expect((await post('/api/v1/track', call)).json()).toEqual({ accepted: 1, duplicates: 0 });
    expect((await post('/api/v1/batch', { batch: [call] })).json()).toEqual({ accepted: 0, duplicates: 1 });
    expect(await probe.count(workspace, 'usage_events')).toBe(1);
  });
});

// A second server on the same store with tiny limits: 5 requests a minute per key or session, 3 per address
// without them.
const limited = await buildApp({ hub, rateLimits: { perCaller: 5, perIp: 3 } });
const other = await hub.tenancy.createKey('acme', ['read', 'ingest']);
afterAll(() => limited.close());

describe('rate limits', () => {
  const call = (options: {
    method?: HTTPMethods;
    url?: string;
    headers?: Record<string, string>;
    from?: string;
  }) =>
    limited.inject({
      method: options.method ?? 'GET',
      url: options.url ?? '/api/v1/kpis',
      headers: options.headers ?? {},
      remoteAddress: options.from ?? '192.0.2.1',
    });
  const login = (from: string, headers: Record<string, string> = {}) =>
    limited.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'nobody@acme.test', password: 'wrong password, on purpose' },
      headers,
      remoteAddress: from,
    });

  function expectRetryAfter(reply: LightMyRequestResponse) {
    const problem = expectProblem(reply, 429);
    expect(problem.code).toBe('rate_limited');
    // Seconds until the one-minute window ends: 1…60.
    const seconds = Number(reply.headers['retry-after']);
    expect(Number.isInteger(seconds) && seconds >= 1 && seconds <= 60, String(seconds)).toBe(true);
  }

  it('a key gets 5 requests a minute; the 6th is 429 with Retry-After, from any address', async () => {
    for (let i = 1; i <= 5; i++) expect((await call({ headers: auth })).statusCode, `request ${i}`).toBe(200);
    expectRetryAfter(await call({ headers: auth }));
    expectRetryAfter(await call({ headers: auth, from: '192.0.2.99' }));
  });

  it('another key keeps its own 5, and a write past the limit writes nothing', async () => {
    const headers = { authorization: `Bearer ${other.token}` };
    for (let i = 1; i <= 5; i++) expect((await call({ headers })).statusCode, `request ${i}`).toBe(200);
    const before = await probe.fingerprint();
    const refused = await limited.inject({
      method: 'POST',
      url: '/api/v1/responses',
      headers,
      payload: [answer('past-the-limit')],
    });
    expectRetryAfter(refused);
    expect(await probe.fingerprint()).toEqual(before);
  });

  it('an address without credentials gets 3 login attempts a minute; another address keeps its own', async () => {
    for (let i = 1; i <= 3; i++) expect((await login('198.51.100.1')).statusCode, `attempt ${i}`).toBe(401);
    expectRetryAfter(await login('198.51.100.1'));
    expect((await login('198.51.100.2')).statusCode).toBe(401);
  });

  // An unverified credential must not buy a fresh allowance: else each password guess carries a made-up key
  // and the per-address limit on logins never applies.
  it('made-up keys or session cookies do not escape the per-address limit on logins', async () => {
    const fake = (i: number) => ({
      authorization: `Bearer fid_${String(i).padStart(12, '0')}_made-up-secret`,
    });
    const codes: number[] = [];
    for (let i = 1; i <= 4; i++) codes.push((await login('198.51.100.3', fake(i))).statusCode);
    for (let i = 1; i <= 4; i++) {
      const cookie = { cookie: `fidelio_session=${String(i).padStart(4, '0')}-made-up-session` };
      codes.push((await login('198.51.100.4', cookie)).statusCode);
    }
    // 3 refused logins per address, then 429.
    expect(codes).toEqual([401, 401, 401, 429, 401, 401, 401, 429]);
  });

  // Each made-up key costs a look-up in the control tables: refused requests count against their address
  // like any request without (valid) credentials.
  it('requests refused for missing or made-up credentials count against the per-address limit', async () => {
    const kpis = (from: string, headers: Record<string, string> = {}) =>
      call({ from, headers }).then((a) => a.statusCode);
    const none: number[] = [];
    for (let i = 1; i <= 4; i++) none.push(await kpis('198.51.100.5'));
    const madeUp: number[] = [];
    for (let i = 1; i <= 4; i++) {
      madeUp.push(
        await kpis('198.51.100.6', { authorization: `Bearer fid_${String(i).padStart(12, '0')}_x` }),
      );
    }
    // 3 per address, then 429.
    expect({ none, madeUp }).toEqual({ none: [401, 401, 401, 429], madeUp: [401, 401, 401, 429] });
  });
});
