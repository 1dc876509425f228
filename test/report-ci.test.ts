// `--ci`: Wilson intervals worked out by hand, properties of the seeded NPS bootstrap, table, CSV and the API flag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCsv } from '../src/cli/report-csv.js';
import { renderTable } from '../src/cli/report-table.js';
import { npsBootstrap } from '../src/insight/experience/bootstrap.js';
import { KPIS } from '../src/kpi/catalogue.js';
import type { Store } from '../src/store/store.js';
import { report, storeFromCsv } from './support/csv-store.js';

// Ten accounts with 100 each since 2024; A8 and A9 churn on 2025-02-10: in February S = 10, E = 8, N = 0.
const ids = Array.from({ length: 10 }, (_, i) => `A${i}`);
const accounts = `account_id,created_at\n${ids.map((id) => `${id},2024-01-01`).join('\n')}\n`;
const mrrChanges = `account_id,effective_at,mrr
${ids.map((id) => `${id},2024-01-01,100`).join('\n')}
A8,2025-02-10,0
A9,2025-02-10,0
`;
// csat: 8 of 10 answers 4–5. nps: 5 promoters, 3 passives, 2 detractors → 30. Employee answers never get one.
const csat = [5, 5, 4, 4, 4, 5, 4, 4, 3, 1];
const nps = [10, 9, 9, 10, 9, 8, 7, 7, 3, 0];
const responses = `response_id,submitted_at,metric,score,account_id,team
${csat.map((s, i) => `c${i},2025-02-03,csat,${s},A${i},`).join('\n')}
${nps.map((s, i) => `n${i},2025-02-04,nps,${s},A${i},`).join('\n')}
${Array.from({ length: 6 }, (_, i) => `e${i},2025-02-05,enps,9,,eng`).join('\n')}
`;

let store: Store;
beforeAll(async () => {
  store = await storeFromCsv({
    'accounts.csv': accounts,
    'mrr_changes.csv': mrrChanges,
    'responses.csv': responses,
  });
});
afterAll(() => store.close());

const february = (options: Parameters<typeof report>[3] = {}) =>
  report(store, '2025-02-01', '2025-03-01', { ci: true, ...options });

describe('report intervals', () => {
  it('adds no ci without the flag (the §6 rows are unchanged)', async () => {
    const plain = await report(store, '2025-02-01', '2025-03-01');
    expect(plain.rows[0]!.ci).toBeUndefined();
  });

  it('gives Wilson intervals for csat, crr and churn_rate on the counts the KPIs use', async () => {
    const r = await february();
    const ci = r.rows[0]!.ci!;
    expect(r.rows[0]!.kpis.crr).toBe(80);
    // 8 of 10: p̂ = 0.8, z² = 3.8415; centre (0.8 + 0.19207) ÷ 1.38415 = 0.71674,
    // half 1.96 × √(0.016 + 0.0096037) ÷ 1.38415 = 0.22658 → 49.02 … 94.33.
    for (const id of ['csat', 'crr'] as const) {
      expect(ci[id].low).toBeCloseTo(49.016, 2);
      expect(ci[id].high).toBeCloseTo(94.332, 2);
      expect(ci[id].n).toBe(10);
    }
    // 2 of 10 mirrors it: 5.67 … 50.98.
    expect(ci.churn_rate.low).toBeCloseTo(5.668, 2);
    expect(ci.churn_rate.high).toBeCloseTo(50.984, 2);
    expect(Object.keys(ci)).not.toContain('enps');
  });

  it('marks samples under ci_min_sample (default 30) as not enough, configurable', async () => {
    const few = (await february()).rows[0]!.ci!;
    expect(Object.values(few).map((e) => e.enough)).toEqual([false, false, false, false]);
    const enough = (await february({ config: { ci_min_sample: 10 } })).rows[0]!.ci!;
    expect(Object.values(enough).map((e) => e.enough)).toEqual([true, true, true, true]);
  });

  it('bootstraps NPS: the interval holds the point estimate and is deterministic', async () => {
    const row = (await february()).rows[0]!;
    expect(row.kpis.nps).toBe(30);
    const ci = row.ci!.nps;
    expect(ci.n).toBe(10);
    expect(ci.low!).toBeLessThanOrEqual(30);
    expect(ci.high!).toBeGreaterThanOrEqual(30);
    expect((await february()).rows[0]!.ci!.nps).toEqual(ci);
  });

  it('shows intervals in the table and CSV', async () => {
    const r = await february();
    const table = renderTable(r, KPIS);
    expect(table).toContain('95 % CI');
    expect(table).toContain('few data (n = 10)');
    const wide = renderTable(await february({ config: { ci_min_sample: 5 } }), KPIS);
    expect(wide).toContain('49.0 %…94.3 %');
    const csv = renderCsv(
      r,
      KPIS.map((k) => k.id),
    ).split('\n');
    const header = csv[0]!.split(',');
    expect(header.slice(-4)).toEqual([
      'churn_rate_ci_low',
      'churn_rate_ci_high',
      'churn_rate_ci_n',
      'churn_rate_ci_enough',
    ]);
    const line = csv[1]!.split(',');
    expect(line[header.indexOf('csat_ci_n')]).toBe('10');
    expect(line[header.indexOf('csat_ci_enough')]).toBe('false');
    expect(renderCsv(await report(store, '2025-02-01', '2025-03-01'), ['nps'])).not.toContain('_ci_');
  });
});

