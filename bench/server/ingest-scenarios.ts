// The three load scenarios, each against its own server process: the bare Fastify baseline, one NPS answer
// per request, and batches of usage rows; the ingest ones on a new store, checked after the server closed.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { progress } from '../log.js';
import { benchScript, DATA_DIR } from '../paths.js';
import { type CpuSummary, summariseCpuProfiles } from './cpu-profile.js';
import type { FidelioServerClosed, FidelioServerConfig, FidelioServerReady } from './fidelio-server.js';
import {
  type Acks,
  answerBody,
  newAcks,
  numberedPosts,
  usageBody,
  type Verification,
  verifyStore,
} from './ingest-load.js';
import { type LoadResult, runLoad } from './load.js';
import type { ServerBenchOptions } from './options.js';
import { startServerProcess } from './server-process.js';

const DAY_MS = 86_400_000;
/** Accounts stored before the ingest loads; answers and usage rows name them in turn. */
const ACCOUNTS = 100;

export interface IngestResult {
  load: LoadResult;
  /** Rows stored per second (acknowledged requests × rows per request ÷ seconds). */
  rowsPerSecond: number;
  verification: Verification;
  refusals: string[];
  server: FidelioServerClosed;
  cpuProfile: CpuSummary[] | null;
}

export async function benchBare(options: ServerBenchOptions): Promise<LoadResult> {
  const server = await startServerProcess<{ url: string }, object>(benchScript('server/bare-server.js'), []);
  try {
    const body = answerBody(['acct-0'], Date.now() - DAY_MS)(0);
    return await runLoad({
      label: 'bare Fastify 204',
      url: `${server.ready.url}/bare`,
      connections: options.connections,
      seconds: options.duration,
      requests: [{ method: 'POST', path: '/bare', headers: { 'content-type': 'application/json' }, body }],
      serverCpu: server.cpuSeconds,
    });
  } finally {
    await server.stop();
  }
}

export function benchAnswers(options: ServerBenchOptions): Promise<IngestResult> {
  return benchIngest(options, {
    label: 'POST /api/v1/responses, 1 answer',
    path: '/api/v1/responses',
    rows: 1,
    body: (accounts, base) => answerBody(accounts, base),
    table: 'ws_bench.responses',
    requestOf: 'CAST(substr(response_id, 2) AS BIGINT)',
  });
}

export function benchUsage(options: ServerBenchOptions): Promise<IngestResult> {
  const rows = options.batchRows;
  return benchIngest(options, {
    label: `POST /api/v1/usage, ${rows} rows`,
    path: '/api/v1/usage',
    rows,
    body: (accounts, base) => usageBody(accounts, base, rows),
    table: 'ws_bench.usage_events',
    requestOf: (base) => `(epoch_ms(occurred_at) - ${base}) // ${rows}`,
  });
}

interface IngestPlan {
  label: string;
  path: string;
  rows: number;
  body: (accountIds: readonly string[], base: number) => (n: number) => string;
  table: string;
  requestOf: string | ((base: number) => string);
}

async function benchIngest(options: ServerBenchOptions, plan: IngestPlan): Promise<IngestResult> {
  const scratch = await mkdtemp(join(tmpdir(), 'fidelio-server-bench-'));
  const profileDir = options.profile ? await profileFolder(plan.path) : null;
  try {
    const now = Date.now();
    // Instants lie in the past (the API refuses those more than 24 h ahead); one millisecond apart.
    const base = now - 30 * DAY_MS;
    const config: FidelioServerConfig = {
      db: join(scratch, 'bench.duckdb'),
      workspace: 'bench',
      accounts: ACCOUNTS,
      accountsCreatedAt: new Date(now - 365 * DAY_MS).toISOString(),
      profile: options.profile,
    };
    const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const server = await startServerProcess<FidelioServerReady, FidelioServerClosed>(
      benchScript('server/fidelio-server.js'),
      [JSON.stringify(config)],
      flags,
    );
    const acks: Acks = newAcks();
    let load: LoadResult;
    let closed: FidelioServerClosed;
    try {
      load = await runLoad({
        label: plan.label,
        url: server.ready.url,
        connections: options.connections,
        seconds: options.duration,
        requests: numberedPosts(
          plan.path,
          server.ready.token,
          plan.body(server.ready.accountIds, base),
          acks,
        ),
        serverCpu: server.cpuSeconds,
      });
    } finally {
      closed = await server.stop();
    }
    progress(`  server closed; checking the store against ${acks.acknowledged.size} acknowledgements`);
    const requestOf = typeof plan.requestOf === 'string' ? plan.requestOf : plan.requestOf(base);
    const verification = await verifyStore(
      config.db,
      plan.table,
      requestOf,
      plan.rows,
      acks,
      load.ok,
      options.connections,
    );
    progress(
      `  store ${verification.ok ? 'OK' : 'MISMATCH'}: ${verification.storedRequests} requests stored, ` +
        `${verification.acknowledged} acknowledged, ${verification.acknowledgedMissing} acknowledged but missing, ` +
        `${verification.unacknowledgedStored} stored while their answer was in flight`,
    );
    return {
      load,
      rowsPerSecond: (load.ok * plan.rows) / load.seconds,
      verification,
      refusals: acks.refusals,
      server: closed,
      cpuProfile: profileDir ? await summariseCpuProfiles(profileDir) : null,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Where --profile keeps a scenario's .cpuprofile (open it in Chrome DevTools): bench/data/server-profiles/. */
async function profileFolder(path: string): Promise<string> {
  const dir = join(
    DATA_DIR,
    'server-profiles',
    `${new Date().toISOString().replaceAll(':', '-')}${path.replaceAll('/', '_')}`,
  );
  await mkdir(dir, { recursive: true });
  progress(`  CPU profile of the server goes to ${dir}`);
  return dir;
}
