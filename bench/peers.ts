// Runs the two peer baselines on the same data: plain SQL on the store's raw tables, pandas on the CSVs.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runMeasured } from './child.js';
import type { ReportRow } from './cross-check.js';
import type { Dataset } from './dataset.js';
import { progress } from './log.js';
import type { BenchOptions } from './options.js';
import { benchScript, PANDAS_SCRIPT, PYTHON } from './paths.js';
import { type ReportTiming, reportTiming } from './timing.js';

export interface PeerResult {
  timing: ReportTiming;
  /** pandas only: reading and typing the CSVs before the first report. */
  loadSeconds?: number;
  rows: ReportRow[];
}

interface PeerOutput {
  load_s?: number;
  runs_s: number[];
  rows: ReportRow[];
}

export async function benchPlainSql(
  dataset: Dataset,
  store: string,
  options: BenchOptions,
): Promise<PeerResult> {
  progress(`${dataset.accounts} accounts: plain-SQL peer (DuckDB), warm-up + ${options.repeat}`);
  const out = join(dataset.dir, 'plain-sql-report.json');
  const run = await runMeasured('node', [
    benchScript('peer-sql.js'),
    ...[store, options.from, options.to, String(options.repeat), out],
  ]);
  const output = JSON.parse(await readFile(out, 'utf8')) as PeerOutput;
  const timing = reportTiming(
    'in-process query on an open store',
    null,
    output.runs_s,
    run.peakMb,
    run.maxLoad,
  );
  progress(`  plain SQL median ${timing.medianSeconds.toFixed(3)} s`);
  return { timing, rows: output.rows };
}

export async function benchPandas(dataset: Dataset, options: BenchOptions): Promise<PeerResult> {
  progress(`${dataset.accounts} accounts: pandas peer, load + warm-up + ${options.repeat}`);
  const out = join(dataset.dir, 'pandas-report.json');
  const run = await runMeasured(PYTHON, [
    PANDAS_SCRIPT,
    dataset.csvDir,
    ...['--from', options.from, '--to', options.to, '--repeat', String(options.repeat), '--out', out],
  ]);
  const output = JSON.parse(await readFile(out, 'utf8')) as PeerOutput;
  const timing = reportTiming(
    'in-process on loaded DataFrames',
    null,
    output.runs_s,
    run.peakMb,
    run.maxLoad,
  );
  progress(
    `  pandas load ${output.load_s?.toFixed(2)} s, report median ${timing.medianSeconds.toFixed(3)} s`,
  );
  return {
    timing,
    ...(output.load_s === undefined ? {} : { loadSeconds: output.load_s }),
    rows: output.rows,
  };
}

export interface BareLoad {
  seconds: number;
  rowsPerSecond: number;
  peakMb: number | null;
  maxLoad: number;
}

/** DuckDB alone loading the CSVs into a new file, sniffed types, no checks: the ceiling for import rows/s. */
export async function benchBareLoad(dataset: Dataset): Promise<BareLoad> {
  progress(`${dataset.accounts} accounts: bare DuckDB load of the CSVs (no validation)`);
  const store = join(dataset.dir, 'bare-load.duckdb');
  await rm(store, { force: true });
  const run = await runMeasured('node', [benchScript('peer-load.js'), dataset.csvDir, store]);
  await rm(store, { force: true });
  const { seconds, rows } = JSON.parse(run.stdout) as { seconds: number; rows: number };
  progress(
    `  bare load ${seconds.toFixed(2)} s, ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s`,
  );
  return { seconds, rowsPerSecond: rows / seconds, peakMb: run.peakMb, maxLoad: run.maxLoad };
}
