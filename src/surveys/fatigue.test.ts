// The fatigue rule across channels, on a real DuckDB store in memory: contacts, surveys and invitations are
// inserted as rows, so each test shows the history a decision is made from. "now" is 2026-04-01 12:00 UTC.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openDuckDbStore } from '../store/duckdb-store.js';
import type { Store } from '../store/store.js';
import { DEFAULT_FATIGUE_DAYS, decideAsks, fatigueAudit, fatigueDays, setFatigueDays } from './fatigue.js';
import type { Channel, Template } from './survey.js';

const NOW = new Date('2026-04-01T12:00:00Z');
const HOUR_MS = 3_600_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 24 * HOUR_MS);
const stamp = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

let store: Store;
beforeEach(async () => {
  store = await openDuckDbStore(':memory:');
});
afterEach(async () => {
  await store.close();
});

async function contact(id: string, fields: { email?: string | null; unsubscribed_at?: string } = {}) {
  await store.run(
    `INSERT INTO contacts (contact_id, kind, email, unsubscribed_at)
     VALUES ($1, 'customer', $2, CAST($3 AS TIMESTAMP))`,
    [id, fields.email === undefined ? `${id}@example.com` : fields.email, fields.unsubscribed_at ?? null],
  );
}

interface SurveyRef {
  survey_id: string;
  template: Template;
  name: string;
  audience: 'customers';
}

async function survey(survey_id: string, template: Template, name: string): Promise<SurveyRef> {
  await store.run(
    `INSERT INTO surveys (survey_id, public_id, name, template, audience, anonymous, default_locale, questions,
       channels, audience_filter, schedule, reminders, status, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'customers', false, 'en', '[]', '["email"]', '{}', NULL,
       '{"count":0,"after_days":[]}', 'active', CAST($5 AS TIMESTAMP), CAST($5 AS TIMESTAMP))`,
    [survey_id, `pub-${survey_id}`, name, template, stamp(daysAgo(400))],
  );
  return { survey_id, template, name, audience: 'customers' };
}

let invitations = 0;
async function invitation(
  contactId: string,
  of: SurveyRef,
  channel: Channel,
  sentAt: Date | null,
  more: {
    wave_id?: string;
    reminders_sent?: number;
    last_reminded_at?: Date;
    created_at?: Date;
    delivery_error?: string;
  } = {},
) {
  invitations += 1;
  await store.run(
    `INSERT INTO survey_invitations (invitation_id, survey_id, wave_id, contact_id, channel, created_at, sent_at,
       reminders_sent, last_reminded_at, delivery_error)
     VALUES ($1, $2, $3, $4, $5, CAST($6 AS TIMESTAMP), CAST($7 AS TIMESTAMP), $8, CAST($9 AS TIMESTAMP), $10)`,
    [
      `inv-${invitations}`,
      of.survey_id,
      more.wave_id ?? null,
      contactId,
      channel,
      stamp(more.created_at ?? sentAt ?? NOW),
      sentAt ? stamp(sentAt) : null,
      more.reminders_sent ?? 0,
      more.last_reminded_at ? stamp(more.last_reminded_at) : null,
      more.delivery_error ?? null,
    ],
  );
}

const decide = (of: SurveyRef, channel: Channel, contactIds: string[], waveId: string | null = null) =>
  decideAsks(store, { survey: of, channel, contactIds, waveId, now: NOW });

const reasons = (decisions: { contact_id: string; reason: string }[]) =>
  Object.fromEntries(decisions.map((d) => [d.contact_id, d.reason]));

