// The dashboard in Debian's Chromium against the real server on a small demo store: login, tiles equal the
// API's report, the segment filter, a drill-down, the language switch, a hostile comment shown as text, and a
// viewer kept from admin actions. Screenshots of every page go to test-results/.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import italian from '../web/src/i18n/it.json' with { type: 'json' };
import { browserAvailable, launchChromium } from './support/browser.js';
import { requireBuiltCli } from './support/cli.js';
import { demoKey, demoStore } from './support/demo-store.js';
import { type ServerProcess, startServer, stopAllServers } from './support/server-process.js';

const RUN = browserAvailable();
const SHOTS = join(process.cwd(), 'test-results');
const PASSWORD = 'correct horse battery';
const HOSTILE = '<img src=x onerror=alert(1)>';
const RANGE = { period: 'month', from: '2024-07-01', to: '2025-07-01' };

interface Tile {
  kpi: string;
  value: string;
  start: string;
  segment: string;
}
interface ReportRow {
  start: string;
  segment: string | null;
  kpis: Record<string, number | null>;
}

let work: string;
let server: ServerProcess;
let key: string;
let browser: Browser;
const dialogs: string[] = [];

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const answer = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
  });
  if (!answer.ok) throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as T;
}

async function logIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(server.url);
  try {
    await page.waitForSelector('#login-email', { timeout: 30_000 });
  } catch (error) {
    await page.screenshot({ path: join(SHOTS, 'dashboard-login-failure.png'), fullPage: true });
    throw error;
  }
  await page.fill('#login-email', email);
  await page.fill('#login-password', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-page="overview"]');
  return { context, page };
}

async function tilesOf(page: Page): Promise<Tile[]> {
  return page.$$eval('[data-page="overview"] article[data-kpi]', (elements) =>
    elements.map((e) => ({
      kpi: e.getAttribute('data-kpi') ?? '',
      value: e.getAttribute('data-value') ?? '',
      start: e.getAttribute('data-period-start') ?? '',
      segment: e.getAttribute('data-segment') ?? '',
    })),
  );
}

/** What a tile must show: the report's unrounded number for its period and segment, '' for null. */
function expectTilesMatch(tiles: Tile[], rows: ReportRow[]): void {
  expect(tiles.length).toBeGreaterThan(30);
  for (const tile of tiles) {
    const row = rows.find((r) => r.start === tile.start && (r.segment ?? '') === tile.segment);
    expect(row, `${tile.kpi} ${tile.start} ${tile.segment}`).toBeDefined();
    const expected = row!.kpis[tile.kpi];
    expect(tile.value, tile.kpi).toBe(expected === null || expected === undefined ? '' : String(expected));
  }
}

