// Child process: Fidelio's report engine called in-process on an open store, a warm-up then N timed runs.
// Usage: node dist/bench/report-inprocess.js STORE FROM TO REPEAT OUT; writes {runs_s, peak_rss_mb} to OUT.
import { writeFile } from 'node:fs/promises';
import { computeReport } from '../src/kpi/engine.js';
import { openDuckDbStore } from '../src/store/duckdb-store.js';
import { peakRssMb } from './proc.js';
import { benchRequest } from './report-request.js';

const [path, from, to, repeat, out] = process.argv.slice(2);
if (!path || !from || !to || !repeat || !out)
  throw new Error('usage: report-inprocess STORE FROM TO REPEAT OUT');

const store = await openDuckDbStore(path);
const request = benchRequest(from, to);
await computeReport(store, request); // warm-up
const runs: number[] = [];
for (let i = 0; i < Number(repeat); i++) {
  const began = performance.now();
  await computeReport(store, request);
  runs.push((performance.now() - began) / 1000);
}
await store.close();
await writeFile(out, JSON.stringify({ runs_s: runs, peak_rss_mb: await peakRssMb() }));
