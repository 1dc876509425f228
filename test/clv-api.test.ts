// GET /api/v1/clv and GET /api/v1/accounts/{id}/clv on real DuckDB files: a demo store (300 accounts, seed 5,
// to 2025-06) whose answers are compared with predictClv called directly on the same store, the summary,
// deciles, sorting and paging recomputed here from those rows; the default calibration end; after a write
// the last fit answered at once marked stale, one background refit for concurrent requests giving predictClv's
// numbers on the new data, a failed refit keeping the last fit; bad parameters (400 naming the field), an unknown account (404) and a
// store too small to fit (200 with not_enough_data).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspaceStore } from '../src/cli/workspace-store.js';
import { readClvInputs } from '../src/insight/clv/clv-inputs.js';
import { type ClvResult, predictClv } from '../src/insight/clv/predict.js';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';
import { DEFAULT_WORKSPACE } from '../src/tenancy/tenancy.js';
import { fidelio, requireBuiltCli } from './support/cli.js';

const DAY = 86_400_000;

interface Row {
  account_id: string;
  name: string | null;
  segment: string | null;
  frequency: number;
  recency: number;
  T: number;
  p_alive: number | null;
  expected_purchases: number | null;
  expected_spend: number | null;
  clv: number | null;
}
interface Answer {
  calibration_end: string;
  horizon_months: number;
  discount_monthly: number;
  time_unit: string;
  gross_margin: number;
  model: {
    bgnbd: { r: number; alpha: number; a: number; b: number; log_likelihood: number; accounts: number };
    gamma_gamma: {
      p: number;
      q: number;
      gamma: number;
      log_likelihood: number | null;
      repeat_buyers: number;
    };
  };
  segment: string | null;
  summary: {
    accounts: number;
    total_clv: number;
    mean_clv: number | null;
    expected_purchases: number;
    likely_lost: number;
    likely_lost_share: number | null;
    without_clv: number;
  };
  deciles: { decile: number; accounts: number; clv: number; share: number | null }[];
  sort: string;
  items: Row[];
  total: number;
  next: string | null;
}

let dir: string;
let db: string;
let lastPayment: Date;
let segments: Map<string, string | null>;
/** predictClv on the store, before the server opens it: calibration ends, then the result. */
const expected = new Map<string, ClvResult>();

