// Sending surveys: POST /api/v1/surveys/:id/send (personal links, queued e-mails, anonymous waves) and the
// server's survey clock, which starts scheduled waves and hands queued e-mails to a real local SMTP server.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';
import { SurveyWorker } from '../src/server/survey-worker.js';
import { smtpMailer } from '../src/surveys/mailer.js';
import { type LocalSmtp, startSmtpServer } from './support/smtp.js';

let hub: WorkspaceHub;
let app: FastifyInstance;
let smtp: LocalSmtp;
let worker: SurveyWorker;
const keys: Record<string, Record<string, string>> = {};
const PUBLIC_URL = 'https://surveys.acme.example';

beforeAll(async () => {
  hub = await WorkspaceHub.open(':memory:');
  app = await buildApp({ hub, publicUrl: PUBLIC_URL });
  smtp = await startSmtpServer();
  const mailer = smtpMailer(smtp.url);
  worker = new SurveyWorker({ hub, mailer, publicUrl: PUBLIC_URL, log: (m, e) => console.error(m, e) });
  for (const name of ['acme', 'sched']) {
    await hub.tenancy.createWorkspace(name);
    keys[name] = { authorization: `Bearer ${(await hub.tenancy.createKey(name, ['ingest', 'read'])).token}` };
    await post(name, '/api/v1/accounts', [
      { account_id: 'a1', created_at: '2026-01-01T00:00:00Z', segment: 'smb' },
      { account_id: 'a2', created_at: '2026-01-01T00:00:00Z', segment: 'ent' },
    ]);
    await post(name, '/api/v1/contacts', [
      { contact_id: 'c1', kind: 'customer', email: 'ann@a1.example', account_id: 'a1', locale: 'it' },
      { contact_id: 'c2', kind: 'customer', email: 'bea@a2.example', account_id: 'a2', locale: 'fr' },
      { contact_id: 'c3', kind: 'customer', account_id: 'a1' },
      ...['support', 'support', 'support', 'sales', 'sales', 'sales'].map((team, i) => ({
        contact_id: `e${i + 1}`,
        kind: 'employee',
        email: `e${i + 1}@acme.example`,
        team,
      })),
    ]);
  }
});
afterAll(async () => {
  await worker.stop();
  await app.close();
  await hub.close();
  await smtp.close();
});

async function post(workspace: string, url: string, payload: object, status = 200) {
  const response = await app.inject({ method: 'POST', url, headers: keys[workspace]!, payload });
  expect(response.statusCode, response.body).toBe(status);
  return response.json();
}

async function activeSurvey(workspace: string, body: object): Promise<string> {
  const { survey_id } = await post(workspace, '/api/v1/surveys', { status: 'active', ...body }, 201);
  return survey_id;
}

async function rows(workspace: string, sql: string) {
  const ws = (await hub.tenancy.listWorkspaces()).find((w) => w.name === workspace)!;
  return (await hub.runtime(ws)).reader.query(sql);
}