describe('the rule across channels and surveys', () => {
  test('an e-mail 10 days ago blocks a widget ask of another survey; 30 days or more ago does not', async () => {
    const q3 = await survey('s-q3', 'nps', 'Q3 NPS');
    const onboarding = await survey('s-onb', 'csat', 'Onboarding CSAT');
    for (const id of ['ten', 'almost', 'exactly', 'long', 'hours', 'never']) await contact(id);
    await invitation('ten', q3, 'email', daysAgo(10));
    await invitation('almost', q3, 'api', new Date(daysAgo(30).getTime() + HOUR_MS));
    await invitation('exactly', q3, 'link', daysAgo(30));
    // The latest ask is the one reported: 40 days ago by widget, then 31 days ago by link.
    await invitation('long', onboarding, 'widget', daysAgo(40));
    await invitation('long', q3, 'link', daysAgo(31));
    await invitation('hours', q3, 'widget', new Date(NOW.getTime() - 2 * HOUR_MS));

    const decisions = await decide(onboarding, 'widget', [
      'ten',
      'almost',
      'exactly',
      'long',
      'hours',
      'never',
    ]);
    expect(decisions.map((d) => [d.contact_id, d.asked])).toEqual([
      ['ten', false],
      ['almost', false],
      ['exactly', true],
      ['long', true],
      ['hours', false],
      ['never', true],
    ]);
    expect(reasons(decisions)).toEqual({
      ten: 'not asked: asked 10 days ago by "Q3 NPS" (email); the csat limit is 30 days',
      almost: 'not asked: asked 29 days ago by "Q3 NPS" (api); the csat limit is 30 days',
      exactly: 'asked: last asked 30 days ago by "Q3 NPS" (link)',
      long: 'asked: last asked 31 days ago by "Q3 NPS" (link)',
      hours: 'not asked: asked less than a day ago by "Q3 NPS" (widget); the csat limit is 30 days',
      never: 'asked: never asked before',
    });
  });

  test('reminders are not new asks; an e-mail waiting in the queue is, a refused one is not', async () => {
    const nps = await survey('s-nps', 'nps', 'NPS');
    await contact('reminded');
    await contact('queued');
    await contact('refused');
    await invitation('reminded', nps, 'email', daysAgo(40), {
      reminders_sent: 2,
      last_reminded_at: daysAgo(2),
    });
    await invitation('queued', nps, 'email', null, { created_at: daysAgo(2) });
    await invitation('refused', nps, 'email', null, {
      created_at: daysAgo(2),
      delivery_error: '550 no mailbox',
    });
    expect(reasons(await decide(nps, 'email', ['reminded', 'queued', 'refused']))).toEqual({
      reminded: 'asked: last asked 40 days ago by "NPS" (email)',
      queued: 'not asked: asked 2 days ago by "NPS" (email); the nps limit is 30 days',
      refused: 'asked: never asked before',
    });
  });

  test('an invitation of a survey since deleted still counts, named by its id', async () => {
    const nps = await survey('s-nps', 'nps', 'NPS');
    await contact('c');
    await invitation(
      'c',
      { survey_id: 's-gone', template: 'csat', name: 'gone', audience: 'customers' },
      'link',
      daysAgo(3),
    );
    expect(reasons(await decide(nps, 'link', ['c']))).toEqual({
      c: 'not asked: asked 3 days ago by survey s-gone (link); the nps limit is 30 days',
    });
  });
});

describe('limits per template', () => {
  test('the default is 30 days for every template', async () => {
    expect(DEFAULT_FATIGUE_DAYS).toBe(30);
    expect(await fatigueDays(store)).toEqual({
      nps: 30,
      csat: 30,
      ces: 30,
      fcr: 30,
      enps: 30,
      pulse: 30,
      custom: 30,
    });
  });

  test('an override applies to its template only, and later overrides keep earlier ones', async () => {
    expect(await setFatigueDays(store, { fcr: 7 })).toMatchObject({ fcr: 7, nps: 30 });
    expect(await setFatigueDays(store, { pulse: 1, nps: 45 })).toMatchObject({ fcr: 7, pulse: 1, nps: 45 });
    const fcr = await survey('s-fcr', 'fcr', 'After support');
    const nps = await survey('s-nps', 'nps', 'Relationship NPS');
    await contact('c');
    await invitation('c', nps, 'email', daysAgo(10));
    expect(reasons(await decide(fcr, 'api', ['c']))).toEqual({
      c: 'asked: last asked 10 days ago by "Relationship NPS" (email)',
    });
    expect(reasons(await decide(nps, 'email', ['c']))).toEqual({
      c: 'not asked: asked 10 days ago by "Relationship NPS" (email); the nps limit is 45 days',
    });
  });

  test('0 turns the rule off for that template; the limit is said in days, singular too', async () => {
    await setFatigueDays(store, { pulse: 0, ces: 1 });
    const pulse = await survey('s-pulse', 'pulse', 'Weekly pulse');
    const ces = await survey('s-ces', 'ces', 'Effort');
    await contact('c');
    await invitation('c', pulse, 'widget', new Date(NOW.getTime() - HOUR_MS));
    expect(reasons(await decide(pulse, 'widget', ['c']))).toEqual({
      c: 'asked: last asked less than a day ago by "Weekly pulse" (widget); the pulse limit is off',
    });
    expect(reasons(await decide(ces, 'widget', ['c']))).toEqual({
      c: 'not asked: asked less than a day ago by "Weekly pulse" (widget); the ces limit is 1 day',
    });
  });

  test('bad overrides are refused, naming the template', async () => {
    const refused = (overrides: Record<string, number>) =>
      setFatigueDays(store, overrides as Partial<Record<Template, number>>);
    await expect(refused({ nsp: 7 })).rejects.toThrow(/^fatigue_days\.nsp: not a template/);
    await expect(refused({ nps: -1 })).rejects.toThrow(
      'fatigue_days.nps: a whole number of days from 0 to 365, not -1',
    );
    await expect(refused({ csat: 1.5 })).rejects.toThrow(/^fatigue_days\.csat: /);
    await expect(refused({ fcr: 366 })).rejects.toThrow(/^fatigue_days\.fcr: /);
    expect(await fatigueDays(store)).toMatchObject({ nps: 30, csat: 30, fcr: 30 });
  });
});

