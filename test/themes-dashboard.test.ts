// The themes page of the dashboard in Debian's Chromium against the real server on a demo store: the themes of
// GET /api/v1/themes in a table, and a theme's comments from GET /api/v1/themes/{id}/comments when chosen.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import italian from '../web/src/i18n/it.json' with { type: 'json' };
import { browserAvailable, launchChromium, logIn } from './support/browser.js';
import { requireBuiltCli } from './support/cli.js';
import { demoKey, demoStore } from './support/demo-store.js';
import { type ServerProcess, startServer, stopAllServers } from './support/server-process.js';

const RUN = browserAvailable();
const SHOTS = join(process.cwd(), 'test-results');
const PASSWORD = 'correct horse battery';

interface Themes {
  themes: { id: string; name: string; mentions: number }[];
}

let work: string;
let server: ServerProcess;
let key: string;
let browser: Browser;

describe.skipIf(!RUN)('the themes page in Chromium', () => {
  beforeAll(async () => {
    requireBuiltCli();
    await mkdir(SHOTS, { recursive: true });
    work = await mkdtemp(join(tmpdir(), 'fidelio-dashboard-themes-'));
    const db = await demoStore(work, {
      accounts: 300,
      seed: 5,
      people: [['viewer@example.com', 'viewer']],
      password: PASSWORD,
    });
    key = await demoKey(db, 'read');
    server = await startServer(db);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stopAllServers();
    await rm(work, { recursive: true, force: true });
  });

  async function themesOfApi(): Promise<Themes> {
    const answer = await fetch(`${server.url}/api/v1/themes`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(answer.status).toBe(200);
    return (await answer.json()) as Themes;
  }

  it('lists the themes and shows the comments of the one chosen, in Italian too', async () => {
    const expected = await themesOfApi();
    expect(expected.themes.length).toBeGreaterThan(0);
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await logIn(context, server.url, 'viewer@example.com', PASSWORD);
    await page.click('[data-nav="themes"]');
    await page.waitForSelector('[data-page="themes"] [data-themes]');
    const rows = await page
      .locator('[data-themes] tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-theme'), tr.querySelector('th')?.textContent]),
      );
    expect(rows).toEqual(expected.themes.map((t) => [t.id, t.name]));

    const first = expected.themes[0]!;
    await page.click(`[data-theme="${first.id}"] th a`);
    await page.waitForSelector(`[data-theme-comments="${first.id}"] li`);
    const listed = await page.locator(`[data-theme-comments="${first.id}"] li`).count();
    expect(listed).toBe(Math.min(50, first.mentions));
    expect(page.url()).toContain(`theme=${encodeURIComponent(first.id)}`);
    await page.screenshot({ path: join(SHOTS, 'themes.png'), fullPage: true });

    await page.evaluate(() => localStorage.setItem('fidelio.language', 'it'));
    const italianPage = await context.newPage();
    await italianPage.goto(`${server.url}/themes`);
    await italianPage.waitForSelector('[data-page="themes"] [data-themes]');
    expect(await italianPage.locator('[data-page="themes"] h1').innerText()).toBe(italian.nav.themes);
    expect(await italianPage.locator('[data-themes] thead th').first().innerText()).toBe(
      italian.themes.theme,
    );
    await context.close();
  });
});
