// The survey pages of the dashboard in Debian's Chromium against the real server: an NPS survey created from
// its template in the UI (with the API's field problems shown beside the fields), activated, listed and sent;
// its results page equal to GET /api/v1/surveys/{id}/results once a detractor answered through their link; the
// follow-up that answer opened moved along in the UI and read back from the API; a viewer without create or edit
// controls. Screenshots of every survey page go to test-results/.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import italian from '../web/src/i18n/it.json' with { type: 'json' };
import { browserAvailable, launchChromium, logIn } from './support/browser.js';
import { requireBuiltCli } from './support/cli.js';
import { demoKey, demoStore } from './support/demo-store.js';
import { type ServerProcess, startServer, stopAllServers } from './support/server-process.js';

const RUN = browserAvailable();
const SHOTS = join(process.cwd(), 'test-results');
const PASSWORD = 'correct horse battery';
const SURVEY_NAME = 'Quarterly NPS (browser test)';
const COMMENT = 'Setup took far too long';

interface Suppressed {
  suppressed: true;
  reason: string;
}
type Count = number | Suppressed;
interface Results {
  sent: Count;
  opened: Count;
  answered: Count;
  response_rate: number | null | Suppressed;
  kpi: { metric: string; value: number | null; ci_low: number | null; ci_high: number | null } | null;
}
interface FollowUp {
  followup_id: string;
  survey_id: string;
  status: string;
  assignee: string | null;
  note: string | null;
}

let work: string;
let server: ServerProcess;
let key: string;
let browser: Browser;
let accountId: string;
/** The survey the first test creates; the later tests read it. */
let surveyId = '';

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const answer = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
  });
  if (!answer.ok) throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as T;
}

async function logInAs(email: string, width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width, height: 900 } });
  return { context, page: await logIn(context, server.url, email, PASSWORD) };
}

/** Loads a dashboard address (the session cookie stays) and waits for `ready`. */
async function open(page: Page, path: string, ready: string): Promise<void> {
  await page.goto(`${server.url}${path}`);
  await page.waitForSelector(ready);
}

const shown = (value: Count | number | null) =>
  value === null || typeof value === 'object' ? '' : String(value);

