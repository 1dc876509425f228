// The read routes of issue 3: GET /api/v1/accounts, /api/v1/accounts/:id and /api/v1/responses, in process.
//
// The data (workspace acme), chosen so every expected value below can be worked out by hand:
//
// | account | name                    | segment | country | created    | MRR changes                  |
// |---------|-------------------------|---------|---------|------------|------------------------------|
// | a1      | Acme Corp (plan=pro)    | smb     | IT      | 2026-01-05 | 100 @01-10, 150 @03-01       |
// | a2      | beta GmbH (plan=ent…)   | ent     | DE      | 2025-12-01 | 500 @2025-12-01, 0 @02-15    |
// | a3      | =HYPERLINK("http://x")  | smb     | IT      | 2026-02-10 | 80 @02-10                    |
// | a4      | Delta 100%              | smb     | FR      | 2026-03-01 | 200 @03-01                   |
// | a5      | Echo_5                  | ent     | DE      | 2026-03-20 | none                         |
// | a6      | Foxtrot                 | (none)  | IT      | 2026-03-25 | 50 @04-01                    |
//
// Cancellations: a1 requested 01-20, ends 02-01 (over); a4 requested 04-10, ends 12-31 (pending).
// Customer answers r1 nps 9 a1 02-01, r2 nps 3 a1 04-20, r3 nps 10 a3 03-15, r4 csat 4 a2 01-15,
// r5 nps 7 (no account) 03-01; employee answers: 6 enps of team eng (one of them naming a1), 2 of team ops.
// Tickets of a1 on 04-02 and 04-05; one usage event of a3 on 04-15. All dates 2026 unless said.
//
// as_of = the latest instant in the data = r2's 2026-04-20 (ends_at and due_at are schedules, not data).

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';

let hub: WorkspaceHub;
let app: FastifyInstance;
let acme: Record<string, string>;
let other: Record<string, string>;

interface Account {
  account_id: string;
  mrr: number;
  status: string;
  last_nps: number | null;
  last_nps_at: string | null;
  pending_cancellation: boolean;
  cancellation_ends_at: string | null;
  health_score: number | null;
  health_band: string | null;
  attributes: Record<string, string | null>;
  name: string | null;
}
interface List<T> {
  items: T[];
  total: number;
  next: string | null;
}

async function post(headers: Record<string, string>, resource: string, rows: unknown[]): Promise<void> {
  const response = await app.inject({ method: 'POST', url: `/api/v1/${resource}`, headers, payload: rows });
  expect(response.statusCode, response.body).toBe(200);
}

async function get(url: string, headers = acme) {
  return app.inject({ method: 'GET', url, headers });
}

async function list<T = Account>(url: string, headers = acme): Promise<List<T>> {
  const response = await get(url, headers);
  expect(response.statusCode, response.body).toBe(200);
  return JSON.parse(response.body) as List<T>;
}

const ids = (page: List<Account>) => page.items.map((a) => a.account_id);
const responseIds = (page: List<{ response_id: string }>) => page.items.map((r) => r.response_id);

async function problem(url: string, status = 400) {
  const response = await get(url);
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  return JSON.parse(response.body) as { code: string; errors?: { path: string; rule: string }[] };
}

