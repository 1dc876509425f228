// Child process for --profile: an in-process import and a warm report through a TimingStore, to show where
// the time goes. Usage: node dist/bench/profile.js CSV_DIR STORE FROM TO OUT; writes a Profile to OUT.
import { writeFile } from 'node:fs/promises';
import { type ImportProgress, importFolder } from '../src/ingest/csv-import.js';
import { computeReport } from '../src/kpi/engine.js';
import { openDuckDbStore } from '../src/store/duckdb-store.js';
import { benchRequest } from './report-request.js';
import { type StatementTime, TimingStore } from './timing-store.js';

export interface Profile {
  /** Seconds from one import progress event to the next, e.g. "loading usage.csv". */
  importPhases: { phase: string; seconds: number }[];
  importStatements: StatementTime[];
  reportStatements: StatementTime[];
}

const [csvDir, path, from, to, out] = process.argv.slice(2);
if (!csvDir || !path || !from || !to || !out) throw new Error('usage: profile CSV_DIR STORE FROM TO OUT');

const store = new TimingStore(await openDuckDbStore(path));
const phases: { phase: string; seconds: number }[] = [];
let last: { phase: string; at: number } | null = null;
const onProgress = (p: ImportProgress) => {
  const now = performance.now();
  if (last) phases.push({ phase: last.phase, seconds: (now - last.at) / 1000 });
  last = { phase: `${p.phase}${p.file ? ` ${p.file}` : ''}`, at: now };
};
await importFolder(store, csvDir, { onProgress });
const importStatements = store.times.splice(0);
await computeReport(store, benchRequest(from, to)); // warm-up
store.times.splice(0);
await computeReport(store, benchRequest(from, to));
const profile: Profile = { importPhases: phases, importStatements, reportStatements: store.times };
await store.close();
await writeFile(out, JSON.stringify(profile));
