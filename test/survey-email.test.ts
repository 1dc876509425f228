// Survey e-mails end to end against a real SMTP server (smtp-server on 127.0.0.1): the invitation in the contact's
// language with the first question's scale as links; opening a link records nothing, confirming does; a replayed
// or altered token changes nothing; reminders go only to those who have not answered, at most `count` times.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub, type WorkspaceRuntime } from '../src/server/hub.js';
import type { Store } from '../src/store/store.js';
import { setFatigueDays } from '../src/surveys/fatigue.js';
import {
  type Invited,
  inviteContacts,
  respondentBaseUrl,
  sendInvitationEmails,
  sendReminders,
  startWave,
  type Wave,
} from '../src/surveys/invitations.js';
import { type Mailer, smtpMailer } from '../src/surveys/mailer.js';
import type { Survey } from '../src/surveys/survey.js';
import { requireSurvey } from '../src/surveys/survey-store.js';
import { type LocalSmtp, type ReceivedMail, startSmtpServer } from './support/smtp.js';

const ORIGIN = 'http://fidelio.test';
const DAY_MS = 86_400_000;
let hub: WorkspaceHub;
let app: FastifyInstance;
let runtime: WorkspaceRuntime;
let smtp: LocalSmtp;
let mailer: Mailer;
let auth: Record<string, string>;
const baseUrl = respondentBaseUrl(ORIGIN, 'mailco');

beforeAll(async () => {
  hub = await WorkspaceHub.open(':memory:');
  app = await buildApp({ hub });
  runtime = await hub.runtime(await hub.tenancy.createWorkspace('mailco'));
  auth = { authorization: `Bearer ${(await hub.tenancy.createKey('mailco', ['ingest', 'read'])).token}` };
  smtp = await startSmtpServer();
  mailer = smtpMailer(smtp.url);
  await job((store) => setFatigueDays(store, { nps: 0, enps: 0 }));
  await api('/api/v1/accounts', [{ account_id: 'a1', created_at: '2026-01-01T00:00:00Z', segment: 'smb' }]);
  await api('/api/v1/contacts', [
    {
      contact_id: 'giulia',
      kind: 'customer',
      email: 'giulia@a1.example',
      name: 'Giulia',
      account_id: 'a1',
      locale: 'it-IT',
    },
    {
      contact_id: 'lucie',
      kind: 'customer',
      email: 'lucie@a1.example',
      name: 'Lucie',
      account_id: 'a1',
      locale: 'fr',
    },
    { contact_id: 'sam', kind: 'customer', email: 'sam@a1.example', account_id: 'a1' },
    { contact_id: 'emp-1', kind: 'employee', email: 'one@mailco.example', team: 'ops' },
    { contact_id: 'emp-2', kind: 'employee', email: 'two@mailco.example', team: 'ops' },
  ]);
});
afterAll(async () => {
  mailer.close();
  await app.close();
  await hub.close();
  await smtp.close();
});

const job = <T>(work: (store: Store) => Promise<T>) => runtime.queue.submitJob(work, { touchesFacts: false });
const rows = (sql: string, params: unknown[] = []) => runtime.reader.query(sql, params);

async function api(url: string, payload: object) {
  const answer = await app.inject({ method: 'POST', url, headers: auth, payload });
  expect(answer.statusCode, answer.body).toBeLessThan(300);
  return answer.json();
}

async function newSurvey(body: object): Promise<Survey> {
  const { survey_id } = await api('/api/v1/surveys', { status: 'active', ...body });
  return job((store) => requireSurvey(store, survey_id));
}

/** Starts a wave of `survey`, invites `contactIds` by e-mail and sends the invitations. */
async function mailWave(
  survey: Survey,
  contactIds: string[],
  now: Date,
): Promise<{ wave: Wave; invited: Invited[] }> {
  return job(async (store) => {
    const wave = await startWave(store, survey, null, now);
    const { invited } = await inviteContacts(store, survey, {
      contactIds,
      channel: 'email',
      waveId: wave.wave_id,
      now,
    });
    await sendInvitationEmails(store, mailer, survey, invited, baseUrl, now);
    return { wave, invited };
  });
}

const mailTo = (address: string, from = 0) => smtp.received.slice(from).find((m) => m.to.includes(address))!;
/** Every link of a mail's HTML part, unescaped. */
const links = (mail: ReceivedMail) =>
  [...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
/** The path and query of one of our links, for app.inject. */
const local = (link: string) => link.slice(ORIGIN.length);

function form(fields: Record<string, string>) {
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  };
}