beforeAll(async () => {
  hub = await WorkspaceHub.open(':memory:');
  app = await buildApp({ hub });
  await hub.tenancy.createWorkspace('acme');
  await hub.tenancy.createWorkspace('other');
  acme = { authorization: `Bearer ${(await hub.tenancy.createKey('acme', ['ingest', 'read'])).token}` };
  other = { authorization: `Bearer ${(await hub.tenancy.createKey('other', ['ingest', 'read'])).token}` };

  await post(acme, 'accounts', [
    {
      account_id: 'a1',
      created_at: '2026-01-05',
      name: 'Acme Corp',
      segment: 'smb',
      country: 'IT',
      attributes: { plan: 'pro' },
    },
    {
      account_id: 'a2',
      created_at: '2025-12-01',
      name: 'beta GmbH',
      segment: 'ent',
      country: 'DE',
      attributes: { plan: 'enterprise' },
    },
    {
      account_id: 'a3',
      created_at: '2026-02-10',
      name: '=HYPERLINK("http://x")',
      segment: 'smb',
      country: 'IT',
    },
    { account_id: 'a4', created_at: '2026-03-01', name: 'Delta 100%', segment: 'smb', country: 'FR' },
    { account_id: 'a5', created_at: '2026-03-20', name: 'Echo_5', segment: 'ent', country: 'DE' },
    { account_id: 'a6', created_at: '2026-03-25', name: 'Foxtrot', country: 'IT' },
  ]);
  await post(acme, 'mrr-changes', [
    { account_id: 'a1', effective_at: '2026-01-10', mrr: 100 },
    { account_id: 'a1', effective_at: '2026-03-01', mrr: 150 },
    { account_id: 'a2', effective_at: '2025-12-01', mrr: 500 },
    { account_id: 'a2', effective_at: '2026-02-15', mrr: 0 },
    { account_id: 'a3', effective_at: '2026-02-10', mrr: 80 },
    { account_id: 'a4', effective_at: '2026-03-01', mrr: 200 },
    { account_id: 'a6', effective_at: '2026-04-01', mrr: 50 },
  ]);
  await post(acme, 'cancellations', [
    { account_id: 'a1', requested_at: '2026-01-20', ends_at: '2026-02-01' },
    { account_id: 'a4', requested_at: '2026-04-10', ends_at: '2026-12-31' },
  ]);
  await post(acme, 'renewals', [{ account_id: 'a1', due_at: '2026-06-01', outcome: 'pending' }]);
  await post(acme, 'tickets', [
    {
      ticket_id: 't1',
      opened_at: '2026-04-02',
      account_id: 'a1',
      resolved_at: '2026-04-03',
      contacts: 1,
      channel: 'email',
    },
    { ticket_id: 't2', opened_at: '2026-04-05', account_id: 'a1', contacts: 2, channel: 'chat' },
  ]);
  await post(acme, 'usage', [{ account_id: 'a3', occurred_at: '2026-04-15T10:00:00Z', event: 'login' }]);
  const employees = [
    ...[1, 2, 3, 4, 5].map((i) => ({ team: 'eng', i })),
    { team: 'ops', i: 6 },
    { team: 'ops', i: 7 },
  ].map(({ team, i }) => ({
    response_id: `e${i}`,
    submitted_at: `2026-04-0${i}`,
    metric: 'enps',
    score: i,
    respondent_id: `emp-${i}`,
    comment: `${team} secret ${i}`,
    team,
  }));
  await post(acme, 'responses', [
    {
      response_id: 'r1',
      submitted_at: '2026-02-01',
      metric: 'nps',
      score: 9,
      account_id: 'a1',
      comment: 'Love it',
      locale: 'it-IT',
    },
    {
      response_id: 'r2',
      submitted_at: '2026-04-20',
      metric: 'nps',
      score: 3,
      account_id: 'a1',
      respondent_id: 'u-1',
      comment: 'Too slow',
    },
    {
      response_id: 'r3',
      submitted_at: '2026-03-15',
      metric: 'nps',
      score: 10,
      account_id: 'a3',
      comment: 'Perfect',
      locale: 'it',
    },
    {
      response_id: 'r4',
      submitted_at: '2026-01-15',
      metric: 'csat',
      score: 4,
      account_id: 'a2',
      comment: '=cmd|calc',
    },
    { response_id: 'r5', submitted_at: '2026-03-01', metric: 'nps', score: 7, comment: 'great 100% _ok' },
    ...employees,
    // An employee answer that names an account must still never show on it.
    {
      response_id: 'e8',
      submitted_at: '2026-04-08',
      metric: 'enps',
      score: 0,
      account_id: 'a1',
      team: 'eng',
    },
  ]);

  await post(other, 'accounts', [{ account_id: 'z1', created_at: '2026-01-01', name: 'Zulu' }]);
  await post(other, 'mrr-changes', [{ account_id: 'z1', effective_at: '2026-01-01', mrr: 10 }]);
});

afterAll(async () => {
  await app.close();
  await hub.close();
});

