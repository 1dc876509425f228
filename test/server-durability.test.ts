// The running server as real processes: SIGKILL during a burst of writes loses no answered row and stores
// none twice; SIGTERM drains and closes cleanly; the CLI and the server share a store by the one-writer rule.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fidelio, fidelioWithInput, requireBuiltCli } from './support/cli.js';
import { type ServerProcess, startServer, stopAllServers } from './support/server-process.js';

let work: string;
beforeAll(async () => {
  requireBuiltCli();
  work = await mkdtemp(join(tmpdir(), 'fidelio-durability-'));
});
afterAll(async () => {
  await stopAllServers();
  await rm(work, { recursive: true, force: true });
});

/** A store file with workspace "acme" and an ingest+read key, made by the CLI before any server runs. */
async function newStore(name: string): Promise<{ db: string; token: string }> {
  const db = join(work, `${name}.duckdb`);
  expect((await fidelio('workspace', 'create', 'acme', '--db', db)).code).toBe(0);
  const key = await fidelio('key', 'create', '--db', db, '--workspace', 'acme', '--scopes', 'ingest,read');
  expect(key.code, key.stderr).toBe(0);
  return { db, token: key.stdout.trim() };
}

/** NPS answer `id`, submitted `second` seconds after 2024-03-01 (all of them in March 2024). */
const answer = (id: string, second: number, score: number) => ({
  response_id: id,
  submitted_at: new Date(Date.UTC(2024, 2, 1) + second * 1000).toISOString(),
  metric: 'nps',
  score,
});

interface Answer {
  status: number;
  type: string;
  body: unknown;
}

async function call(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: JSON.parse(text),
  };
}

/** Runs `work` on every item with at most `width` at a time; stops taking new items once `stop()` holds. */
async function inPool<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
  stop = () => false,
) {
  let next = 0;
  const lane = async () => {
    while (next < items.length && !stop()) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: width }, lane));
}

/** Every response id of the workspace, read page by page through GET /api/v1/responses. */
async function storedIds(url: string, token: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `/api/v1/responses?limit=500&sort=response_id${cursor ? `&cursor=${cursor}` : ''}`;
    const page = (await call(url, token, 'GET', query)).body as {
      items: { response_id: string }[];
      next: string | null;
    };
    ids.push(...page.items.map((r) => r.response_id));
    cursor = page.next;
  } while (cursor);
  return ids;
}

async function stopGracefully(server: ServerProcess) {
  process.kill(server.pid, 'SIGTERM');
  return server.exited;
}

const isProblem = (a: Answer) => a.type.startsWith('application/problem+json');
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('a crash during a burst of writes (SIGKILL)', () => {
  const TOTAL = 1000;
  const KILL_AFTER = 300;
  // Scores i mod 11 over i = 0…999: 90 whole cycles of 0…10 (2 promoters, 7 detractors each) plus 0…9
  // (7 detractors, 1 promoter): promoters 181, detractors 637 → NPS = (181 − 637) / 1,000 × 100 = −45.6.
  const EXPECTED_NPS = -45.6;
  const row = (i: number) => [answer(`burst-${i}`, i, i % 11)];

  it('loses no acknowledged row, stores none twice, and answers redeliveries as duplicates after a restart', async () => {
    const { db, token } = await newStore('kill');
    const server = await startServer(db);
    const acknowledged = new Set<number>();
    let killed = false;
    // 1,000 single-answer requests, 50 in flight; SIGKILL once 300 have been answered.
    await inPool(
      range(TOTAL),
      50,
      async (i) => {
        try {
          const answered = await call(server.url, token, 'POST', '/api/v1/responses', row(i));
          // Any 2xx means committed, whenever it is read; after the kill nothing more arrives.
          if (answered.status >= 200 && answered.status < 300) acknowledged.add(i);
        } catch {
          // No answer: it may or may not be stored; it is sent again after the restart.
        }
        if (!killed && acknowledged.size >= KILL_AFTER) {
          killed = true;
          process.kill(server.pid, 'SIGKILL');
        }
      },
      () => killed,
    );
    expect((await server.exited).signal).toBe('SIGKILL');
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acknowledged.size).toBeLessThan(TOTAL);

    const again = await startServer(db);
    // Every request without a 2xx, again: stored now, or already stored (it was committed at the kill).
    const unanswered = range(TOTAL).filter((i) => !acknowledged.has(i));
    let accepted = 0;
    let duplicates = 0;
    await inPool(unanswered, 50, async (i) => {
      const answered = await call(again.url, token, 'POST', '/api/v1/responses', row(i));
      expect(answered.status, JSON.stringify(answered.body)).toBe(200);
      const counts = answered.body as { accepted: number; duplicates: number };
      accepted += counts.accepted;
      duplicates += counts.duplicates;
    });
    expect(accepted + duplicates).toBe(unanswered.length);
    // Every 10th acknowledged request, again: each one is already stored.
    const resent = [...acknowledged].filter((_, k) => k % 10 === 0);
    await inPool(resent, 20, async (i) => {
      const answered = await call(again.url, token, 'POST', '/api/v1/responses', row(i));
      expect(answered.body).toEqual({ accepted: 0, duplicates: 1 });
    });

    const ids = await storedIds(again.url, token);
    expect(ids).toHaveLength(TOTAL);
    expect(new Set(ids).size).toBe(TOTAL);
    const stored = new Set(ids);
    expect([...acknowledged].filter((i) => !stored.has(`burst-${i}`))).toEqual([]);

    const report = await call(again.url, token, 'GET', '/api/v1/report?from=2024-03-01&to=2024-04-01');
    expect(report.status).toBe(200);
    const march = (report.body as { rows: { kpis: Record<string, number | null> }[] }).rows[0]!.kpis;
    expect(march.nps_responses).toBe(TOTAL);
    expect(march.nps).toBeCloseTo(EXPECTED_NPS, 9);
    expect(await stopGracefully(again)).toEqual({ code: 0, signal: null });
  }, 120_000);
});

