// The in-product survey widget: its size budget; its public routes through app.inject (languages, 404s, 422
// naming the question, tokens, CORS and preflight, the per-IP rate limit); and the built widget in Chromium on a
// host page of another origin whose CSS would break it if styles leaked, against a real server process.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';
import { WIDGET_ANSWERS_PER_MINUTE } from '../src/server/routes/survey-widget.js';
import { browserAvailable, launchChromium } from './support/browser.js';
import { requireBuiltCli } from './support/cli.js';
import { type ServerProcess, startServer, stopAllServers } from './support/server-process.js';

const WEB_ROOT = join(process.cwd(), 'dist', 'web');
const WIDGET = join(WEB_ROOT, 'widget.js');
const SHOTS = join(process.cwd(), 'test-results');
const WORKSPACE = 'acme';
const ACCOUNT = 'acct-widget';
const CONTACT = 'ct-ana';

function requireBuiltWidget(): void {
  if (!existsSync(WIDGET))
    throw new Error(`${WIDGET} is missing: run \`npm run build\` before the widget tests`);
}

interface Seeded {
  key: string;
  /** Public ids: the active widget NPS survey, a draft one, and an active one without the widget channel. */
  nps: string;
  draft: string;
  linkOnly: string;
  /** A personal widget token of CONTACT (of ACCOUNT) for the NPS survey. */
  token: string;
}