describe('GET /api/v1/accounts', () => {
  test('lists every account with its state at as_of', async () => {
    const page = await list<Account>('/api/v1/accounts');
    expect(page.total).toBe(6);
    expect(page.next).toBeNull();
    expect((page as unknown as { as_of: string }).as_of).toBe('2026-04-20T00:00:00.000Z');
    const byId = Object.fromEntries(page.items.map((a) => [a.account_id, a]));
    // MRR = the latest change at or before as_of; status from it and from whether any change was > 0.
    expect(Object.values(byId).map((a) => [a.account_id, a.mrr, a.status])).toEqual([
      ['a1', 150, 'active'],
      ['a2', 0, 'churned'],
      ['a3', 80, 'active'],
      ['a4', 200, 'active'],
      ['a5', 0, 'never'],
      ['a6', 50, 'active'],
    ]);
    // a1's latest nps is r2 (3 on 04-20), not r1; a3's is r3.
    expect([byId.a1!.last_nps, byId.a1!.last_nps_at]).toEqual([3, '2026-04-20T00:00:00.000Z']);
    expect([byId.a3!.last_nps, byId.a2!.last_nps]).toEqual([10, null]);
    // a4 asked on 04-10 (≤ as_of) and its term ends 12-31 (> as_of); a1's cancellation ended 02-01.
    expect([byId.a4!.pending_cancellation, byId.a4!.cancellation_ends_at]).toEqual([
      true,
      '2026-12-31T00:00:00.000Z',
    ]);
    expect(byId.a1!.pending_cancellation).toBe(false);
    expect(byId.a1!.attributes).toEqual({ plan: 'pro' });
    expect(byId.a3!.attributes).toEqual({});
    expect(byId.a3!.name).toBe('=HYPERLINK("http://x")');
  });

  test('health now: components at the end of as_of’s day (2026-04-21), weights .3/.25/.15/.1/.2', async () => {
    const byId = Object.fromEntries(
      (await list<Account>('/api/v1/accounts')).items.map((a) => [a.account_id, a]),
    );
    // a1: usage 0; satisfaction mean(9/10, 3/10) = .6; support 1 − 2 tickets/5 = .6; revenue 150 vs 100 → 1;
    //     no pending cancellation → 1. 100 × (0 + .25×.6 + .15×.6 + .1 + .2) = 54.
    expect(byId.a1!.health_score).toBeCloseTo(54, 9);
    expect(byId.a1!.health_band).toBe('neutral');
    // a3: usage only in the recent window → 1; satisfaction 10/10 = 1; support 1; revenue 1; pending 1 → 100.
    expect(byId.a3!.health_score).toBeCloseTo(100, 9);
    expect(byId.a3!.health_band).toBe('healthy');
    // a4: usage 0; no answers → .5; support 1; revenue 1; pending cancellation → 0.
    //     100 × (.25×.5 + .15 + .1) = 37.5.
    expect(byId.a4!.health_score).toBeCloseTo(37.5, 9);
    expect(byId.a4!.health_band).toBe('at_risk');
    // a6: as a4 but without the cancellation: 37.5 + 20 = 57.5.
    expect(byId.a6!.health_score).toBeCloseTo(57.5, 9);
    // Accounts without MRR have no health.
    expect([byId.a2!.health_score, byId.a5!.health_band]).toEqual([null, null]);
  });

  test.each([
    ['q=acme', ['a1']],
    ['q=ACME', ['a1']], // case-insensitive
    ['q=a5', ['a5']], // the id is searched too
    ['q=%25', ['a4']], // "%" is a literal, not a wildcard: only "Delta 100%"
    ['q=_', ['a5']], // "_" likewise: only "Echo_5"
    ['q=gmbh', ['a2']],
    ['segment=smb', ['a1', 'a3', 'a4']],
    ['country=DE', ['a2', 'a5']],
    ['status=active', ['a1', 'a3', 'a4', 'a6']],
    ['status=churned', ['a2']],
    ['status=never', ['a5']],
    ['pending_cancellation=true', ['a4']],
    ['pending_cancellation=false', ['a1', 'a2', 'a3', 'a5', 'a6']],
    ['health_band=healthy', ['a3']],
    ['health_band=neutral', ['a1', 'a6']],
    ['health_band=at_risk', ['a4']],
    ['mrr_min=80&mrr_max=150', ['a1', 'a3']],
    ['mrr_max=0', ['a2', 'a5']],
    ['segment=smb&status=active&mrr_min=100', ['a1', 'a4']],
    ['segment=nope', []],
  ])('filter %s', async (filter, expected) => {
    const page = await list<Account>(`/api/v1/accounts?${filter}`);
    expect(ids(page)).toEqual(expected);
    expect(page.total).toBe(expected.length);
  });

  test.each([
    // MRR 200, 150, 80, 50, then the two at 0 by id.
    ['-mrr', ['a4', 'a1', 'a3', 'a6', 'a2', 'a5']],
    ['mrr', ['a2', 'a5', 'a6', 'a3', 'a1', 'a4']],
    // Names compare lower-cased; "=" (0x3D) sorts before letters.
    ['name', ['a3', 'a1', 'a2', 'a4', 'a5', 'a6']],
    ['-name', ['a6', 'a5', 'a4', 'a2', 'a1', 'a3']],
    // Empty values last in both directions (then by id).
    ['-last_nps', ['a3', 'a1', 'a2', 'a4', 'a5', 'a6']],
    ['last_nps', ['a1', 'a3', 'a2', 'a4', 'a5', 'a6']],
    ['segment', ['a2', 'a5', 'a1', 'a3', 'a4', 'a6']],
    ['created_at', ['a2', 'a1', 'a3', 'a4', 'a5', 'a6']],
    ['-created_at', ['a6', 'a5', 'a4', 'a3', 'a1', 'a2']],
    // Health 100, 57.5, 54, 37.5, then none.
    ['-health_score', ['a3', 'a6', 'a1', 'a4', 'a2', 'a5']],
    ['-account_id', ['a6', 'a5', 'a4', 'a3', 'a2', 'a1']],
  ])('sort=%s', async (sort, expected) => {
    expect(ids(await list<Account>(`/api/v1/accounts?sort=${sort}`))).toEqual(expected);
  });

  test.each([
    'account_id',
    '-mrr',
    'name',
    '-last_nps',
    'last_nps_at',
    'segment',
    '-created_at',
    '-health_score',
  ])('pages by cursor and by offset neither lose nor repeat a row (sort=%s)', async (sort) => {
    const all = ids(await list<Account>(`/api/v1/accounts?sort=${sort}&limit=500`));
    for (const limit of [1, 2, 4]) {
      const byCursor: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/accounts?sort=${sort}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
        const page: List<Account> = await list<Account>(url);
        expect(page.total).toBe(6);
        expect(page.items.length).toBeLessThanOrEqual(limit);
        byCursor.push(...ids(page));
        cursor = page.next;
      } while (cursor);
      expect(byCursor).toEqual(all);
      const byOffset: string[] = [];
      for (let offset = 0; offset < 6; offset += limit) {
        byOffset.push(
          ...ids(await list<Account>(`/api/v1/accounts?sort=${sort}&limit=${limit}&offset=${offset}`)),
        );
      }
      expect(byOffset).toEqual(all);
    }
  });

  test('paging with a filter: the total counts the filter, the last page has no next', async () => {
    const first = await list<Account>('/api/v1/accounts?status=active&sort=-mrr&limit=3');
    expect([ids(first), first.total]).toEqual([['a4', 'a1', 'a3'], 4]);
    const second = await list<Account>(
      `/api/v1/accounts?status=active&sort=-mrr&limit=3&cursor=${first.next}`,
    );
    expect([ids(second), second.total, second.next]).toEqual([['a6'], 4, null]);
    const beyond = await list<Account>('/api/v1/accounts?offset=10');
    expect([beyond.items, beyond.total, beyond.next]).toEqual([[], 6, null]);
  });

  test('bad parameters are 400 problems naming query.<name>', async () => {
    const cases: [string, string][] = [
      ['limit=0', 'query.limit'],
      ['limit=501', 'query.limit'],
      ['limit=ten', 'query.limit'],
      ['offset=-1', 'query.offset'],
      ['status=gone', 'query.status'],
      ['mrr_min=lots', 'query.mrr_min'],
      ['health_band=great', 'query.health_band'],
      ['pending_cancellation=maybe', 'query.pending_cancellation'],
      ['sort=size', 'query.sort'],
      ['format=xlsx', 'query.format'],
      ['colour=red', 'query.colour'],
      ['cursor=abc', 'query.cursor'],
    ];
    for (const [query, path] of cases) {
      const body = await problem(`/api/v1/accounts?${query}`);
      expect(
        body.errors?.map((e) => e.path),
        query,
      ).toContain(path);
    }
    // A cursor made for another sort is refused rather than silently misread.
    const { next } = await list<Account>('/api/v1/accounts?sort=-mrr&limit=1');
    expect((await problem(`/api/v1/accounts?sort=name&cursor=${next}`)).errors?.[0]?.path).toBe(
      'query.cursor',
    );
    expect((await problem(`/api/v1/accounts?cursor=${next}&sort=-mrr&offset=2`)).errors?.[0]?.path).toBe(
      'query.offset',
    );
  });

  test('a list read after a write sees the write', async () => {
    await post(other, 'accounts', [{ account_id: 'z2', created_at: '2026-02-01', name: 'Zeta' }]);
    expect((await list<Account>('/api/v1/accounts', other)).total).toBe(2);
  });
});

