// Test helper: a fresh in-memory store loaded from CSV text through the real import path.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFolder } from '../../src/ingest/csv-import.js';
import { DEFAULT_CONFIG, type KpiConfig } from '../../src/kpi/config.js';
import { computeReport, type Report, type ReportRequest } from '../../src/kpi/engine.js';
import { openDuckDbStore } from '../../src/store/duckdb-store.js';
import type { Store } from '../../src/store/store.js';

/** Writes `files` (name → CSV text) to a temporary folder and imports it into `store`. */
export async function importCsv(store: Store, files: Record<string, string>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'fidelio-test-'));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    await importFolder(store, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function storeFromCsv(files: Record<string, string>): Promise<Store> {
  const store = await openDuckDbStore(':memory:');
  await importCsv(store, files);
  return store;
}

type Options = Partial<Omit<ReportRequest, 'from' | 'to' | 'config'>> & { config?: Partial<KpiConfig> };

/** The report of a store for [from, to), monthly unless told otherwise. */
export function report(store: Store, from: string, to: string, options: Options = {}): Promise<Report> {
  return computeReport(store, {
    period: 'month',
    ...options,
    from: new Date(from),
    to: new Date(to),
    config: { ...DEFAULT_CONFIG, ...options.config },
  });
}

/** The KPIs of one row, found by its period start (YYYY-MM-DD) and segment (null = total). */
export function row(r: Report, start: string, segment: string | null = null): Record<string, number | null> {
  const found = r.rows.find((x) => x.start.startsWith(start) && x.segment === segment);
  if (!found) throw new Error(`no row ${start} / ${segment}`);
  return found.kpis;
}
