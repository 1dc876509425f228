// The follow-up API in-process: listing and filtering, working on a follow-up (analysts may), bad input named by
// field, unknown ids as 404s, and who is e-mailed (admins only).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';
import { type FollowUp, openFollowUps } from '../src/surveys/follow-ups.js';

const T0 = new Date('2025-04-01T10:00:00Z');

let hub: WorkspaceHub;
let app: FastifyInstance;
const keys: Record<'read' | 'ingest' | 'admin', Record<string, string>> = { read: {}, ingest: {}, admin: {} };
let detractor: FollowUp;
let lowCsat: FollowUp;

beforeAll(async () => {
  hub = await WorkspaceHub.open(':memory:');
  app = await buildApp({ hub });
  const workspace = await hub.tenancy.createWorkspace('acme');
  for (const scope of ['read', 'ingest', 'admin'] as const) {
    keys[scope] = { authorization: `Bearer ${(await hub.tenancy.createKey('acme', [scope])).token}` };
  }
  const runtime = await hub.runtime(workspace);
  const answer = {
    answer_id: 'a-1',
    survey_id: 's-1',
    survey_name: 'Q2 NPS',
    account_id: 'acct-1',
    contact_id: 'ct-1',
  };
  [detractor, lowCsat] = (await runtime.queue.submitJob((store) =>
    openFollowUps(
      store,
      answer,
      [
        { response_id: 'r-1', metric: 'nps', score: 4, comment: 'Too many bugs' },
        { response_id: 'r-2', metric: 'csat', score: 2, comment: null },
        { response_id: 'r-3', metric: 'nps', score: 9, comment: 'Great' },
      ],
      T0,
    ),
  )) as [FollowUp, FollowUp];
});
afterAll(async () => {
  await app.close();
  await hub.close();
});

const list = (query = '', headers = keys.read) =>
  app.inject({ method: 'GET', url: `/api/v1/follow-ups${query}`, headers });
const patch = (id: string, payload: unknown, headers = keys.ingest) =>
  app.inject({
    method: 'PATCH',
    url: `/api/v1/follow-ups/${id}`,
    headers,
    payload: payload as Record<string, unknown>,
  });

describe('GET /api/v1/follow-ups', () => {
  it('lists the follow-ups with their survey, score and comment (not the promoter)', async () => {
    const answer = await list();
    expect(answer.statusCode).toBe(200);
    const body = answer.json<{ items: FollowUp[]; total: number }>();
    expect(body.total).toBe(2);
    expect(
      body.items.map((f) => [f.response_id, f.reason, f.score, f.comment, f.survey_name]).sort(),
    ).toEqual([
      ['r-1', 'detractor', 4, 'Too many bugs', null],
      ['r-2', 'low_csat', 2, null, null],
    ]);
  });

  it('filters by status and pages; refuses an unknown status or parameter with a 400 naming it', async () => {
    expect((await list('?limit=1')).json<{ items: unknown[]; total: number }>()).toMatchObject({ total: 2 });
    expect((await list('?limit=1')).json<{ items: unknown[] }>().items).toHaveLength(1);
    const bad = await list('?status=done');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual(['query.status']);
    const unknown = await list('?colour=red');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual([
      'query.colour',
    ]);
  });
});

describe('PATCH /api/v1/follow-ups/:id', () => {
  it('assigns, moves and annotates a follow-up (an analyst key may); the list then filters by it', async () => {
    const answer = await patch(detractor.followup_id, {
      assignee: 'maria@acme.example',
      status: 'in_progress',
      note: 'Called; fix ships Friday',
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json<FollowUp>()).toMatchObject({
      followup_id: detractor.followup_id,
      assignee: 'maria@acme.example',
      status: 'in_progress',
      note: 'Called; fix ships Friday',
      created_at: T0.toISOString(),
    });
    const mine = (await list('?assignee=maria%40acme.example')).json<{ items: FollowUp[] }>().items;
    expect(mine.map((f) => f.followup_id)).toEqual([detractor.followup_id]);
    expect(
      (await list('?status=open')).json<{ items: FollowUp[] }>().items.map((f) => f.followup_id),
    ).toEqual([lowCsat.followup_id]);
    const cleared = await patch(detractor.followup_id, { assignee: null, status: 'closed' });
    expect(cleared.json<FollowUp>()).toMatchObject({
      assignee: null,
      status: 'closed',
      note: 'Called; fix ships Friday',
    });
  });

  it('refuses a read-only key (403) and changes nothing', async () => {
    const answer = await patch(lowCsat.followup_id, { status: 'closed' }, keys.read);
    expect(answer.statusCode).toBe(403);
    expect((await list('?status=open')).json<{ total: number }>().total).toBe(1);
  });

  it.each([
    ['an unknown status', { status: 'done' }, '$.status'],
    ['an unknown field', { colour: 'red' }, '$.colour'],
    ['a wrongly typed note', { note: 42 }, '$.note'],
    ['an empty assignee', { assignee: '  ' }, '$.assignee'],
    ['an empty change', {}, '$'],
  ])('refuses %s with a 400 naming the field', async (_name, payload, path) => {
    const answer = await patch(lowCsat.followup_id, payload);
    expect(answer.statusCode).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual([path]);
  });

  it('answers 404 for an unknown follow-up, whatever the body', async () => {
    for (const payload of [{ status: 'closed' }, { status: 'done' }]) {
      const answer = await patch('fu_000000000000', payload);
      expect(answer.statusCode).toBe(404);
      expect(answer.json<{ code: string }>().code).toBe('unknown_follow_up');
    }
  });
});

describe('/api/v1/follow-up-recipients', () => {
  const put = (payload: unknown, headers = keys.admin) =>
    app.inject({
      method: 'PUT',
      url: '/api/v1/follow-up-recipients',
      headers,
      payload: payload as Record<string, unknown>,
    });
  const get = (headers = keys.admin) =>
    app.inject({ method: 'GET', url: '/api/v1/follow-up-recipients', headers });

  it('starts empty, is set and read back by admins', async () => {
    expect((await get()).json()).toEqual({ recipients: [] });
    const answer = await put({ recipients: ['lead@acme.example', 'cs@acme.example'] });
    expect(answer.statusCode).toBe(200);
    expect((await get()).json()).toEqual({ recipients: ['lead@acme.example', 'cs@acme.example'] });
  });

  it('refuses other scopes (403) and bad addresses (400 naming the entry)', async () => {
    expect((await get(keys.read)).statusCode).toBe(403);
    expect((await put({ recipients: [] }, keys.ingest)).statusCode).toBe(403);
    const bad = await put({ recipients: ['lead@acme.example', 'not an address'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual(['$.recipients[1]']);
  });
});