describe('GET /api/v1/accounts/:id', () => {
  interface Detail {
    account: Account;
    mrr_changes: List<{ effective_at: string; mrr: number; previous_mrr: number; movement: string }>;
    cancellations: List<{ requested_at: string; ends_at: string; pending: boolean }>;
    renewals: List<{ due_at: string; outcome: string }>;
    responses: List<{ response_id: string; metric: string }>;
    tickets: List<{ ticket_id: string; contacts: number; resolved_at: string | null }>;
    history: {
      month: string;
      end: string;
      mrr: number;
      health_score: number | null;
      health_band: string | null;
      components: Record<string, number> | null;
    }[];
  }

  test("the account's usage: events per ISO week and its first use of each event", async () => {
    // a3's one login on Wednesday 2026-04-15 falls in the week starting Monday 04-13, within 12 weeks of as_of
    // (04-20); a3 was created on 02-10, so the login is its first "login".
    const a3 = JSON.parse((await get('/api/v1/accounts/a3')).body) as { usage: unknown };
    expect(a3.usage).toEqual({
      weeks: [{ week_start: '2026-04-13T00:00:00.000Z', events: 1 }],
      first_events: [{ event: 'login', first_at: '2026-04-15T10:00:00.000Z' }],
    });
    const a1 = JSON.parse((await get('/api/v1/accounts/a1')).body) as { usage: unknown };
    expect(a1.usage).toEqual({ weeks: [], first_events: [] });
  });

  test('the account, its facts newest first, and 12 months of MRR and health', async () => {
    const response = await get('/api/v1/accounts/a1');
    expect(response.statusCode, response.body).toBe(200);
    const detail = JSON.parse(response.body) as Detail;
    expect([detail.account.account_id, detail.account.mrr, detail.account.last_nps]).toEqual(['a1', 150, 3]);
    expect(detail.mrr_changes.total).toBe(2);
    expect(detail.mrr_changes.items).toEqual([
      { effective_at: '2026-03-01T00:00:00.000Z', mrr: 150, previous_mrr: 100, movement: 'expansion' },
      { effective_at: '2026-01-10T00:00:00.000Z', mrr: 100, previous_mrr: 0, movement: 'new' },
    ]);
    expect(detail.cancellations.items).toEqual([
      { requested_at: '2026-01-20T00:00:00.000Z', ends_at: '2026-02-01T00:00:00.000Z', pending: false },
    ]);
    expect(detail.renewals.items).toEqual([{ due_at: '2026-06-01T00:00:00.000Z', outcome: 'pending' }]);
    // r2 and r1; the employee answer e8 that names a1 is not shown (KPI-SPEC §5).
    expect([detail.responses.total, responseIds(detail.responses)]).toEqual([2, ['r2', 'r1']]);
    expect(detail.tickets.items.map((t) => [t.ticket_id, t.contacts, t.resolved_at])).toEqual([
      ['t2', 2, null],
      ['t1', 1, '2026-04-03T00:00:00.000Z'],
    ]);

    // 12 months, 2025-05 … 2026-04; the current month is read at the end of as_of's day.
    const history = detail.history;
    expect(history).toHaveLength(12);
    expect(history[0]!.month).toBe('2025-05-01T00:00:00.000Z');
    expect(history[11]!.month).toBe('2026-04-01T00:00:00.000Z');
    expect(history[11]!.end).toBe('2026-04-21T00:00:00.000Z');
    // MRR at each month's end (changes strictly before it, KPI-SPEC §1): the 03-01 change is March's.
    expect(history.map((h) => h.mrr)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 100, 100, 150, 150]);
    expect(history.slice(0, 8).every((h) => h.health_score === null && h.components === null)).toBe(true);
    // End of January (02-01): cancellation requested 01-20 and ending 02-01 is pending → component 0;
    // r1 (02-01) is not yet before the end's day → satisfaction .5. 100 × (.125 + .15 + .1) = 37.5.
    expect(history[8]!.health_score).toBeCloseTo(37.5, 9);
    expect(history[8]!.components?.pending_cancellation).toBe(0);
    expect(history[8]!.health_band).toBe('at_risk');
    // End of February: satisfaction .9 (r1), no pending cancellation: 100 × (.225 + .15 + .1 + .2) = 67.5.
    expect(history[9]!.health_score).toBeCloseTo(67.5, 9);
    expect(history[9]!.components?.satisfaction).toBeCloseTo(0.9, 9);
    // April: the same score as the list's health now.
    expect(history[11]!.health_score).toBeCloseTo(54, 9);
    expect(history[11]!.components).toEqual({
      usage_trend: 0,
      satisfaction: expect.closeTo(0.6, 9),
      support_load: expect.closeTo(0.6, 9),
      revenue_trend: 1,
      pending_cancellation: 1,
    });
  });

  test('404 for an id of another workspace, and for an unknown one', async () => {
    expect((await problem('/api/v1/accounts/z1', 404)).code).toBe('unknown_account');
    expect((await get('/api/v1/accounts/z1', other)).statusCode).toBe(200);
    expect((await get('/api/v1/accounts/a1', other)).statusCode).toBe(404);
    expect((await list<Account>('/api/v1/accounts?q=z', acme)).total).toBe(0);
    await problem(`/api/v1/accounts/${encodeURIComponent("a1' OR '1'='1")}`, 404);
  });
});