describe('POST /api/v1/surveys/:id/send', () => {
  test('personal links for the contacts the fatigue rules allow, with the reason for the others', async () => {
    const id = await activeSurvey('acme', { name: 'NPS', template: 'nps', channels: ['link', 'api'] });
    const sent = await post('acme', `/api/v1/surveys/${id}/send`, {
      contact_ids: ['c1', 'ghost'],
      channel: 'link',
    });
    expect(sent.invited).toHaveLength(1);
    expect(sent.invited[0].contact_id).toBe('c1');
    expect(sent.invited[0].link).toMatch(
      new RegExp(`^${PUBLIC_URL}/s/acme/${sent.invited[0].invitation_id}\\.`),
    );
    expect(sent.invited[0].link).toBe(`${PUBLIC_URL}/s/acme/${sent.invited[0].token}`);
    expect(sent.not_asked).toEqual([{ contact_id: 'ghost', reason: 'not asked: unknown contact' }]);
    expect(sent.emails_queued).toBe(0);

    // Asked a moment ago through a link: another survey through the API may not ask again (30-day default).
    const other = await activeSurvey('acme', { name: 'CSAT', template: 'csat', channels: ['api'] });
    const again = await post('acme', `/api/v1/surveys/${other}/send`, {
      contact_ids: ['c1'],
      channel: 'api',
    });
    expect(again.invited).toEqual([]);
    expect(again.not_asked[0].reason).toMatch(
      /^not asked: asked less than a day ago by "NPS" \(link\); the csat limit is 30 days$/,
    );
  });

  test('e-mails are queued, then the survey clock sends them in the contact’s language with a link', async () => {
    const id = await activeSurvey('acme', {
      name: 'Enterprise CES',
      template: 'ces',
      channels: ['email'],
      audience_filter: { segments: ['ent'] },
    });
    const before = smtp.received.length;
    const sent = await post('acme', `/api/v1/surveys/${id}/send`, { all: true, channel: 'email' });
    expect(sent.invited.map((i: { contact_id: string }) => i.contact_id)).toEqual(['c2']);
    expect(sent.emails_queued).toBe(1);
    expect(sent.wave_id).toMatch(/^wav_/);
    expect(smtp.received.length).toBe(before);
    // Sending again before the clock has sent the first e-mail asks nobody twice.
    const again = await post('acme', `/api/v1/surveys/${id}/send`, { all: true, channel: 'email' });
    expect(again.invited).toEqual([]);
    expect(again.not_asked[0].reason).toMatch(
      /^not asked: asked less than a day ago by "Enterprise CES" \(email\)/,
    );

    await worker.tick(new Date());
    const mail = (await smtp.waitFor(before + 1))[before]!;
    expect(mail.to).toEqual(['bea@a2.example']);
    // Bea's locale is fr: the CES question of src/surveys/templates.ts in French.
    expect(mail.text).toContain('Dans quelle mesure a-t-il été facile');
    expect(mail.html).toContain(`${PUBLIC_URL}/s/acme/${sent.invited[0].invitation_id}.`);
    const [invitation] = await rows(
      'acme',
      `SELECT sent_at FROM survey_invitations WHERE survey_id = '${id}'`,
    );
    expect(invitation?.sent_at).toBeInstanceOf(Date);

    await worker.tick(new Date());
    expect(smtp.received.length).toBe(before + 1);
  });

  test('an anonymous survey returns no links (they would tie people to answers) and e-mails every employee', async () => {
    const id = await activeSurvey('acme', { name: 'eNPS', template: 'enps', channels: ['email'] });
    const before = smtp.received.length;
    const sent = await post('acme', `/api/v1/surveys/${id}/send`, { all: true, channel: 'email' });
    expect(sent.invited).toHaveLength(6);
    expect(
      sent.invited.every((i: { link: string | null; token: string | null }) => !i.link && !i.token),
    ).toBe(true);
    await worker.tick(new Date());
    const mails = (await smtp.waitFor(before + 6)).slice(before);
    expect(mails.map((m) => m.to[0]).sort()).toEqual([1, 2, 3, 4, 5, 6].map((i) => `e${i}@acme.example`));
  });

  test.each([
    ['a draft survey', { status: 'draft' }, { contact_ids: ['c1'], channel: 'link' }, 409],
    ['a channel the survey does not use', {}, { contact_ids: ['c1'], channel: 'email' }, 422],
    ['both contact_ids and all', {}, { contact_ids: ['c1'], all: true, channel: 'link' }, 400],
    ['neither contact_ids nor all', {}, { channel: 'link' }, 400],
  ])('%s is refused', async (_, survey, body, status) => {
    const { survey_id } = await post(
      'acme',
      '/api/v1/surveys',
      { name: 'x', template: 'nps', channels: ['link'], status: 'active', ...survey },
      201,
    );
    await post('acme', `/api/v1/surveys/${survey_id}/send`, body, status);
  });
});

describe('the survey clock', () => {
  test('starts a monthly wave once, e-mails its audience, and the fatigue rule holds the next one', async () => {
    const id = await activeSurvey('sched', {
      name: 'Monthly NPS',
      template: 'nps',
      channels: ['email'],
      schedule: { frequency: 'monthly', day_of_month: 1, time: '09:00', starts_at: '2027-01-01T00:00:00Z' },
    });
    const waves = () => rows('sched', `SELECT scheduled_for FROM survey_waves WHERE survey_id = '${id}'`);
    const before = smtp.received.length;

    // 2027-03-15: the latest due instant is 1 March 09:00 UTC (January's and February's are not sent late).
    await worker.tick(new Date('2027-03-15T00:00:00Z'));
    expect((await waves()).map((w) => (w.scheduled_for as Date).toISOString())).toEqual([
      '2027-03-01T09:00:00.000Z',
    ]);
    const mails = (await smtp.waitFor(before + 2)).slice(before);
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['ann@a1.example', 'bea@a2.example']);
    const audit = await rows(
      'sched',
      `SELECT contact_id, reason FROM survey_fatigue_audit WHERE contact_id = 'c3'`,
    );
    expect(audit).toEqual([{ contact_id: 'c3', reason: 'not asked: no e-mail address' }]);

    await worker.tick(new Date('2027-03-15T00:01:00Z'));
    expect(await waves()).toHaveLength(1);

    // 1 April: a new wave, but everyone was asked 17 days ago (limit 30): no e-mail goes out.
    await worker.tick(new Date('2027-04-01T09:00:00Z'));
    expect(await waves()).toHaveLength(2);
    expect(smtp.received.length).toBe(before + 2);
  });
});