async function direct(
  end: string,
  horizonMonths = 12,
  discountMonthly = 0.01,
  unit: 'week' | 'day' = 'week',
) {
  const store = await openWorkspaceStore(db);
  try {
    const inputs = await readClvInputs(store, new Date(end), unit);
    return predictClv(inputs, { horizonMonths, discountMonthly, grossMargin: 1, unit });
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  requireBuiltCli();
  dir = await mkdtemp(join(tmpdir(), 'fidelio-clv-api-'));
  db = join(dir, 'demo.duckdb');
  const made = await fidelio('demo', '--db', db, '--accounts', '300', '--seed', '5', '--end', '2025-06');
  expect(made.code, made.stderr).toBe(0);
  const store = await openWorkspaceStore(db);
  try {
    const [row] = await store.query<{ last: Date }>('SELECT MAX(paid_at) AS last FROM payments');
    lastPayment = row!.last;
    const rows = await store.query<{ account_id: string; segment: string | null }>(
      'SELECT account_id, segment FROM accounts',
    );
    segments = new Map(rows.map((r) => [r.account_id, r.segment]));
  } finally {
    await store.close();
  }
  const dayAfter = new Date(Math.floor(lastPayment.getTime() / DAY) * DAY + DAY).toISOString();
  expected.set('default', await direct(dayAfter));
  expected.set('2025-01-01', await direct('2025-01-01T00:00:00Z', 24, 0.02, 'day'));
}, 180_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const finite = (v: number) => (Number.isFinite(v) ? v : null);

function compareRow(shown: Row, truth: ClvResult['accounts'][number]) {
  expect(shown.account_id).toBe(truth.account_id);
  expect([shown.frequency, shown.recency, shown.T]).toEqual([truth.frequency, truth.recency, truth.T]);
  for (const k of ['p_alive', 'expected_purchases', 'expected_spend', 'clv'] as const) {
    const v = finite(truth[k]);
    if (v === null) expect(shown[k]).toBeNull();
    else expect(shown[k]).toBeCloseTo(v, 6);
  }
}

describe('the CLV API on a demo store', () => {
  let hub: WorkspaceHub;
  let app: FastifyInstance;
  let headers: Record<string, string>;
  beforeAll(async () => {
    hub = await WorkspaceHub.open(db);
    app = await buildApp({ hub });
    await app.ready();
    const { token } = await hub.tenancy.createKey(DEFAULT_WORKSPACE, ['read', 'ingest']);
    headers = { authorization: `Bearer ${token}` };
  });
  afterAll(async () => {
    await app?.close();
    await hub?.close();
  });
  const get = (url: string) => app.inject({ method: 'GET', url, headers });

  it('fits on the payments to the day after the last one by default and answers predictClv’s numbers', async () => {
    const answer = await get('/api/v1/clv?limit=500');
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json<Answer>();
    const truth = expected.get('default')!;
    const dayAfter = Math.floor(lastPayment.getTime() / DAY) * DAY + DAY;
    expect(body.calibration_end).toBe(new Date(dayAfter).toISOString());
    expect([body.horizon_months, body.discount_monthly, body.time_unit, body.gross_margin]).toEqual([
      12,
      0.01,
      'week',
      1,
    ]);
    const { bgnbd, gamma_gamma: gg } = body.model;
    for (const k of ['r', 'alpha', 'a', 'b', 'log_likelihood'] as const) {
      expect(bgnbd[k] / truth.model.bgnbd[k]).toBeCloseTo(1, 9);
    }
    for (const k of ['p', 'q', 'gamma'] as const)
      expect(gg[k] / truth.model.gamma_gamma[k]).toBeCloseTo(1, 9);
    expect(bgnbd.accounts).toBe(truth.accounts.length);
    const repeat = truth.accounts.filter((a) => a.frequency > 0);
    expect(gg.repeat_buyers).toBeLessThanOrEqual(repeat.length);
    expect(gg.repeat_buyers).toBeGreaterThanOrEqual(10);
    expect(Number.isFinite(gg.log_likelihood)).toBe(true);

    // Sorted by CLV, highest first, ties by id; the whole list fits in one page here.
    expect(body.total).toBe(truth.accounts.length);
    expect(body.next).toBeNull();
    const order = [...truth.accounts].sort((x, y) => y.clv - x.clv || (x.account_id < y.account_id ? -1 : 1));
    expect(body.items.map((r) => r.account_id)).toEqual(order.map((a) => a.account_id));
    for (const [i, r] of body.items.entries()) compareRow(r, order[i]!);
    expect(body.items[0]!.segment).toBe(segments.get(body.items[0]!.account_id));

    const total = truth.accounts.reduce((s, a) => s + a.clv, 0);
    expect(body.summary.accounts).toBe(truth.accounts.length);
    expect(body.summary.total_clv).toBeCloseTo(total, 4);
    expect(body.summary.mean_clv!).toBeCloseTo(total / truth.accounts.length, 6);
    const lost = truth.accounts.filter((a) => a.p_alive < 0.5).length;
    expect(body.summary.likely_lost).toBe(lost);
    expect(body.summary.likely_lost_share).toBeCloseTo(lost / truth.accounts.length, 12);
    // Deciles: ten groups of (nearly) equal size, highest CLV first, adding up to the total.
    expect(body.deciles.map((d) => d.decile)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(body.deciles.reduce((s, d) => s + d.accounts, 0)).toBe(truth.accounts.length);
    const tenth = Math.round(truth.accounts.length / 10);
    expect(body.deciles[0]!.clv).toBeCloseTo(
      order.slice(0, tenth).reduce((s, a) => s + a.clv, 0),
      4,
    );
    expect(body.deciles.reduce((s, d) => s + d.share!, 0)).toBeCloseTo(1, 9);
  });

  it('takes the settings, sorts, filters by segment and pages with a cursor or an offset', async () => {
    const base =
      '/api/v1/clv?calibration_end=2025-01-01&horizon_months=24&discount_monthly=0.02&time_unit=day';
    const truth = expected.get('2025-01-01')!;
    const first = (await get(`${base}&sort=p_alive&limit=7`)).json<Answer>();
    expect(first.calibration_end).toBe('2025-01-01T00:00:00.000Z');
    expect(first.model.bgnbd.r / truth.model.bgnbd.r).toBeCloseTo(1, 9);
    const order = [...truth.accounts].sort(
      (x, y) => x.p_alive - y.p_alive || (x.account_id < y.account_id ? -1 : 1),
    );
    const pages: Row[] = [...first.items];
    let next = first.next;
    while (next) {
      const page = (await get(`${base}&sort=p_alive&limit=7&cursor=${next}`)).json<Answer>();
      pages.push(...page.items);
      next = page.next;
    }
    expect(pages.map((r) => r.account_id)).toEqual(order.map((a) => a.account_id));
    for (const [i, r] of pages.entries()) compareRow(r, order[i]!);
    const offset = (await get(`${base}&sort=p_alive&limit=5&offset=10`)).json<Answer>();
    expect(offset.items.map((r) => r.account_id)).toEqual(order.slice(10, 15).map((a) => a.account_id));

    const segment = [...segments.values()].find((s) => s !== null)!;
    const inSegment = truth.accounts.filter((a) => segments.get(a.account_id) === segment);
    const filtered = (await get(`${base}&segment=${encodeURIComponent(segment)}&limit=500`)).json<Answer>();
    expect(filtered.segment).toBe(segment);
    expect(filtered.total).toBe(inSegment.length);
    expect(filtered.items.every((r) => r.segment === segment)).toBe(true);
    // Money sums skip CLVs that are not finite (an infinite mean spend when q <= 1) and count them apart.
    const finiteClv = inSegment.filter((a) => Number.isFinite(a.clv));
    expect(filtered.summary.total_clv).toBeCloseTo(
      finiteClv.reduce((s, a) => s + a.clv, 0),
      4,
    );
    expect(filtered.summary.without_clv).toBe(inSegment.length - finiteClv.length);
    // A cursor of another sort is refused.
    const wrong = await get(`${base}&sort=clv&cursor=${first.next}`);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('query.cursor');
  });

  it("answers one account's row with the model, and 404 for an unknown account", async () => {
    const truth = expected.get('default')!;
    const best = [...truth.accounts].sort((x, y) => y.clv - x.clv)[0]!;
    const answer = await get(`/api/v1/accounts/${encodeURIComponent(best.account_id)}/clv`);
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json<{ account: Row; model: Answer['model']; calibration_end: string }>();
    compareRow(body.account, best);
    expect(body.model.bgnbd.r / truth.model.bgnbd.r).toBeCloseTo(1, 9);
    const unknown = await get('/api/v1/accounts/no-such-account/clv');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('unknown_account');
    // An account without a payment before the calibration end: known, but the models say nothing.
    const ids = new Set(truth.accounts.map((a) => a.account_id));
    const unpaid = [...segments.keys()].find((id) => !ids.has(id));
    if (unpaid !== undefined) {
      const none = await get(`/api/v1/accounts/${encodeURIComponent(unpaid)}/clv`);
      expect(none.statusCode).toBe(404);
      expect(none.json().code).toBe('no_clv');
    }
  });

  it('refuses bad parameters, naming them', async () => {
    const cases: [string, string][] = [
      ['calibration_end=2025-02-30', 'query.calibration_end'],
      ['calibration_end=yesterday', 'query.calibration_end'],
      ['calibration_end=2999-01-01', 'query.calibration_end'],
      ['horizon_months=0', 'query.horizon_months'],
      ['horizon_months=121', 'query.horizon_months'],
      ['horizon_months=2.5', 'query.horizon_months'],
      ['discount_monthly=-0.1', 'query.discount_monthly'],
      ['discount_monthly=1', 'query.discount_monthly'],
      ['time_unit=month', 'query.time_unit'],
      ['sort=mrr', 'query.sort'],
      ['limit=501', 'query.limit'],
      ['colour=red', 'query.colour'],
    ];
    for (const [params, path] of cases) {
      const answer = await get(`/api/v1/clv?${params}`);
      expect(answer.statusCode, params).toBe(400);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(
        answer.json<{ errors: { path: string }[] }>().errors.map((e) => e.path),
        params,
      ).toContain(path);
    }
    const account = [...segments.keys()][0]!;
    const bad = await get(`/api/v1/accounts/${encodeURIComponent(account)}/clv?horizon_months=0`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('query.horizon_months');
    const both = await get('/api/v1/clv?cursor=abc&offset=3');
    expect(both.statusCode).toBe(400);
  });

  it('keeps the fit until the data changes, then answers it at once, stale, while a refit replaces it', async () => {
    hub.revalidateIntervalMs = 0;
    const started: { key: string; background: boolean }[] = [];
    let failNext = false;
    hub.onRevalidate = (event) => {
      started.push(event);
      if (failNext && event.background) {
        failNext = false;
        throw new Error('refit failed (test)');
      }
    };
    const truth = expected.get('default')!;
    const one = truth.accounts.find((a) => a.frequency > 0)!;
    const settings = 'calibration_end=2025-06-15';
    const listUrl = `/api/v1/clv?${settings}&limit=500`;
    const accountUrl = `/api/v1/accounts/${encodeURIComponent(one.account_id)}/clv?${settings}`;
    type Fresh = { stale: boolean; computed_at: string };
    const list = async () => (await get(listUrl)).json<Answer & Fresh>();
    const account = async () => (await get(accountUrl)).json<{ account: Row } & Fresh>();
    /** Asks until the answer is fresh (the background refit is done). */
    async function fresh<T extends Fresh>(ask: () => Promise<T>): Promise<T> {
      for (let i = 0; i < 600; i++) {
        const answer = await ask();
        if (!answer.stale) return answer;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('the CLV answer stayed stale for 30 s');
    }
    /** predictClv on the store as it is now, through the server's own reading connection. */
    async function now() {
      const runtime = await hub.runtime(await hub.tenancy.requireWorkspace(DEFAULT_WORKSPACE));
      const inputs = await readClvInputs(runtime.reader, new Date('2025-06-15T00:00:00Z'), 'week');
      return predictClv(inputs, { horizonMonths: 12, discountMonthly: 0.01, grossMargin: 1, unit: 'week' });
    }
    const pay = async (payment_id: string, paid_at: string) => {
      const written = await app.inject({
        method: 'POST',
        url: '/api/v1/payments',
        headers,
        payload: [{ payment_id, account_id: one.account_id, paid_at, amount: 10, kind: 'one_time' }],
      });
      expect(written.statusCode, written.body).toBe(200);
    };
    const fits = (background: boolean) =>
      started.filter(
        (e) => e.key.startsWith('clv:fit:') && e.key.includes('2025-06-15') && e.background === background,
      ).length;

    // The first requests for a setting wait for one fit together; later ones reuse it.
    const firsts = await Promise.all([list(), account(), list(), account()]);
    expect(fits(false)).toBe(1);
    const before = firsts[0]!;
    const beforeAccount = firsts[1]!;
    expect([before.stale, beforeAccount.stale]).toEqual([false, false]);
    expect(beforeAccount.computed_at).toBe(before.computed_at);
    const started0 = performance.now();
    expect(await account()).toEqual(beforeAccount);
    expect(performance.now() - started0).toBeLessThan(1000);

    // A purchase on a new day before the calibration end: the next answers are the last fit, marked stale.
    await pay('clv-api-test-1', '2025-06-14T12:00:00Z');
    const staleAnswers = await Promise.all([list(), account(), list(), account(), list()]);
    for (const answer of staleAnswers) {
      expect(answer.stale).toBe(true);
      expect(answer.computed_at).toBe(before.computed_at);
    }
    expect({ ...staleAnswers[0]!, stale: false }).toEqual(before);
    expect({ ...staleAnswers[1]!, stale: false }).toEqual(beforeAccount);
    // Then the refit's numbers: predictClv on the new data; one background fit for all those requests.
    const after = await fresh(list);
    expect(fits(true)).toBe(1);
    expect(new Date(after.computed_at).getTime()).toBeGreaterThan(new Date(before.computed_at).getTime());
    const truthNow = await now();
    const order = [...truthNow.accounts].sort(
      (x, y) => y.clv - x.clv || (x.account_id < y.account_id ? -1 : 1),
    );
    expect(after.items.map((r) => r.account_id)).toEqual(order.map((a) => a.account_id));
    for (const [i, r] of after.items.entries()) compareRow(r, order[i]!);
    const afterAccount = await account();
    expect(afterAccount.stale).toBe(false);
    compareRow(afterAccount.account, truthNow.accounts.find((a) => a.account_id === one.account_id)!);
    expect(afterAccount.account.frequency + afterAccount.account.recency).not.toBe(
      beforeAccount.account.frequency + beforeAccount.account.recency,
    );

    // A refit that fails keeps the last fit (still answered, still stale); the next one succeeds.
    failNext = true;
    await pay('clv-api-test-2', '2025-06-10T12:00:00Z');
    const kept = await list();
    expect([kept.stale, kept.computed_at]).toEqual([true, after.computed_at]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(failNext).toBe(false);
    const stillKept = await list();
    expect({ ...stillKept, stale: false }).toEqual(after);
    expect(stillKept.stale).toBe(true);
    const recovered = await fresh(list);
    compareRow(
      recovered.items.find((r) => r.account_id === one.account_id)!,
      (await now()).accounts.find((a) => a.account_id === one.account_id)!,
    );
    expect(fits(true)).toBe(3);
  });
});

describe('the CLV API on an almost empty store', () => {
  it('says the models cannot be fitted (200 with not_enough_data, model null)', async () => {
    const hub = await WorkspaceHub.open(join(dir, 'tiny.duckdb'));
    const app = await buildApp({ hub });
    try {
      const { token } = await hub.tenancy.createKey(DEFAULT_WORKSPACE, ['read', 'ingest']);
      const headers = { authorization: `Bearer ${token}` };
      const post = async (resource: string, rows: unknown[]) => {
        const r = await app.inject({ method: 'POST', url: `/api/v1/${resource}`, headers, payload: rows });
        expect(r.statusCode, r.body).toBe(200);
      };
      await post('accounts', [
        { account_id: 'a', created_at: '2025-01-01' },
        { account_id: 'b', created_at: '2025-01-01' },
      ]);
      await post('payments', [
        { payment_id: 'p1', account_id: 'a', paid_at: '2025-01-02', amount: 10, kind: 'one_time' },
        { payment_id: 'p2', account_id: 'a', paid_at: '2025-02-02', amount: 12, kind: 'one_time' },
        { payment_id: 'p3', account_id: 'b', paid_at: '2025-01-05', amount: 30, kind: 'one_time' },
      ]);
      // Account a bought on two days, b on one: 1 repeat buyer, the models need 10.
      const answer = await app.inject({ method: 'GET', url: '/api/v1/clv', headers });
      expect(answer.statusCode, answer.body).toBe(200);
      const body = answer.json<Answer & { not_enough_data: Record<string, unknown> | null }>();
      expect(body.not_enough_data).toEqual({
        code: 'too_few_repeat_buyers',
        message:
          'cannot fit the CLV models: 1 account(s) bought on more than one day before the calibration end; the models need at least 10',
        repeat_buyers: 1,
        minimum: 10,
      });
      expect([body.model, body.summary, body.items, body.total, body.next]).toEqual([
        null,
        null,
        [],
        0,
        null,
      ]);
      // The day after the last payment (2025-02-02).
      expect(body.calibration_end).toBe('2025-02-03T00:00:00.000Z');
      const one = await app.inject({ method: 'GET', url: '/api/v1/accounts/a/clv', headers });
      expect(one.statusCode, one.body).toBe(200);
      expect(one.json()).toMatchObject({
        model: null,
        account: null,
        not_enough_data: { code: 'too_few_repeat_buyers', repeat_buyers: 1 },
      });
      const unknown = await app.inject({ method: 'GET', url: '/api/v1/accounts/zz/clv', headers });
      expect(unknown.statusCode).toBe(404);
    } finally {
      await app.close();
      await hub.close();
    }
  });
});