describe('GET /api/v1/responses', () => {
  test.each([
    // Newest first by default; the 8 employee answers are never listed.
    ['', ['r2', 'r3', 'r5', 'r1', 'r4']],
    ['metric=nps', ['r2', 'r3', 'r5', 'r1']],
    ['metric=csat', ['r4']],
    ['score_min=9', ['r3', 'r1']],
    ['score_min=4&score_max=7', ['r5', 'r4']],
    // Account segment smb: a1 and a3.
    ['segment=smb', ['r2', 'r3', 'r1']],
    ['account_id=a1', ['r2', 'r1']],
    // [from, to): r5 at exactly 03-01 is in, r2 at exactly 04-20 is out.
    ['from=2026-03-01&to=2026-04-20', ['r3', 'r5']],
    ['from=2026-03-01T00:00:01%2B00:00', ['r2', 'r3']],
    ['q=SLOW', ['r2']],
    // Language: "it" is r3 (it) and r1 (it-IT); a region narrows to r1.
    ['locale=it', ['r3', 'r1']],
    ['locale=IT-it', ['r1']],
    ['q=%25', ['r5']],
    ['q=_', ['r5']],
    ['sort=score', ['r2', 'r4', 'r5', 'r1', 'r3']],
    ['sort=-score&limit=2', ['r3', 'r1']],
    ['sort=account_id', ['r1', 'r2', 'r4', 'r3', 'r5']],
  ])('filter %s', async (filter, expected) => {
    const page = await list<{ response_id: string }>(`/api/v1/responses?${filter}`);
    expect(responseIds(page)).toEqual(expected);
  });

  test('pages by cursor without losing or repeating answers', async () => {
    for (const sort of ['-submitted_at', 'score', 'metric', 'account_id']) {
      const all = responseIds(await list(`/api/v1/responses?sort=${sort}&limit=500`));
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/responses?sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page: List<{ response_id: string }> = await list(url);
        expect(page.total).toBe(5);
        seen.push(...responseIds(page));
        cursor = page.next;
      } while (cursor);
      expect(seen).toEqual(all);
    }
  });

  test('eNPS privacy: employee answers are never listed, even as counts', async () => {
    const body = await problem('/api/v1/responses?metric=enps');
    expect(body.errors?.[0]).toMatchObject({ path: 'query.metric', rule: 'employee_answers_private' });
    // No filter reaches them: not the comment search, not the account, not a team parameter.
    expect((await list('/api/v1/responses?q=secret')).total).toBe(0);
    expect(responseIds(await list('/api/v1/responses?account_id=a1&limit=500'))).toEqual(['r2', 'r1']);
    expect((await problem('/api/v1/responses?team=eng')).errors?.[0]?.path).toBe('query.team');
    for (const url of ['/api/v1/responses?limit=500', '/api/v1/responses?format=csv&limit=500']) {
      const text = (await get(url)).body;
      expect(text).not.toContain('secret');
      expect(text).not.toContain('emp-');
      expect(text).not.toContain('enps');
    }
  });

  test('bad parameters are 400 problems naming query.<name>', async () => {
    for (const [query, path] of [
      ['from=yesterday', 'query.from'],
      ['to=2026-02-30', 'query.to'],
      ['score_min=high', 'query.score_min'],
      ['metric=pulse', 'query.metric'],
      ['sort=comment', 'query.sort'],
    ]) {
      expect((await problem(`/api/v1/responses?${query}`)).errors?.map((e) => e.path)).toContain(path);
    }
  });
});

