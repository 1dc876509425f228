// The dashboard's other data routes: KPI targets (admins write, everyone reads, durable), signup cohorts and
// the score distribution, on the hand-made data of test/support/dashboard-data.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';
import { loadDashboardData } from './support/dashboard-data.js';

let dir: string;
let db: string;
let hub: WorkspaceHub;
let app: FastifyInstance;
let reader: Record<string, string>;
let admin: Record<string, string>;
let other: Record<string, string>;

async function open(): Promise<void> {
  hub = await WorkspaceHub.open(db);
  app = await buildApp({ hub });
}

async function close(): Promise<void> {
  await app.close();
  await hub.close();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fidelio-dashboard-'));
  db = join(dir, 'store.duckdb');
  await open();
  await hub.tenancy.createWorkspace('acme');
  await hub.tenancy.createWorkspace('other');
  const key = async (workspace: string, scopes: ('read' | 'ingest' | 'admin')[]) => ({
    authorization: `Bearer ${(await hub.tenancy.createKey(workspace, scopes)).token}`,
  });
  reader = await key('acme', ['read', 'ingest']);
  admin = await key('acme', ['read', 'admin']);
  other = await key('other', ['read', 'admin']);
  await loadDashboardData(app, reader);
});
afterAll(async () => {
  await close();
  await rm(dir, { recursive: true, force: true });
});

