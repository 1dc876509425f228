// GET /api/v1/report on a demo store: the first request after start, uncached requests on a warm server,
// cached ones (the same query again), a load of cached requests, and `fidelio report` on the same store.
import { runMeasured } from '../child.js';
import {
  type Comparison,
  compareReports,
  describeComparison,
  type ReportRow,
  TOLERANCE,
} from '../cross-check.js';
import { reportArgs } from '../fidelio.js';
import { progress } from '../log.js';
import { benchScript, CLI } from '../paths.js';
import { median } from '../stats.js';
import { type ReportTiming, reportTiming } from '../timing.js';
import type { FidelioServerClosed, FidelioServerConfig, FidelioServerReady } from './fidelio-server.js';
import { type LoadResult, runLoad } from './load.js';
import type { ServerBenchOptions } from './options.js';
import { END_MONTH, ensureReportStore } from './report-store.js';
import { startServerProcess } from './server-process.js';

/** 12 months ending with the demo's last month, by month and segment, as the dashboard would ask. */
export const REPORT_WINDOW = { from: '2025-12-01', to: '2026-12-01', period: 'month', segmentBy: 'segment' };

/**
 * Names of UTC: the same periods and the same SQL, but a different cache key, so each one misses the server's
 * result cache while DuckDB and the process stay warm.
 */
const UTC_NAMES = [
  'Etc/UTC',
  'GMT',
  'Etc/GMT',
  'Etc/GMT0',
  'Etc/GMT+0',
  'Etc/GMT-0',
  'GMT0',
  'Etc/Universal',
];
const MORE_UTC_NAMES = ['Universal', 'Zulu', 'Etc/Zulu', 'UCT', 'Etc/UCT', 'Greenwich', 'Etc/Greenwich'];

export interface ReportBenchResult {
  accounts: number;
  store: string;
  importSeconds: number | null;
  window: typeof REPORT_WINDOW & { valueEvent: string };
  /** `fidelio report` as a CLI process, one warm-up then `repeat` runs (as `npm run bench` times it). */
  cli: ReportTiming;
  /** The first request after the server started: nothing cached, DuckDB's buffers cold. */
  firstRequestMs: number;
  /** Result cache missed (another name of UTC), warm server: one warm-up, then `repeat`. */
  uncachedMs: { runs: number[]; median: number };
  /** The same query again: served from the result cache. */
  cachedMs: { runs: number[]; median: number };
  /** Cached requests under load. */
  cachedLoad: LoadResult;
  /** Every server answer has the CLI's rows, KPI by KPI within TOLERANCE (sums in another order differ a little). */
  sameAsCli: boolean;
  /** The server answer that differs most from the CLI's report. */
  worstComparison: Comparison;
}