describe('SQL injection', () => {
  test('text in every filter is bound as a value: empty or accurate lists, and the data stays intact', async () => {
    const hostile = [
      "' OR 1=1 --",
      "smb' OR '1'='1",
      '"; DROP TABLE accounts; --',
      "a1'); DELETE FROM responses; --",
    ];
    for (const text of hostile) {
      const value = encodeURIComponent(text);
      for (const name of ['q', 'segment', 'country']) {
        expect((await list<Account>(`/api/v1/accounts?${name}=${value}`)).total, `${name}=${text}`).toBe(0);
      }
      for (const name of ['q', 'segment', 'account_id']) {
        expect((await list(`/api/v1/responses?${name}=${value}`)).total, `${name}=${text}`).toBe(0);
      }
      await problem(`/api/v1/accounts/${value}`, 404);
    }
    // Whitelisted and typed parameters refuse anything else.
    for (const query of [
      'sort=name;DROP TABLE accounts',
      `sort=${encodeURIComponent('name DESC, (SELECT 1)')}`,
      `status=${encodeURIComponent("active' OR 1=1 --")}`,
      `mrr_min=${encodeURIComponent('0 OR 1=1')}`,
      `limit=${encodeURIComponent('1; DROP TABLE accounts')}`,
      `cursor=${encodeURIComponent("'; DROP TABLE accounts; --")}`,
    ]) {
      await problem(`/api/v1/accounts?${query}`);
    }
    for (const query of [
      `metric=${encodeURIComponent("nps' OR 1=1 --")}`,
      `from=${encodeURIComponent("2026-01-01'; DROP TABLE responses; --")}`,
      `score_min=${encodeURIComponent('1 OR 1=1')}`,
    ]) {
      await problem(`/api/v1/responses?${query}`);
    }
    // A well-formed cursor carrying hostile text in its key is still only a value to compare with.
    const cursor = Buffer.from(JSON.stringify(['account_id', "a' OR 1=1 --", 'a'])).toString('base64url');
    expect(ids(await list<Account>(`/api/v1/accounts?cursor=${cursor}`))).toEqual([
      'a1',
      'a2',
      'a3',
      'a4',
      'a5',
      'a6',
    ]);
    const timestampCursor = Buffer.from(JSON.stringify(['created_at', "2026' OR 1=1", 'a'])).toString(
      'base64url',
    );
    expect(
      (await problem(`/api/v1/accounts?sort=created_at&cursor=${timestampCursor}`)).errors?.[0]?.path,
    ).toBe('query.cursor');

    expect((await list<Account>('/api/v1/accounts')).total).toBe(6);
    expect((await list('/api/v1/responses')).total).toBe(5);
    expect((await get('/api/v1/accounts/a1')).statusCode).toBe(200);
  });
});

