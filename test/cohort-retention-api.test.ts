// GET /api/v1/cohort-retention answers what `fidelio cohorts` prints, for the workspace's data, in process;
// bad parameters are 400s naming the parameter; it needs the read scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohortRetention } from '../src/insight/clv/cohort-retention.js';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';
import { cohortAccounts, cohortMrrChanges } from './cohorts-fixture.js';
import { storeFromCsv } from './support/csv-store.js';

/** CSV text → JSON rows for the ingest API (numbers where the column holds them). */
function rows(csv: string, numeric: readonly string[] = []): Record<string, string | number>[] {
  const [header, ...lines] = csv.trim().split('\n');
  const names = header!.split(',');
  return lines.map((line) =>
    Object.fromEntries(
      line.split(',').map((cell, i) => [names[i]!, numeric.includes(names[i]!) ? Number(cell) : cell]),
    ),
  );
}

let hub: WorkspaceHub;
let app: Awaited<ReturnType<typeof buildApp>>;
let read: Record<string, string>;
let ingestOnly: Record<string, string>;

beforeAll(async () => {
  hub = await WorkspaceHub.open(':memory:');
  app = await buildApp({ hub });
  await hub.tenancy.createWorkspace('acme');
  const bearer = async (scopes: ('read' | 'ingest')[]) => ({
    authorization: `Bearer ${(await hub.tenancy.createKey('acme', scopes)).token}`,
  });
  read = await bearer(['ingest', 'read']);
  ingestOnly = await bearer(['ingest']);
  for (const [resource, payload] of [
    ['accounts', rows(cohortAccounts)],
    ['mrr-changes', rows(cohortMrrChanges, ['mrr'])],
  ] as const) {
    const post = await app.inject({ method: 'POST', url: `/api/v1/${resource}`, headers: read, payload });
    expect(post.statusCode, post.body).toBe(200);
  }
});

afterAll(async () => {
  await app.close();
  await hub.close();
});

const get = (query: string, headers = read) =>
  app.inject({ method: 'GET', url: `/api/v1/cohort-retention?${query}`, headers });

describe('GET /api/v1/cohort-retention', () => {
  it('answers the JSON of fidelio cohorts', async () => {
    const answer = await get('as_of=2025-04-01&segment_by=segment&months=12&discount_monthly=0.02');
    expect(answer.statusCode, answer.body).toBe(200);
    const store = await storeFromCsv({ 'accounts.csv': cohortAccounts, 'mrr_changes.csv': cohortMrrChanges });
    try {
      const expected = await cohortRetention(store, {
        asOf: new Date('2025-04-01'),
        segmentBy: 'segment',
        months: 12,
        discountMonthly: 0.02,
        grossMargin: 1,
      });
      expect(JSON.parse(answer.body)).toEqual(JSON.parse(JSON.stringify(expected)));
    } finally {
      await store.close();
    }
    const body = JSON.parse(answer.body);
    expect(body.overall.cohorts[0].alive).toEqual([5, 3, 2]);
    expect(body.segments.map((s: { segment: string }) => s.segment)).toEqual(['x', 'y']);
    // Defaults: 36 months, as_of the latest instant in the data (I's change on 2025-05-01).
    const defaults = JSON.parse((await get('')).body);
    expect(defaults.months).toBe(36);
    expect(defaults.discount_monthly).toBe(0.01);
    expect(defaults.as_of).toBe('2025-05-01T00:00:00.000Z');
  });

  it('refuses bad parameters with a 400 naming them', async () => {
    for (const [query, name] of [
      ['months=0', 'months'],
      ['months=121', 'months'],
      ['discount_monthly=1', 'discount_monthly'],
      ['discount_monthly=x', 'discount_monthly'],
      ['as_of=tomorrow', 'as_of'],
      ['segment_by=nope', 'segment_by'],
      ['segment_by=team', 'segment_by'],
      ['colour=red', 'colour'],
    ] as const) {
      const answer = await get(query);
      expect(answer.statusCode, query).toBe(400);
      expect(answer.body, query).toContain(name);
    }
  });

  it('needs the read scope', async () => {
    expect((await get('', ingestOnly)).statusCode).toBe(403);
    expect((await get('', {})).statusCode).toBe(401);
  });
});
