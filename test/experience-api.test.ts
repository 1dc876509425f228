// GET /api/v1/experience answers the engine's JSON for the workspace's data, in process.
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';

describe('GET /api/v1/experience', () => {
  it('groups by NPS and measures MRR at risk; refuses an empty range', async () => {
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
        { account_id: 'a', created_at: '2024-01-01' },
        { account_id: 'b', created_at: '2024-01-01' },
      ]);
      await post('mrr-changes', [
        { account_id: 'a', effective_at: '2024-01-01', mrr: 100 },
        { account_id: 'b', effective_at: '2024-01-01', mrr: 50 },
        { account_id: 'b', effective_at: '2025-02-01', mrr: 0 },
      ]);
      await post('responses', [
        { response_id: 'r1', submitted_at: '2024-12-01', metric: 'nps', score: 10, account_id: 'a' },
        { response_id: 'r2', submitted_at: '2024-12-01', metric: 'nps', score: 2, account_id: 'b' },
      ]);
      const answer = await app.inject({
        method: 'GET',
        url: '/api/v1/experience?from=2025-01-01&to=2025-04-01',
        headers,
      });
      expect(answer.statusCode, answer.body).toBe(200);
      const body = JSON.parse(answer.body);
      expect(body.months).toBe(3);
      expect(body.by_nps[0]).toMatchObject({ group: 'promoter', accounts: 1, mrr_start: 100, mrr_end: 100 });
      expect(body.by_nps[2].retention.value).toBe(0);
      expect(body.mrr_at_risk.active).toEqual({ accounts: 1, mrr: 100 });
      const empty = await app.inject({
        method: 'GET',
        url: '/api/v1/experience?from=2025-01-01&to=2025-01-01',
        headers,
      });
      expect(empty.statusCode).toBe(400);
    } finally {
      await app.close();
      await hub.close();
    }
  });
});
