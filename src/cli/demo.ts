// `fidelio demo`: a believable synthetic business (36 months of accounts, billing, support, surveys and
// usage) written to a new store, or to an import folder with --csv.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { type DemoSettings, demoWindow, monthOf } from '../demo/demo-settings.js';
import { type DemoSummary, writeDemoFolder } from '../demo/generate-demo.js';
import { loadDemoData } from '../demo/load-demo.js';
import { VALUE_EVENT } from '../demo/usage-events.js';
import { FidelioError } from '../domain/errors.js';
import { openDuckDbStore } from '../store/duckdb-store.js';
import { formatSummary, progressBar } from './import.js';
import { addDbOption, resolveDbPath } from './store-option.js';

interface DemoOptions {
  db?: string;
  csv?: string;
  accounts: string;
  seed: string;
  end?: string;
  workers?: string;
}

const HELP = `
The data covers 36 whole months ending with --end (default: the current month). The same --seed,
--accounts and --end always give identical files. The store named by --db must not exist yet.

The value event is ${VALUE_EVENT}; use --value-event ${VALUE_EVENT} with fidelio report.
Account attributes: segment, country and plan (try --segment-by plan); employee eNPS answers
carry a team (--segment-by team).

Examples:
  fidelio demo --db demo.duckdb
  fidelio demo --csv ./demo-data --accounts 100000 --end 2025-06 --seed 7`;

export function registerDemo(program: Command): void {
  addDbOption(program.command('demo').description('Create demo data: a new store, or an import folder'))
    .option('--csv <dir>', 'write the nine CSV files of an import folder to DIR instead of a store')
    .option('--accounts <n>', 'number of customer accounts', '5000')
    .option('--seed <n>', 'random seed (a non-negative integer)', '1')
    .option('--end <yyyy-mm>', 'last month of data (default: the current month)')
    .option('--workers <n>', 'generator threads (default: one per core for big runs; 0 = none)')
    .addHelpText('after', HELP)
    .action((options: DemoOptions) => runDemo(options, new Date()));
}

async function runDemo(options: DemoOptions, now: Date): Promise<void> {
  const settings: DemoSettings = {
    accounts: count(options.accounts, '--accounts', 1),
    seed: count(options.seed, '--seed', 0, 2 ** 32 - 1),
    endMonth: options.end ?? monthOf(now),
  };
  const window = demoWindow(settings.endMonth);
  const workers = options.workers === undefined ? undefined : count(options.workers, '--workers', 0, 64);
  if (options.csv !== undefined && options.db !== undefined) {
    throw new FidelioError('usage', 'demo_target', 'give either --db or --csv, not both');
  }
  const started = performance.now();
  const months = `${new Date(window.start).toISOString().slice(0, 7)} … ${settings.endMonth}`;
  const heading = `${settings.accounts.toLocaleString('en-US')} accounts, ${months}, seed ${settings.seed}`;
  if (options.csv !== undefined) {
    requireEmptyFolder(options.csv);
    const summary = await writeDemoFolder(options.csv, settings, { workers, onProgress: generationBar() });
    process.stdout.write(`demo data: ${heading} → ${options.csv}\n${formatRows(summary)}`);
  } else {
    const path = resolveDbPath(options.db);
    await demoStore(path, settings, workers);
    process.stdout.write(`demo store: ${heading} → ${path}\n`);
  }
  process.stdout.write(`done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

/** Generates into a temporary folder and loads it through the normal import; a failure leaves no store. */
export async function demoStore(
  path: string,
  settings: DemoSettings,
  workers: number | undefined,
): Promise<void> {
  if (existsSync(path)) {
    throw new FidelioError(
      'usage',
      'demo_store_exists',
      `${path} already exists; demo data goes into a new store: pick another file with --db`,
    );
  }
  try {
    const store = await openDuckDbStore(path);
    try {
      const summary = await loadDemoData(store, settings, {
        workers,
        onGenerated: generationBar(),
        onImport: progressBar(),
      });
      process.stdout.write(formatSummary(summary));
    } finally {
      await store.close();
    }
  } catch (error) {
    for (const file of [path, `${path}.wal`]) rmSync(file, { force: true });
    throw error;
  }
}

function requireEmptyFolder(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new FidelioError(
      'usage',
      'demo_folder_not_empty',
      `${dir} is not empty; demo files go into a new or empty folder`,
    );
  }
}

function count(text: string, option: string, min: number, max = 100_000_000): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new FidelioError(
      'usage',
      'invalid_option',
      `${option} "${text}" must be an integer from ${min} to ${max}`,
    );
  }
  return value;
}

/** A progress bar on a terminal; nothing when stderr is a pipe or file. */
export function generationBar(): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'generating [{bar}] {percentage}% | {value}/{total} accounts',
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return (done, total) => {
    if (!started) bar.start(total, 0);
    started = true;
    bar.update(done);
    if (done >= total) bar.stop();
  };
}

function formatRows(summary: DemoSummary): string {
  const width = Math.max(...summary.files.map((f) => f.file.length));
  const lines = summary.files.map(
    (f) => `${f.file.padEnd(width)} ${f.rows.toLocaleString('en-US').padStart(13)}`,
  );
  return `${['file'.padEnd(width) + 'rows'.padStart(14), ...lines].join('\n')}\n`;
}