describe('who is never asked', () => {
  test('unknown and unsubscribed contacts', async () => {
    const nps = await survey('s-nps', 'nps', 'NPS');
    await contact('gone', { unsubscribed_at: '2026-03-02 08:15:00' });
    expect(reasons(await decide(nps, 'link', ['gone', 'nobody']))).toEqual({
      gone: 'not asked: unsubscribed on 2026-03-02',
      nobody: 'not asked: unknown contact',
    });
  });

  test('no e-mail address matters for the e-mail channel only', async () => {
    const nps = await survey('s-nps', 'nps', 'NPS');
    await contact('none', { email: null });
    await contact('blank', { email: ' ' });
    expect(reasons(await decide(nps, 'email', ['none', 'blank']))).toEqual({
      none: 'not asked: no e-mail address',
      blank: 'not asked: no e-mail address',
    });
    expect(reasons(await decide(nps, 'widget', ['none', 'blank']))).toEqual({
      none: 'asked: never asked before',
      blank: 'asked: never asked before',
    });
  });

  test('a contact already invited to the wave, whenever', async () => {
    await setFatigueDays(store, { nps: 0 });
    const nps = await survey('s-nps', 'nps', 'NPS');
    await contact('c');
    await invitation('c', nps, 'email', daysAgo(40), { wave_id: 'w-1' });
    expect(reasons(await decide(nps, 'email', ['c'], 'w-1'))).toEqual({
      c: 'not asked: already invited to this wave',
    });
    expect(reasons(await decide(nps, 'email', ['c'], 'w-2'))).toEqual({
      c: 'asked: last asked 40 days ago by "NPS" (email); the nps limit is off',
    });
  });
});

describe('the audit', () => {
  test('records every decision with its reason; newest first, filtered, limited and paged by before', async () => {
    const nps = await survey('s-nps', 'nps', 'NPS');
    const csat = await survey('s-csat', 'csat', 'CSAT');
    await contact('a');
    await contact('b', { email: null });
    const first = new Date('2026-04-01T09:00:00Z');
    await decideAsks(store, {
      survey: nps,
      channel: 'email',
      contactIds: ['a', 'b'],
      waveId: null,
      now: first,
    });
    await invitation('a', nps, 'email', first);
    await decide(csat, 'widget', ['a']);

    const all = await fatigueAudit(store);
    expect(all).toEqual([
      {
        decided_at: '2026-04-01T12:00:00.000Z',
        contact_id: 'a',
        survey_id: 's-csat',
        channel: 'widget',
        asked: false,
        reason: 'not asked: asked less than a day ago by "NPS" (email); the csat limit is 30 days',
      },
      {
        decided_at: '2026-04-01T09:00:00.000Z',
        contact_id: 'a',
        survey_id: 's-nps',
        channel: 'email',
        asked: true,
        reason: 'asked: never asked before',
      },
      {
        decided_at: '2026-04-01T09:00:00.000Z',
        contact_id: 'b',
        survey_id: 's-nps',
        channel: 'email',
        asked: false,
        reason: 'not asked: no e-mail address',
      },
    ]);
    expect((await fatigueAudit(store, { contact_id: 'a' })).map((r) => r.survey_id)).toEqual([
      's-csat',
      's-nps',
    ]);
    expect((await fatigueAudit(store, { survey_id: 's-nps' })).map((r) => r.contact_id)).toEqual(['a', 'b']);
    expect(await fatigueAudit(store, { limit: 1 })).toEqual([all[0]]);
    expect(await fatigueAudit(store, { before: new Date(all[0]!.decided_at) })).toEqual(all.slice(1));
    expect(await fatigueAudit(store, { contact_id: 'nobody' })).toEqual([]);
  });

  test('a contact listed twice is decided once, in the order first given; an empty list decides nothing', async () => {
    const nps = await survey('s-nps', 'nps', 'NPS');
    await contact('a');
    await contact('b');
    expect((await decide(nps, 'link', ['b', 'a', 'b'])).map((d) => d.contact_id)).toEqual(['b', 'a']);
    expect(await decide(nps, 'link', [])).toEqual([]);
    expect(await fatigueAudit(store)).toHaveLength(2);
  });
});