describe('CSV', () => {
  test('accounts as a spreadsheet-safe attachment, with the formula in a name defused', async () => {
    const response = await get('/api/v1/accounts?format=csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="accounts.csv"');
    expect(response.headers['x-total-count']).toBe('6');
    const lines = response.body.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'account_id,name,segment,country,created_at,mrr,status,last_nps,last_nps_at,pending_cancellation,' +
        'cancellation_ends_at,health_score,health_band,attributes.plan',
    );
    expect(lines).toHaveLength(7);
    expect(lines[1]).toMatch(/^a1,Acme Corp,smb,IT,2026-01-05T00:00:00.000Z,150,active,3,.*,neutral,pro$/);
    // csvCell: an apostrophe before the "=", the cell quoted, inner quotes doubled.
    expect(lines[3]).toContain(`a3,"'=HYPERLINK(""http://x"")",smb,IT,`);
    expect(lines[6]).toMatch(/^a6,Foxtrot,,IT,/);
  });

  test('Accept: text/csv asks for CSV too; paging comes in headers', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/accounts?sort=-mrr&limit=2',
      headers: { ...acme, accept: 'text/csv' },
    });
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(
      response.body
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual(['a4', 'a1']);
    expect(response.headers['x-total-count']).toBe('6');
    const next = String(response.headers['x-next-cursor']);
    expect(ids(await list<Account>(`/api/v1/accounts?sort=-mrr&limit=2&cursor=${next}`))).toEqual([
      'a3',
      'a6',
    ]);
    // format=json wins over the header.
    const json = await app.inject({
      method: 'GET',
      url: '/api/v1/accounts?format=json',
      headers: { ...acme, accept: 'text/csv' },
    });
    expect(json.headers['content-type']).toContain('application/json');
  });

  test('responses: a comment starting with "=" is defused', async () => {
    const response = await get('/api/v1/responses?format=csv&sort=response_id');
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="responses.csv"');
    const lines = response.body.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'response_id,submitted_at,metric,score,scale,account_id,account_name,segment,respondent_id,comment,locale',
    );
    expect(lines[4]).toBe(`r4,2026-01-15T00:00:00.000Z,csat,4,,a2,beta GmbH,ent,,"'=cmd|calc",`);
    expect(lines[3]).toContain(`"'=HYPERLINK(""http://x"")"`);
  });
});

describe('access and documentation', () => {
  test('reading needs the read permission', async () => {
    const { token } = await hub.tenancy.createKey('acme', ['ingest']);
    const response = await get('/api/v1/accounts', { authorization: `Bearer ${token}` });
    expect(response.statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/responses' })).statusCode).toBe(401);
  });

  test('the routes and their parameters are in the OpenAPI document', async () => {
    const document = JSON.parse((await app.inject({ method: 'GET', url: '/api/openapi.json' })).body) as {
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
    };
    const names = (path: string) => document.paths[path]?.get?.parameters?.map((p) => p.name);
    expect(names('/api/v1/accounts')).toEqual(
      expect.arrayContaining(['q', 'segment', 'status', 'health_band', 'sort', 'limit', 'cursor', 'offset']),
    );
    expect(names('/api/v1/responses')).toEqual(expect.arrayContaining(['metric', 'from', 'to', 'score_min']));
    expect(names('/api/v1/accounts/{id}')).toEqual(['id']);
  });
});
