// `npm run bench:dashboard [-- --accounts 5000|1000000]`: log in to the real dashboard in Chromium against the
// built server on a copy of the cached demo store; time login → overview interactive (cold, then warm ×N) and
// every /api/ request the overview makes; print the table against the targets and save the JSON.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { progress } from '../log.js';
import { describeMachine } from '../machine.js';
import { RESULTS_DIR, ROOT } from '../paths.js';
import { ensureReportStore } from '../server/report-store.js';
import { median } from '../stats.js';
import { CHROMIUM, type LoginRun, launchChromium, logOut, measureLogin } from './browser.js';
import { addOwner, copyStore, type DashboardServer, startServe } from './server.js';
import { type DashboardResult, dashboardTable, routeStats } from './summary.js';

const EMAIL = 'bench@example.com';
const PASSWORD = 'bench dashboard password';
const USAGE = `usage: npm run bench:dashboard [-- --accounts 5000] [--seed 1] [--warm 5]
  --accounts N  demo store size (default 5000; 1000000 uses bench/data/1000000-seed1, importing it if missing)
  --seed N      demo generator seed (default 1)
  --warm N      warm logins after the cold one (default 5)`;

function readOptions(): { accounts: number; seed: number; warm: number } {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string', default: '5000' },
      seed: { type: 'string', default: '1' },
      warm: { type: 'string', default: '5' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const positive = (text: string, option: string) => {
    const value = Number(text.replaceAll('_', ''));
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${option}: ${text} is not a positive integer\n${USAGE}`);
    return value;
  };
  return {
    accounts: positive(values.accounts, '--accounts'),
    seed: positive(values.seed, '--seed'),
    warm: positive(values.warm, '--warm'),
  };
}

const options = readOptions();
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
const loadBefore = loadavg();
const store = await ensureReportStore(options.accounts, options.seed);
const copy = await copyStore(store.path);
await addOwner(copy.db, EMAIL, PASSWORD).catch(async (error: unknown) => {
  await rm(copy.dir, { recursive: true, force: true });
  throw error;
});
const server: DashboardServer = await startServe(copy.db, copy.dir);
let cold: LoginRun;
const warm: LoginRun[] = [];
const browser = await launchChromium().catch(async (error: unknown) => {
  await server.stop();
  throw error;
});
try {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(server.url);
  progress('dashboard: cold login');
  cold = await measureLogin(page, EMAIL, PASSWORD);
  progress(`  ${cold.interactiveMs.toFixed(0)} ms, ${cold.calls.length} /api/ requests, ${cold.tiles} tiles`);
  for (let i = 0; i < options.warm; i++) {
    await logOut(page);
    const run = await measureLogin(page, EMAIL, PASSWORD);
    progress(
      `dashboard: warm login ${i + 1}: ${run.interactiveMs.toFixed(0)} ms, ${run.calls.length} requests`,
    );
    warm.push(run);
  }
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}

const result: DashboardResult = {
  date: new Date().toISOString(),
  commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim(),
  accounts: options.accounts,
  seed: options.seed,
  machine: describeMachine(),
  loadAverage: { before: loadBefore, after: loadavg() },
  store: store.path,
  serverStartMs: server.startMs,
  cold,
  warm,
  coldRoutes: routeStats(cold.calls),
  warmRoutes: routeStats(warm.flatMap((r) => r.calls)),
  warmInteractiveMedianMs: median(warm.map((r) => r.interactiveMs)),
};
process.stdout.write(`${dashboardTable(result)}\n`);
const dir = join(RESULTS_DIR, 'dashboard');
await mkdir(dir, { recursive: true });
const file = join(dir, `${result.date.slice(0, 10)}-${options.accounts}.json`);
await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
progress(`dashboard: saved ${file}`);