async function call(
  method: 'GET' | 'PUT' | 'DELETE',
  url: string,
  headers: Record<string, string>,
  payload?: unknown,
) {
  return app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function getJson<T>(url: string, headers = reader): Promise<T> {
  const response = await call('GET', url, headers);
  expect(response.statusCode, response.body).toBe(200);
  return JSON.parse(response.body) as T;
}

describe('targets', () => {
  test('none at first; an admin sets one and everyone with read sees it', async () => {
    expect(await getJson('/api/v1/targets')).toEqual([]);
    const put = await call('PUT', '/api/v1/targets/crr', admin, { op: '>=', value: 90 });
    expect(put.statusCode, put.body).toBe(200);
    const target = JSON.parse(put.body) as { updated_at: string };
    expect(target).toMatchObject({ kpi: 'crr', op: '>=', value: 90 });
    expect(new Date(target.updated_at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await getJson('/api/v1/targets')).toEqual([target]);
  });

  test('a write commits through the queue and bumps the data version, so cached answers are recomputed', async () => {
    const runtime = await hub.runtime(await hub.tenancy.requireWorkspace('acme'));
    const before = runtime.version;
    await call('PUT', '/api/v1/targets/churn_rate', admin, { op: '<=', value: 2.5 });
    expect(runtime.version).toBe(before + 1);
    await call('PUT', '/api/v1/targets/churn_rate', admin, { op: '<=', value: 3 });
    const targets = await getJson<{ kpi: string; value: number }[]>('/api/v1/targets');
    // In the catalogue's order: crr before churn_rate; the second PUT replaced the first.
    expect(targets.map((t) => [t.kpi, t.value])).toEqual([
      ['crr', 90],
      ['churn_rate', 3],
    ]);
  });

  test('a reader cannot set or remove targets; another workspace does not see them', async () => {
    expect((await call('PUT', '/api/v1/targets/mrr', reader, { op: '>=', value: 1 })).statusCode).toBe(403);
    expect((await call('DELETE', '/api/v1/targets/crr', reader)).statusCode).toBe(403);
    expect(await getJson('/api/v1/targets', other)).toEqual([]);
  });

  test('an unknown KPI is a 404; a value that is not a finite number or a bad op is a 400', async () => {
    const unknown = await call('PUT', '/api/v1/targets/nope', admin, { op: '>=', value: 1 });
    expect(unknown.statusCode).toBe(404);
    expect(JSON.parse(unknown.body).code).toBe('unknown_kpi');
    expect((await call('DELETE', '/api/v1/targets/nope', admin)).statusCode).toBe(404);
    // The path names the resource: an unknown KPI is a 404 whatever the body.
    expect((await call('PUT', '/api/v1/targets/nope', admin, { op: '?' })).statusCode).toBe(404);
    const infinite = await app.inject({
      method: 'PUT',
      url: '/api/v1/targets/mrr',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"op": ">=", "value": 1e999}',
    });
    expect(infinite.statusCode).toBe(400);
    expect(JSON.parse(infinite.body).errors[0].path).toBe('$.value');
    for (const body of [
      { op: '>=', value: 'NaN' },
      { op: '>', value: 1 },
      { op: '>=' },
      { op: '>=', value: 1, x: 1 },
    ]) {
      expect((await call('PUT', '/api/v1/targets/mrr', admin, body)).statusCode, JSON.stringify(body)).toBe(
        400,
      );
    }
    expect((await getJson<unknown[]>('/api/v1/targets')).length).toBe(2);
  });

  test('targets survive a restart; DELETE removes one (204, also when there was none)', async () => {
    await close();
    await open();
    expect((await getJson<{ kpi: string }[]>('/api/v1/targets')).map((t) => t.kpi)).toEqual([
      'crr',
      'churn_rate',
    ]);
    expect((await call('DELETE', '/api/v1/targets/churn_rate', admin)).statusCode).toBe(204);
    expect((await call('DELETE', '/api/v1/targets/churn_rate', admin)).statusCode).toBe(204);
    expect((await getJson<{ kpi: string }[]>('/api/v1/targets')).map((t) => t.kpi)).toEqual(['crr']);
  });
});

describe('cohorts', () => {
  // Signup months: 2025-11 {a9}, 2025-12 {a1, a2}, 2026-01 {a3, a4}, 2026-02 {a5, a6}, 2026-03 {a7, a8}.
  // Month ends read (changes strictly before): a9 has 40 from 12-05; a1 100, 150 (01-15), 120 (02-10),
  // 0 (03-01T00:00Z: not before 03-01); a2 300, 0 (01-31), 200 (03-10); a3 80 from 01-25; a4 400, 0 (02-05),
  // 100 (02-20); a5 0 after 02-25; a6 90 then 70; a7 500 from 03-02; a8 never. as_of 2026-03-28: the end of
  // March (04-01) is not reached, so its cells are null.
  const url = '/api/v1/cohorts?from=2025-11-01&to=2026-04-01';

  test('logo: the share of each cohort active at each month end', async () => {
    const answer = await getJson<{ basis: string; as_of: string; cohorts: unknown[] }>(url);
    expect(answer.basis).toBe('logo');
    expect(answer.as_of).toBe('2026-03-28T10:00:00.000Z');
    expect(answer.cohorts).toEqual([
      // a9 pays from 12-05: not active at 12-01, then active at 01-01, 02-01 and 03-01.
      { cohort: '2025-11', size: 1, values: [0, 100, 100, 100, null] },
      // 01-01: a1 and a2; 02-01: a1 only (a2 left 01-31); 03-01: a1 (its churn at 03-01 is not before it).
      { cohort: '2025-12', size: 2, values: [100, 50, 50, null] },
      { cohort: '2026-01', size: 2, values: [100, 100, null] },
      // 03-01: a6 but not a5.
      { cohort: '2026-02', size: 2, values: [50, null] },
      { cohort: '2026-03', size: 2, values: [null] },
    ]);
  });

  test('revenue: cohort MRR over the MRR at the end of its first month with MRR', async () => {
    const answer = await getJson<{ cohorts: unknown[] }>(`${url}&basis=revenue`);
    expect(answer.cohorts).toEqual([
      // Base 40 at 01-01 (nothing at 12-01: null before the base month).
      { cohort: '2025-11', size: 1, values: [null, 100, 100, 100, null] },
      // Base 100 + 300 = 400; then 150 (37.5 %), then 120 (30 %).
      { cohort: '2025-12', size: 2, values: [100, 37.5, 30, null] },
      // Base 80 + 400 = 480; then 80 + 100 = 180 (37.5 %).
      { cohort: '2026-01', size: 2, values: [100, 37.5, null] },
      { cohort: '2026-02', size: 2, values: [100, null] },
      { cohort: '2026-03', size: 2, values: [null] },
    ]);
  });

  test('as_of later fills the last month end; a segment keeps its accounts', async () => {
    const later = await getJson<{ cohorts: { cohort: string; values: unknown[] }[] }>(
      `${url}&basis=revenue&as_of=2026-04-01`,
    );
    // 04-01: a1 0 and a2 200 of the base 400.
    expect(later.cohorts[1]).toMatchObject({ cohort: '2025-12', values: [100, 37.5, 30, 50] });
    // 04-01: a7 500, a8 nothing: base 500.
    expect(later.cohorts[4]).toMatchObject({ cohort: '2026-03', values: [100] });
    const smb = await getJson<{ cohorts: unknown[] }>(`${url}&segment_by=segment&segment=smb`);
    expect(smb.cohorts).toEqual([
      { cohort: '2025-11', size: 1, values: [0, 100, 100, 100, null] },
      { cohort: '2025-12', size: 1, values: [100, 100, 100, null] },
      { cohort: '2026-01', size: 1, values: [100, 100, null] },
      { cohort: '2026-02', size: 1, values: [0, null] },
      { cohort: '2026-03', size: 1, values: [null] },
    ]);
  });

  test('each cell agrees with the accounts active_customers lists at that month end', async () => {
    type Drill = { columns: string[]; rows: (string | number | null)[][] };
    const column = (d: Drill, name: string) => d.rows.map((r) => r[d.columns.indexOf(name)]);
    const all = await getJson<Drill>(
      '/api/v1/kpis/clv_historical/rows?from=2026-03-01&to=2026-04-01&limit=500',
    );
    const cohortOf = new Map(
      column(all, 'account_id').map((id, i) => [id, String(column(all, 'created_at')[i]).slice(0, 7)]),
    );
    const logo = await getJson<{ cohorts: { cohort: string; size: number; values: (number | null)[] }[] }>(
      url,
    );
    const revenue = await getJson<{ cohorts: { cohort: string; values: (number | null)[] }[] }>(
      `${url}&basis=revenue`,
    );
    // Each signup month and the instant it ends (the state is read there).
    const months = [
      ['2025-11', '2025-12-01'],
      ['2025-12', '2026-01-01'],
      ['2026-01', '2026-02-01'],
      ['2026-02', '2026-03-01'],
    ] as const;
    const mrrAt = new Map<string, number[]>();
    for (const [m, [month, end]] of months.entries()) {
      const active = await getJson<Drill>(
        `/api/v1/kpis/active_customers/rows?from=${month}-01&to=${end}&limit=500`,
      );
      for (const [k, row] of logo.cohorts.entries()) {
        const mine = active.rows.filter((r) => cohortOf.get(r[0]) === row.cohort);
        const step = m - k;
        if (step < 0) continue;
        expect(row.values[step], `${row.cohort} at the end of ${month}`).toBe((mine.length / row.size) * 100);
        const sums = mrrAt.get(row.cohort) ?? [];
        sums[step] = mine.reduce((s, r) => s + Number(r[active.columns.indexOf('mrr_end')]), 0);
        mrrAt.set(row.cohort, sums);
      }
    }
    for (const row of revenue.cohorts) {
      const sums = mrrAt.get(row.cohort) ?? [];
      const base = sums.find((x) => x > 0);
      sums.forEach((sum, step) => {
        const first = sums.findIndex((x) => x > 0);
        expect(row.values[step], `${row.cohort} +${step}`).toBe(
          base === undefined || step < first ? null : (sum / base) * 100,
        );
      });
    }
  });

  test('a range cutting a month includes that month whole; bad parameters are 400 problems', async () => {
    const cut = await getJson<{ cohorts: { cohort: string; size: number }[] }>(
      '/api/v1/cohorts?from=2026-01-20&to=2026-02-05',
    );
    expect(cut.cohorts.map((c) => [c.cohort, c.size])).toEqual([
      ['2026-01', 2],
      ['2026-02', 2],
    ]);
    for (const query of [
      'from=2026-01-01',
      'from=x&to=2026-01-01',
      'from=2026-01-01&to=2026-01-01',
      'from=2026-01-01&to=2026-02-01&basis=x',
    ]) {
      const response = await call('GET', `/api/v1/cohorts?${query}`, reader);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
  });
});

describe('score distribution', () => {
  const range = 'from=2026-01-01&to=2026-04-01';
  const counts = (scale: { counts: { score: number; count: number }[] }) => scale.counts.map((c) => c.count);

  test('nps: every score 0–10 with its count, zeros included', async () => {
    // Scores 10, 6, 9, 3, 8, 9, 10, 0, 7.
    const answer = await getJson<{
      total: number;
      scales: { scale: string; total: number; counts: { score: number; count: number }[] }[];
    }>(`/api/v1/score-distribution?metric=nps&${range}`);
    expect(answer).toMatchObject({ metric: 'nps', segment: null, total: 9 });
    expect(answer.scales.map((s) => s.scale)).toEqual(['0-10']);
    expect(answer.scales[0]!.counts.map((c) => c.score)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(counts(answer.scales[0]!)).toEqual([1, 0, 0, 1, 0, 0, 1, 1, 1, 2, 2]);
  });

  test('the total equals the report’s nps_responses for every month, in total and for each segment', async () => {
    const report = await getJson<{
      rows: { start: string; end: string; segment: string | null; kpis: Record<string, number> }[];
    }>(`/api/v1/report?${range}&period=month&segment_by=segment`);
    for (const row of report.rows) {
      const segment = row.segment === null ? '' : `&segment_by=segment&segment=${row.segment}`;
      const answer = await getJson<{ total: number }>(
        `/api/v1/score-distribution?metric=nps&from=${row.start}&to=${row.end}${segment}`,
      );
      expect(answer.total, `${row.start} ${row.segment}`).toBe(row.kpis.nps_responses);
    }
    // smb: n1 10 (a1), n2 6 (a3), n6 9 (a5), n9 7 (a1).
    const smb = await getJson<{ scales: { counts: { score: number; count: number }[] }[] }>(
      `/api/v1/score-distribution?metric=nps&${range}&segment_by=segment&segment=smb`,
    );
    expect(counts(smb.scales[0]!)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1]);
  });

  test('csat 1–5; ces on each scale its answers used; the range is half-open', async () => {
    const csat = await getJson<{ scales: { scale: string; counts: { count: number }[] }[] }>(
      `/api/v1/score-distribution?metric=csat&${range}`,
    );
    expect(csat.scales.map((s) => [s.scale, s.counts.map((c) => c.count)])).toEqual([
      ['1-5', [0, 1, 1, 1, 1]],
    ]);
    const ces = await getJson<{
      total: number;
      scales: { scale: string; total: number; counts: { count: number }[] }[];
    }>(`/api/v1/score-distribution?metric=ces&${range}`);
    expect(ces.total).toBe(4);
    expect(ces.scales.map((s) => [s.scale, s.total, s.counts.map((c) => c.count)])).toEqual([
      ['1-7', 2, [0, 0, 0, 1, 1, 0, 0]],
      ['1-5', 2, [0, 1, 0, 0, 1]],
    ]);
    // to is exclusive: n9 at 03-25 is out of [03-12, 03-25).
    const march = await getJson<{ total: number }>(
      '/api/v1/score-distribution?metric=nps&from=2026-03-12&to=2026-03-25',
    );
    expect(march.total).toBe(1);
  });

  test('employee answers are never shown: metric=enps and segment_by=team are refused', async () => {
    const enps = await call('GET', `/api/v1/score-distribution?metric=enps&${range}`, reader);
    expect(enps.statusCode).toBe(400);
    expect(JSON.parse(enps.body).errors[0]).toMatchObject({
      path: 'query.metric',
      rule: 'employee_answers_private',
    });
    const team = await call(
      'GET',
      `/api/v1/score-distribution?metric=nps&${range}&segment_by=team&segment=eng`,
      reader,
    );
    expect(team.statusCode).toBe(400);
  });
});