describe.skipIf(!RUN)('survey pages in Chromium', () => {
  beforeAll(async () => {
    requireBuiltCli();
    await mkdir(SHOTS, { recursive: true });
    work = await mkdtemp(join(tmpdir(), 'fidelio-dashboard-surveys-'));
    const db = await demoStore(work, {
      accounts: 60,
      seed: 7,
      people: [
        ['owner@example.com', 'owner'],
        ['viewer@example.com', 'viewer'],
      ],
      password: PASSWORD,
    });
    key = await demoKey(db, 'read,ingest');
    server = await startServer(db);
    accountId = (await api<{ items: { account_id: string }[] }>('/api/v1/accounts?limit=1')).items[0]!
      .account_id;
    await api('/api/v1/contacts', {
      method: 'POST',
      body: JSON.stringify(
        ['ana', 'bo'].map((name) => ({
          contact_id: `browser-${name}`,
          kind: 'customer',
          email: `${name}@customer.example`,
          name: `${name[0]!.toUpperCase()}${name.slice(1)} Tester`,
          account_id: accountId,
          locale: 'en',
        })),
      ),
    });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stopAllServers();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('creates an NPS survey from its template, shows the API’s field problems beside the fields, activates it and lists it', async () => {
    const { context, page } = await logInAs('owner@example.com');
    await open(page, '/surveys', '[data-page="surveys"][data-manage="true"]');
    await page.click('[data-control="new-survey"]');
    await page.waitForSelector('[data-page="survey-new"] [data-template-picker]');
    await page.check('[data-control="template"][value="nps"]');

    // The template's questions, in the language chosen to show them.
    await page.selectOption('[data-control="preview-locale"]', 'it');
    const firstQuestion = page.locator('[data-question-list] [data-question-id="score"] strong');
    await expect
      .poll(() => firstQuestion.innerText())
      .toBe('Quanto è probabile che ci consiglieresti a un amico o a un collega?');

    // No name: the server's problem for $.name appears beside the name field, which says it is invalid.
    await page.click('[data-control="save-draft"]');
    const nameField = page.locator('[data-control="name"]');
    await expect.poll(() => nameField.getAttribute('aria-invalid')).toBe('true');
    const problem = page.locator('.field:has([data-control="name"]) [data-field-error]');
    expect(await problem.innerText()).not.toBe('');
    expect(await nameField.getAttribute('aria-describedby')).toBe(await problem.getAttribute('id'));
    await page.screenshot({ path: join(SHOTS, 'dashboard-survey-new.png'), fullPage: true });

    await page.fill('[data-control="name"]', SURVEY_NAME);
    await page.check('[data-control="channel"][value="anonymous_link"]');
    await page.click('[data-control="activate"]');
    await page.waitForSelector('[data-page="survey"][data-status="active"]');
    surveyId = (await page.locator('[data-page="survey"]').getAttribute('data-survey-id'))!;

    const survey = await api<{
      name: string;
      template: string;
      status: string;
      channels: string[];
      public_id: string;
    }>(`/api/v1/surveys/${surveyId}`);
    expect(survey).toMatchObject({ name: SURVEY_NAME, template: 'nps', status: 'active' });
    expect(survey.channels).toEqual(['link', 'anonymous_link']);
    expect(await page.locator('[data-copy="link"] textarea').inputValue()).toBe(
      `${server.url}/s/default/a/${survey.public_id}`,
    );

    await page.click('[data-nav="surveys"]');
    const row = page.locator(`tr[data-survey-id="${surveyId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('active');
    expect(await row.locator('[data-template]').getAttribute('data-template')).toBe('nps');
    await context.close();
  }, 90_000);

  it('sends the survey from its page; the results equal GET /api/v1/surveys/{id}/results once a detractor answered', async () => {
    expect(surveyId).not.toBe('');
    const { context, page } = await logInAs('owner@example.com');
    await open(page, `/surveys/${surveyId}`, '[data-send-form]');
    await page.check('[data-control="send-chosen"]');
    // Ana is found by her e-mail in the audience's contacts; Bo is typed by id.
    await page.fill('[data-control="contact-q"]', 'ana@customer');
    await page.check('[data-contact-picker] [data-contact-id="browser-ana"]');
    await page.fill('[data-control="send-contact-ids"]', 'browser-bo');
    await page.click('[data-control="send"]');
    const sent = page.locator('[data-send-result]');
    await sent.waitFor();
    expect(await sent.getAttribute('data-invited')).toBe('2');
    const link = await page.locator('[data-invited-contact="browser-ana"] code').innerText();

    // Ana answers through her personal link: a detractor's 3, then why.
    const respondent = await context.newPage();
    await respondent.goto(link);
    await respondent.check('#q-score-3');
    await respondent.click('button[type="submit"]');
    await respondent.fill('#q-reason', COMMENT);
    await respondent.click('button[type="submit"]');
    await respondent.waitForURL(/done=1/);
    await respondent.close();

    await page.reload();
    await page.waitForSelector('[data-survey-result="answered"][data-value="1"]');
    const results = await api<Results>(`/api/v1/surveys/${surveyId}/results`);
    const tile = (name: string) =>
      page.locator(`[data-survey-results] [data-survey-result="${name}"]`).getAttribute('data-value');
    expect(await tile('sent')).toBe(shown(results.sent));
    expect(await tile('opened')).toBe(shown(results.opened));
    expect(await tile('answered')).toBe(shown(results.answered));
    expect(await tile('response_rate')).toBe(shown(results.response_rate as Count));
    const kpi = page.locator('[data-survey-results] [data-survey-result="kpi"][data-kpi="nps"]');
    expect(await kpi.getAttribute('data-value')).toBe(shown(results.kpi!.value));
    expect(await kpi.getAttribute('data-ci-low')).toBe(shown(results.kpi!.ci_low));
    expect(await kpi.getAttribute('data-ci-high')).toBe(shown(results.kpi!.ci_high));
    expect(results.answered).toBe(1);
    expect(results.kpi!.value).toBe(-100);
    await page.locator('[data-survey-comments] [data-comment]').filter({ hasText: COMMENT }).waitFor();
    expect(await page.locator('figure[data-chart="survey-distribution"]').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'dashboard-survey.png'), fullPage: true });

    // The list shows the same count.
    await page.click('[data-nav="surveys"]');
    await page.waitForSelector(
      `tr[data-survey-id="${surveyId}"] [data-survey-result="answered"][data-value="1"]`,
    );
    await page.screenshot({ path: join(SHOTS, 'dashboard-surveys.png'), fullPage: true });
    await context.close();
  }, 90_000);

  it('moves the detractor’s follow-up along in the page, and the API returns what was saved', async () => {
    const { context, page } = await logInAs('owner@example.com');
    const { items } = await api<{ items: FollowUp[] }>(`/api/v1/follow-ups?survey_id=${surveyId}`);
    expect(items).toHaveLength(1);
    const id = items[0]!.followup_id;
    await page.click('[data-nav="follow-ups"]');
    const item = page.locator(`[data-followup-id="${id}"]`);
    await item.waitFor();
    expect(await item.getAttribute('data-status')).toBe('open');
    await item.locator('[data-control="followup-status"]').selectOption('in_progress');
    await item.locator('[data-control="followup-assignee"]').fill('owner@example.com');
    await item.locator('[data-control="followup-note"]').fill('Called Ana; setup call booked.');
    await item.locator('[data-control="followup-save"]').click();
    await page.waitForSelector(`[data-followup-id="${id}"][data-status="in_progress"]`);

    const [saved] = (await api<{ items: FollowUp[] }>(`/api/v1/follow-ups?survey_id=${surveyId}`)).items;
    expect(saved).toMatchObject({
      followup_id: id,
      status: 'in_progress',
      assignee: 'owner@example.com',
      note: 'Called Ana; setup call booked.',
    });
    // The status filter reads the same from the server.
    await page.selectOption('[data-control="status"]', 'in_progress');
    await page.waitForSelector(`[data-followup-id="${id}"]`);
    await page.screenshot({ path: join(SHOTS, 'dashboard-follow-ups.png'), fullPage: true });

    await open(page, '/surveys/fatigue?contact_id=browser-ana', '[data-page="survey-fatigue"]');
    const decision = page.locator('tr[data-fatigue-contact="browser-ana"]');
    await decision.first().waitFor();
    expect(await decision.first().getAttribute('data-asked')).toBe('true');
    await page.screenshot({ path: join(SHOTS, 'dashboard-survey-fatigue.png'), fullPage: true });
    await context.close();
  }, 90_000);

  it('shows a viewer the surveys and follow-ups without create or edit controls', async () => {
    const { context, page } = await logInAs('viewer@example.com');
    await open(
      page,
      '/surveys',
      `[data-page="surveys"][data-manage="false"] tr[data-survey-id="${surveyId}"]`,
    );
    expect(await page.locator('[data-control="new-survey"]').count()).toBe(0);
    await open(page, `/surveys/${surveyId}`, '[data-page="survey"][data-manage="false"]');
    await page.waitForSelector('[data-survey-results] [data-survey-result="answered"]');
    expect(await page.locator('[data-status-actions], [data-send-form]').count()).toBe(0);
    await open(page, '/follow-ups', '[data-page="follow-ups"][data-manage="false"] [data-followup-id]');
    expect(await page.locator('[data-control^="followup-"]').count()).toBe(0);
    await open(page, '/surveys/new', '[data-page="survey-new"]');
    expect(await page.locator('[data-survey-form]').count()).toBe(0);
    // The server refuses the viewer too.
    const status = await page.evaluate(async (id) => {
      const session = await (await fetch('/api/v1/session')).json();
      const answer = await fetch(`/api/v1/surveys/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrf_token },
        body: JSON.stringify({ status: 'paused' }),
      });
      return answer.status;
    }, surveyId);
    expect(status).toBe(403);
    await context.close();
  }, 60_000);

  it('lays the survey pages out on a phone, and in Italian', async () => {
    const { context, page } = await logInAs('owner@example.com', 375);
    await page.selectOption('[data-language-switcher]', 'it');
    await open(page, `/surveys/${surveyId}`, '[data-survey-results] [data-survey-result="answered"]');
    expect(await page.locator('h2#survey-results').innerText()).toBe(italian.surveys.results.title);
    // Nothing is wider than the screen but the tables, which scroll inside their own region.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(SHOTS, 'dashboard-survey-phone-it.png'), fullPage: true });
    await open(page, '/surveys/new', '[data-template-picker]');
    await page.check('[data-control="template"][value="pulse"]');
    await page.click('[data-control="question-add"]');
    expect(await page.locator('[data-question-editor] [data-question-id]').count()).toBe(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(SHOTS, 'dashboard-survey-new-phone-it.png'), fullPage: true });
    await context.close();
  }, 60_000);
});
