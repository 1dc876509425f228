// Child process: Fidelio's real server (startServer) on a store file, with a workspace, an ingest+read key and
// optionally accounts set up through the hub before it listens. Usage: node fidelio-server.js '<config JSON>'.
// Prints {"ready":{url,token,accountIds}}; on SIGTERM closes (every accepted write commits) and prints
// {"closed":{requests,rows,statements}}.
import { IMPORT_FILES } from '../../src/domain/import-format.js';
import { CommitQueue } from '../../src/server/commit-queue.js';
import { WorkspaceHub } from '../../src/server/hub.js';
import { startServer } from '../../src/server/serve.js';
import { type StatementProfile, timeStatements } from './statement-timer.js';

export interface FidelioServerConfig {
  db: string;
  /** The workspace the key is for; created unless it is "default" (the store's main schema). */
  workspace: string;
  /** Accounts to store before the load (ids acct-0…), created at `accountsCreatedAt`. */
  accounts: number;
  accountsCreatedAt: string;
  /** Time every DuckDB statement and count the rows handed to the commit queue. */
  profile: boolean;
}

export interface FidelioServerReady {
  url: string;
  token: string;
  accountIds: string[];
}

export interface FidelioServerClosed {
  /** Requests and rows handed to the commit queues while the server ran. */
  requests: number;
  rows: number;
  statements: StatementProfile | null;
}

const config = JSON.parse(process.argv[2] ?? '') as FidelioServerConfig;
const accountIds = Array.from({ length: config.accounts }, (_, i) => `acct-${i}`);

const hub = await WorkspaceHub.open(config.db);
let token: string;
try {
  const workspace =
    config.workspace === 'default'
      ? await hub.tenancy.requireWorkspace('default')
      : await hub.tenancy.createWorkspace(config.workspace);
  token = (await hub.tenancy.createKey(config.workspace, ['ingest', 'read'])).token;
  if (accountIds.length > 0) {
    const runtime = await hub.runtime(workspace);
    const spec = IMPORT_FILES.find((f) => f.table === 'accounts')!;
    const rows = accountIds.map((id) => ({
      cells: {
        account_id: id,
        created_at: config.accountsCreatedAt,
        name: id,
        segment: 'bench',
        country: 'IT',
      },
    }));
    const outcome = await runtime.queue.submitRows({ spec, rows });
    if (outcome.status !== 'stored') throw new Error(`accounts refused: ${JSON.stringify(outcome)}`);
  }
} finally {
  await hub.close();
}

let requests = 0;
let rows = 0;
const stopTiming = config.profile ? timeStatements() : null;
const submit = CommitQueue.prototype.submitRows;
CommitQueue.prototype.submitRows = function (request) {
  requests += 1;
  rows += request.rows.length;
  return submit.call(this, request);
};

const server = await startServer({
  db: config.db,
  port: 0,
  host: '127.0.0.1',
  demo: null,
  // The defaults (120,000 a minute per key) would cap a load test at 2,000 requests/s.
  rateLimits: { perCaller: 1e9, perIp: 1e9 },
});
const ready: FidelioServerReady = { url: server.url, token, accountIds };
process.stdout.write(`${JSON.stringify({ ready })}\n`);

process.once('SIGTERM', async () => {
  await server.close();
  const closed: FidelioServerClosed = { requests, rows, statements: stopTiming ? stopTiming() : null };
  process.stdout.write(`${JSON.stringify({ closed })}\n`, () => process.exit(0));
});