describe('NPS bootstrap', () => {
  it('contains the point estimate for many count mixes', () => {
    for (const [p, q, d] of [
      [1, 0, 0],
      [0, 0, 3],
      [5, 3, 2],
      [40, 35, 25],
      [700, 200, 100],
      [20_000, 5_000, 15_000],
    ] as const) {
      const n = p + q + d;
      const score = ((p - d) / n) * 100;
      const ci = npsBootstrap(p, q, d)!;
      expect(ci.low).toBeLessThanOrEqual(score + 1e-9);
      expect(ci.high).toBeGreaterThanOrEqual(score - 1e-9);
      expect(ci.low).toBeGreaterThanOrEqual(-100);
      expect(ci.high).toBeLessThanOrEqual(100);
    }
  });

  it('narrows as n grows at the same shares', () => {
    const widths = [1, 4, 16, 64].map((k) => {
      const ci = npsBootstrap(5 * k, 3 * k, 2 * k)!;
      return ci.high - ci.low;
    });
    for (let i = 1; i < widths.length; i++) expect(widths[i]!).toBeLessThan(widths[i - 1]!);
    // About halves when n quadruples (standard error ∝ 1/√n).
    expect(widths[3]! / widths[2]!).toBeGreaterThan(0.4);
    expect(widths[3]! / widths[2]!).toBeLessThan(0.6);
  });

  it('is deterministic with the seed and changes with another', () => {
    expect(npsBootstrap(40, 35, 25)).toEqual(npsBootstrap(40, 35, 25));
    expect(npsBootstrap(40, 35, 25, { seed: 1 })).toEqual(npsBootstrap(40, 35, 25, { seed: 1 }));
    expect(npsBootstrap(40, 35, 25, { seed: 1 })).not.toEqual(npsBootstrap(40, 35, 25, { seed: 2 }));
    expect(npsBootstrap(0, 0, 0)).toBeNull();
  });
});

describe('GET /api/v1/report?ci=true', () => {
  it('adds the same ci as the engine, and none without the flag', async () => {
    const { WorkspaceHub } = await import('../src/server/hub.js');
    const { buildApp } = await import('../src/server/app.js');
    const hub = await WorkspaceHub.open(':memory:');
    const app = await buildApp({ hub });
    try {
      await hub.tenancy.createWorkspace('acme');
      const headers = {
        authorization: `Bearer ${(await hub.tenancy.createKey('acme', ['ingest', 'read'])).token}`,
      };
      const post = async (resource: string, rows: unknown[]) =>
        expect(
          (await app.inject({ method: 'POST', url: `/api/v1/${resource}`, headers, payload: rows }))
            .statusCode,
        ).toBe(200);
      await post(
        'accounts',
        ids.map((id) => ({ account_id: id, created_at: '2024-01-01' })),
      );
      await post('mrr-changes', [
        ...ids.map((id) => ({ account_id: id, effective_at: '2024-01-01', mrr: 100 })),
        { account_id: 'A8', effective_at: '2025-02-10', mrr: 0 },
        { account_id: 'A9', effective_at: '2025-02-10', mrr: 0 },
      ]);
      const url = '/api/v1/report?from=2025-02-01&to=2025-03-01';
      const withCi = JSON.parse((await app.inject({ method: 'GET', url: `${url}&ci=true`, headers })).body);
      expect(withCi.rows[0].ci.crr.low).toBeCloseTo(49.016, 2);
      expect(withCi.rows[0].ci.nps).toEqual({ low: null, high: null, n: 0, enough: false });
      const without = JSON.parse((await app.inject({ method: 'GET', url, headers })).body);
      expect(without.rows[0].ci).toBeUndefined();
      const bad = await app.inject({ method: 'GET', url: `${url}&ci=yes`, headers });
      expect(bad.statusCode).toBe(400);
    } finally {
      await app.close();
      await hub.close();
    }
  });
});