describe.skipIf(!RUN)('dashboard in Chromium', () => {
  beforeAll(async () => {
    requireBuiltCli();
    await mkdir(SHOTS, { recursive: true });
    work = await mkdtemp(join(tmpdir(), 'fidelio-dashboard-'));
    const db = await demoStore(work, {
      accounts: 400,
      seed: 5,
      people: [
        ['owner@example.com', 'owner'],
        ['viewer@example.com', 'viewer'],
      ],
      password: PASSWORD,
    });
    key = await demoKey(db, 'read,ingest');
    server = await startServer(db);
    const [account] = (await api<{ items: { account_id: string }[] }>('/api/v1/accounts?limit=1')).items;
    await api('/api/v1/responses', {
      method: 'POST',
      body: JSON.stringify([
        {
          response_id: 'hostile-1',
          submitted_at: '2025-05-10T10:00:00Z',
          metric: 'nps',
          score: 2,
          account_id: account!.account_id,
          comment: HOSTILE,
        },
      ]),
    });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stopAllServers();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('logs in and shows tiles equal to GET /api/v1/report; the segment filter changes them to that segment', async () => {
    const { context, page } = await logIn('owner@example.com');
    await page.goto(`${server.url}/?${new URLSearchParams(RANGE)}`);
    await page.waitForSelector('article[data-kpi="mrr"][data-period-start]');
    const report = await api<{ rows: ReportRow[] }>(
      `/api/v1/report?${new URLSearchParams({ ...RANGE, segment_by: 'segment' })}`,
    );
    const total = await tilesOf(page);
    expect(total.every((t) => t.segment === '')).toBe(true);
    expectTilesMatch(total, report.rows);
    await page.screenshot({ path: join(SHOTS, 'dashboard-overview.png'), fullPage: true });

    const segment = report.rows.find((r) => r.segment !== null)!.segment!;
    await page.selectOption('select[id$="-segment"]', segment);
    await page.waitForSelector(`article[data-kpi="mrr"][data-segment="${segment}"]`);
    const segmented = await tilesOf(page);
    expectTilesMatch(segmented, report.rows);
    const mrr = (tiles: Tile[]) => tiles.find((t) => t.kpi === 'mrr')!.value;
    expect(Number(mrr(segmented))).toBeLessThan(Number(mrr(total)));
    await context.close();
  }, 60_000);

  it('drills from a tile to the rows that make its number', async () => {
    const { context, page } = await logIn('owner@example.com');
    await page.goto(`${server.url}/?${new URLSearchParams(RANGE)}`);
    const tile = page.locator('article[data-kpi="active_customers"]');
    const value = await tile.getAttribute('data-value');
    await tile.locator('[data-drill="active_customers"]').click();
    await page.waitForSelector('[data-page="drilldown"] [data-total]');
    // active_customers counts accounts; the drill-down lists exactly those accounts.
    expect(await page.locator('[data-total]').getAttribute('data-total')).toBe(value);
    await page.screenshot({ path: join(SHOTS, 'dashboard-drilldown.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('switches the interface language and remembers the choice', async () => {
    const { context, page } = await logIn('owner@example.com');
    await page.selectOption('[data-language-switcher]', 'it');
    await expect.poll(() => page.locator('nav').innerText()).toContain(italian.nav.overview);
    // The choice outlives a reload (English is the context's browser language).
    await page.reload();
    await expect.poll(() => page.locator('nav').innerText()).toContain(italian.nav.overview);
    expect(await page.locator('html').getAttribute('lang')).toBe('it');
    await page.screenshot({ path: join(SHOTS, 'dashboard-overview-it.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('shows a hostile comment as text and runs nothing', async () => {
    const { context, page } = await logIn('owner@example.com');
    await page.goto(`${server.url}/satisfaction?period=month&from=2025-05-01&to=2025-06-01`);
    await page.fill('[data-control="comment-q"]', 'onerror');
    const comment = page.locator('[data-response-id="hostile-1"] [data-comment]');
    await comment.waitFor();
    expect(await comment.innerText()).toBe(HOSTILE);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'dashboard-satisfaction.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('keeps a viewer from admin actions, in the page and at the API', async () => {
    const { context, page } = await logIn('viewer@example.com');
    await page.goto(`${server.url}/targets`);
    // The page says whom it serves once the session and catalogue have loaded.
    await page.waitForSelector('[data-page="targets"][data-admin]');
    expect(await page.locator('[data-page="targets"]').getAttribute('data-admin')).toBe('false');
    expect(await page.locator('[data-target-form]').count()).toBe(0);
    const status = await page.evaluate(async () => {
      const session = await (await fetch('/api/v1/session')).json();
      const answer = await fetch('/api/v1/targets/mrr', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrf_token },
        body: JSON.stringify({ op: '>=', value: 1 }),
      });
      return answer.status;
    });
    expect(status).toBe(403);
    await context.close();
  }, 60_000);

  it('renders every page (screenshots in test-results/)', async () => {
    const visitor = await browser.newContext({ locale: 'en-US' });
    const login = await visitor.newPage();
    await login.goto(server.url);
    await login.waitForSelector('[data-page="login"] #login-email');
    await login.screenshot({ path: join(SHOTS, 'dashboard-login.png'), fullPage: true });
    await visitor.close();
    const { context, page } = await logIn('owner@example.com');
    const [account] = (await api<{ items: { account_id: string }[] }>('/api/v1/accounts?limit=1')).items;
    const pages: [string, string][] = [
      ['revenue', '/revenue'],
      ['retention', '/retention'],
      ['accounts', '/accounts'],
      ['account', `/accounts/${encodeURIComponent(account!.account_id)}`],
      ['employees', '/employees'],
      ['targets', '/targets'],
    ];
    for (const [name, path] of pages) {
      await page.goto(`${server.url}${path}`);
      await page.waitForSelector(`[data-page="${name}"]`);
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: join(SHOTS, `dashboard-${name}.png`), fullPage: true });
    }
    // The account page's usage card sums the API's weekly usage of the same account.
    const detail = await api<{ usage: { weeks: { events: number }[] } }>(
      `/api/v1/accounts/${encodeURIComponent(account!.account_id)}`,
    );
    await page.goto(`${server.url}/accounts/${encodeURIComponent(account!.account_id)}`);
    const usage = page.locator('[data-usage-total]');
    await usage.waitFor();
    expect(await usage.getAttribute('data-usage-total')).toBe(
      String(detail.usage.weeks.reduce((sum, w) => sum + w.events, 0)),
    );
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${server.url}/`);
    await page.waitForSelector('article[data-kpi="mrr"]');
    await page.screenshot({ path: join(SHOTS, 'dashboard-overview-phone.png'), fullPage: true });
    await context.close();
  }, 120_000);
});
