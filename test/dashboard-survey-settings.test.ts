// The survey settings page of the dashboard in Debian's Chromium against the real server: an admin changes a
// fatigue limit (the server's problem shown beside the field first) and the API returns it; adds and removes a
// follow-up notice address; creates webhooks — a public-looking name (whose DNS answer in this sandbox decides
// whether it is created or refused with the server's reason beside the URL), a loopback URL refused with the
// server's reason, then the same URL of a local receiver with "allow private addresses" — sees the signing secret
// once (gone after a reload), receives a signed delivery after a detractor's answer and sees it in the deliveries
// table, deletes the webhook after a confirmation; a viewer and an analyst get the admins-only message; the page
// on a phone in Italian. Screenshots go to test-results/.
import { createHmac } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
const PUBLIC_URL = 'https://hooks.example.com/fidelio';
const RECIPIENT = 'cs-lead@example.com';

interface Webhook {
  webhook_id: string;
  url: string;
  events: string[];
  allow_private: boolean;
  created_at: string;
}
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let work: string;
let server: ServerProcess;
let key: string;
let browser: Browser;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
  });
}

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const answer = await call(path, init);
  if (!answer.ok) throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as T;
}

async function logInAs(email: string, width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width, height: 900 } });
  return { context, page: await logIn(context, server.url, email, PASSWORD) };
}

async function open(page: Page, path: string, ready: string): Promise<void> {
  await page.goto(`${server.url}${path}`);
  await page.waitForSelector(ready);
}

/** The id of the element that has keyboard focus, by its data-control. */
const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-control'));