describe('a customer survey by e-mail', () => {
  let survey: Survey;
  let wave: Wave;
  let giulia: ReceivedMail;
  const sentAt = new Date();

  beforeAll(async () => {
    survey = await newSurvey({
      name: 'NPS by mail',
      template: 'nps',
      channels: ['email'],
      reminders: { count: 2, after_days: [3, 7] },
    });
    ({ wave } = await mailWave(survey, ['giulia', 'lucie', 'sam'], sentAt));
    await smtp.waitFor(3);
    giulia = mailTo('giulia@a1.example');
  });

  it('arrives in each contact’s language with the first question answerable from the e-mail', async () => {
    expect(giulia.subject).toBe('Una domanda veloce per te');
    expect(giulia.text).toContain('Ciao Giulia,');
    expect(giulia.text).toContain('Quanto è probabile che ci consiglieresti a un amico o a un collega?');
    const token = (
      await rows('SELECT invitation_id FROM survey_invitations WHERE contact_id = $1', ['giulia'])
    )[0]!.invitation_id as string;
    // One link per score of the NPS scale, 0 to 10, each opening the page with that score.
    const scores = links(giulia).filter((l) => l.includes('?score='));
    expect(scores).toHaveLength(11);
    expect(scores.map((l) => new URL(l).searchParams.get('score'))).toEqual(
      Array.from({ length: 11 }, (_, i) => String(i)),
    );
    expect(scores.every((l) => l.startsWith(`${baseUrl}/${token}.`))).toBe(true);
    expect(links(giulia)).toContain(scores[0]!.split('?')[0]);
    // mailparser reads List-Unsubscribe and List-Unsubscribe-Post into one "list" header.
    const list = giulia.headers.get('list') as {
      unsubscribe: { url: string };
      'unsubscribe-post': { name: string };
    };
    expect(list.unsubscribe.url).toBe(`${scores[0]!.split('?')[0]}/unsubscribe`);
    expect(list['unsubscribe-post'].name).toBe('List-Unsubscribe=One-Click');
    expect(giulia.text).toMatch(
      /Annulla l’iscrizione: http:\/\/fidelio\.test\/s\/mailco\/inv_\w+\.[\w-]+\/unsubscribe/,
    );

    expect(mailTo('lucie@a1.example').subject).toBe('Une petite question pour vous');
    // Sam has no locale: the survey's default language, English.
    const sam = mailTo('sam@a1.example');
    expect(sam.subject).toBe('A quick question for you');
    expect(sam.text).toMatch(/^Hello,\n/);
    const sent = await rows('SELECT sent_at, delivery_error FROM survey_invitations WHERE wave_id = $1', [
      wave.wave_id,
    ]);
    expect(sent).toEqual(Array(3).fill({ sent_at: new Date(sentAt.toISOString()), delivery_error: null }));
  });

  it('records nothing when a score link is opened (mail scanners fetch links); confirming records it', async () => {
    const seven = local(links(giulia).find((l) => l.endsWith('?score=7'))!);
    const page = await app.inject({ method: 'GET', url: seven });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="it">');
    expect(page.body).toMatch(/value="7" checked/);
    expect(page.body).toContain('>Conferma</button>');
    await job(async () => undefined);
    expect(await rows('SELECT * FROM survey_answers WHERE survey_id = $1', [survey.survey_id])).toHaveLength(
      0,
    );
    expect(await rows('SELECT * FROM responses')).toHaveLength(0);

    const path = seven.split('?')[0]!;
    const confirmed = await app.inject({
      method: 'POST',
      url: path,
      ...form({ question: 'score', score: '7' }),
    });
    expect(confirmed.statusCode).toBe(303);
    const responses = await rows('SELECT * FROM responses');
    expect(responses).toEqual([
      expect.objectContaining({
        metric: 'nps',
        score: 7,
        account_id: 'a1',
        respondent_id: 'giulia',
        locale: 'it',
      }),
    ]);
    const done = await app.inject({
      method: 'POST',
      url: path,
      ...form({ question: 'reason', reason: 'Ottimo' }),
    });
    expect(done.headers.location).toBe(`${path}?done=1`);
  });

  it('takes a replayed token as already answered, and changes nothing', async () => {
    const path = local(links(giulia).find((l) => l.endsWith('?score=0'))!).split('?')[0]!;
    const before = [await rows('SELECT * FROM survey_answers'), await rows('SELECT * FROM responses')];
    const replay = await app.inject({
      method: 'POST',
      url: path,
      ...form({ question: 'score', score: '0' }),
    });
    expect(replay.statusCode).toBe(409);
    expect(replay.body).toContain('Hai già risposto');
    expect([await rows('SELECT * FROM survey_answers'), await rows('SELECT * FROM responses')]).toEqual(
      before,
    );
  });

  it('refuses an altered or forged token with 404', async () => {
    const path = local(links(giulia).find((l) => l.endsWith('?score=9'))!).split('?')[0]!;
    const token = path.split('/').at(-1)!;
    const [invitation, mac] = token.split('.') as [string, string];
    const flipped = `${mac.slice(0, 5)}${mac[5] === 'x' ? 'y' : 'x'}${mac.slice(6)}`;
    // the invitation id is random hex: its last digit is replaced by a different one
    const otherInvitation = `${invitation.slice(0, -1)}${invitation.endsWith('0') ? '1' : '0'}`;
    for (const forged of [`${invitation}.${flipped}`, `${otherInvitation}.${mac}`, `${invitation}`]) {
      const answer = await app.inject({
        method: 'POST',
        url: `/s/mailco/${forged}`,
        ...form({ question: 'score', score: '0' }),
      });
      expect(answer.statusCode, forged).toBe(404);
    }
  });

  it('reminds only those who have not answered, when each reminder is due, at most `count` times', async () => {
    const at = (days: number) => new Date(sentAt.getTime() + days * DAY_MS);
    const remind = (now: Date) => job((store) => sendReminders(store, mailer, survey, wave, baseUrl, now));
    // after_days [3, 7]: nothing is due on day 2; on day 3 the first reminder goes to Lucie and Sam (Giulia has
    // answered); again on day 3 nothing (one per person per reminder); on day 7 the second; on day 30 none (count 2).
    const before = smtp.received.length;
    expect((await remind(at(2))).sent).toBe(0);
    expect((await remind(at(3))).sent).toBe(2);
    expect((await remind(at(3.5))).sent).toBe(0);
    expect((await remind(at(7))).sent).toBe(2);
    expect((await remind(at(30))).sent).toBe(0);
    await smtp.waitFor(before + 4);
    const reminders = smtp.received.slice(before);
    expect(reminders.map((m) => m.to[0]).sort()).toEqual([
      'lucie@a1.example',
      'lucie@a1.example',
      'sam@a1.example',
      'sam@a1.example',
    ]);
    expect(mailTo('lucie@a1.example', before).subject).toBe('Rappel : une petite question pour vous');
    const counts = await rows(
      'SELECT contact_id, reminders_sent FROM survey_invitations WHERE wave_id = $1 ORDER BY contact_id',
      [wave.wave_id],
    );
    expect(counts).toEqual([
      { contact_id: 'giulia', reminders_sent: 0 },
      { contact_id: 'lucie', reminders_sent: 2 },
      { contact_id: 'sam', reminders_sent: 2 },
    ]);
  });

  it('records why an e-mail was refused, and leaves it unsent', async () => {
    const refusing = await startSmtpServer({ refuse: true });
    const refusedMailer = smtpMailer(refusing.url);
    try {
      const other = await newSurvey({ name: 'Refused', template: 'nps', channels: ['email'] });
      const delivery = await job(async (store) => {
        const { invited } = await inviteContacts(store, other, {
          contactIds: ['sam'],
          channel: 'email',
          waveId: null,
          now: new Date(),
        });
        return sendInvitationEmails(store, refusedMailer, other, invited, baseUrl, new Date());
      });
      expect(delivery.sent).toBe(0);
      expect(delivery.failed).toHaveLength(1);
      const [invitation] = await rows(
        'SELECT sent_at, delivery_error FROM survey_invitations WHERE survey_id = $1',
        [other.survey_id],
      );
      expect(invitation?.sent_at).toBeNull();
      expect(String(invitation?.delivery_error)).toMatch(/mailbox unavailable/);
    } finally {
      refusedMailer.close();
      await refusing.close();
    }
  });
});

