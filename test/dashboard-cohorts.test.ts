// The retention page's "observed vs projected" cohort retention chart in Debian's Chromium against the real
// server on a demo store: its table shows GET /api/v1/cohort-retention's curve for all customers and, once a
// segment is chosen, for that segment; the model line carries the API's a, b and CLV. Screenshot: test-results/.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium, logIn } from './support/browser.js';
import { requireBuiltCli } from './support/cli.js';
import { demoKey, demoStore } from './support/demo-store.js';
import { getJson, type ServerProcess, startServer, stopAllServers } from './support/server-process.js';

const RUN = browserAvailable();
const SHOTS = join(process.cwd(), 'test-results');
const PASSWORD = 'correct horse battery';

interface Part {
  segment: string | null;
  model: { a: number; b: number } | null;
  clv: number | null;
  curve: {
    month: number;
    at_risk: number;
    observed_survival: number | null;
    survival: number | null;
    observed_retention: number | null;
    retention: number | null;
  }[];
}
interface CohortRetention {
  overall: Part;
  segments: Part[];
}

/** The table the dashboard must show for a part, formatted as en-US shows numbers (— for null). */
function expectedRows(part: Part): string[][] {
  const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
  const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const pct = (v: number | null) => (v === null ? '—' : percent.format(v));
  return part.curve.map((p) => [
    String(p.month),
    count.format(p.at_risk),
    pct(p.observed_survival),
    pct(p.survival),
    pct(p.observed_retention),
    pct(p.retention),
  ]);
}

async function shownRows(page: Page): Promise<string[][]> {
  return page
    .locator('figure[data-chart="cohort-retention"] table tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent ?? '')),
    );
}

async function shownModel(page: Page) {
  const line = page.locator('[data-cohort-model]');
  return [
    await line.getAttribute('data-a'),
    await line.getAttribute('data-b'),
    await line.getAttribute('data-clv'),
  ];
}

let work: string;
let server: ServerProcess;
let key: string;
let browser: Browser;

describe.skipIf(!RUN)('the cohort retention chart in Chromium', () => {
  beforeAll(async () => {
    requireBuiltCli();
    await mkdir(SHOTS, { recursive: true });
    work = await mkdtemp(join(tmpdir(), 'fidelio-dashboard-cohorts-'));
    const db = await demoStore(work, {
      accounts: 300,
      seed: 5,
      people: [['viewer@example.com', 'viewer']],
      password: PASSWORD,
    });
    key = await demoKey(db, 'read');
    server = await startServer(db);
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stopAllServers();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const get = <T>(path: string) => getJson<T>(server, key, path);

  it('shows the API’s observed and projected curve, overall and per segment', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await logIn(context, server.url, 'viewer@example.com', PASSWORD);
    await page.goto(`${server.url}/retention`);
    await page.waitForSelector('figure[data-chart="cohort-retention"] svg', { timeout: 60_000 });

    const overall = (await get<CohortRetention>('/api/v1/cohort-retention?months=36')).overall;
    expect(overall.model).not.toBeNull();
    expect(overall.curve).toHaveLength(37);
    expect(await shownRows(page)).toEqual(expectedRows(overall));
    expect(await shownModel(page)).toEqual([
      String(overall.model!.a),
      String(overall.model!.b),
      String(overall.clv ?? ''),
    ]);
    const summary = await page
      .locator('figure[data-chart="cohort-retention"] [role="img"]')
      .getAttribute('aria-label');
    expect(summary).toContain('after 12 months');
    await page.locator('figure[data-chart="cohort-retention"]').screenshot({
      path: join(SHOTS, 'dashboard-cohort-retention.png'),
    });

    // A segment: the chart switches to that segment's fit.
    const bySegment = await get<CohortRetention>('/api/v1/cohort-retention?months=36&segment_by=segment');
    const part = bySegment.segments.find((s) => s.model !== null) ?? bySegment.segments[0]!;
    await page.selectOption('select[data-control="segment"]', part.segment!);
    await expect.poll(() => shownRows(page), { timeout: 30_000 }).toEqual(expectedRows(part));
    if (part.model) {
      expect(await shownModel(page)).toEqual([
        String(part.model.a),
        String(part.model.b),
        String(part.clv ?? ''),
      ]);
    }
    await context.close();
  }, 120_000);
});