export async function benchReport(options: ServerBenchOptions): Promise<ReportBenchResult> {
  const store = await ensureReportStore(options.accounts, options.seed);
  const cli = await timeCli(store.path, options);
  const config: FidelioServerConfig = {
    db: store.path,
    workspace: 'default',
    accounts: 0,
    accountsCreatedAt: '',
    profile: false,
  };
  const server = await startServerProcess<FidelioServerReady, FidelioServerClosed>(
    benchScript('server/fidelio-server.js'),
    [JSON.stringify(config)],
  );
  try {
    const headers = { authorization: `Bearer ${server.ready.token}` };
    const path = (tz: string) =>
      `/api/v1/report?from=${REPORT_WINDOW.from}&to=${REPORT_WINDOW.to}&period=month&segment_by=segment` +
      `&value_event=report_created&tz=${encodeURIComponent(tz)}`;
    const get = async (tz: string) => {
      const began = performance.now();
      const response = await fetch(`${server.ready.url}${path(tz)}`, { headers });
      const text = await response.text();
      const ms = performance.now() - began;
      if (!response.ok) throw new Error(`GET ${path(tz)}: ${response.status} ${text.slice(0, 300)}`);
      return { ms, rows: (JSON.parse(text) as { rows: ReportRow[] }).rows };
    };
    progress(`report: GET /api/v1/report on the server, first request then warm-up + ${options.repeat}`);
    const first = await get('UTC');
    const names = [...UTC_NAMES, ...MORE_UTC_NAMES].slice(0, options.repeat + 1);
    if (names.length < options.repeat + 1)
      progress(`  only ${names.length - 1} uncached runs: there are no more names of UTC`);
    const uncached = [];
    for (const name of names) uncached.push(await get(name));
    const cached = [];
    for (let i = 0; i < options.repeat; i++) cached.push(await get('UTC'));
    const answers = [first, ...uncached, ...cached];
    const comparisons = answers.map((a) => compareReports('server', a.rows, 'CLI', cli.rows));
    const worstComparison = comparisons.sort((x, y) => badness(y) - badness(x))[0]!;
    const sameAsCli = badness(worstComparison) <= TOLERANCE;
    if (!sameAsCli) progress(describeComparison(worstComparison).join('\n'));
    const uncachedRuns = uncached.slice(1).map((a) => a.ms);
    const cachedRuns = cached.map((a) => a.ms);
    progress(
      `  first ${first.ms.toFixed(1)} ms, uncached median ${median(uncachedRuns).toFixed(1)} ms, ` +
        `cached median ${median(cachedRuns).toFixed(1)} ms; CLI ${(cli.timing.medianSeconds * 1000).toFixed(0)} ms; ` +
        `answers ${sameAsCli ? `equal the CLI's (within ${TOLERANCE})` : "DIFFER from the CLI's"}`,
    );
    const cachedLoad = await runLoad({
      label: 'GET /api/v1/report, cached',
      url: server.ready.url,
      connections: options.connections,
      seconds: options.duration,
      requests: [{ method: 'GET', path: path('UTC'), headers }],
      serverCpu: server.cpuSeconds,
    });
    return {
      accounts: options.accounts,
      store: store.path,
      importSeconds: store.importSeconds,
      window: { ...REPORT_WINDOW, valueEvent: 'report_created' },
      cli: cli.timing,
      firstRequestMs: first.ms,
      uncachedMs: { runs: uncachedRuns, median: median(uncachedRuns) },
      cachedMs: { runs: cachedRuns, median: median(cachedRuns) },
      cachedLoad,
      sameAsCli,
      worstComparison,
    };
  } finally {
    await server.stop();
  }
}

/** `fidelio report` on the same store and window: a new process per run, one warm-up then `repeat`. */
async function timeCli(store: string, options: ServerBenchOptions) {
  const args = [
    CLI,
    ...reportArgs(store, {
      sizes: [options.accounts],
      seed: options.seed,
      repeat: options.repeat,
      from: REPORT_WINDOW.from,
      to: REPORT_WINDOW.to,
      endMonth: END_MONTH,
      profile: false,
      summarize: false,
    }),
  ];
  progress(`report: fidelio report (CLI) on the same store, warm-up + ${options.repeat}`);
  const warmup = await runMeasured('node', args);
  const runs: number[] = [];
  let peak = warmup.peakMb;
  let maxLoad = warmup.maxLoad;
  let last = warmup;
  for (let i = 0; i < options.repeat; i++) {
    last = await runMeasured('node', args);
    runs.push(last.seconds);
    peak = Math.max(peak ?? 0, last.peakMb ?? 0);
    maxLoad = Math.max(maxLoad, last.maxLoad);
  }
  const timing = reportTiming('CLI process, wall clock', warmup.seconds, runs, peak, maxLoad);
  progress(`  CLI median ${timing.medianSeconds.toFixed(3)} s`);
  return { timing, rows: (JSON.parse(last.stdout) as { rows: ReportRow[] }).rows };
}

/** The largest relative difference of any KPI; a missing row or a null on one side only counts as 1. */
function badness(c: Comparison): number {
  if (c.unmatchedRows > 0 || c.kpis.some((k) => k.nullMismatches > 0)) return 1;
  return Math.max(0, ...c.kpis.map((k) => k.maxRelative));
}
