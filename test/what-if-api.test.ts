// GET /api/v1/what-if answers the engine's JSON for the workspace's data, in process; bad parameters are 400.
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';

describe('GET /api/v1/what-if', () => {
  it('projects from the trailing 12 months and shows the difference of a change', async () => {
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
      await post('accounts', [
        { account_id: 'a', created_at: '2023-01-01' },
        { account_id: 'b', created_at: '2023-01-01' },
      ]);
      // S = 2, now 1: c = 1 / 12 / 1.5; MRR 300 → 100: c_mrr = 200 / 12 / 200 = 1/12.
      await post('mrr-changes', [
        { account_id: 'a', effective_at: '2023-01-01', mrr: 100 },
        { account_id: 'b', effective_at: '2023-01-01', mrr: 200 },
        { account_id: 'b', effective_at: '2024-06-01', mrr: 0 },
      ]);
      const get = (query: string) =>
        app.inject({ method: 'GET', url: `/api/v1/what-if?as_of=2025-01-01${query}`, headers });
      const answer = await get('&months=1&churn_delta=-1');
      expect(answer.statusCode, answer.body).toBe(200);
      const body = JSON.parse(answer.body);
      expect(body.months).toBe(1);
      expect(body.total.baseline.mrr).toBeCloseTo(100 * (1 - 1 / 12), 9);
      const c = 1 / 18;
      expect(body.total.scenario.churn_rate).toBeCloseTo(c - 0.01, 12);
      expect(body.total.scenario.mrr).toBeCloseTo(100 * (1 - ((1 / 12) * (c - 0.01)) / c), 9);
      expect(body.total.difference.mrr).toBeGreaterThan(0);
      expect((await get('&months=40')).statusCode).toBe(400);
      expect((await get('&churn_delta=abc')).statusCode).toBe(400);
    } finally {
      await app.close();
      await hub.close();
    }
  });
});
