// A survey e-mail answered in Debian's Chromium: the invitation reaches a real SMTP server, its score link opens
// the page with that score chosen, one click confirms, the follow-up question is answered and the thank-you page
// shows, in English and in Italian; and the first question answered with JavaScript switched off.
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub, type WorkspaceRuntime } from '../src/server/hub.js';
import type { Store } from '../src/store/store.js';
import { setFatigueDays } from '../src/surveys/fatigue.js';
import { inviteContacts, respondentBaseUrl, sendInvitationEmails } from '../src/surveys/invitations.js';
import { type Mailer, smtpMailer } from '../src/surveys/mailer.js';
import { RESPONDENT_STRINGS } from '../src/surveys/respondent/strings.js';
import type { Survey } from '../src/surveys/survey.js';
import { requireSurvey } from '../src/surveys/survey-store.js';
import { browserAvailable, launchChromium } from './support/browser.js';
import { type LocalSmtp, type ReceivedMail, startSmtpServer } from './support/smtp.js';

const RUN = browserAvailable();

let hub: WorkspaceHub;
let app: FastifyInstance;
let runtime: WorkspaceRuntime;
let smtp: LocalSmtp;
let mailer: Mailer;
let browser: Browser;
let origin: string;
let survey: Survey;

const job = <T>(work: (store: Store) => Promise<T>) => runtime.queue.submitJob(work, { touchesFacts: false });

beforeAll(async () => {
  if (!RUN) return;
  hub = await WorkspaceHub.open(':memory:');
  app = await buildApp({ hub });
  origin = await app.listen({ port: 0, host: '127.0.0.1' });
  runtime = await hub.runtime(await hub.tenancy.createWorkspace('browserco'));
  const { token } = await hub.tenancy.createKey('browserco', ['ingest', 'read']);
  const post = async (url: string, payload: object) => {
    const answer = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}` },
      payload,
    });
    expect(answer.statusCode, answer.body).toBeLessThan(300);
    return answer.json();
  };
  await post('/api/v1/accounts', [{ account_id: 'acct-1', created_at: '2026-01-01T00:00:00Z' }]);
  await post('/api/v1/contacts', [
    {
      contact_id: 'emma',
      kind: 'customer',
      email: 'emma@acct1.example',
      name: 'Emma',
      account_id: 'acct-1',
      locale: 'en',
    },
    {
      contact_id: 'marco',
      kind: 'customer',
      email: 'marco@acct1.example',
      name: 'Marco',
      account_id: 'acct-1',
      locale: 'it',
    },
    { contact_id: 'nojs', kind: 'customer', email: 'nojs@acct1.example', account_id: 'acct-1', locale: 'en' },
  ]);
  const { survey_id } = await post('/api/v1/surveys', {
    name: 'CSAT after support',
    template: 'csat',
    channels: ['email'],
    status: 'active',
  });
  survey = await job((store) => requireSurvey(store, survey_id));
  await job((store) => setFatigueDays(store, { csat: 0 }));
  smtp = await startSmtpServer();
  mailer = smtpMailer(smtp.url);
  await job(async (store) => {
    const now = new Date();
    const { invited } = await inviteContacts(store, survey, {
      contactIds: ['emma', 'marco', 'nojs'],
      channel: 'email',
      waveId: null,
      now,
    });
    await sendInvitationEmails(store, mailer, survey, invited, respondentBaseUrl(origin, 'browserco'), now);
  });
  await smtp.waitFor(3);
  browser = await launchChromium();
});
afterAll(async () => {
  if (!RUN) return;
  await browser.close();
  mailer.close();
  await smtp.close();
  await app.close();
  await hub.close();
});

const mailTo = (address: string): ReceivedMail => smtp.received.find((m) => m.to.includes(address))!;
/** The e-mail's link for `score` on the first question, as the mail program would open it. */
const scoreLink = (mail: ReceivedMail, score: number) =>
  [...mail.html.matchAll(/href="([^"]+)"/g)]
    .map((m) => m[1]!.replaceAll('&amp;', '&'))
    .find((link) => link.endsWith(`?score=${score}`))!;

const responseOf = async (contactId: string) =>
  (
    await runtime.reader.query(
      'SELECT metric, score, comment, locale FROM responses WHERE respondent_id = $1',
      [contactId],
    )
  )[0];

describe.skipIf(!RUN)('a survey e-mail answered in Chromium', () => {
  for (const { contact, address, locale, score, comment } of [
    { contact: 'emma', address: 'emma@acct1.example', locale: 'en', score: 4, comment: 'Quick and kind.' },
    { contact: 'marco', address: 'marco@acct1.example', locale: 'it', score: 2, comment: 'Troppo lento.' },
  ] as const) {
    it(`from the score link to the thank-you page, in ${locale === 'en' ? 'English' : 'Italian'}`, async () => {
      const words = RESPONDENT_STRINGS[locale];
      const mail = mailTo(address);
      expect(mail.subject).toBe(locale === 'en' ? 'A quick question for you' : 'Una domanda veloce per te');
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await page.goto(scoreLink(mail, score));
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      expect(await page.textContent('.progress p')).toBe(words.questionOf(1, 2));
      expect(await page.isChecked(`input[name="score"][value="${score}"]`)).toBe(true);
      // Opening the link recorded nothing.
      expect(await responseOf(contact)).toBeUndefined();
      await page.getByRole('button', { name: words.confirm }).click();
      await page.waitForSelector('textarea');
      expect(await page.textContent('.progress p')).toBe(words.questionOf(2, 2));
      expect(await responseOf(contact)).toEqual({ metric: 'csat', score, comment: null, locale });
      await page.fill('textarea', comment);
      await page.getByRole('button', { name: words.send }).click();
      await page.waitForSelector(`h1:has-text("${words.thanksTitle}")`);
      expect(await page.textContent('main p')).toBe(words.thanksBody);
      expect(await responseOf(contact)).toEqual({ metric: 'csat', score, comment, locale });
      // Back to the e-mail and another score: the answer was kept.
      await page.goto(scoreLink(mail, 5));
      expect(await page.textContent('h1')).toBe(words.alreadyTitle);
      expect(await responseOf(contact)).toEqual({ metric: 'csat', score, comment, locale });
      await context.close();
    });
  }

  it('takes the first question with JavaScript switched off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(scoreLink(mailTo('nojs@acct1.example'), 1).replace('?score=1', ''));
    // Playwright's stability checks need page scripts; without them the clicks are forced (plain mouse clicks).
    await page.click('label[for="q-score-2"]', { force: true });
    await page.click('button[type="submit"]', { force: true });
    await page.waitForSelector('textarea');
    expect(await responseOf('nojs')).toEqual({ metric: 'csat', score: 3, comment: null, locale: 'en' });
    await context.close();
  });
});
