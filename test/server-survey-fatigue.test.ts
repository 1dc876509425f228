// The fatigue routes in process: GET /api/v1/survey-fatigue/audit and GET/PUT /api/v1/survey-fatigue/settings.
// The audit is seeded by deciding asks through the workspace's commit queue (contacts, a survey and an invitation
// inserted as rows):
// on 2026-04-01 09:00 "Q1 NPS" asks ann (never asked) and bob (no e-mail) by e-mail; at 12:00 "Onboarding CSAT"
// asks ann through the widget, three hours after her e-mail, so not.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';
import { decideAsks } from '../src/surveys/fatigue.js';

let hub: WorkspaceHub;
let app: FastifyInstance;
let reader: Record<string, string>;
let admin: Record<string, string>;
let other: Record<string, string>;

const NINE = new Date('2026-04-01T09:00:00Z');
const NOON = new Date('2026-04-01T12:00:00Z');

beforeAll(async () => {
  hub = await WorkspaceHub.open(':memory:');
  app = await buildApp({ hub });
  const acme = await hub.tenancy.createWorkspace('acme');
  await hub.tenancy.createWorkspace('other');
  reader = { authorization: `Bearer ${(await hub.tenancy.createKey('acme', ['read', 'ingest'])).token}` };
  admin = { authorization: `Bearer ${(await hub.tenancy.createKey('acme', ['read', 'admin'])).token}` };
  other = { authorization: `Bearer ${(await hub.tenancy.createKey('other', ['read', 'admin'])).token}` };
  const runtime = await hub.runtime(acme);
  await runtime.queue.submitJob(async (store) => {
    await store.run(
      `INSERT INTO contacts (contact_id, kind, email) VALUES ('ann', 'customer', 'ann@example.com'),
         ('bob', 'customer', NULL)`,
    );
    await store.run(
      `INSERT INTO surveys (survey_id, public_id, name, template, audience, anonymous, default_locale, questions,
         channels, audience_filter, reminders, status, created_at, updated_at)
       VALUES ('s-nps', 'p-nps', 'Q1 NPS', 'nps', 'customers', false, 'en', '[]', '["email"]', '{}',
         '{"count":0,"after_days":[]}', 'active', now(), now())`,
    );
    const nps = {
      survey_id: 's-nps',
      template: 'nps' as const,
      name: 'Q1 NPS',
      audience: 'customers' as const,
    };
    const csat = {
      survey_id: 's-csat',
      template: 'csat' as const,
      name: 'Onboarding CSAT',
      audience: 'customers' as const,
    };
    await decideAsks(store, {
      survey: nps,
      channel: 'email',
      contactIds: ['ann', 'bob'],
      waveId: null,
      now: NINE,
    });
    await store.run(
      `INSERT INTO survey_invitations (invitation_id, survey_id, contact_id, channel, created_at, sent_at)
       VALUES ('inv-1', 's-nps', 'ann', 'email', CAST('2026-04-01 09:00:00' AS TIMESTAMP),
         CAST('2026-04-01 09:00:00' AS TIMESTAMP))`,
    );
    await decideAsks(store, {
      survey: csat,
      channel: 'widget',
      contactIds: ['ann'],
      waveId: null,
      now: NOON,
    });
  });
});

afterAll(async () => {
  await app.close();
  await hub.close();
});

const get = (url: string, headers = reader) => app.inject({ method: 'GET', url, headers });
const put = (payload: unknown, headers = admin) =>
  app.inject({ method: 'PUT', url: '/api/v1/survey-fatigue/settings', headers, payload: payload as object });

async function problem(answer: Awaited<ReturnType<typeof get>>, status = 400) {
  expect(answer.statusCode, answer.body).toBe(status);
  expect(answer.headers['content-type']).toContain('application/problem+json');
  return answer.json<{ code: string; errors?: { path: string; rule: string }[] }>();
}

const ALL_30 = { nps: 30, csat: 30, ces: 30, fcr: 30, enps: 30, pulse: 30, custom: 30 };

