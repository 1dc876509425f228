// The health model lab end to end on a demo store (300 accounts, seed 5, 36 months to 2025-06): the built
// `fidelio health` commands, then the HTTP API on the same file — back-test without leakage, versions,
// recorded activations, explanations that add up, and refusals of bad input.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';
import { DEFAULT_WORKSPACE } from '../src/tenancy/tenancy.js';
import { fidelio, requireBuiltCli } from './support/cli.js';

const DAY = 86_400_000;
const SPLIT = '2024-07-01T00:00:00.000Z';

interface Contribution {
  feature: string;
  contribution: number;
  points: number | null;
}
interface Explanation {
  model_id: string;
  kind: string;
  score: number;
  logit: number | null;
  intercept: number | null;
  probability: number | null;
  contributions: Contribution[];
}
interface Model {
  model_id: string;
  version: number;
  config: { l2: number; split: string | null; train_snapshots: string[]; test_snapshots: string[] };
  metrics: {
    train: { auc: number | null; accounts: number };
    test: { auc: number | null; accounts: number; bands: { band: string; lift: number | null }[] } | null;
    default_model: { auc: number | null } | null;
  };
}

let dir: string;
let db: string;
let account: string;

beforeAll(async () => {
  requireBuiltCli();
  dir = await mkdtemp(join(tmpdir(), 'fidelio-health-lab-'));
  db = join(dir, 'lab.duckdb');
  const made = await fidelio('demo', '--db', db, '--accounts', '300', '--seed', '5', '--end', '2025-06');
  expect(made.code, made.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const json = <T>(text: string) => JSON.parse(text) as T;

function expectSumsToLogit(e: Explanation): void {
  expect(e.kind).toBe('logistic');
  const sum = e.contributions.reduce((s, c) => s + c.contribution, e.intercept!);
  expect(sum).toBeCloseTo(e.logit!, 9);
  expect(e.score).toBeCloseTo(100 * (1 - 1 / (1 + Math.exp(-e.logit!))), 9);
  const values = e.contributions.map((c) => c.contribution);
  expect(values).toEqual([...values].sort((a, b) => b - a));
}

describe('fidelio health', () => {
  it('backtest: fits before T, tests after T, no leakage, and reports AUC, bands and the default model', async () => {
    const run = await fidelio('health', 'backtest', '--db', db, '--split', '2024-07-01');
    expect(run.code, run.stderr).toBe(0);
    const model = json<Model>(run.stdout);
    expect(model.model_id).toBe('hm-1');
    expect(model.config.split).toBe(SPLIT);
    expect(model.config.test_snapshots.length).toBeGreaterThan(3);
    for (const s of model.config.test_snapshots)
      expect(Date.parse(s)).toBeGreaterThanOrEqual(Date.parse(SPLIT));
    for (const s of model.config.train_snapshots)
      expect(Date.parse(s) + 90 * DAY).toBeLessThanOrEqual(Date.parse(SPLIT));
    expect(model.metrics.test!.auc).toBeGreaterThan(0.7);
    expect(model.metrics.default_model!.auc).toBeGreaterThan(0.5);
    expect(model.metrics.test!.bands.map((b) => b.band)).toEqual(['at_risk', 'neutral', 'healthy']);
  }, 60_000);

  it('fit: a new version with its config; explain adds up; activate is recorded and listed', async () => {
    const fit = await fidelio(
      'health',
      'fit',
      '--db',
      db,
      '--from',
      '2023-06-01',
      '--to',
      '2024-12-01',
      '--l2',
      '2',
    );
    expect(fit.code, fit.stderr).toBe(0);
    const model = json<Model>(fit.stdout);
    expect(model).toMatchObject({ model_id: 'hm-2', version: 2, config: { l2: 2, split: null } });
    expect(model.config.train_snapshots[0]).toBe('2023-06-01T00:00:00.000Z');
    expect(model.metrics.test).toBeNull();

    const picked = await fidelio('health', 'explain', '--db', db, '--account', 'x', '--model', 'default');
    expect(picked.code).toBe(2);
    expect(picked.stderr).toContain('no account "x"');

    account = await activeAccount();
    const explained = await fidelio(
      'health',
      'explain',
      '--db',
      db,
      '--account',
      account,
      '--model',
      'hm-2',
      '--at',
      '2025-06-01',
    );
    expect(explained.code, explained.stderr).toBe(0);
    expectSumsToLogit(json<Explanation>(explained.stdout));

    const activated = await fidelio('health', 'activate', 'hm-2', '--db', db);
    expect(activated.code, activated.stderr).toBe(0);
    expect(json<{ model_id: string; activated_by: string }>(activated.stdout).model_id).toBe('hm-2');
    const list = json<{ active: string; models: Model[]; activations: { model_id: string }[] }>(
      (await fidelio('health', 'list', '--db', db)).stdout,
    );
    expect(list.active).toBe('hm-2');
    expect(list.models.map((m) => m.model_id)).toEqual(['hm-1', 'hm-2']);
    expect(list.activations.map((a) => a.model_id)).toEqual(['hm-2']);
    // The active model is the default for explain.
    const current = json<Explanation>(
      (await fidelio('health', 'explain', '--db', db, '--account', account, '--at', '2025-06-01')).stdout,
    );
    expect(current.model_id).toBe('hm-2');
  }, 60_000);

  it('refuses bad input with exit 2 and a clear message', async () => {
    const cases: [string[], string][] = [
      [['activate', 'hm-99'], 'no health model "hm-99"'],
      [['backtest', '--split', '2024-13-01'], 'not an ISO-8601 date'],
      [['fit', '--l2', '-1'], '--l2'],
      [['fit', '--snapshot', '2024-07-01T12:00:00Z'], 'not a UTC day start'],
      [['fit', '--snapshot', '2024-07-01', '--from', '2024-01-01'], 'not both'],
      [['backtest', '--split', '2030-01-01'], 'no labelled snapshot'],
      [['explain', '--account', 'x', '--model', 'nope'], 'no health model "nope"'],
    ];
    for (const [args, message] of cases) {
      const run = await fidelio('health', ...args, '--db', db);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(message);
    }
    const telco = await fidelio('health', 'telco', '--csv', join(dir, 'missing.csv'));
    expect(telco.code).toBe(2);
    expect(telco.stderr).toContain('cannot read');
  }, 60_000);
});

/** An account with MRR at 2025-06-01 (from the default model's monthly snapshots). */
async function activeAccount(): Promise<string> {
  const run = await fidelio('health', 'explain', '--db', db, '--account', 'none', '--model', 'default');
  expect(run.code).toBe(2);
  const hub = await WorkspaceHub.open(db);
  try {
    const runtime = await hub.runtime(await hub.tenancy.requireWorkspace(DEFAULT_WORKSPACE));
    const rows = await runtime.reader.query<{ account_id: string }>(
      `SELECT account_id FROM health_snapshots WHERE snapshot_at = TIMESTAMP '2025-06-01 00:00:00'
       ORDER BY pending_cancellation, usage_trend, account_id LIMIT 1`,
    );
    return rows[0]!.account_id;
  } finally {
    await hub.close();
  }
}

describe('the health models API', () => {
  let hub: WorkspaceHub;
  let app: FastifyInstance;
  let headers: Record<string, string>;
  beforeAll(async () => {
    hub = await WorkspaceHub.open(db);
    app = await buildApp({ hub });
    await app.ready();
    const { token } = await hub.tenancy.createKey(DEFAULT_WORKSPACE, ['read', 'ingest', 'admin']);
    headers = { authorization: `Bearer ${token}` };
  });
  afterAll(async () => {
    await app.close();
    await hub.close();
  });
  const get = (url: string) => app.inject({ method: 'GET', url, headers });
  const post = (url: string, payload: unknown) =>
    app.inject({ method: 'POST', url, headers, payload: payload as object });

  it('lists the models, the active one and the changes with dates', async () => {
    const answer = await get('/api/v1/health-models');
    expect(answer.statusCode).toBe(200);
    const body = answer.json<{
      active: string;
      models: (Model & { active: boolean })[];
      activations: { activated_at: string }[];
    }>();
    expect(body.active).toBe('hm-2');
    expect(body.models.map((m) => [m.model_id, m.active])).toEqual([
      ['hm-1', false],
      ['hm-2', true],
    ]);
    expect(Number.isNaN(Date.parse(body.activations[0]!.activated_at))).toBe(false);
  });

  it('fits a model (201), activates it (recorded with who and when), and explains with it', async () => {
    const fitted = await post('/api/v1/health-models', { split: '2024-07-01', l2: 0.5 });
    expect(fitted.statusCode, fitted.body).toBe(201);
    const model = fitted.json<Model & { created_by: string }>();
    expect(model.model_id).toBe('hm-3');
    expect(model.created_by).toMatch(/^key:/);
    expect(model.metrics.test!.auc).toBeGreaterThan(0.7);

    const activated = await post('/api/v1/health-models/hm-3/activate', {});
    expect(activated.statusCode, activated.body).toBe(200);
    expect(activated.json()).toMatchObject({
      model_id: 'hm-3',
      activated_by: expect.stringMatching(/^key:/),
    });
    const list = (await get('/api/v1/health-models')).json<{
      active: string;
      activations: { model_id: string }[];
    }>();
    expect(list.active).toBe('hm-3');
    expect(list.activations.map((a) => a.model_id)).toEqual(['hm-2', 'hm-3']);

    const explained = await get(`/api/v1/accounts/${account}/health-explanation?at=2025-06-01`);
    expect(explained.statusCode, explained.body).toBe(200);
    const e = explained.json<Explanation>();
    expect(e.model_id).toBe('hm-3');
    expectSumsToLogit(e);
  });

  it("explains the default model with its weighted components, matching the stored snapshot's score", async () => {
    const answer = await get(`/api/v1/accounts/${account}/health-explanation?model=default&at=2025-06-01`);
    expect(answer.statusCode, answer.body).toBe(200);
    const e = answer.json<Explanation>();
    expect(e.kind).toBe('default');
    expect(e.contributions.map((c) => c.feature).sort()).toEqual([
      'pending_cancellation',
      'revenue_trend',
      'satisfaction',
      'support_load',
      'usage_trend',
    ]);
    expect(e.contributions.reduce((s, c) => s + c.points!, 0)).toBeCloseTo(e.score, 9);
    const runtime = await hub.runtime(await hub.tenancy.requireWorkspace(DEFAULT_WORKSPACE));
    const [stored] = await runtime.reader.query<Record<string, number>>(
      `SELECT 100 * (0.3 * usage_trend + 0.25 * satisfaction + 0.15 * support_load + 0.1 * revenue_trend
         + 0.2 * pending_cancellation) AS score
       FROM health_snapshots WHERE account_id = $1 AND snapshot_at = TIMESTAMP '2025-06-01 00:00:00'`,
      [account],
    );
    expect(e.score).toBeCloseTo(Number(stored!.score), 9);
  });

  it('returns to the default model explicitly, and records that too', async () => {
    const back = await post('/api/v1/health-models/default/activate', {});
    expect(back.statusCode, back.body).toBe(200);
    const list = (await get('/api/v1/health-models')).json<{
      active: string;
      activations: { model_id: string }[];
    }>();
    expect(list.active).toBe('default');
    expect(list.activations.map((a) => a.model_id)).toEqual(['hm-2', 'hm-3', 'default']);
    const e = (await get(`/api/v1/accounts/${account}/health-explanation?at=2025-06-01`)).json<Explanation>();
    expect(e).toMatchObject({ model_id: 'default', kind: 'default', logit: null });
  });

  it('answers 404 for unknown models and accounts, 400 for bad dates and bodies', async () => {
    const cases: [() => ReturnType<typeof get>, number, string][] = [
      [() => post('/api/v1/health-models/hm-99/activate', {}), 404, 'unknown_health_model'],
      [() => get(`/api/v1/accounts/${account}/health-explanation?model=hm-99`), 404, 'unknown_health_model'],
      [() => get('/api/v1/accounts/nobody/health-explanation'), 404, 'unknown_account'],
      [() => get(`/api/v1/accounts/${account}/health-explanation?at=2025-02-30`), 400, 'invalid_instant'],
      [() => post('/api/v1/health-models', { split: 'soon' }), 400, 'invalid_instant'],
      [() => post('/api/v1/health-models', { snapshot: '2024-07-01T06:00:00Z' }), 400, 'invalid_snapshot'],
      [() => post('/api/v1/health-models', { split: '2030-01-01' }), 400, 'not_enough_data'],
    ];
    for (const [call, status, code] of cases) {
      const answer = await call();
      expect(answer.statusCode, answer.body).toBe(status);
      expect(answer.json<{ code: string }>().code).toBe(code);
    }
    const before = await get(`/api/v1/accounts/${account}/health-explanation?at=2019-01-01`);
    expect(before.statusCode).toBe(404);
    expect(before.json<{ code: string }>().code).toBe('no_health_score');
    expect((await post('/api/v1/health-models', { l2: -1 })).statusCode).toBe(400);
    expect((await post('/api/v1/health-models', { weights: 1 })).statusCode).toBe(400);
  });
});
