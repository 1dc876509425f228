// Reads the saved results back (bench/results/*.json), keeping the latest run of each size.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULTS_DIR } from './paths.js';
import type { SizeResult } from './summary.js';

export async function latestResults(): Promise<SizeResult[]> {
  const latest = new Map<number, SizeResult>();
  for (const file of (await readdir(RESULTS_DIR)).filter((f) => f.endsWith('.json'))) {
    const result = JSON.parse(await readFile(join(RESULTS_DIR, file), 'utf8')) as SizeResult;
    const known = latest.get(result.dataset.accounts);
    if (!known || known.date < result.date) latest.set(result.dataset.accounts, result);
  }
  return [...latest.values()].sort((a, b) => a.dataset.accounts - b.dataset.accounts);
}