describe.skipIf(!RUN)('survey settings in Chromium', () => {
  beforeAll(async () => {
    requireBuiltCli();
    await mkdir(SHOTS, { recursive: true });
    work = await mkdtemp(join(tmpdir(), 'fidelio-dashboard-survey-settings-'));
    const db = await demoStore(work, {
      accounts: 20,
      seed: 11,
      people: [
        ['owner@example.com', 'owner'],
        ['admin@example.com', 'admin'],
        ['analyst@example.com', 'analyst'],
        ['viewer@example.com', 'viewer'],
      ],
      password: PASSWORD,
    });
    key = await demoKey(db, 'read,ingest,admin');

    // A receiver on this machine: a loopback address, so only a webhook that allows private targets reaches it.
    receiver = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/fidelio-hook`;

    // The server's survey clock delivers webhooks; tick every second so a delivery is seen within the test.
    const tick = process.env.FIDELIO_SURVEY_TICK_MS;
    process.env.FIDELIO_SURVEY_TICK_MS = '1000';
    try {
      server = await startServer(db);
    } finally {
      if (tick === undefined) delete process.env.FIDELIO_SURVEY_TICK_MS;
      else process.env.FIDELIO_SURVEY_TICK_MS = tick;
    }
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stopAllServers();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('sets the NPS fatigue limit to 14 (the server’s problem with 400 shown beside the field first), and the API returns 14', async () => {
    const { context, page } = await logInAs('admin@example.com');
    await open(page, '/surveys', '[data-page="surveys"]');
    await page.click('[data-nav-settings]');
    await page.waitForSelector('[data-page="survey-settings"][data-admin="true"] [data-fatigue-form]');
    const before = await api<{ fatigue_days: Record<string, number> }>('/api/v1/survey-fatigue/settings');

    const nps = page.locator('[data-control="fatigue-days"][data-template="nps"]');
    expect(await nps.inputValue()).toBe(String(before.fatigue_days.nps));
    await nps.fill('400');
    await page.click('[data-control="fatigue-save"]');
    await expect.poll(() => nps.getAttribute('aria-invalid')).toBe('true');
    const problem = page.locator('[data-fatigue-template="nps"] [data-field-error]');
    expect(await problem.innerText()).toContain('365');
    expect(await nps.getAttribute('aria-describedby')).toContain((await problem.getAttribute('id'))!);
    expect(await page.locator('[data-fatigue-template="csat"] [data-field-error]').count()).toBe(0);
    await page.screenshot({
      path: join(SHOTS, 'dashboard-survey-settings-fatigue-problem.png'),
      fullPage: true,
    });

    await nps.fill('14');
    await page.click('[data-control="fatigue-save"]');
    await page.waitForSelector('[data-fatigue-saved="saved"]');
    expect(await nps.getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator('[data-fatigue-template="nps"]').getAttribute('data-days')).toBe('14');
    const after = await api<{ fatigue_days: Record<string, number> }>('/api/v1/survey-fatigue/settings');
    expect(after.fatigue_days).toEqual({ ...before.fatigue_days, nps: 14 });

    // The page reads it back after a reload too.
    await page.reload();
    await page.waitForSelector('[data-fatigue-form]');
    expect(await nps.inputValue()).toBe('14');
    await context.close();
  }, 90_000);

  it('adds follow-up notice addresses (the server’s problem with a bad one beside the field) and removes one', async () => {
    const { context, page } = await logInAs('admin@example.com');
    await open(page, '/surveys/settings', '[data-recipient-form]');
    const email = page.locator('[data-control="recipient-email"]');
    await email.fill('not-an-address');
    await page.click('[data-control="recipient-add"]');
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    const problem = page.locator('[data-recipient-form] [data-field-error]');
    expect((await problem.innerText()).toLowerCase()).toContain('email');
    expect((await api<{ recipients: string[] }>('/api/v1/follow-up-recipients')).recipients).toEqual([]);

    await email.fill(RECIPIENT);
    await page.click('[data-control="recipient-add"]');
    await page.waitForSelector(`[data-recipient="${RECIPIENT}"]`);
    expect(await email.inputValue()).toBe('');
    expect(await email.getAttribute('aria-invalid')).toBeNull();
    await email.fill('second@example.com');
    await email.press('Enter');
    await page.waitForSelector('[data-recipient="second@example.com"]');
    expect((await api<{ recipients: string[] }>('/api/v1/follow-up-recipients')).recipients).toEqual([
      RECIPIENT,
      'second@example.com',
    ]);

    await page.click('[data-recipient="second@example.com"] [data-control="recipient-remove"]');
    await page.waitForSelector('[data-recipient="second@example.com"]', { state: 'detached' });
    expect((await api<{ recipients: string[] }>('/api/v1/follow-up-recipients')).recipients).toEqual([
      RECIPIENT,
    ]);
    await context.close();
  }, 60_000);

  it('creates webhooks: refused URLs show the server’s reason beside the field; the secret is shown once; a signed delivery is listed; deleted after a confirmation', async () => {
    const { context, page } = await logInAs('owner@example.com');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await open(page, '/surveys/settings', '[data-webhook-form]');
    await page.waitForSelector('[data-settings-section="webhooks"] [data-empty]');
    const url = page.locator('[data-control="webhook-url"]');
    const urlProblem = page.locator(
      '[data-webhook-form] .field:has([data-control="webhook-url"]) [data-field-error]',
    );

    // A public-looking name: created where DNS resolves it to public addresses, else refused with the reason
    // (in a sandbox without DNS: "cannot resolve hooks.example.com (ENOTFOUND)").
    const probe = await call('/api/v1/webhooks', {
      method: 'POST',
      body: JSON.stringify({ url: PUBLIC_URL, events: ['followup.created'] }),
    });
    const probeBody = (await probe.json()) as Webhook & { errors?: { path: string; message: string }[] };
    if (probe.status === 201) {
      expect((await call(`/api/v1/webhooks/${probeBody.webhook_id}`, { method: 'DELETE' })).status).toBe(204);
    } else {
      expect(probe.status).toBe(422);
    }
    await url.fill(PUBLIC_URL);
    await page.click('[data-control="webhook-add"]');
    if (probe.status === 201) {
      await page.waitForSelector('[data-webhook-secret]');
      const publicId = (await page.locator('[data-webhook-secret]').getAttribute('data-webhook-secret'))!;
      await page.click('[data-control="webhook-secret-done"]');
      await page.click(`tr[data-webhook-id="${publicId}"] [data-control="webhook-delete"]`);
      await page.click(`tr[data-webhook-id="${publicId}"] [data-control="webhook-delete-confirm"]`);
      await page.waitForSelector(`tr[data-webhook-id="${publicId}"]`, { state: 'detached' });
    } else {
      await expect.poll(() => url.getAttribute('aria-invalid')).toBe('true');
      expect(await urlProblem.innerText()).toBe(probeBody.errors![0]!.message);
      expect(await focused(page)).toBe('webhook-url');
    }

    // Loopback without "allow private addresses": the server's reason beside the URL field.
    await url.fill(receiverUrl);
    await page.click('[data-control="webhook-add"]');
    await expect.poll(() => urlProblem.innerText()).toContain('127.0.0.1 is not a public address (loopback)');
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    expect(await url.getAttribute('aria-describedby')).toContain((await urlProblem.getAttribute('id'))!);
    expect(await page.locator('[data-webhook-form] [data-form-error="refused_webhook_url"]').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'dashboard-survey-settings-refused-url.png'), fullPage: true });
    expect(await api<Webhook[]>('/api/v1/webhooks')).toEqual([]);

    // Allowed: created, and its secret shown this once.
    await page.check('[data-control="webhook-allow-private"]');
    expect(await page.locator('[data-private-warning]').innerText()).toContain('169.254.169.254');
    await page.click('[data-control="webhook-add"]');
    const panel = page.locator('[data-webhook-secret]');
    await panel.waitFor();
    const webhookId = (await panel.getAttribute('data-webhook-secret'))!;
    const secret = await panel.locator('[data-copy="webhook-secret"] textarea').inputValue();
    expect(secret).toMatch(/^whsec_/);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H3');
    await page.click('[data-control="copy-webhook-secret"]');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    const row = page.locator(`tr[data-webhook-id="${webhookId}"]`);
    expect(await row.getAttribute('data-allow-private')).toBe('true');
    expect(await row.locator('[data-webhook-url]').innerText()).toBe(receiverUrl);
    await page.click('[data-signature-help] summary');
    await page.screenshot({ path: join(SHOTS, 'dashboard-survey-settings-secret.png'), fullPage: true });
    const listed = await api<Webhook[]>('/api/v1/webhooks');
    expect(listed).toEqual([
      {
        webhook_id: webhookId,
        url: receiverUrl,
        events: ['followup.created'],
        allow_private: true,
        created_at: expect.any(String),
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain(secret);

    // After a reload the secret is gone for good; the webhook stays.
    await page.reload();
    await row.waitFor();
    expect(await page.locator('[data-webhook-secret]').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    // A detractor's answer opens a follow-up, which is delivered to the receiver, signed with that secret.
    const account = (await api<{ items: { account_id: string }[] }>('/api/v1/accounts?limit=1')).items[0]!;
    await api('/api/v1/contacts', {
      method: 'POST',
      body: JSON.stringify([
        {
          contact_id: 'settings-dee',
          kind: 'customer',
          email: 'dee@customer.example',
          name: 'Dee Tester',
          account_id: account.account_id,
          locale: 'en',
        },
      ]),
    });
    const survey = await api<{ survey_id: string }>('/api/v1/surveys', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Settings test NPS',
        template: 'nps',
        audience: 'customers',
        default_locale: 'en',
        channels: ['link'],
        status: 'active',
      }),
    });
    const sent = await api<{ invited: { link: string }[] }>(`/api/v1/surveys/${survey.survey_id}/send`, {
      method: 'POST',
      body: JSON.stringify({ contact_ids: ['settings-dee'], channel: 'link' }),
    });
    const respondent = await context.newPage();
    await respondent.goto(sent.invited[0]!.link);
    await respondent.check('#q-score-2');
    await respondent.click('button[type="submit"]');
    await respondent.fill('#q-reason', 'Nothing works');
    await respondent.click('button[type="submit"]');
    await respondent.waitForURL(/done=1/);
    await respondent.close();

    await expect.poll(() => received.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    const delivery = received[0]!;
    expect(delivery.headers['fidelio-event']).toBe('followup.created');
    const signature = Object.fromEntries(
      String(delivery.headers['fidelio-signature'])
        .split(',')
        .map((part) => part.split('=', 2) as [string, string]),
    );
    expect(signature.v1).toBe(
      createHmac('sha256', secret).update(`${signature.t}.${delivery.body}`).digest('hex'),
    );
    expect(JSON.parse(delivery.body)).toMatchObject({
      type: 'followup.created',
      data: { followup: { survey_id: survey.survey_id, score: 2 } },
    });

    // The deliveries table shows it, as the API does.
    const toggle = row.locator('[data-control="webhook-deliveries"]');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const deliveries = page.locator(`[data-deliveries="${webhookId}"]`);
    const deliveredRow = deliveries.locator('tr[data-delivery-id][data-status="delivered"]');
    await expect
      .poll(
        async () => {
          if ((await deliveredRow.count()) > 0) return true;
          await deliveries.locator('[data-control="deliveries-refresh"]:not([disabled])').click();
          return false;
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    const fromApi = await api<{ items: { delivery_id: string; attempts: number; last_status: number }[] }>(
      `/api/v1/webhooks/${webhookId}/deliveries`,
    );
    expect(await deliveredRow.getAttribute('data-delivery-id')).toBe(fromApi.items[0]!.delivery_id);
    expect(await deliveredRow.locator('[data-attempts]').getAttribute('data-attempts')).toBe(
      String(fromApi.items[0]!.attempts),
    );
    expect(await deliveredRow.locator('[data-last-status]').getAttribute('data-last-status')).toBe('200');
    expect(fromApi.items[0]!.delivery_id).toBe(delivery.headers['fidelio-delivery']);
    await page.screenshot({ path: join(SHOTS, 'dashboard-survey-settings-deliveries.png'), fullPage: true });

    // Delete asks first; Escape goes back to the button, by keyboard throughout.
    await row.locator('[data-control="webhook-delete"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('webhook-delete-confirm');
    await page.keyboard.press('Escape');
    await expect.poll(() => focused(page)).toBe('webhook-delete');
    expect(await api<Webhook[]>('/api/v1/webhooks')).toHaveLength(1);
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('webhook-delete-confirm');
    await page.keyboard.press('Enter');
    await row.waitFor({ state: 'detached' });
    expect(await page.locator('[data-webhook-deleted]').innerText()).toContain(receiverUrl);
    expect(await page.locator(`[data-deliveries="${webhookId}"]`).count()).toBe(0);
    expect(await api<Webhook[]>('/api/v1/webhooks')).toEqual([]);
    expect((await call(`/api/v1/webhooks/${webhookId}/deliveries`)).status).toBe(404);
    await context.close();
  }, 120_000);

  it('tells a viewer and an analyst the page is for admins, without the link or any setting', async () => {
    for (const email of ['viewer@example.com', 'analyst@example.com']) {
      const { context, page } = await logInAs(email);
      await open(page, '/surveys', '[data-page="surveys"]');
      expect(await page.locator('[data-nav-settings]').count()).toBe(0);
      await open(page, '/surveys/settings', '[data-page="survey-settings"][data-admin="false"]');
      expect(await page.locator('[data-admins-only]').innerText()).toContain('admins');
      expect(await page.locator('[data-settings-section], input, [data-webhook-secret]').count()).toBe(0);
      if (email.startsWith('viewer')) {
        await page.screenshot({ path: join(SHOTS, 'dashboard-survey-settings-viewer.png'), fullPage: true });
      }
      await context.close();
    }
  }, 60_000);

  it('lays the page out on a phone, in Italian', async () => {
    const created = await api<Webhook>('/api/v1/webhooks', {
      method: 'POST',
      body: JSON.stringify({ url: receiverUrl, events: ['followup.created'], allow_private: true }),
    });
    const { context, page } = await logInAs('owner@example.com', 375);
    await page.selectOption('[data-language-switcher]', 'it');
    await open(page, '/surveys', '[data-page="surveys"] [data-nav-settings]');
    // Measured once the list's counts are in: while they load, their cells hold a visually hidden "Loading…"
    // that is positioned outside the table's scrolling region for a moment.
    await page.waitForSelector('tr[data-survey-id] [data-survey-result="answered"]');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.click('[data-nav-settings]');
    await page.waitForSelector('[data-fatigue-form]');
    await page.waitForSelector(`[data-recipient="${RECIPIENT}"]`);
    await page.click(`tr[data-webhook-id="${created.webhook_id}"] [data-control="webhook-deliveries"]`);
    await page.waitForSelector(`[data-deliveries="${created.webhook_id}"] [data-empty]`);
    expect(await page.locator('h1').innerText()).toBe(italian.surveySettings.title);
    expect(await page.locator('[data-settings-section="webhooks"] h2').innerText()).toBe(
      italian.surveySettings.webhooks.title,
    );
    // Nothing is wider than the screen but the tables, which scroll inside their own region.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(SHOTS, 'dashboard-survey-settings-phone-it.png'), fullPage: true });
    await context.close();
    expect((await call(`/api/v1/webhooks/${created.webhook_id}`, { method: 'DELETE' })).status).toBe(204);
  }, 60_000);
});
