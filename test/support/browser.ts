// Test helper: Debian's Chromium driven by playwright-core. Outside CI the browser tests skip loudly when it is
// missing; in CI (FIDELIO_REQUIRE_BROWSER=1, set by .ci/run) a missing browser fails them.
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** True when the browser tests can run; throws when they must run and cannot. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.FIDELIO_REQUIRE_BROWSER === '1') {
    throw new Error(`${CHROMIUM} is missing and browser tests are required here: apt-get install chromium`);
  }
  process.stderr.write(
    `\n${'!'.repeat(78)}\n! SKIPPING the browser tests: ${CHROMIUM} is missing (apt-get install chromium)\n${'!'.repeat(78)}\n\n`,
  );
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Signs `email` in on a new page of `context` through the login form and waits for the overview. */
export async function logIn(
  context: BrowserContext,
  url: string,
  email: string,
  password: string,
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('#login-email', { timeout: 30_000 });
  await page.fill('#login-email', email);
  await page.fill('#login-password', password);
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-page="overview"]');
  return page;
}