test('a wave of 20,000 contacts is decided in one statement', async () => {
  const nps = await survey('s-nps', 'nps', 'NPS');
  const csat = await survey('s-csat', 'csat', 'CSAT');
  // c1 … c20000; every 4th unsubscribed, every 5th without e-mail; every 3rd asked by CSAT 10 days ago.
  await store.run(
    `INSERT INTO contacts (contact_id, kind, email, unsubscribed_at)
     SELECT 'c' || i, 'customer', CASE WHEN i % 5 = 0 THEN NULL ELSE 'c' || i || '@example.com' END,
       CASE WHEN i % 4 = 0 THEN CAST('2026-01-15 10:00:00' AS TIMESTAMP) END
     FROM range(1, 20001) t(i)`,
  );
  await store.run(
    `INSERT INTO survey_invitations (invitation_id, survey_id, contact_id, channel, created_at, sent_at)
     SELECT 'inv-' || i, 's-csat', 'c' || i, 'email', CAST($1 AS TIMESTAMP), CAST($1 AS TIMESTAMP)
     FROM range(3, 20001, 3) t(i)`,
    [stamp(daysAgo(10))],
  );
  const ids = Array.from({ length: 20_000 }, (_, i) => `c${i + 1}`);
  const decisions = await decide(nps, 'email', ids);
  expect(decisions.map((d) => d.contact_id)).toEqual(ids);
  // Asked: neither unsubscribed (i % 4), nor without e-mail (i % 5), nor asked recently (i % 3).
  const expected = ids.filter((_, k) => [4, 5, 3].every((m) => (k + 1) % m !== 0));
  expect(decisions.filter((d) => d.asked).map((d) => d.contact_id)).toEqual(expected);
  expect(reasons(decisions)).toMatchObject({
    c1: 'asked: never asked before',
    c3: `not asked: asked 10 days ago by "${csat.name}" (email); the nps limit is 30 days`,
    c4: 'not asked: unsubscribed on 2026-01-15',
    c5: 'not asked: no e-mail address',
  });
  const counted = await store.query<{ n: number; asked: number }>(
    'SELECT count(*) AS n, count(*) FILTER (WHERE asked) AS asked FROM survey_fatigue_audit',
  );
  expect(counted.map((r) => [Number(r.n), Number(r.asked)])).toEqual([[20_000, expected.length]]);
});

describe('the audience', () => {
  test('never asks an employee for a customer survey, or a customer for an employee survey', async () => {
    await contact('cust');
    await store.run(
      "INSERT INTO contacts (contact_id, kind, email, team) VALUES ('emp', 'employee', 'emp@example.com', 'ops')",
    );
    const nps = await survey('s-aud', 'nps', 'Audience NPS');
    expect(await decide(nps, 'link', ['cust', 'emp'])).toEqual([
      { contact_id: 'cust', asked: true, reason: 'asked: never asked before' },
      { contact_id: 'emp', asked: false, reason: 'not asked: an employee, and this survey asks customers' },
    ]);
    const enps = {
      survey_id: 's-enps',
      template: 'enps' as const,
      name: 'eNPS',
      audience: 'employees' as const,
    };
    const decisions = await decideAsks(store, {
      survey: enps,
      channel: 'email',
      contactIds: ['cust'],
      waveId: null,
      now: NOW,
    });
    expect(decisions[0]?.reason).toBe('not asked: a customer contact, and this survey asks employees');
  });
});
