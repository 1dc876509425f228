// The dashboard's insight views in Debian's Chromium against the real server on a demo store: the "Experience &
// money" page (GET /api/v1/experience, GET /api/v1/what-if) shows the API's numbers for the same query, the
// what-if difference is the API's, and an account's "Why this health score" rows are those of
// GET /api/v1/accounts/{id}/health-explanation; at phone width and in Italian too. Screenshots: test-results/.
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
const MEASURES = ['retention', 'nrr', 'expansion', 'expansion_mrr', 'clv'] as const;
const RISKS = ['detractors', 'pending_cancellation', 'both', 'either'] as const;

interface Measure {
  value: number | null;
  low: number | null;
  high: number | null;
}
type Group = { group: string; accounts: number } & Record<(typeof MEASURES)[number], Measure>;
interface Experience {
  from: string;
  to: string;
  by_nps: Group[];
  by_csat: Group[];
  mrr_at_risk: Record<(typeof RISKS)[number], { accounts: number; mrr: number }>;
}
interface Amounts {
  customers: number;
  mrr: number;
  revenue: number;
  clv: number | null;
}
interface WhatIf {
  months: number;
  total: { baseline: Amounts; scenario: Amounts; difference: Amounts };
}
interface Explanation {
  model_id: string;
  contributions: { feature: string; contribution: number }[];
}

const text = (v: number | null) => (v === null ? '' : String(v));

let work: string;
let server: ServerProcess;
let key: string;
let adminKey: string;
let learned: string;
let browser: Browser;