/** A workspace with an account, its contact, three surveys and a personal token, through the API. */
async function seed(hub: WorkspaceHub, app: FastifyInstance): Promise<Seeded> {
  await hub.tenancy.createWorkspace(WORKSPACE);
  const { token: key } = await hub.tenancy.createKey(WORKSPACE, ['read', 'ingest', 'admin']);
  const post = async (url: string, payload: object) => {
    const answer = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${key}` },
      payload,
    });
    expect(answer.statusCode, answer.body).toBeLessThan(300);
    return answer.json();
  };
  await post('/api/v1/accounts', [{ account_id: ACCOUNT, created_at: '2025-01-01T00:00:00Z', name: 'Acme' }]);
  await post('/api/v1/contacts', [
    { contact_id: CONTACT, kind: 'customer', email: 'ana@example.com', account_id: ACCOUNT, locale: 'it' },
  ]);
  const survey = (body: object) => post('/api/v1/surveys', { template: 'nps', ...body });
  const nps = await survey({ name: 'In-app NPS', channels: ['widget'], status: 'active' });
  const draft = await survey({ name: 'Draft', channels: ['widget'] });
  const linkOnly = await survey({ name: 'Links only', channels: ['link'], status: 'active' });
  // The API trigger: the token is the last segment of the personal link, which the host application hands over.
  const sent = await post(`/api/v1/surveys/${nps.survey_id}/send`, {
    contact_ids: [CONTACT],
    channel: 'widget',
  });
  const token = String(sent.invited[0].link).split('/').pop()!;
  return { key, nps: nps.public_id, draft: draft.public_id, linkOnly: linkOnly.public_id, token };
}

describe('the widget script', () => {
  it('is at most 15 KB gzipped', () => {
    requireBuiltWidget();
    const gzipped = gzipSync(readFileSync(WIDGET)).length;
    process.stdout.write(`widget.js: ${gzipped} bytes gzipped\n`);
    expect(gzipped).toBeLessThanOrEqual(15_360);
  });
});

describe('the public widget routes', () => {
  let hub: WorkspaceHub;
  let app: FastifyInstance;
  let seeded: Seeded;
  let browsers = 0;
  const answers = (publicId: string) => `/api/public/${WORKSPACE}/surveys/${publicId}/answers`;
  /** Each request looks like another browser unless told otherwise (anonymous answers: one per browser a day). */
  const postAnswer = (publicId: string, payload: object, extra: Partial<InjectOptions> = {}) => {
    browsers += 1;
    return app.inject({
      method: 'POST',
      url: answers(publicId),
      headers: {
        origin: 'https://app.customer.example',
        'user-agent': `browser-${browsers}`,
        ...extra.headers,
      },
      payload,
      ...(extra.remoteAddress ? { remoteAddress: extra.remoteAddress } : {}),
    });
  };

  beforeAll(async () => {
    hub = await WorkspaceHub.open(':memory:');
    app = await buildApp({ hub, webRoot: WEB_ROOT });
    seeded = await seed(hub, app);
  });
  afterAll(async () => {
    await app?.close();
    await hub?.close();
  });

  it('serves widget.js as cacheable JavaScript any page may load', async () => {
    requireBuiltWidget();
    const answer = await app.inject({ method: 'GET', url: '/widget.js' });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('public, max-age=3600');
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    expect(answer.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(answer.body).toBe(await readFile(WIDGET, 'utf8'));
    const again = await app.inject({
      method: 'GET',
      url: '/widget.js',
      headers: { 'if-none-match': String(answer.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });

  it("gives the questions and the widget's words in the first language the survey speaks", async () => {
    const get = (lang?: string) =>
      app.inject({
        method: 'GET',
        url: `/api/public/${WORKSPACE}/surveys/${seeded.nps}`,
        query: lang ? { lang } : {},
        headers: { origin: 'https://app.customer.example' },
      });
    const italian = await get('it-IT,en');
    expect(italian.statusCode).toBe(200);
    expect(italian.headers['access-control-allow-origin']).toBe('*');
    expect(italian.headers['access-control-allow-credentials']).toBeUndefined();
    const body = italian.json();
    expect(body.survey).toBe(seeded.nps);
    expect(body.locale).toBe('it');
    expect(body.texts.next).toBe('Avanti');
    expect(body.questions[0]).toMatchObject({
      id: 'score',
      type: 'nps',
      required: true,
      min: 0,
      max: 10,
      text: 'Quanto è probabile che ci consiglieresti a un amico o a un collega?',
      low_label: 'Per niente probabile',
    });
    expect(body.questions[1]).toMatchObject({
      id: 'reason',
      type: 'text',
      required: false,
      max_length: 2000,
    });
    expect((await get('de-DE,fr-CA')).json().locale).toBe('fr');
    expect((await get('de')).json().locale).toBe('en');
    expect((await get()).json().texts.send).toBe('Send');
  });

  it('is 404 for a draft survey, a survey without the widget channel, and unknown surveys or workspaces', async () => {
    const urls = [
      `/api/public/${WORKSPACE}/surveys/${seeded.draft}`,
      `/api/public/${WORKSPACE}/surveys/${seeded.linkOnly}`,
      `/api/public/${WORKSPACE}/surveys/nope`,
      `/api/public/nowhere/surveys/${seeded.nps}`,
    ];
    for (const url of urls) {
      const answer = await app.inject({ method: 'GET', url });
      expect(answer.statusCode, url).toBe(404);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.json().code).toBe('unknown_survey');
      expect(answer.headers['access-control-allow-origin']).toBe('*');
    }
    const posted = await postAnswer(seeded.draft, { values: { score: 9 }, complete: false });
    expect(posted.statusCode).toBe(404);
  });

  it('records an anonymous answer question by question, continuing it by its id', async () => {
    const first = await postAnswer(seeded.nps, { values: { score: 8 }, complete: false, lang: 'fr' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['access-control-allow-origin']).toBe('*');
    const recorded = first.json();
    expect(recorded).toMatchObject({ status: 'recorded', completed: false, next_question: 'reason' });
    const last = await postAnswer(seeded.nps, {
      answer_id: recorded.answer_id,
      values: { reason: 'Rapide' },
      complete: true,
      lang: 'fr',
    });
    expect(last.json()).toMatchObject({ status: 'recorded', answer_id: recorded.answer_id, completed: true });
  });

  it('takes one anonymous answer per browser a day: a second one is told it has already answered', async () => {
    const browser = { headers: { 'user-agent': 'same-browser', 'accept-language': 'it-IT' } };
    const first = await postAnswer(seeded.nps, { values: { score: 6 }, complete: false }, browser);
    expect(first.json().status).toBe('recorded');
    const second = await postAnswer(seeded.nps, { values: { score: 10 }, complete: false }, browser);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({ status: 'already_answered' });
  });

  it('refuses bad values with a 422 problem naming the question', async () => {
    const answer = await postAnswer(seeded.nps, { values: { score: 11 }, complete: false });
    expect(answer.statusCode).toBe(422);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    const problem = answer.json();
    expect(problem.code).toBe('invalid_answer');
    expect(problem.errors).toEqual([expect.objectContaining({ path: '$.values.score' })]);
    const unknownField = await postAnswer(seeded.nps, { values: {}, complete: false, extra: 1 });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().errors).toEqual([expect.objectContaining({ path: '$.extra' })]);
  });

  it('refuses a token that is not a personal token of this survey, naming $.token', async () => {
    for (const token of ['garbage', `${seeded.token.split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAA`]) {
      const answer = await postAnswer(seeded.nps, { token, values: { score: 9 }, complete: false });
      expect(answer.statusCode).toBe(422);
      expect(answer.json().errors).toEqual([expect.objectContaining({ path: '$.token' })]);
    }
  });

  it('answers the preflight of a cross-origin answer without allowing credentials', async () => {
    const answer = await app.inject({
      method: 'OPTIONS',
      url: answers(seeded.nps),
      headers: {
        origin: 'https://app.customer.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(answer.statusCode).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    expect(answer.headers['access-control-allow-methods']).toBe('POST');
    expect(answer.headers['access-control-allow-headers']).toBe('content-type');
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('limits answers per IP address, with a readable 429', async () => {
    const from = { remoteAddress: '203.0.113.7' };
    for (let i = 0; i < WIDGET_ANSWERS_PER_MINUTE; i += 1) {
      const answer = await postAnswer(seeded.draft, { values: {}, complete: false }, from);
      expect(answer.statusCode).toBe(404);
    }
    const limited = await postAnswer(seeded.draft, { values: {}, complete: false }, from);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.headers['access-control-allow-origin']).toBe('*');
    expect(limited.json().code).toBe('rate_limited');
    // Another address is not affected.
    expect((await postAnswer(seeded.draft, { values: {}, complete: false })).statusCode).toBe(404);
  });

  it('documents the public routes in OpenAPI without security', () => {
    const paths = (app.swagger() as { paths: Record<string, Record<string, { security?: unknown[] }>> })
      .paths;
    expect(paths['/api/public/{workspace}/surveys/{publicId}']?.get?.security).toEqual([]);
    expect(paths['/api/public/{workspace}/surveys/{publicId}/answers']?.post?.security).toEqual([]);
  });
});

// ---- the built widget in Chromium ----

const RUN = browserAvailable();

interface ResponseItem {
  score: number;
  account_id: string | null;
  respondent_id: string | null;
  comment: string | null;
  locale: string | null;
}

describe.skipIf(!RUN)('the widget on a host page in Chromium', () => {
  let work: string;
  let server: ServerProcess;
  let host: Server;
  let hostUrl: string;
  let browser: Browser;
  let seeded: Seeded;

  /** The host page with the widget's script tag (attributes from the query string). */
  const hostPage = (template: string) =>
    createServer((request, reply) => {
      const query = new URL(request.url ?? '/', 'http://host').searchParams;
      const attributes = [
        `src="${server.url}/widget.js"`,
        `data-workspace="${WORKSPACE}"`,
        `data-survey="${query.get('survey') ?? seeded.nps}"`,
        ...(query.get('token') ? [`data-token="${query.get('token')}"`] : []),
        'async',
      ];
      // ?csp=1: a strict policy that allows Fidelio's script and API but no inline styles at all.
      const policy = `default-src 'self'; script-src ${server.url}; connect-src ${server.url}`;
      reply.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        ...(query.get('csp') ? { 'content-security-policy': policy } : {}),
      });
      reply.end(template.replace('<!-- widget -->', `<script ${attributes.join(' ')}></script>`));
    });

  async function responses(query: Record<string, string>): Promise<ResponseItem[]> {
    const answer = await fetch(`${server.url}/api/v1/responses?${new URLSearchParams(query)}`, {
      headers: { authorization: `Bearer ${seeded.key}` },
    });
    expect(answer.status).toBe(200);
    return ((await answer.json()) as { items: ResponseItem[] }).items;
  }

  /** Opens the host page in `context`; the widget's requests to the public API are counted. */
  async function open(context: BrowserContext, query = ''): Promise<{ page: Page; asked: () => number }> {
    const page = await context.newPage();
    let asked = 0;
    page.on('request', (request) => {
      if (request.url().includes('/api/public/')) asked += 1;
    });
    await page.goto(`${hostUrl}/${query}`, { waitUntil: 'load' });
    return { page, asked: () => asked };
  }

  /** Whether the widget stayed away: the page loaded (the async script has run) and it asked nothing. */
  async function expectAbsent(page: Page, asked: () => number): Promise<void> {
    await page.waitForLoadState('networkidle');
    expect(asked()).toBe(0);
    expect(await page.locator('fidelio-survey').count()).toBe(0);
  }

  beforeAll(async () => {
    requireBuiltCli();
    requireBuiltWidget();
    await mkdir(SHOTS, { recursive: true });
    work = await mkdtemp(join(tmpdir(), 'fidelio-widget-'));
    const db = join(work, 'widget.duckdb');
    const seedHub = await WorkspaceHub.open(db);
    const seedApp = await buildApp({ hub: seedHub });
    seeded = await seed(seedHub, seedApp);
    await seedApp.close();
    await seedHub.close();
    server = await startServer(db);
    host = hostPage(await readFile(join(process.cwd(), 'test/fixtures/widget-host/index.html'), 'utf8'));
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (host ? host.close(resolve) : resolve(undefined)));
    await stopAllServers();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('is answered in its shadow root, unharmed by the page styles and leaking none, into responses', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    const { page } = await open(context);
    const card = page.locator('fidelio-survey .card');
    await card.waitFor();
    expect(await card.getAttribute('role')).toBe('dialog');
    expect(await page.locator('fidelio-survey #t').innerText()).toBe('We would love your feedback');
    // The page's `* { color: red !important; font-size: 40px }`, `button { display: none }` and
    // `fidelio-survey { display: none }` do not reach the card; the card's h2 rule does not reach the page.
    const style = (selector: string, property: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((e, p) => getComputedStyle(e).getPropertyValue(p), property);
    expect(await style('fidelio-survey', 'display')).toBe('block');
    expect(await style('fidelio-survey h2', 'color')).toBe('rgb(27, 31, 36)');
    expect(await style('fidelio-survey h2', 'font-size')).toBe('15px');
    expect(await style('fidelio-survey button.go', 'display')).not.toBe('none');
    expect(await style('#host-heading', 'color')).toBe('rgb(255, 0, 0)');
    expect(await style('#host-heading', 'font-size')).toBe('40px');
    expect(await style('#host-heading', 'letter-spacing')).toBe('10px');
    // Every target is at least 44 × 44 px.
    for (const target of await page.locator('fidelio-survey .opt span, fidelio-survey button').all()) {
      const box = (await target.boundingBox())!;
      expect(box.width).toBeGreaterThanOrEqual(44);
      expect(box.height).toBeGreaterThanOrEqual(44);
    }
    await page.screenshot({ path: join(SHOTS, 'widget-host.png') });
    await page.setViewportSize({ width: 375, height: 700 });
    await page.screenshot({ path: join(SHOTS, 'widget-host-phone.png') });

    await page.locator('fidelio-survey .opt', { hasText: /^9$/ }).click();
    await page.locator('fidelio-survey button.go').click();
    const reason = page.locator('fidelio-survey textarea');
    await reason.waitFor();
    expect(await page.locator('fidelio-survey label.q').innerText()).toBe(
      'What is the main reason for your score?',
    );
    await reason.fill('The export saves me hours');
    await page.locator('fidelio-survey button.go').click();
    await page.locator('fidelio-survey .done').waitFor();
    expect(await page.locator('fidelio-survey .done').innerText()).toBe(
      'Thank you! Your answer has been recorded.',
    );
    await page.screenshot({ path: join(SHOTS, 'widget-host-thanks.png') });

    const rows = (await responses({ metric: 'nps' })).filter(
      (r) => r.comment === 'The export saves me hours',
    );
    expect(rows).toEqual([expect.objectContaining({ score: 9, account_id: null, locale: 'en' })]);
    await context.close();
  }, 60_000);

  it("keeps its styles under a page's strict Content-Security-Policy without 'unsafe-inline'", async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const { page } = await open(context, '?csp=1');
    await page.locator('fidelio-survey .card').waitFor();
    const style = (selector: string, property: string) =>
      page.locator(selector).evaluate((e, p) => getComputedStyle(e).getPropertyValue(p), property);
    expect(await style('fidelio-survey', 'position')).toBe('fixed');
    expect(await style('fidelio-survey h2', 'font-size')).toBe('15px');
    expect(await style('fidelio-survey button.go', 'background-color')).toBe('rgb(31, 79, 209)');
    await context.close();
  }, 60_000);

  it('tells another profile of the same browser, the same day, that it has already answered', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const { page } = await open(context);
    await page.locator('fidelio-survey .opt', { hasText: /^5$/ }).click();
    await page.locator('fidelio-survey button.go').click();
    const done = page.locator('fidelio-survey .done');
    await done.waitFor();
    expect(await done.innerText()).toBe('You have already answered this survey. Thank you!');
    expect((await responses({ metric: 'nps' })).filter((r) => r.score === 5)).toEqual([]);
    await context.close();
  }, 60_000);

  it('continues a partial answer after a reload, and does not come back once completed', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const { page } = await open(context);
    await page.locator('fidelio-survey .opt', { hasText: /^3$/ }).click();
    await page.locator('fidelio-survey button.go').click();
    await page.locator('fidelio-survey textarea').waitFor();
    await page.reload();
    const reason = page.locator('fidelio-survey textarea');
    await reason.waitFor();
    expect(await page.locator('fidelio-survey .step').innerText()).toBe('Question 2 sur 2');
    await reason.fill('Trop lent');
    await page.locator('fidelio-survey button.go').click();
    await page.locator('fidelio-survey .done').waitFor();

    const rows = (await responses({ metric: 'nps' })).filter((r) => r.comment === 'Trop lent');
    expect(rows).toEqual([expect.objectContaining({ score: 3, locale: 'fr' })]);
    const again = await open(context);
    await expectAbsent(again.page, again.asked);
    await context.close();
  }, 60_000);

  it('is closed with Escape and stays away after the dismissal', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const { page } = await open(context);
    await page.locator('fidelio-survey .card').waitFor();
    // Nothing on the page had focus, so the card took it: Escape reaches it at once.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('FIDELIO-SURVEY');
    await page.keyboard.press('Escape');
    expect(await page.locator('fidelio-survey').count()).toBe(0);
    const again = await open(context);
    await expectAbsent(again.page, again.asked);
    await context.close();
  }, 60_000);

  it("records a personal token's account and contact, answered by keyboard in the contact's language", async () => {
    const context = await browser.newContext({ locale: 'it-IT' });
    const { page } = await open(context, `?token=${encodeURIComponent(seeded.token)}`);
    await page.locator('fidelio-survey .card').waitFor();
    expect(await page.locator('fidelio-survey #t').innerText()).toBe('La tua opinione ci interessa');
    // Tab: the close button, then the scale; the arrows choose 10; the focused tile shows a visible outline.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    for (let i = 0; i < 10; i += 1) await page.keyboard.press('ArrowRight');
    const focusedTile = page.locator('fidelio-survey .opt input:focus + span');
    expect(await focusedTile.innerText()).toBe('10');
    expect(await focusedTile.evaluate((e) => getComputedStyle(e).outlineStyle)).toBe('solid');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    // Focus follows to the next question: typing goes into the reason.
    await page.locator('fidelio-survey textarea').waitFor();
    await page.keyboard.type('Ottimo supporto');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const done = page.locator('fidelio-survey .done');
    await done.waitFor();
    expect(await done.innerText()).toBe('Grazie! La tua risposta è stata registrata.');
    expect(
      await done.evaluate(
        (e) => e.getRootNode() instanceof ShadowRoot && (e.getRootNode() as ShadowRoot).activeElement === e,
      ),
    ).toBe(true);

    const rows = await responses({ account_id: ACCOUNT });
    expect(rows).toEqual([
      expect.objectContaining({
        score: 10,
        account_id: ACCOUNT,
        respondent_id: CONTACT,
        comment: 'Ottimo supporto',
      }),
    ]);
    await context.close();
  }, 60_000);
});
