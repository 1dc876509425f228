// Outgoing webhooks against real local HTTP servers: SSRF targets refused at creation and again at delivery
// (DNS may change), private targets only when allowed, the signature recomputed here, redirects not followed,
// the retry schedule, and the address pinned between the check and the connection.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverDue, MAX_ATTEMPTS, RETRY_DELAYS_MS } from '../src/alerts/deliver.js';
import { addressRefusal, type LookupAll } from '../src/alerts/target-guard.js';
import { createWebhook } from '../src/alerts/webhooks.js';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';
import { type DuckDbStore, openDuckDbStore } from '../src/store/duckdb-store.js';
import { openFollowUps } from '../src/surveys/follow-ups.js';

interface Hit {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local HTTP server that records every request and answers with `answer(n)` for its n-th (from 0). */
async function receiver(answer: (n: number) => { status: number; headers?: Record<string, string> } | null) {
  const hits: Hit[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const reply = answer(hits.length);
      hits.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      if (reply) response.writeHead(reply.status, reply.headers).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    hits,
    port,
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
type Receiver = Awaited<ReturnType<typeof receiver>>;

const T0 = new Date('2025-06-02T08:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
/** A lookup that answers `addresses` for every name, counting its calls. */
function fixedLookup(...addresses: string[]): LookupAll & { calls: number } {
  const lookup = async () => {
    lookup.calls += 1;
    return addresses.map((address) => ({
      address,
      family: address.includes(':') ? (6 as const) : (4 as const),
    }));
  };
  lookup.calls = 0;
  return lookup;
}

async function delivery(store: DuckDbStore) {
  const [row] = await store.query(
    'SELECT attempts, last_status, last_error, next_attempt_at, delivered_at FROM webhook_deliveries',
  );
  return row!;
}

/** A webhook stored without the creation check (as if its DNS changed since), with one follow-up queued. */
async function queued(store: DuckDbStore, url: string, allowPrivate = false) {
  await createWebhook(store, { url, events: ['followup.created'], allow_private: allowPrivate }, T0);
  const answer = {
    answer_id: 'a-1',
    survey_id: 's-1',
    survey_name: 'NPS',
    account_id: 'acct-1',
    contact_id: null,
  };
  await openFollowUps(store, answer, [{ response_id: 'r-1', metric: 'nps', score: 2, comment: 'Slow' }], T0);
}

describe('which addresses are refused', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private (carrier-grade NAT)'],
    ['fd12:3456::1', 'private'],
    ['fc00::1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved (documentation)'],
    ['2001:db8::1', 'reserved (documentation)'],
    ['::ffff:127.0.0.1', 'loopback (IPv4 127.0.0.1 inside IPv6)'],
    ['::ffff:7f00:1', 'loopback (IPv4 127.0.0.1 inside IPv6)'],
    ['::ffff:a9fe:a9fe', 'link-local (cloud metadata) (IPv4 169.254.169.254 inside IPv6)'],
    ['64:ff9b::10.0.0.1', 'private (IPv4 10.0.0.1 inside IPv6)'],
    ['2002:c0a8:101::1', 'private (IPv4 192.168.1.1 inside IPv6)'],
    ['::127.0.0.1', 'reserved'],
  ])('%s: %s', (address, reason) => {
    expect(addressRefusal(address)).toBe(reason);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
  ])('%s is public', (address) => {
    expect(addressRefusal(address)).toBeNull();
  });
});

describe('creating a webhook over the API', () => {
  let hub: WorkspaceHub;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let admin: Record<string, string>;
  let sink: Receiver;
  beforeAll(async () => {
    hub = await WorkspaceHub.open(':memory:');
    app = await buildApp({ hub });
    await hub.tenancy.createWorkspace('acme');
    admin = { authorization: `Bearer ${(await hub.tenancy.createKey('acme', ['admin'])).token}` };
    sink = await receiver(() => ({ status: 200 }));
  });
  afterAll(async () => {
    await sink.close();
    await app.close();
    await hub.close();
  });
  const create = (payload: object) =>
    app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: admin, payload });
  const listed = async () =>
    (await app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: admin })).json<unknown[]>();

  it.each([
    ['127.0.0.1', () => sink.url(), 'loopback'],
    ['localhost', () => `http://localhost:${sink.port}/hook`, 'localhost resolves to'],
    ['[::1]', () => `http://[::1]:${sink.port}/hook`, 'loopback'],
    ['10.0.0.1', () => 'http://10.0.0.1/hook', 'private'],
    ['169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/', 'link-local (cloud metadata)'],
    ['::ffff:127.0.0.1', () => `http://[::ffff:127.0.0.1]:${sink.port}/hook`, 'loopback'],
    ['0.0.0.0', () => `http://0.0.0.0:${sink.port}/hook`, 'unspecified'],
    ['2130706433 (127.0.0.1 in decimal)', () => `http://2130706433:${sink.port}/hook`, 'loopback'],
  ])('refuses %s with a 422 naming url and why', async (_name, url, why) => {
    const answer = await create({ url: url(), events: ['followup.created'] });
    expect(answer.statusCode).toBe(422);
    const problem = answer.json<{
      code: string;
      detail: string;
      errors: { path: string; message: string }[];
    }>();
    expect(problem.code).toBe('refused_webhook_url');
    expect(problem.errors.map((e) => e.path)).toEqual(['$.url']);
    expect(problem.errors[0]!.message).toContain(why);
    expect(problem.detail).toMatch(/^url: .*not a public address.*allow_private: true/);
    expect(await listed()).toEqual([]);
  });

  it.each([
    ['ftp://example.com/hook', 'only http and https URLs are allowed (got ftp)'],
    ['file:///etc/passwd', 'only http and https URLs are allowed (got file)'],
    ['http://user:secret@example.com/hook', 'must not hold a user name or password'],
    ['/relative/hook', 'not an absolute URL'],
  ])('refuses %s', async (url, why) => {
    const answer = await create({ url, events: ['followup.created'] });
    expect(answer.statusCode).toBe(422);
    expect(answer.json<{ detail: string }>().detail).toContain(why);
  });

  it('refuses unknown events and fields with a 400', async () => {
    expect((await create({ url: 'https://93.184.215.14/', events: ['account.deleted'] })).statusCode).toBe(
      400,
    );
    expect((await create({ url: 'https://93.184.215.14/', events: [] })).statusCode).toBe(400);
    expect(
      (await create({ url: 'https://93.184.215.14/', events: ['followup.created'], secret: 'mine' }))
        .statusCode,
    ).toBe(400);
  });

  it('accepts a public address, and a private one only with allow_private; the secret is shown once', async () => {
    const made = await create({ url: 'https://93.184.215.14/hooks/fidelio', events: ['followup.created'] });
    expect(made.statusCode).toBe(201);
    const body = made.json<{ webhook_id: string; secret: string; allow_private: boolean }>();
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(body.allow_private).toBe(false);
    const local = await create({ url: sink.url(), events: ['followup.created'], allow_private: true });
    expect(local.statusCode).toBe(201);
    const list = await listed();
    expect(list).toHaveLength(2);
    expect(JSON.stringify(list)).not.toContain('whsec_');
    // Deleting removes it and its deliveries; a second delete and its deliveries are 404s.
    const del = (id: string) =>
      app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${id}`, headers: admin });
    expect((await del(body.webhook_id)).statusCode).toBe(204);
    expect((await del(body.webhook_id)).statusCode).toBe(404);
    const deliveries = await app.inject({
      method: 'GET',
      url: `/api/v1/webhooks/${body.webhook_id}/deliveries`,
      headers: admin,
    });
    expect(deliveries.statusCode).toBe(404);
    expect(await listed()).toHaveLength(1);
  });
});

describe('a follow-up delivered end to end through the server', () => {
  it('reaches an allowed private receiver, signed; the delivery is listed as delivered', async () => {
    const hub = await WorkspaceHub.open(':memory:');
    const app = await buildApp({ hub });
    const sink = await receiver(() => ({ status: 204 }));
    try {
      const workspace = await hub.tenancy.createWorkspace('acme');
      const headers = { authorization: `Bearer ${(await hub.tenancy.createKey('acme', ['admin'])).token}` };
      const made = await app.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers,
        payload: { url: sink.url('/hook?team=cs'), events: ['followup.created'], allow_private: true },
      });
      const { webhook_id, secret } = made.json<{ webhook_id: string; secret: string }>();
      const runtime = await hub.runtime(workspace);
      const answer = {
        answer_id: 'a-9',
        survey_id: 's-9',
        survey_name: 'Onboarding CSAT',
        account_id: 'acct-3',
        contact_id: 'ct-3',
      };
      const [item] = await runtime.queue.submitJob((store) =>
        openFollowUps(
          store,
          answer,
          [{ response_id: 'r-9', metric: 'csat', score: 1, comment: 'Lost data' }],
          T0,
        ),
      );
      const counts = await deliverDue(runtime.reader, T0, { write: (work) => runtime.queue.submitJob(work) });
      expect(counts.webhooks).toEqual({ sent: 1, failed: 0, gaveUp: 0 });

      expect(sink.hits).toHaveLength(1);
      const hit = sink.hits[0]!;
      expect([hit.method, hit.url, hit.headers['content-type']]).toEqual([
        'POST',
        '/hook?team=cs',
        'application/json',
      ]);
      const body = JSON.parse(hit.body);
      expect(body).toEqual({
        id: hit.headers['fidelio-delivery'],
        type: 'followup.created',
        created_at: T0.toISOString(),
        data: { followup: item },
      });
      expect(hit.headers['fidelio-event']).toBe('followup.created');
      // The signature, recomputed here: t=<unix>,v1=HMAC-SHA256(secret, "<t>.<body>") in hex.
      const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(hit.headers['fidelio-signature']));
      expect(match).not.toBeNull();
      expect(Number(match![1])).toBe(T0.getTime() / 1000);
      const expected = createHmac('sha256', secret).update(`${match![1]}.${hit.body}`).digest('hex');
      expect(match![2]).toBe(expected);
      expect(
        createHmac('sha256', 'another secret').update(`${match![1]}.${hit.body}`).digest('hex'),
      ).not.toBe(match![2]);

      const listed = await app.inject({
        method: 'GET',
        url: `/api/v1/webhooks/${webhook_id}/deliveries`,
        headers,
      });
      expect(listed.json()).toEqual({
        total: 1,
        items: [
          {
            delivery_id: body.id,
            event: 'followup.created',
            status: 'delivered',
            attempts: 1,
            last_status: 204,
            last_error: null,
            next_attempt_at: null,
            delivered_at: T0.toISOString(),
            created_at: T0.toISOString(),
          },
        ],
      });
    } finally {
      await sink.close();
      await app.close();
      await hub.close();
    }
  });
});

describe('delivering', () => {
  let store: DuckDbStore;
  const receivers: Receiver[] = [];
  const listening = async (...args: Parameters<typeof receiver>) => {
    const r = await receiver(...args);
    receivers.push(r);
    return r;
  };
  beforeEach(async () => {
    store = await openDuckDbStore(':memory:');
  });
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
    await store.close();
  });

  it.each([['127.0.0.1'], ['::1'], ['10.0.0.1'], ['169.254.169.254'], ['::ffff:127.0.0.1'], ['0.0.0.0']])(
    'refuses a public name that now resolves to %s, and sends nothing',
    async (address) => {
      const sink = await listening(() => ({ status: 200 }));
      await queued(store, `http://hooks.example.com:${sink.port}/hook`);
      const counts = await deliverDue(store, T0, { lookup: fixedLookup(address) });
      expect(counts.webhooks).toEqual({ sent: 0, failed: 1, gaveUp: 0 });
      expect(sink.hits).toEqual([]);
      const row = await delivery(store);
      expect(row.last_error).toBe(
        `refused: hooks.example.com resolves to ${address}, which is not a public address (${addressRefusal(address)}); ` +
          'an admin may allow it with allow_private: true',
      );
      expect([row.attempts, row.last_status, row.delivered_at]).toEqual([1, null, null]);
    },
  );

  it('refuses when any one of the addresses is private', async () => {
    const sink = await listening(() => ({ status: 200 }));
    await queued(store, `http://hooks.example.com:${sink.port}/hook`);
    await deliverDue(store, T0, { lookup: fixedLookup('93.184.215.14', '127.0.0.1') });
    expect(sink.hits).toEqual([]);
    expect(String((await delivery(store)).last_error)).toContain('resolves to 127.0.0.1');
  });

  it('refuses a stored private URL at delivery time too', async () => {
    const sink = await listening(() => ({ status: 200 }));
    await queued(store, sink.url());
    await deliverDue(store, T0);
    expect(sink.hits).toEqual([]);
    expect(String((await delivery(store)).last_error)).toBe(
      'refused: 127.0.0.1 is not a public address (loopback); an admin may allow it with allow_private: true',
    );
  });

  it('connects to the address it checked: one lookup per attempt, the Host header keeps the name', async () => {
    const sink = await listening(() => ({ status: 200 }));
    await queued(store, `http://receiver.test:${sink.port}/hook`, true);
    // A rebinding resolver: the checked answer is the receiver, any later answer another address.
    let calls = 0;
    const rebinding: LookupAll = async () => [
      { address: calls++ === 0 ? '127.0.0.1' : '127.0.0.2', family: 4 },
    ];
    expect((await deliverDue(store, T0, { lookup: rebinding })).webhooks.sent).toBe(1);
    expect(calls).toBe(1);
    expect(sink.hits.map((h) => h.headers.host)).toEqual([`receiver.test:${sink.port}`]);
  });

  it('does not follow a redirect: the other server receives nothing and the attempt failed', async () => {
    const elsewhere = await listening(() => ({ status: 200 }));
    const redirecting = await listening(() => ({
      status: 302,
      headers: { location: elsewhere.url('/stolen') },
    }));
    await queued(store, redirecting.url(), true);
    expect((await deliverDue(store, T0)).webhooks).toEqual({ sent: 0, failed: 1, gaveUp: 0 });
    expect(redirecting.hits).toHaveLength(1);
    expect(elsewhere.hits).toEqual([]);
    const row = await delivery(store);
    expect([row.last_status, row.last_error]).toEqual([
      302,
      `redirect not followed (HTTP 302 to ${elsewhere.url('/stolen')})`,
    ]);
    expect(row.next_attempt_at).toEqual(at(60_000));
  });

  it('retries after 1 min, 5 min, 30 min, 2 h and 12 h, then gives up', async () => {
    const sink = await listening(() => ({ status: 500 }));
    await queued(store, sink.url(), true);
    expect(RETRY_DELAYS_MS).toEqual([60_000, 300_000, 1_800_000, 7_200_000, 43_200_000]);
    let now = T0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      // Not due a millisecond early.
      expect((await deliverDue(store, new Date(now.getTime() - 1))).webhooks.failed).toBe(0);
      const counts = (await deliverDue(store, now)).webhooks;
      expect(counts).toEqual(
        attempt < MAX_ATTEMPTS ? { sent: 0, failed: 1, gaveUp: 0 } : { sent: 0, failed: 0, gaveUp: 1 },
      );
      const row = await delivery(store);
      expect([row.attempts, row.last_status, row.last_error]).toEqual([attempt, 500, 'HTTP 500']);
      const delay = RETRY_DELAYS_MS[attempt - 1];
      expect(row.next_attempt_at).toEqual(delay === undefined ? null : new Date(now.getTime() + delay));
      if (delay !== undefined) now = new Date(now.getTime() + delay);
    }
    expect(sink.hits).toHaveLength(6);
    expect(await deliverDue(store, at(30 * 86_400_000))).toEqual({
      webhooks: { sent: 0, failed: 0, gaveUp: 0 },
      emails: { sent: 0, failed: 0, gaveUp: 0 },
    });
    expect(sink.hits).toHaveLength(6);
  });

  it('succeeds on the second attempt after a 500', async () => {
    const sink = await listening((n) => ({ status: n === 0 ? 500 : 200 }));
    await queued(store, sink.url(), true);
    expect((await deliverDue(store, T0)).webhooks.failed).toBe(1);
    expect((await deliverDue(store, at(60_000))).webhooks.sent).toBe(1);
    const row = await delivery(store);
    expect(row).toEqual({
      attempts: 2,
      last_status: 200,
      last_error: null,
      next_attempt_at: null,
      delivered_at: at(60_000),
    });
    // Both attempts carried the same delivery id, so the receiver can tell a retry from a new event.
    expect(new Set(sink.hits.map((h) => h.headers['fidelio-delivery'])).size).toBe(1);
  });

  it('gives a silent receiver up to the timeout, then records the failure', async () => {
    const silent = await listening(() => null);
    await queued(store, silent.url(), true);
    expect((await deliverDue(store, T0, { timeoutMs: 200 })).webhooks.failed).toBe(1);
    expect((await delivery(store)).last_error).toBe('no answer within 0.2 s');
  });

  it('writes nothing when nothing is due', async () => {
    let writes = 0;
    const write = async <T>(work: (s: typeof store) => Promise<T>) => {
      writes += 1;
      return store.transaction(() => work(store));
    };
    expect((await deliverDue(store, T0, { write })).webhooks.sent).toBe(0);
    expect(writes).toBe(0);
  });
});
