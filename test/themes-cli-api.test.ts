// `fidelio themes` and GET /api/v1/themes(/{id}/comments): the shapes, on the hand-made multilingual comments.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';
import { fidelio, requireBuiltCli } from './support/cli.js';
import { COMMENTS, fixtureCsv } from './themes-fixture.js';

const seeded = (theme: string) =>
  COMMENTS.filter((c) => c.themes.includes(theme))
    .map((c) => c.id)
    .sort();

describe('fidelio themes', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    requireBuiltCli();
    dir = await mkdtemp(join(tmpdir(), 'fidelio-themes-'));
    const csv = join(dir, 'csv');
    await import('node:fs/promises').then((fs) => fs.mkdir(csv));
    for (const [name, text] of Object.entries(fixtureCsv())) await writeFile(join(csv, name), text);
    db = join(dir, 'store.duckdb');
    const imported = await fidelio('import', csv, '--db', db);
    expect(imported.code, imported.stderr).toBe(0);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints the themes as JSON with their statistics', async () => {
    const run = await fidelio('themes', '--db', db, '--min-mentions', '2', '--as-of', '2025-07-01');
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      min_mentions: 2,
      comments: COMMENTS.length - 1,
      as_of: '2025-07-01T00:00:00.000Z',
    });
    const pricing = report.themes.find((t: { id: string }) => t.id === 'pricing');
    expect(Object.keys(pricing).sort()).toEqual(
      [
        'accounts',
        'csat',
        'detractor_lift',
        'example_comment_ids',
        'id',
        'languages',
        'mentions',
        'name',
        'nps',
        'seed',
        'share',
        'terms',
        'trend',
      ].sort(),
    );
    expect(pricing.mentions).toBe(seeded('pricing').length);
    expect(pricing.accounts).toEqual({ count: 3, mrr: 250, churned: 1, churn_pct: 100 / 3 });
  });

  it('prints a table and a CSV, and narrows to a range', async () => {
    const table = await fidelio('themes', '--db', db, '--min-mentions', '2', '--format', 'table');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^Themes of 31 of 32 customer comments/);
    expect(table.stdout).toContain('expensive');
    const csv = await fidelio(
      'themes',
      '--db',
      db,
      '--min-mentions',
      '5',
      '--format',
      'csv',
      '--from',
      '2025-03-01',
    );
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'id,name,mentions,share,promoter_share,passive_share,detractor_share,detractor_lift,p_value,accounts,mrr,churn_pct',
    );
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['pricing', 'support']);
    expect(lines[1]!.split(',')[2]).toBe('8');
  });

  it('refuses a bad --min-mentions with exit 2', async () => {
    const run = await fidelio('themes', '--db', db, '--min-mentions', 'zero');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--min-mentions');
  });
});

describe('GET /api/v1/themes', () => {
  let hub: WorkspaceHub;
  let app: FastifyInstance;
  let headers: Record<string, string>;
  beforeAll(async () => {
    hub = await WorkspaceHub.open(':memory:');
    app = await buildApp({ hub });
    await hub.tenancy.createWorkspace('acme');
    headers = { authorization: `Bearer ${(await hub.tenancy.createKey('acme', ['ingest', 'read'])).token}` };
    const post = async (url: string, payload: unknown[]) => {
      const answer = await app.inject({ method: 'POST', url, headers, payload });
      expect(answer.statusCode, answer.body).toBe(200);
    };
    await post(
      '/api/v1/accounts',
      ['A1', 'A2', 'A3', 'A4'].map((id) => ({ account_id: id, created_at: '2024-11-01T00:00:00Z' })),
    );
    await post('/api/v1/mrr-changes', [
      { account_id: 'A1', effective_at: '2025-01-01T00:00:00Z', mrr: 100 },
      { account_id: 'A1', effective_at: '2025-04-01T00:00:00Z', mrr: 0 },
    ]);
    await post(
      '/api/v1/responses',
      COMMENTS.map((c) => ({
        response_id: c.id,
        submitted_at: `${c.at}T12:00:00Z`,
        metric: c.metric,
        score: c.score,
        comment: c.text,
        ...(c.account === '' ? {} : { account_id: c.account }),
        ...(c.locale === '' ? {} : { locale: c.locale }),
      })),
    );
  });
  afterAll(async () => {
    await app.close();
    await hub.close();
  });
  const get = (url: string) => app.inject({ method: 'GET', url, headers });

  it('answers the themes with their stats and example comment ids', async () => {
    const answer = await get('/api/v1/themes?min_mentions=2&from=2025-01-01&to=2026-01-01');
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json();
    expect(body).toMatchObject({
      from: '2025-01-01T00:00:00.000Z',
      to: '2026-01-01T00:00:00.000Z',
      min_mentions: 2,
    });
    const ids = body.themes.map((t: { id: string }) => t.id);
    expect(ids).toEqual(expect.arrayContaining(['pricing', 'support', 'onboarding', 'en-dark']));
    const pricing = body.themes.find((t: { id: string }) => t.id === 'pricing');
    expect(pricing.example_comment_ids).toEqual(['s1', 'o2', 'o1']);
    expect(pricing.detractor_lift.p_value).toBeGreaterThan(0);
    expect(pricing.accounts).toMatchObject({ count: 3, churned: 1 });
  });

  it('links each theme to its comments', async () => {
    const answer = await get('/api/v1/themes/pricing/comments?min_mentions=2&limit=4');
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json();
    expect(body.theme.id).toBe('pricing');
    expect(body.total).toBe(seeded('pricing').length);
    expect(body.items.map((c: { response_id: string }) => c.response_id)).toEqual(['s1', 'o2', 'o1', 'd6']);
    expect(body.items[0]).toEqual({
      response_id: 's1',
      submitted_at: '2025-04-21T12:00:00.000Z',
      metric: 'csat',
      score: 2,
      account_id: 'A3',
      comment: 'Way too pricey.',
      locale: null,
      language: 'en',
      language_source: 'detected',
    });
  });

  it('gives 404 for an unknown theme and 400 for a bad instant', async () => {
    expect((await get('/api/v1/themes/nothing-like-it/comments')).statusCode).toBe(404);
    const bad = await get('/api/v1/themes?from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('invalid_query');
  });
});