describe('GET /api/v1/survey-fatigue/audit', () => {
  const ann12 = {
    decided_at: '2026-04-01T12:00:00.000Z',
    contact_id: 'ann',
    survey_id: 's-csat',
    channel: 'widget',
    asked: false,
    reason: 'not asked: asked less than a day ago by "Q1 NPS" (email); the csat limit is 30 days',
  };
  const ann9 = {
    decided_at: '2026-04-01T09:00:00.000Z',
    contact_id: 'ann',
    survey_id: 's-nps',
    channel: 'email',
    asked: true,
    reason: 'asked: never asked before',
  };
  const bob9 = { ...ann9, contact_id: 'bob', asked: false, reason: 'not asked: no e-mail address' };

  test('every decision, newest first, filtered by person or survey, limited and paged', async () => {
    const items = async (url: string) => {
      const answer = await get(url);
      expect(answer.statusCode, answer.body).toBe(200);
      return answer.json<{ items: unknown[] }>().items;
    };
    expect(await items('/api/v1/survey-fatigue/audit')).toEqual([ann12, ann9, bob9]);
    expect(await items('/api/v1/survey-fatigue/audit?contact_id=ann')).toEqual([ann12, ann9]);
    expect(await items('/api/v1/survey-fatigue/audit?survey_id=s-nps')).toEqual([ann9, bob9]);
    expect(await items('/api/v1/survey-fatigue/audit?limit=1')).toEqual([ann12]);
    expect(await items('/api/v1/survey-fatigue/audit?before=2026-04-01T12:00:00Z')).toEqual([ann9, bob9]);
    expect(await items('/api/v1/survey-fatigue/audit?before=2026-04-01T14:00:00%2B02:00')).toEqual([
      ann9,
      bob9,
    ]);
    expect(await items('/api/v1/survey-fatigue/audit?before=2026-04-01')).toEqual([]);
  });

  test('pages by cursor through decisions made at the same instant (a wave), each row once', async () => {
    const page = async (url: string) => (await get(url)).json<{ items: unknown[]; next: string | null }>();
    const first = await page('/api/v1/survey-fatigue/audit?limit=2');
    expect(first.items).toEqual([ann12, ann9]);
    // ann9 and bob9 share 09:00: a `before` of ann9's time would skip bob9, the cursor does not.
    const second = await page(`/api/v1/survey-fatigue/audit?limit=2&cursor=${first.next}`);
    expect(second).toEqual({ items: [bob9], next: null });
  });

  test("another workspace's audit is its own", async () => {
    const answer = await get('/api/v1/survey-fatigue/audit', other);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toEqual({ items: [], next: null });
  });

  test('bad parameters are 400 problems naming the parameter', async () => {
    const paths = async (url: string) =>
      (await problem(await get(`/api/v1/survey-fatigue/audit?${url}`))).errors?.map((e) => e.path);
    expect(await paths('before=yesterday')).toEqual(['query.before']);
    expect(await paths('before=2026-02-30')).toEqual(['query.before']);
    expect(await paths('limit=0')).toEqual(['query.limit']);
    expect(await paths('limit=1001')).toEqual(['query.limit']);
    expect(await paths('limit=ten')).toEqual(['query.limit']);
    expect(await paths('contact=ann')).toEqual(['query.contact']);
    expect(await paths('cursor=not-a-cursor')).toEqual(['query.cursor']);
  });
});

describe('GET and PUT /api/v1/survey-fatigue/settings', () => {
  test('30 days for every template until an admin changes some; the others keep theirs', async () => {
    const read = async (headers = reader) => {
      const answer = await get('/api/v1/survey-fatigue/settings', headers);
      expect(answer.statusCode, answer.body).toBe(200);
      return answer.json();
    };
    expect(await read()).toEqual({ fatigue_days: ALL_30 });
    const runtime = await hub.runtime((await hub.tenancy.listWorkspaces()).find((w) => w.name === 'acme')!);
    const version = runtime.version;

    const first = await put({ fatigue_days: { fcr: 7, pulse: 0 } });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ fatigue_days: { ...ALL_30, fcr: 7, pulse: 0 } });
    expect(runtime.version).toBeGreaterThan(version);
    const second = await put({ fatigue_days: { nps: 45 } });
    expect(second.json()).toEqual({ fatigue_days: { ...ALL_30, fcr: 7, pulse: 0, nps: 45 } });
    expect(await read()).toEqual({ fatigue_days: { ...ALL_30, fcr: 7, pulse: 0, nps: 45 } });
    expect(await read(other)).toEqual({ fatigue_days: ALL_30 });
  });

  test('only admins change them', async () => {
    const answer = await put({ fatigue_days: { nps: 1 } }, reader);
    expect((await problem(answer, 403)).code).toBe('missing_scope');
    expect((await get('/api/v1/survey-fatigue/settings')).json().fatigue_days.nps).not.toBe(1);
  });

  test('bad bodies are 400 problems naming the field, and change nothing', async () => {
    const before = (await get('/api/v1/survey-fatigue/settings')).json();
    const refusal = async (payload: unknown) => {
      const body = await problem(await put(payload));
      expect(body.code).toBe('malformed_request');
      return (body.errors ?? []).map((e) => `${e.path} ${e.rule}`);
    };
    expect(await refusal({ fatigue_days: { nsp: 7 } })).toEqual(['$.fatigue_days.nsp unknown_field']);
    expect(await refusal({ fatigue_days: { nps: -1 } })).toEqual(['$.fatigue_days.nps too_small']);
    expect(await refusal({ fatigue_days: { fcr: 366 } })).toEqual(['$.fatigue_days.fcr too_big']);
    expect(await refusal({ fatigue_days: { csat: 1.5 } })).toEqual(['$.fatigue_days.csat invalid_type']);
    expect(await refusal({ fatigue_days: { ces: '7' } })).toEqual(['$.fatigue_days.ces invalid_type']);
    expect(await refusal({})).toEqual(['$.fatigue_days invalid_type']);
    expect(await refusal({ fatigue_days: {}, extra: 1 })).toEqual(['$.extra unknown_field']);
    expect((await get('/api/v1/survey-fatigue/settings')).json()).toEqual(before);
  });
});
