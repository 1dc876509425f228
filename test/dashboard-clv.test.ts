// The predicted-value views in Debian's Chromium against the real server on a demo store: the CLV page
// (GET /api/v1/clv) shows the API's summary, calibration end and rows, sorts and pages like the API; an
// account's "Predicted value" panel shows GET /api/v1/accounts/{id}/clv; and a health model activated through
// the API appears on the account's health history (after the data's end, then as a mark once the data
// reaches the current month); after a write both say "Updating…" with the date of the fit shown (the API's
// stale answer). In Italian at phone width too. Screenshots: test-results/.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import italian from '../web/src/i18n/it.json' with { type: 'json' };
import { browserAvailable, launchChromium, logIn } from './support/browser.js';
import { fidelio, requireBuiltCli } from './support/cli.js';
import { demoKey, demoStore } from './support/demo-store.js';
import { getJson, type ServerProcess, startServer, stopAllServers } from './support/server-process.js';

const RUN = browserAvailable();
const SHOTS = join(process.cwd(), 'test-results');
const PASSWORD = 'correct horse battery';
const FIELDS = ['clv', 'p_alive', 'expected_purchases', 'expected_spend', 'frequency'] as const;
const STATS = ['accounts', 'total_clv', 'mean_clv', 'likely_lost_share', 'expected_purchases'] as const;

type Row = { account_id: string } & Record<(typeof FIELDS)[number], number | null>;
interface ClvList {
  calibration_end: string;
  summary: Record<(typeof STATS)[number], number | null>;
  items: Row[];
  total: number;
  next: string | null;
}
interface AccountClv {
  calibration_end: string;
  account: Row;
}

const text = (v: number | null) => (v === null ? '' : String(v));

let work: string;
let server: ServerProcess;
let key: string;
let writeKey: string;
let learned: string;
let browser: Browser;

