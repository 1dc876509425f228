// Times Fidelio itself as users run it: `fidelio import` into a fresh store, then `fidelio report`.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runMeasured } from './child.js';
import type { Dataset } from './dataset.js';
import { progress } from './log.js';
import type { BenchOptions } from './options.js';
import { benchScript, CLI } from './paths.js';
import type { Profile } from './profile.js';
import { maxPeak, type ReportTiming, reportTiming } from './timing.js';

export interface ImportResult {
  store: string;
  seconds: number;
  rowsPerSecond: number;
  peakMb: number | null;
  maxLoad: number;
}

/** `fidelio import` of the whole folder into a new store; rows/s counts every CSV data row. */
export async function benchImport(dataset: Dataset): Promise<ImportResult> {
  const store = join(dataset.dir, 'fidelio.duckdb');
  await rm(store, { force: true });
  await rm(`${store}.wal`, { force: true });
  progress(
    `${dataset.accounts} accounts: fidelio import (${dataset.totalRows.toLocaleString('en-US')} rows)`,
  );
  const run = await runMeasured('node', [CLI, 'import', dataset.csvDir, '--db', store]);
  const rowsPerSecond = dataset.totalRows / run.seconds;
  progress(
    `  import ${run.seconds.toFixed(2)} s, ${Math.round(rowsPerSecond).toLocaleString('en-US')} rows/s`,
  );
  return { store, seconds: run.seconds, rowsPerSecond, peakMb: run.peakMb, maxLoad: run.maxLoad };
}

export function reportArgs(store: string, options: BenchOptions): string[] {
  return [
    ...['report', '--db', store, '--from', options.from, '--to', options.to, '--period', 'month'],
    ...['--segment-by', 'segment', '--value-event', 'report_created', '--format', 'json'],
  ];
}

/** `fidelio report` as a whole CLI process (start-up, opening the store, every KPI, JSON out). */
export async function benchReportCli(
  dataset: Dataset,
  store: string,
  options: BenchOptions,
): Promise<{ timing: ReportTiming; reportFile: string }> {
  const args = [CLI, ...reportArgs(store, options)];
  progress(`${dataset.accounts} accounts: fidelio report (CLI), warm-up + ${options.repeat}`);
  const warmup = await runMeasured('node', args);
  let peak = warmup.peakMb;
  let maxLoad = warmup.maxLoad;
  const runs: number[] = [];
  let last = warmup;
  for (let i = 0; i < options.repeat; i++) {
    last = await runMeasured('node', args);
    runs.push(last.seconds);
    peak = maxPeak(peak, last.peakMb);
    maxLoad = Math.max(maxLoad, last.maxLoad);
  }
  const reportFile = join(dataset.dir, 'fidelio-report.json');
  await writeFile(reportFile, last.stdout);
  const timing = reportTiming('CLI process, wall clock', warmup.seconds, runs, peak, maxLoad);
  progress(`  report median ${timing.medianSeconds.toFixed(3)} s`);
  return { timing, reportFile };
}

/** The report engine called in a warm process on an open store: the figure the 1 s target is about. */
export async function benchReportInProcess(
  dataset: Dataset,
  store: string,
  options: BenchOptions,
): Promise<ReportTiming> {
  progress(
    `${dataset.accounts} accounts: fidelio report (in-process computeReport), warm-up + ${options.repeat}`,
  );
  const out = join(dataset.dir, 'fidelio-inprocess.json');
  const run = await runMeasured('node', [
    benchScript('report-inprocess.js'),
    ...[store, options.from, options.to, String(options.repeat), out],
  ]);
  const { runs_s } = JSON.parse(await readFile(out, 'utf8')) as { runs_s: number[] };
  const timing = reportTiming(
    'in-process computeReport on an open store',
    null,
    runs_s,
    run.peakMb,
    run.maxLoad,
  );
  progress(`  report in-process median ${timing.medianSeconds.toFixed(3)} s`);
  return timing;
}

/** --profile: import into a scratch store and report once more, in-process, timing every statement. */
export async function profileFidelio(dataset: Dataset, options: BenchOptions): Promise<Profile> {
  progress(`${dataset.accounts} accounts: profile (in-process import + report, every statement timed)`);
  const store = join(dataset.dir, 'profile.duckdb');
  const out = join(dataset.dir, 'profile.json');
  await rm(store, { force: true });
  await runMeasured('node', [
    benchScript('profile.js'),
    dataset.csvDir,
    store,
    options.from,
    options.to,
    out,
  ]);
  await rm(store, { force: true });
  return JSON.parse(await readFile(out, 'utf8')) as Profile;
}