interface RawPost {
  /** Resolves once the server has taken the request (its 100 Continue) and the whole body has been sent. */
  taken: Promise<void>;
  result: Promise<Answer | { error: string }>;
}

/**
 * A POST through node:http with `Expect: 100-continue`: the server answers 100 Continue when it dispatches
 * the request, so the test knows the request is in the server's hands before it sends a signal.
 */
function rawPost(
  url: string,
  token: string,
  body: unknown,
  agent: http.Agent,
  expectContinue: boolean,
): RawPost {
  const payload = Buffer.from(JSON.stringify(body));
  let markTaken = () => {};
  const taken = new Promise<void>((resolve) => {
    markTaken = resolve;
  });
  const result = new Promise<Answer | { error: string }>((resolve) => {
    const request = http.request(
      `${url}/api/v1/responses`,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': payload.length,
          ...(expectContinue ? { expect: '100-continue' } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // kept as text
          }
          resolve({
            status: response.statusCode ?? 0,
            type: response.headers['content-type'] ?? '',
            body: parsed,
          });
        });
        response.on('error', (e) => resolve({ error: e.message }));
      },
    );
    request.on('finish', markTaken);
    request.on('error', (e) => {
      markTaken();
      resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message });
    });
    if (expectContinue) request.on('continue', () => request.end(payload));
    else request.end(payload);
  });
  return { taken, result };
}

const isAnswer = (r: Answer | { error: string }): r is Answer => !('error' in r);
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a graceful stop (SIGTERM)', () => {
  let db: string;
  let pid: number;
  let exit: { code: number | null; signal: NodeJS.Signals | null };
  let noteWhileServing: boolean;
  let inFlight: (Answer | { error: string })[];
  let late: (Answer | { error: string })[];

  beforeAll(async () => {
    const store = await newStore('term');
    db = store.db;
    const server = await startServer(db);
    pid = server.pid;
    noteWhileServing = existsSync(`${db}.server.json`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    // 24 requests of 1,000 answers: grouped commits of up to 5,000 rows, about a second of work in all.
    const batch = (r: number) => range(1000).map((k) => answer(`term-${r}-${k}`, r * 1000 + k, k % 11));
    const posts = range(24).map((r) => rawPost(server.url, store.token, batch(r), agent, true));
    await Promise.all(posts.map((p) => p.taken));
    process.kill(pid, 'SIGTERM');
    // Requests that arrive during the drain: on connections kept alive by the answers, or new ones.
    const latePosts: RawPost[] = [];
    for (const r of range(4)) {
      latePosts.push(rawPost(server.url, store.token, [answer(`late-${r}`, 100_000 + r, 9)], agent, false));
      await delay(100);
    }
    inFlight = await Promise.all(posts.map((p) => p.result));
    late = await Promise.all(latePosts.map((p) => p.result));
    agent.destroy();
    exit = await server.exited;
  }, 120_000);

  it('answers every request it had taken before the signal (all 2xx here: the queue drains)', () => {
    expect(inFlight.filter((r) => !isAnswer(r))).toEqual([]);
    expect(inFlight.filter((r) => isAnswer(r) && r.status >= 300 && !isProblem(r))).toEqual([]);
    expect(inFlight.filter((r) => isAnswer(r) && r.status === 200)).toHaveLength(24);
  });

  it('exits 0 and removes the note it left beside the store', () => {
    expect(noteWhileServing).toBe(true);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(existsSync(`${db}.server.json`)).toBe(false);
  });

  it('leaves a store that reopens with exactly the acknowledged rows', async () => {
    const acknowledged = [...inFlight, ...late]
      .filter((r): r is Answer => isAnswer(r) && r.status === 200)
      .reduce((sum, a) => sum + (a.body as { accepted: number }).accepted, 0);
    // 24 × 1,000 taken before the signal, plus any late request that got in before the listener closed.
    expect(acknowledged).toBeGreaterThanOrEqual(24_000);
    const report = await fidelio(
      ...['report', '--db', db, '--workspace', 'acme'],
      '--from',
      '2024-03-01',
      '--to',
      '2024-04-01',
    );
    expect(report.code, report.stderr).toBe(0);
    const march = (JSON.parse(report.stdout) as { rows: { kpis: Record<string, number | null> }[] }).rows[0]!;
    expect(march.kpis.nps_responses).toBe(acknowledged);
  });

  // docs/server.md: every error is problem+json. Fastify's own 503 while closing (return503OnClosing) is
  // plain JSON; a refusal at the connection (ECONNREFUSED, a closed kept-alive socket) is clean too.
  it('refuses requests that arrive during the drain at the connection or as problem+json', () => {
    const unclean = late.filter((r) => isAnswer(r) && r.status >= 300 && !isProblem(r));
    expect(unclean).toEqual([]);
  });
});