describe.skipIf(!RUN)('the predicted-value views in Chromium', () => {
  beforeAll(async () => {
    requireBuiltCli();
    await mkdir(SHOTS, { recursive: true });
    work = await mkdtemp(join(tmpdir(), 'fidelio-dashboard-clv-'));
    const db = await demoStore(work, {
      accounts: 300,
      seed: 5,
      people: [['viewer@example.com', 'viewer']],
      password: PASSWORD,
    });
    key = await demoKey(db, 'read');
    writeKey = await demoKey(db, 'read,ingest,admin');
    const fit = await fidelio('health', 'fit', '--db', db, '--snapshot', '2025-01-01');
    expect(fit.code, fit.stderr).toBe(0);
    learned = (JSON.parse(fit.stdout) as { model_id: string }).model_id;
    server = await startServer(db);
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stopAllServers();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const get = <T>(path: string) => getJson<T>(server, key, path);

  async function send(path: string, body?: unknown): Promise<void> {
    const answer = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${writeKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(answer.status, await answer.text()).toBe(200);
  }

  const logInViewer = (context: BrowserContext) => logIn(context, server.url, 'viewer@example.com', PASSWORD);

  const tableRows = (page: Page) =>
    page
      .locator('table[data-clv-table] tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-account-id'),
          ...[...tr.querySelectorAll('td[data-field][data-value]')].map(
            (td) => `${td.getAttribute('data-field')}=${td.getAttribute('data-value')}`,
          ),
        ]),
      );
  const expectedRows = (items: Row[]) =>
    items.map((r) => [r.account_id, ...FIELDS.map((f) => `${f}=${text(r[f])}`)]);

  it('shows the API’s summary and accounts, sorts and pages like the API', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await logInViewer(context);
    await page.click('[data-nav="clv"]');
    await page.waitForSelector('main[data-page="clv"][data-ready="true"]', { timeout: 60_000 });
    const api = await get<ClvList>('/api/v1/clv?sort=-clv&limit=50');
    expect(await page.getAttribute('main', 'data-calibration-end')).toBe(api.calibration_end);
    const stats = await page
      .locator('[data-clv-summary] [data-stat]')
      .evaluateAll((tiles) => tiles.map((a) => [a.getAttribute('data-stat'), a.getAttribute('data-value')]));
    expect(stats).toEqual(STATS.map((s) => [s, text(api.summary[s])]));
    expect(await tableRows(page)).toEqual(expectedRows(api.items));
    expect(await page.getAttribute('[data-total]', 'data-total')).toBe(String(api.total));
    expect(await page.locator('figure[data-chart="clv-deciles"] svg').count()).toBe(1);
    expect(await page.locator('[data-clv-model] tr[data-model]').count()).toBe(2);
    await page.screenshot({ path: join(SHOTS, 'clv.png'), fullPage: true });

    // Sorted by P(alive), lowest first after two clicks, then the next page appended.
    await page.click('button[data-sort="p_alive"]');
    await page.waitForFunction(() => location.search.includes('sort=-p_alive'));
    await page.click('button[data-sort="p_alive"]');
    await page.waitForFunction(() => location.search.includes('sort=p_alive'));
    const first = await get<ClvList>('/api/v1/clv?sort=p_alive&limit=50');
    await expect.poll(() => tableRows(page), { timeout: 20_000 }).toEqual(expectedRows(first.items));
    expect(first.next).not.toBeNull();
    const second = await get<ClvList>(`/api/v1/clv?sort=p_alive&limit=50&cursor=${first.next}`);
    await page.click('.more button');
    await expect
      .poll(() => tableRows(page), { timeout: 20_000 })
      .toEqual(expectedRows([...first.items, ...second.items]));

    // A calibration end before most payments: too few repeat buyers, the page says so with the API's count.
    const early = await get<{ not_enough_data: { repeat_buyers: number } | null; model: unknown }>(
      '/api/v1/clv?calibration_end=2022-08-01&limit=50',
    );
    expect(early.model).toBeNull();
    await page.goto(`${server.url}/clv?calibration_end=2022-08-01`);
    await page.waitForSelector('main[data-page="clv"] [data-clv-not-enough]', { timeout: 60_000 });
    expect(await page.getAttribute('[data-clv-not-enough]', 'data-clv-not-enough')).toBe(
      String(early.not_enough_data!.repeat_buyers),
    );
    await page.goBack();
    await page.waitForSelector('main[data-page="clv"][data-ready="true"] table[data-clv-table]', {
      timeout: 60_000,
    });

    // Each row links to its account's page.
    await page.click(`table[data-clv-table] tr[data-account-id="${first.items[0]!.account_id}"] a`);
    await page.waitForSelector(`main[data-page="account"][data-account-id="${first.items[0]!.account_id}"]`);
    await context.close();
  }, 120_000);

  it("shows the account's predicted value as the API does", async () => {
    const top = (await get<ClvList>('/api/v1/clv?limit=1')).items[0]!;
    const expected = await get<AccountClv>(`/api/v1/accounts/${encodeURIComponent(top.account_id)}/clv`);
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await logInViewer(context);
    await page.goto(`${server.url}/accounts/${encodeURIComponent(top.account_id)}`);
    await page.waitForSelector('[data-clv-panel] dd[data-field="clv"]', { timeout: 60_000 });
    const shown = await page
      .locator('[data-clv-panel] dd[data-field]')
      .evaluateAll((dds) => dds.map((dd) => [dd.getAttribute('data-field'), dd.getAttribute('data-value')]));
    expect(shown).toEqual(
      (['clv', 'p_alive', 'expected_purchases', 'expected_spend'] as const).map((f) => [
        f,
        text(expected.account[f]),
      ]),
    );
    expect(expected.account.clv).toBe(top.clv);
    expect(await page.getAttribute('[data-clv-panel] [data-calibration-end]', 'data-calibration-end')).toBe(
      expected.calibration_end,
    );
    await page.locator('[data-clv-panel]').screenshot({ path: join(SHOTS, 'clv-panel.png') });
    await page.click('[data-clv-panel] a[data-clv-link]');
    await page.waitForSelector('main[data-page="clv"][data-ready="true"]', { timeout: 60_000 });
    await context.close();
  }, 120_000);

  it('marks a health model activated through the API on the account’s health history', async () => {
    const id = (await get<{ items: { account_id: string }[] }>('/api/v1/accounts?status=active&limit=1'))
      .items[0]!.account_id;
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await logInViewer(context);
    await send(`/api/v1/health-models/${learned}/activate`);
    // The demo data ends in June 2025, the activation is now: it comes after the last month shown.
    await page.goto(`${server.url}/accounts/${encodeURIComponent(id)}`);
    await page.waitForSelector(`[data-health-model-changes-after~="${learned}"]`, { timeout: 60_000 });
    expect(await page.getAttribute('[data-health-model-changes]', 'data-health-model-changes')).toBe('');

    // Data of today moves the history to the current month: the change is now marked in it.
    await send('/api/v1/usage', [{ account_id: id, occurred_at: new Date().toISOString(), event: 'login' }]);
    await page.reload();
    await page.waitForSelector(`[data-health-model-changes~="${learned}"]`, { timeout: 60_000 });
    const figure = page.locator('figure[data-chart="account-history"]');
    // The mark is drawn (its label names the model), the table and the summary say it.
    await expect
      .poll(() => figure.locator('svg text').evaluateAll((ts) => ts.map((x) => x.textContent)), {
        timeout: 20_000,
      })
      .toContain(learned);
    const lastRow = await figure
      .locator('tbody tr')
      .last()
      .evaluate((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''));
    expect(lastRow.at(-1)).toContain(learned);
    expect(await figure.locator('[role="img"]').getAttribute('aria-label')).toContain(learned);
    expect(await page.locator('[data-health-model-changes]').innerText()).toContain('KPI-SPEC §4');
    await figure.screenshot({ path: join(SHOTS, 'account-history-model-change.png') });
    await context.close();
  }, 120_000);

  it('says "updating" with the date of the answer while the data changed since the fit', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await logInViewer(context);
    // A fresh fit for these settings: no note.
    await page.goto(`${server.url}/clv?horizon_months=6`);
    await page.waitForSelector('main[data-page="clv"][data-ready="true"] table[data-clv-table]', {
      timeout: 60_000,
    });
    expect(await page.locator('main[data-page="clv"] [data-clv-stale]').count()).toBe(0);
    const fresh = await get<{ computed_at: string; stale: boolean }>('/api/v1/clv?horizon_months=6&limit=1');
    expect(fresh.stale).toBe(false);
    // A payment: the next answers for these settings and for the defaults are the last fits, stale.
    const top = (await get<ClvList>('/api/v1/clv?limit=1')).items[0]!;
    await send('/api/v1/payments', [
      {
        payment_id: 'dashboard-clv-stale-1',
        account_id: top.account_id,
        paid_at: new Date(Date.now() - 60_000).toISOString(),
        amount: 10,
        kind: 'one_time',
      },
    ]);
    await page.reload();
    await page.waitForSelector('main[data-page="clv"] [data-clv-stale]', { timeout: 60_000 });
    expect(await page.getAttribute('main[data-page="clv"] [data-clv-stale]', 'data-clv-stale')).toBe(
      fresh.computed_at,
    );
    expect(await page.locator('main[data-page="clv"] [data-clv-stale]').innerText()).toContain('Updating');
    await page.goto(`${server.url}/accounts/${encodeURIComponent(top.account_id)}`);
    await page.waitForSelector('[data-clv-panel] [data-clv-stale]', { timeout: 60_000 });
    expect(await page.locator('[data-clv-panel] [data-clv-stale]').innerText()).toContain('Updating');
    await page.locator('[data-clv-panel]').screenshot({ path: join(SHOTS, 'clv-panel-stale.png') });
    await context.close();
  }, 120_000);

  it('fits a phone and speaks Italian', async () => {
    const context = await browser.newContext({
      locale: 'it-IT',
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await logInViewer(context);
    await page.evaluate(() => localStorage.setItem('fidelio.language', 'it'));
    await page.goto(`${server.url}/clv?horizon_months=24`);
    await page.waitForSelector('main[data-page="clv"][data-ready="true"]', { timeout: 60_000 });
    expect(await page.locator('main[data-page="clv"] h1').innerText()).toBe(italian.nav.clv);
    expect(await page.locator('#clv-model-title').innerText()).toBe(italian.clv.modelTitle);
    const api = await get<ClvList>('/api/v1/clv?horizon_months=24&sort=-clv&limit=50');
    expect(await tableRows(page)).toEqual(expectedRows(api.items));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: join(SHOTS, 'clv-phone-it.png'), fullPage: true });
    await context.close();
  }, 120_000);
});
