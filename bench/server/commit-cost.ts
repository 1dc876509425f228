// Child process for --profile: what one group commit costs without HTTP — storeLiveBatch in one transaction,
// as the commit queue runs it, for batches of k single-answer requests and of k usage requests, on a file
// store (durable) and in memory (no fsync); then the floor of a durable write (commit-floor.ts).
// Usage: node commit-cost.js DB OUT; writes {costs, floors} to OUT.
import { writeFile } from 'node:fs/promises';
import { IMPORT_FILES } from '../../src/domain/import-format.js';
import { type LiveRequest, storeLiveBatch } from '../../src/ingest/live-batch.js';
import { openDuckDbStore } from '../../src/store/duckdb-store.js';
import type { Store } from '../../src/store/store.js';
import { median } from '../stats.js';
import { type CommitFloor, commitFloors } from './commit-floor.js';
import { answerBody, usageBody } from './ingest-load.js';
import { type StatementStat, timeStatements } from './statement-timer.js';

export interface CommitCost {
  store: 'file' | 'memory';
  kind: 'answers' | 'usage';
  /** Requests per commit, and rows per request. */
  requests: number;
  rowsPerRequest: number;
  commits: number;
  medianMs: number;
  /** Rows per second one writer reaches at this batch size (rows ÷ median commit). */
  rowsPerSecond: number;
  /** The costliest statements of these commits, ms per commit. */
  statements: { statement: string; msPerCommit: number }[];
}

const DAY_MS = 86_400_000;
const spec = (table: string) => IMPORT_FILES.find((f) => f.table === table)!;
const parse = (text: string) =>
  (JSON.parse(text) as Record<string, string | number>[]).map((row) => ({
    cells: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)])),
  }));

const [path, out] = process.argv.slice(2);
if (!path || !out) throw new Error('usage: commit-cost DB OUT');

const results: CommitCost[] = [];
for (const [where, file] of [
  ['file', path],
  ['memory', ':memory:'],
] as const) {
  const store = await openDuckDbStore(file);
  const accounts = Array.from({ length: 100 }, (_, i) => `acct-${i}`);
  const created = new Date(Date.now() - 365 * DAY_MS).toISOString();
  await commit(store, [
    {
      spec: spec('accounts'),
      rows: accounts.map((id) => ({ cells: { account_id: id, created_at: created } })),
    },
  ]);
  const base = Date.now() - 30 * DAY_MS;
  let next = 0;
  const answers = answerBody(accounts, base);
  for (const k of [1, 5, 25, 50, 200, 1000]) {
    results.push(
      await measure(store, where, 'answers', k, 1, () =>
        Array.from({ length: k }, () => ({ spec: spec('responses'), rows: parse(answers(next++)) })),
      ),
    );
  }
  const usage = usageBody(accounts, base, 1000);
  for (const k of [1, 5, 10]) {
    results.push(
      await measure(store, where, 'usage', k, 1000, () =>
        Array.from({ length: k }, () => ({ spec: spec('usage_events'), rows: parse(usage(next++)) })),
      ),
    );
  }
  await store.close();
}
const floors: CommitFloor[] = await commitFloors(`${path}.floor`, [25, 1000]);
await writeFile(out, JSON.stringify({ costs: results, floors }));

async function commit(store: Store, requests: LiveRequest[]) {
  const outcomes = await store.transaction(() => storeLiveBatch(store, requests, new Date()));
  const refused = outcomes.find((o) => o.status !== 'stored');
  if (refused) throw new Error(`refused: ${JSON.stringify(refused)}`);
}

/** Commits of k requests for about 3 s (at least 5, at most 60), after one warm-up commit. */
async function measure(
  store: Store,
  where: 'file' | 'memory',
  kind: 'answers' | 'usage',
  k: number,
  rowsPerRequest: number,
  batch: () => LiveRequest[],
): Promise<CommitCost> {
  await commit(store, batch());
  const stop = timeStatements();
  const runs: number[] = [];
  const began = performance.now();
  while (runs.length < 5 || (runs.length < 60 && performance.now() - began < 3000)) {
    const requests = batch();
    const start = performance.now();
    await commit(store, requests);
    runs.push(performance.now() - start);
  }
  const profile = stop();
  const ms = median(runs);
  const top = (s: StatementStat) => ({
    statement: s.statement.slice(0, 70),
    msPerCommit: s.totalMs / runs.length,
  });
  return {
    store: where,
    kind,
    requests: k,
    rowsPerRequest,
    commits: runs.length,
    medianMs: ms,
    rowsPerSecond: (k * rowsPerRequest * 1000) / ms,
    statements: profile.statements.slice(0, 8).map(top),
  };
}