describe('one writer: the CLI and a running server', () => {
  it('import, workspace create, user add and key create go through the server; report refuses with exit 3 and its PID; after the stop everything works directly', async () => {
    const { db } = await newStore('writer');
    const csv = join(work, 'writer-csv');
    await mkdir(csv, { recursive: true });
    // Two accounts with MRR 100 and 50 from 2024-01-05: MRR at the end of January = 150.
    await writeFile(
      join(csv, 'accounts.csv'),
      'account_id,created_at\nw-1,2024-01-01T00:00:00Z\nw-2,2024-01-01T00:00:00Z\n',
    );
    await writeFile(
      join(csv, 'mrr_changes.csv'),
      'account_id,effective_at,mrr\nw-1,2024-01-05T00:00:00Z,100\nw-2,2024-01-05T00:00:00Z,50\n',
    );
    const password = 'a password of some length';
    const januaryReport = ['--from', '2024-01-01', '--to', '2024-02-01', '--workspace', 'beta'];
    const server = await startServer(db);

    const created = await fidelio('workspace', 'create', 'beta', '--db', db);
    expect(created.code, created.stderr).toBe(0);
    const user = await fidelioWithInput(
      `${password}\n`,
      ...['user', 'add', '--db', db, '--workspace', 'beta', '--email', 'ann@beta.test', '--role', 'viewer'],
      '--password-stdin',
    );
    expect(user.code, user.stderr).toBe(0);
    const key = await fidelio('key', 'create', '--db', db, '--workspace', 'beta', '--scopes', 'read');
    expect(key.code, key.stderr).toBe(0);
    const imported = await fidelio('import', '--db', db, '--workspace', 'beta', csv);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/accounts\.csv\s+2\s+2\s/);

    // The server knows all of it at once: the new person logs in, the new key reads the imported MRR.
    const login = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ann@beta.test', password, workspace: 'beta' }),
    });
    expect(login.status).toBe(200);
    const token = key.stdout.trim();
    const viaApi = await call(server.url, token, 'GET', '/api/v1/report?from=2024-01-01&to=2024-02-01');
    expect((viaApi.body as { rows: { kpis: { mrr: number } }[] }).rows[0]!.kpis.mrr).toBe(150);

    // Reading the file directly would need the lock the server holds.
    const refused = await fidelio('report', '--db', db, ...januaryReport);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`PID ${server.pid}`);

    expect(await stopGracefully(server)).toEqual({ code: 0, signal: null });
    const direct = await fidelio('report', '--db', db, ...januaryReport);
    expect(direct.code, direct.stderr).toBe(0);
    expect((JSON.parse(direct.stdout) as { rows: { kpis: { mrr: number } }[] }).rows[0]!.kpis.mrr).toBe(150);
    expect((await fidelio('workspace', 'create', 'gamma', '--db', db)).code).toBe(0);
    const gammaKey = await fidelio('key', 'create', '--db', db, '--workspace', 'gamma', '--scopes', 'read');
    expect(gammaKey.stdout).toMatch(/^fid_/);
    const gammaUser = await fidelioWithInput(
      `${password}\n`,
      ...['user', 'add', '--db', db, '--workspace', 'gamma', '--email', 'ann@beta.test', '--role', 'owner'],
      '--password-stdin',
    );
    expect(gammaUser.code, gammaUser.stderr).toBe(0);
    // Importing the same folder again directly adds nothing: 2 rows read, 0 added.
    const reimported = await fidelio('import', '--db', db, '--workspace', 'beta', csv);
    expect(reimported.code, reimported.stderr).toBe(0);
    expect(reimported.stdout).toMatch(/accounts\.csv\s+2\s+0\s/);
  }, 120_000);
});
