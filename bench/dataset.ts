// Generates a demo CSV folder once per (size, seed) under bench/data/ and counts its data rows.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { runMeasured } from './child.js';
import { progress } from './log.js';
import type { BenchOptions } from './options.js';
import { CLI, DATA_DIR } from './paths.js';

export interface Dataset {
  /** bench/data/<size>-seed<seed>: the CSV folder, and a scratch place for stores and reports. */
  dir: string;
  csvDir: string;
  accounts: number;
  seed: number;
  endMonth: string;
  /** Data rows (header excluded) per CSV file. */
  rows: Record<string, number>;
  totalRows: number;
  bytes: number;
  generateSeconds: number;
}

/** The cached dataset for `accounts`, generating it with `fidelio demo --csv` when absent or incomplete. */
export async function ensureDataset(accounts: number, options: BenchOptions): Promise<Dataset> {
  const dir = join(DATA_DIR, `${accounts}-seed${options.seed}`);
  const csvDir = join(dir, 'csv');
  const manifest = join(dir, 'manifest.json');
  if (existsSync(manifest)) {
    // The folder may have moved since it was generated: trust the manifest's counts, not its paths.
    const cached = { ...(JSON.parse(await readFile(manifest, 'utf8')) as Dataset), dir, csvDir };
    if (cached.endMonth === options.endMonth) {
      progress(`${accounts} accounts: reusing ${cached.totalRows.toLocaleString('en-US')} rows in ${csvDir}`);
      return cached;
    }
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(csvDir, { recursive: true });
  progress(`${accounts} accounts: generating demo data (fidelio demo --csv, seed ${options.seed})`);
  const generated = await runMeasured('node', [
    CLI,
    'demo',
    '--csv',
    csvDir,
    '--accounts',
    String(accounts),
    '--seed',
    String(options.seed),
    '--end',
    options.endMonth,
  ]);
  progress(`${accounts} accounts: generated in ${generated.seconds.toFixed(1)} s; counting rows`);
  const { rows, bytes } = await countRows(csvDir);
  const dataset: Dataset = {
    dir,
    csvDir,
    accounts,
    seed: options.seed,
    endMonth: options.endMonth,
    rows,
    totalRows: Object.values(rows).reduce((a, b) => a + b, 0),
    bytes,
    generateSeconds: generated.seconds,
  };
  await writeFile(manifest, `${JSON.stringify(dataset, null, 2)}\n`);
  return dataset;
}

/** CSV records per file, counted by DuckDB's reader (quoted line breaks stay inside their record). */
async function countRows(csvDir: string): Promise<{ rows: Record<string, number>; bytes: number }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const rows: Record<string, number> = {};
  let bytes = 0;
  try {
    for (const file of (await readdir(csvDir)).filter((f) => f.endsWith('.csv')).sort()) {
      const path = join(csvDir, file);
      bytes += (await stat(path)).size;
      const reader = await connection.runAndReadAll(
        `SELECT count(*) AS n FROM read_csv('${path.replaceAll("'", "''")}', header = true, all_varchar = true)`,
      );
      rows[file] = Number(reader.getRows()[0]?.[0] ?? 0);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return { rows, bytes };
}