describe('an anonymous employee survey by e-mail', () => {
  it('carries the language in its links and reminds every invitee, since no one knows who answered', async () => {
    const survey = await newSurvey({
      name: 'eNPS by mail',
      template: 'enps',
      channels: ['email'],
      default_locale: 'ms',
      reminders: { count: 1, after_days: [2] },
    });
    const sentAt = new Date();
    const before = smtp.received.length;
    const { wave } = await mailWave(survey, ['emp-1', 'emp-2'], sentAt);
    await smtp.waitFor(before + 2);
    const first = mailTo('one@mailco.example', before);
    // No locale on the contacts: the survey's default, Malay; the links say so, as the page cannot look it up.
    expect(first.subject).toBe('Satu soalan ringkas untuk anda');
    expect(first.text).toContain('Jawapan anda adalah tanpa nama');
    expect(first.headers.has('list')).toBe(false);
    const link = links(first).find((l) => l.endsWith('score=9'))!;
    expect(new URL(link).searchParams.get('lang')).toBe('ms');

    const path = local(link).split('?')[0]!;
    const answered = await app.inject({
      method: 'POST',
      url: `${path}?lang=ms`,
      ...form({ question: 'score', score: '9' }),
    });
    expect(answered.statusCode).toBe(303);
    const reminded = await job((store) =>
      sendReminders(store, mailer, survey, wave, baseUrl, new Date(sentAt.getTime() + 2 * DAY_MS)),
    );
    // Both invitees, the one who answered included; counted once on the wave.
    expect(reminded.sent).toBe(2);
    await smtp.waitFor(before + 4);
    const reminder = mailTo('one@mailco.example', before + 2);
    expect(reminder.text).toContain('Jika anda sudah menjawab, terima kasih');
    // The reminder's link is the same token: the answer already given is recognised.
    expect(links(reminder).find((l) => l.endsWith('score=9'))).toBe(link);
    expect(
      (await rows('SELECT reminders_sent FROM survey_waves WHERE wave_id = $1', [wave.wave_id]))[0],
    ).toEqual({
      reminders_sent: 1,
    });
  });
});
