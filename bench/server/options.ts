// The server benchmark's options, read once from the command line.
import { parseArgs } from 'node:util';

export const SCENARIOS = ['bare', 'answers', 'usage', 'report'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface ServerBenchOptions {
  /** Seconds of load per scenario. */
  duration: number;
  /** Concurrent HTTP connections of the load generator. */
  connections: number;
  /** Rows per request of the batch-ingest scenario. */
  batchRows: number;
  /** Accounts of the demo store the report is read from. */
  accounts: number;
  seed: number;
  /** Timed report requests (uncached, cached, CLI) after one warm-up each. */
  repeat: number;
  scenarios: Scenario[];
  /** CPU-profile the Fidelio server processes and time every DuckDB statement they run. */
  profile: boolean;
}

const USAGE = `usage: npm run bench:server [-- --duration 20] [--connections 50] [--accounts 5000] [--only bare,answers]
  --duration S      seconds of load per scenario (default 20)
  --connections N   concurrent connections (default 50)
  --batch-rows N    usage rows per request of the batch scenario (default 1000, the API's maximum)
  --accounts N      accounts of the demo store the report reads (default 5000; 1000000 takes minutes to build)
  --seed N          demo generator seed (default 1)
  --repeat N        timed report requests after one warm-up (default 5)
  --only LIST       scenarios to run, of ${SCENARIOS.join(',')} (default all)
  --profile         CPU-profile each Fidelio server and time every DuckDB statement it runs`;

export function readServerOptions(argv: readonly string[]): ServerBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      duration: { type: 'string', default: '20' },
      connections: { type: 'string', default: '50' },
      'batch-rows': { type: 'string', default: '1000' },
      accounts: { type: 'string', default: '5000' },
      seed: { type: 'string', default: '1' },
      repeat: { type: 'string', default: '5' },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const scenarios = values.only ? values.only.split(',').map((s) => s.trim()) : [...SCENARIOS];
  const unknown = scenarios.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`--only: unknown scenario ${unknown.join(', ')}\n${USAGE}`);
  return {
    duration: positive(values.duration, '--duration'),
    connections: positive(values.connections, '--connections'),
    batchRows: positive(values['batch-rows'], '--batch-rows'),
    accounts: positive(values.accounts, '--accounts'),
    seed: positive(values.seed, '--seed'),
    repeat: positive(values.repeat, '--repeat'),
    scenarios: scenarios as Scenario[],
    profile: values.profile,
  };
}

function positive(text: string, option: string): number {
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${option}: ${text} is not a positive integer\n${USAGE}`);
  return value;
}
