import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbStore, openDuckDbStore } from '../store/duckdb-store.js';
import { setFatigueDays } from './fatigue.js';
import {
  anonymousTeam,
  audienceContactIds,
  closeExpiredWaves,
  inviteContacts,
  loadWave,
  respondentBaseUrl,
  startWave,
} from './invitations.js';
import type { Survey, SurveyInput } from './survey.js';
import { createSurvey, surveyFromInput } from './survey-store.js';
import { nonceOf, tokenSecret, verifyToken } from './tokens.js';

let store: DuckDbStore;
const NOW = new Date('2026-05-04T09:00:00Z');

beforeAll(async () => {
  store = await openDuckDbStore(':memory:');
  await store.run(`INSERT INTO accounts (account_id, created_at, segment) VALUES
    ('acct-smb', '2026-01-01', 'smb'), ('acct-ent', '2026-01-01', 'enterprise')`);
  await store.run(`INSERT INTO contacts (contact_id, kind, email, account_id, team, unsubscribed_at) VALUES
    ('smb-1', 'customer', 's1@x.example', 'acct-smb', NULL, NULL),
    ('smb-gone', 'customer', 's2@x.example', 'acct-smb', NULL, '2026-02-01'),
    ('ent-1', 'customer', 'e1@x.example', 'acct-ent', NULL, NULL),
    ('dev-1', 'employee', 'd1@x.example', NULL, 'dev', NULL),
    ('dev-2', 'employee', 'd2@x.example', NULL, 'dev', NULL),
    ('ops-1', 'employee', 'o1@x.example', NULL, 'ops', NULL)`);
  await setFatigueDays(store, { nps: 0, enps: 0 });
});
afterAll(() => store.close());

async function survey(input: Partial<SurveyInput> & Pick<SurveyInput, 'template'>): Promise<Survey> {
  const full = {
    name: 't',
    default_locale: 'en',
    channels: ['link', 'email'],
    audience_filter: {},
    status: 'active',
  };
  const reminders = { count: 0, after_days: [] };
  return createSurvey(store, surveyFromInput({ ...full, reminders, ...input } as SurveyInput, null, NOW));
}

describe('audienceContactIds', () => {
  it('customers: every subscribed customer contact, narrowed by segments and account ids', async () => {
    expect(await audienceContactIds(store, await survey({ template: 'nps' }))).toEqual(['ent-1', 'smb-1']);
    const smb = await survey({ template: 'nps', audience_filter: { segments: ['smb'] } });
    expect(await audienceContactIds(store, smb)).toEqual(['smb-1']);
    const both = await survey({
      template: 'nps',
      audience_filter: { segments: ['smb'], account_ids: ['acct-ent'] },
    });
    expect(await audienceContactIds(store, both)).toEqual([]);
  });

  it('employees: every employee contact, or those of the teams given', async () => {
    expect(await audienceContactIds(store, await survey({ template: 'enps' }))).toEqual([
      'dev-1',
      'dev-2',
      'ops-1',
    ]);
    const ops = await survey({ template: 'enps', audience_filter: { teams: ['ops'] } });
    expect(await audienceContactIds(store, ops)).toEqual(['ops-1']);
  });
});

describe('startWave', () => {
  it('gives anonymous surveys a token key, others none; a scheduled wave starts once', async () => {
    const nps = await survey({ template: 'nps' });
    const at = new Date('2026-05-01T09:00:00Z');
    const first = await startWave(store, nps, at, NOW);
    expect(first.token_key).toBeNull();
    expect((await startWave(store, nps, at, new Date(NOW.getTime() + 60_000))).wave_id).toBe(first.wave_id);
    const enps = await survey({ template: 'enps' });
    expect((await startWave(store, enps, null, NOW)).token_key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('closeExpiredWaves erases the key of waves past their close only', async () => {
    const enps = await survey({ template: 'enps' });
    const past = await startWave(store, enps, null, NOW, new Date(NOW.getTime() - 1));
    const open = await startWave(store, enps, null, NOW, new Date(NOW.getTime() + 86_400_000));
    await closeExpiredWaves(store, NOW);
    expect((await loadWave(store, past.wave_id))?.token_key).toBeNull();
    expect((await loadWave(store, open.wave_id))?.token_key).toBe(open.token_key);
  });
});

describe('inviteContacts', () => {
  it('sends links at once and e-mails later, keeps the context, and says why the others were not asked', async () => {
    const nps = await survey({ template: 'nps' });
    const byLink = await inviteContacts(store, nps, {
      contactIds: ['smb-1', 'smb-gone', 'nobody'],
      channel: 'link',
      waveId: null,
      context: { ticket_id: 'T-42' },
      now: NOW,
    });
    expect(byLink.invited.map((i) => i.contact_id)).toEqual(['smb-1']);
    expect(byLink.notAsked.map((d) => [d.contact_id, d.asked])).toEqual([
      ['smb-gone', false],
      ['nobody', false],
    ]);
    const secret = (await tokenSecret(store))!;
    expect(verifyToken(secret, byLink.invited[0]!.token)).toEqual({
      kind: 'personal',
      invitationId: byLink.invited[0]!.invitation_id,
    });
    const byMail = await inviteContacts(store, nps, {
      contactIds: ['ent-1'],
      channel: 'email',
      waveId: null,
      now: NOW,
    });
    const rows = await store.query(
      'SELECT contact_id, channel, sent_at, context FROM survey_invitations WHERE survey_id = $1 ORDER BY contact_id',
      [nps.survey_id],
    );
    expect(rows).toEqual([
      { contact_id: 'ent-1', channel: 'email', sent_at: null, context: null },
      { contact_id: 'smb-1', channel: 'link', sent_at: NOW, context: '{"ticket_id":"T-42"}' },
    ]);
    expect(byMail.invited).toHaveLength(1);
  });

  it('gives anonymous invitees wave tokens (no invitation id in them) and needs an open wave', async () => {
    const enps = await survey({ template: 'enps' });
    await expect(
      inviteContacts(store, enps, { contactIds: ['dev-1'], channel: 'link', waveId: null, now: NOW }),
    ).rejects.toThrow(/open wave/);
    const wave = await startWave(store, enps, null, NOW);
    const { invited } = await inviteContacts(store, enps, {
      contactIds: ['dev-1', 'ops-1'],
      channel: 'link',
      waveId: wave.wave_id,
      now: NOW,
    });
    const secret = (await tokenSecret(store))!;
    for (const { token, invitation_id } of invited) {
      expect(verifyToken(secret, token)).toEqual({ kind: 'anonymous', waveId: wave.wave_id });
      expect(token).not.toContain(invitation_id);
    }
    // While the wave is open its key finds each token's team (and only the team is kept with an answer).
    expect(await anonymousTeam(store, wave, nonceOf(invited[0]!.token))).toBe('dev');
    expect(await anonymousTeam(store, wave, nonceOf(invited[1]!.token))).toBe('ops');
    expect(await anonymousTeam(store, { ...wave, wave_id: 'wav_closed', token_key: null }, 'x')).toBeNull();
  });
});

it('respondentBaseUrl is the workspace’s page root', () => {
  expect(respondentBaseUrl('https://cs.acme.example/', 'acme')).toBe('https://cs.acme.example/s/acme');
});