describe.skipIf(!RUN)('the insight views in Chromium', () => {
  beforeAll(async () => {
    requireBuiltCli();
    await mkdir(SHOTS, { recursive: true });
    work = await mkdtemp(join(tmpdir(), 'fidelio-dashboard-insight-'));
    const db = await demoStore(work, {
      accounts: 300,
      seed: 5,
      people: [['viewer@example.com', 'viewer']],
      password: PASSWORD,
    });
    key = await demoKey(db, 'read');
    adminKey = await demoKey(db, 'read,admin');
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

  const logInViewer = (context: BrowserContext) => logIn(context, server.url, 'viewer@example.com', PASSWORD);

  async function whatIfShown(page: Page) {
    return {
      line: await page.getAttribute('[data-what-if-difference]', 'data-what-if-difference'),
      rows: await page
        .locator('[data-what-if-table] tr[data-what-if]')
        .evaluateAll((trs) =>
          trs.map((tr) => [
            tr.getAttribute('data-what-if'),
            tr.getAttribute('data-baseline'),
            tr.getAttribute('data-scenario'),
            tr.getAttribute('data-difference'),
          ]),
        ),
    };
  }

  function whatIfExpected(api: WhatIf) {
    const { baseline, scenario, difference } = api.total;
    return {
      line: String(difference.revenue),
      rows: (['revenue', 'mrr', 'customers', 'clv'] as const).map((k) => [
        k,
        text(baseline[k]),
        text(scenario[k]),
        text(difference[k]),
      ]),
    };
  }

  it('shows the experience numbers and the what-if difference of the API', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await logInViewer(context);
    await page.click('[data-nav="experience"]');
    await page.waitForSelector('main[data-page="experience"][data-ready="true"]', { timeout: 60_000 });
    const from = (await page.getAttribute('main', 'data-from'))!;
    const to = (await page.getAttribute('main', 'data-to'))!;
    expect(from).not.toBe('');
    const expected = await get<Experience>(
      `/api/v1/experience?from=${encodeURIComponent(from.slice(0, 10))}&to=${encodeURIComponent(to.slice(0, 10))}`,
    );
    expect([expected.from, expected.to]).toEqual([from, to]);

    for (const grouping of ['nps', 'csat'] as const) {
      const groups = grouping === 'nps' ? expected.by_nps : expected.by_csat;
      const shown = await page
        .locator(`table[data-experience-table="${grouping}"] tbody tr`)
        .evaluateAll((trs) =>
          trs.map((tr) => [
            tr.getAttribute('data-group'),
            tr.querySelector('[data-accounts]')?.getAttribute('data-accounts'),
            ...[...tr.querySelectorAll('td[data-measure]')].map((td) =>
              [
                td.getAttribute('data-measure'),
                td.getAttribute('data-value'),
                td.getAttribute('data-low'),
                td.getAttribute('data-high'),
              ].join('|'),
            ),
          ]),
        );
      expect(shown).toEqual(
        groups.map((g) => [
          g.group,
          String(g.accounts),
          ...MEASURES.map((m) => [m, text(g[m].value), text(g[m].low), text(g[m].high)].join('|')),
        ]),
      );
      expect(await page.locator(`figure[data-chart="experience-${grouping}"] svg`).count()).toBe(1);
    }
    const risks = await page
      .locator('[data-mrr-at-risk] [data-risk]')
      .evaluateAll((tiles) =>
        tiles.map((a) => [
          a.getAttribute('data-risk'),
          a.getAttribute('data-accounts'),
          a.getAttribute('data-mrr'),
        ]),
      );
    expect(risks).toEqual(
      RISKS.map((k) => [k, String(expected.mrr_at_risk[k].accounts), String(expected.mrr_at_risk[k].mrr)]),
    );

    // The what-if panel as the address leaves it (24 months, no change), then with a change typed in.
    expect(await whatIfShown(page)).toEqual(whatIfExpected(await get<WhatIf>('/api/v1/what-if?months=24')));
    await page.fill('[data-control="months"]', '18');
    await page.fill('[data-control="churn_delta"]', '-1');
    await page.fill('[data-control="expansion_pct"]', '10');
    await page.waitForFunction(
      () => document.querySelector('[data-what-if-result]')?.getAttribute('data-months') === '18',
    );
    await page.waitForFunction(() => location.search.includes('expansion_pct=10'));
    await page.waitForSelector('[data-what-if-result]');
    const scenario = await get<WhatIf>('/api/v1/what-if?months=18&churn_delta=-1&expansion_pct=10');
    expect(scenario.total.difference.revenue).toBeGreaterThan(0);
    await expect.poll(() => whatIfShown(page), { timeout: 20_000 }).toEqual(whatIfExpected(scenario));
    expect(page.url()).toContain('churn_delta=-1');
    expect(await page.locator('figure[data-chart="what-if"] svg').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'experience.png'), fullPage: true });
    await context.close();
  }, 120_000);

  it("explains an account's health score with the API's contributions", async () => {
    const accounts = await get<{ items: { account_id: string }[] }>('/api/v1/accounts?status=active&limit=5');
    const id = accounts.items[0]!.account_id;
    const expected = await get<Explanation>(`/api/v1/accounts/${encodeURIComponent(id)}/health-explanation`);
    expect(expected.contributions.length).toBeGreaterThan(0);
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await logInViewer(context);
    await page.goto(`${server.url}/accounts/${encodeURIComponent(id)}`);
    await page.waitForSelector('[data-health-explanation] [data-feature][data-contribution]');
    const rows = await page
      .locator('[data-health-explanation] [data-feature][data-contribution]')
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-feature'), tr.getAttribute('data-contribution')]),
      );
    expect(rows).toEqual(expected.contributions.map((c) => [c.feature, String(c.contribution)]));
    expect(await page.getAttribute('[data-health-explanation] [data-model-id]', 'data-model-id')).toBe(
      expected.model_id,
    );
    await page
      .locator('[data-health-explanation]')
      .screenshot({ path: join(SHOTS, 'health-explanation.png') });

    // Once a learned model is active, the panel explains with it: logit contributions, the model named.
    const activate = await fetch(`${server.url}/api/v1/health-models/${learned}/activate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect(activate.status, await activate.text()).toBe(200);
    const logistic = await get<Explanation & { kind: string }>(
      `/api/v1/accounts/${encodeURIComponent(id)}/health-explanation`,
    );
    expect([logistic.kind, logistic.model_id]).toEqual(['logistic', learned]);
    await page.reload();
    await page.waitForSelector('[data-health-explanation] [data-kind="logistic"]');
    const learnedRows = await page
      .locator('[data-health-explanation] [data-feature][data-contribution]')
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-feature'), tr.getAttribute('data-contribution')]),
      );
    expect(learnedRows).toEqual(logistic.contributions.map((c) => [c.feature, String(c.contribution)]));
    await page.waitForSelector(`[data-model-facts="${learned}"]`);
    await page
      .locator('[data-health-explanation]')
      .screenshot({ path: join(SHOTS, 'health-explanation-learned.png') });
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
    await page.goto(`${server.url}/experience?churn_delta=-0.5`);
    await page.waitForSelector('main[data-page="experience"][data-ready="true"]', { timeout: 60_000 });
    expect(await page.locator('main[data-page="experience"] h1').innerText()).toBe(italian.nav.experience);
    expect(await page.locator('#what-if-title').innerText()).toBe(italian.experience.whatIfTitle);
    expect(await page.locator('table[data-experience-table="nps"] thead th').first().innerText()).toBe(
      italian.experience.group,
    );
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    const scenario = await get<WhatIf>('/api/v1/what-if?months=24&churn_delta=-0.5');
    expect(await whatIfShown(page)).toEqual(whatIfExpected(scenario));
    await page.screenshot({ path: join(SHOTS, 'experience-phone-it.png'), fullPage: true });
    await context.close();
  }, 120_000);
});
