// `npm run bench:server`: the HTTP server under load — a bare Fastify route as the baseline, single NPS answers,
// batches of usage rows, and the report (uncached, cached, against the CLI) — with the store checked afterwards.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { progress } from '../log.js';
import { describeMachine } from '../machine.js';
import { RESULTS_DIR, ROOT } from '../paths.js';
import { benchAnswers, benchBare, benchUsage } from './ingest-scenarios.js';
import { readServerOptions, SCENARIOS, type ServerBenchOptions } from './options.js';
import { benchCommitCost, commitCostTable, describeIngestProfile } from './profile-report.js';
import { benchReport } from './report-bench.js';
import { serverNotes } from './server-process.js';
import { type ServerBenchResult, serverTables, targets } from './summary.js';

const options = parseOptionsOrExit();
const machine = describeMachine();
progress(
  `${machine.cores} cores, ${machine.memoryMb} MB, node ${machine.node}; scenarios ${options.scenarios.join(', ')}`,
);
const loadBefore = loadavg();
const commit = commitOf();
const runs = new Set(options.scenarios);
const bare = runs.has('bare') ? await benchBare(options) : null;
const answers = runs.has('answers') ? await benchAnswers(options) : null;
const usage = runs.has('usage') ? await benchUsage(options) : null;
const report = runs.has('report') ? await benchReport(options) : null;
const commitCost = options.profile ? await benchCommitCost() : null;
const partial = {
  date: new Date().toISOString(),
  commit,
  machine,
  loadAverage: { before: loadBefore, after: loadavg() },
  options,
  bare,
  answers,
  usage,
  report,
  commitCost,
  notes: serverNotes,
};
const result: ServerBenchResult = { ...partial, targets: targets(partial) };
process.stdout.write(`\n${serverTables(result)}\n`);
if (serverNotes.length > 0) process.stdout.write(`\nnotes:\n${serverNotes.join('\n')}\n`);
for (const ingest of [answers, usage]) {
  if (ingest?.refusals.length)
    process.stdout.write(`\nrefused (${ingest.load.label}):\n${ingest.refusals.join('\n')}\n`);
}
if (options.profile) {
  process.stdout.write('\nwhere the time goes:\n');
  for (const ingest of [answers, usage])
    if (ingest) process.stdout.write(`${describeIngestProfile(ingest).join('\n')}\n`);
  if (commitCost) process.stdout.write(`\ngroup commits without HTTP:\n${commitCostTable(commitCost)}\n`);
}
const dir = join(RESULTS_DIR, 'server');
await mkdir(dir, { recursive: true });
// A partial run (--only) or a profiled one is saved beside the full run of the day, not over it.
const only = options.scenarios.length < SCENARIOS.length ? `-${options.scenarios.join('+')}` : '';
const file = join(
  dir,
  `${result.date.slice(0, 10)}-${options.accounts}${only}${options.profile ? '-profile' : ''}.json`,
);
await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
progress(`saved ${file}`);

function commitOf(): ServerBenchResult['commit'] {
  const git = (...args: string[]) => execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).trim();
  try {
    return { id: git('rev-parse', 'HEAD'), srcDirty: git('status', '--porcelain', '--', 'src') !== '' };
  } catch {
    return { id: 'unknown', srcDirty: false };
  }
}

function parseOptionsOrExit(): ServerBenchOptions {
  try {
    return readServerOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench:server: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
}
