// One login measured in Chromium: from the login form's submit event to the overview marked ready with every
// tile's data-value set (timed in the page), and every /api/ request made meanwhile (playwright's timings).
import { type Browser, chromium, type Page, type Request } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface ApiCall {
  method: string;
  /** Path without the query, e.g. /api/v1/report. */
  route: string;
  status: number | null;
  /** From the request's start to the response's last byte, as the browser saw it. */
  ms: number;
}

export interface LoginRun {
  /** Submit event to the overview ready with all tiles carrying data-value (performance.now in the page). */
  interactiveMs: number;
  /** The same seen from Node: the click to the ready state observed (includes the polling overhead). */
  outsideMs: number;
  tiles: number;
  calls: ApiCall[];
}

declare global {
  interface Window {
    __benchLogin?: { submit?: number; ready?: number; tiles?: number };
  }
}

/** Watches the page for the submit event and the ready overview; call before submitting the form. */
function armInPage(): void {
  const mark: { submit?: number; ready?: number; tiles?: number } = {};
  window.__benchLogin = mark;
  document.addEventListener(
    'submit',
    () => {
      mark.submit = performance.now();
    },
    { capture: true, once: true },
  );
  const check = () => {
    if (mark.submit === undefined) return;
    const overview = document.querySelector('[data-page="overview"][data-ready="true"]');
    if (!overview) return;
    const tiles = [...overview.querySelectorAll('article[data-kpi]')];
    if (tiles.length === 0 || !tiles.every((t) => t.hasAttribute('data-value'))) return;
    mark.ready = performance.now();
    mark.tiles = tiles.length;
    observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true });
}

/** Records the /api/ requests of a page until `take` is called; `take` waits for the ones still running. */
function recordApi(page: Page): { take(): Promise<ApiCall[]> } {
  const calls: ApiCall[] = [];
  const pending = new Set<Request>();
  let settle: (() => void) | null = null;
  const isApi = (request: Request) => new URL(request.url()).pathname.startsWith('/api/');
  const onRequest = (request: Request) => {
    if (isApi(request)) pending.add(request);
  };
  const onDone = (request: Request) => {
    if (!pending.delete(request)) return;
    void request.response().then((response) => {
      const timing = request.timing();
      calls.push({
        method: request.method(),
        route: new URL(request.url()).pathname,
        status: response?.status() ?? null,
        ms: timing.responseEnd,
      });
      if (pending.size === 0) settle?.();
    });
  };
  page.on('request', onRequest);
  page.on('requestfinished', onDone);
  page.on('requestfailed', onDone);
  return {
    async take() {
      if (pending.size > 0) {
        await Promise.race([
          new Promise<void>((resolve) => {
            settle = resolve;
          }),
          new Promise((resolve) => setTimeout(resolve, 120_000)),
        ]);
      }
      // Let the last response() promise land.
      await new Promise((resolve) => setTimeout(resolve, 50));
      page.off('request', onRequest);
      page.off('requestfinished', onDone);
      page.off('requestfailed', onDone);
      return calls;
    },
  };
}

/** Logs in from the login form on `page` and measures until the overview is interactive. */
export async function measureLogin(page: Page, email: string, password: string): Promise<LoginRun> {
  await page.waitForSelector('#login-email', { timeout: 60_000 });
  await page.fill('#login-email', email);
  await page.fill('#login-password', password);
  await page.evaluate(armInPage);
  const recorder = recordApi(page);
  const clicked = performance.now();
  await page.click('button[type="submit"]');
  await page.waitForFunction(() => window.__benchLogin?.ready !== undefined, undefined, {
    timeout: 300_000,
    polling: 'raf',
  });
  const outsideMs = performance.now() - clicked;
  const mark = await page.evaluate(() => window.__benchLogin!);
  const calls = await recorder.take();
  return { interactiveMs: mark.ready! - mark.submit!, outsideMs, tiles: mark.tiles!, calls };
}

/** Clicks "Log out" and waits for the login form. */
export async function logOut(page: Page): Promise<void> {
  await page.click('[data-logout]');
  await page.waitForSelector('#login-email', { timeout: 60_000 });
}
