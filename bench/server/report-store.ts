// The demo store the report scenario reads: bench/data/<size>-seed<seed>/server-report.duckdb, imported once
// from the harness's cached demo CSVs (`fidelio demo --csv`, then `fidelio import`) and reused afterwards.
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runMeasured } from '../child.js';
import { type Dataset, ensureDataset } from '../dataset.js';
import { progress } from '../log.js';
import { CLI } from '../paths.js';

/** The demo's last month, as in `npm run bench` (the datasets are shared). */
export const END_MONTH = '2026-11';

export interface ReportStore {
  path: string;
  dataset: Dataset;
  /** Seconds the import took, or null when the store was reused. */
  importSeconds: number | null;
}

export async function ensureReportStore(accounts: number, seed: number): Promise<ReportStore> {
  const dataset = await ensureDataset(accounts, {
    sizes: [accounts],
    seed,
    repeat: 1,
    from: '',
    to: '',
    endMonth: END_MONTH,
    profile: false,
    summarize: false,
  });
  const path = join(dataset.dir, 'server-report.duckdb');
  if (existsSync(path)) {
    progress(`report store: reusing ${path}`);
    return { path, dataset, importSeconds: null };
  }
  // Imported under another name and renamed when complete, so an interrupted import is never reused.
  const partial = join(dataset.dir, 'server-report.partial.duckdb');
  await rm(partial, { force: true });
  await rm(`${partial}.wal`, { force: true });
  progress(`report store: fidelio import of ${dataset.totalRows.toLocaleString('en-US')} rows into ${path}`);
  const run = await runMeasured('node', [CLI, 'import', dataset.csvDir, '--db', partial]);
  await rename(partial, path);
  progress(`report store: imported in ${run.seconds.toFixed(1)} s`);
  return { path, dataset, importSeconds: run.seconds };
}
