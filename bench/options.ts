// The benchmark's options, read once from the command line and the environment.
import { parseArgs } from 'node:util';

export interface BenchOptions {
  sizes: number[];
  seed: number;
  /** Timed runs of each report after its warm-up. */
  repeat: number;
  /** Report window: 36 months ending with the demo's last month. */
  from: string;
  to: string;
  /** The demo's last month (YYYY-MM). */
  endMonth: string;
  /** Also import and report once in-process with every statement timed (where the time goes). */
  profile: boolean;
  /** Print the table of the latest saved results and run nothing. */
  summarize: boolean;
}

const DEFAULT_SIZES = [10_000, 100_000, 1_000_000];

const USAGE = `usage: npm run bench [-- --sizes 10000,100000] [--quick] [--seed 1] [--repeat 5]
  --sizes N,N…  account counts to benchmark (default ${DEFAULT_SIZES.join(',')})
  --quick       leave out 1,000,000 accounts (also FIDELIO_BENCH_QUICK=1)
  --seed N      demo generator seed (default 1)
  --repeat N    timed report runs after one warm-up (default 5)
  --profile     also time every SQL statement of one import and one report (a second import)
  --summarize   print the table of the latest saved result of each size (bench/results/) and stop`;

export function readOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string' },
      quick: { type: 'boolean', default: false },
      seed: { type: 'string', default: '1' },
      repeat: { type: 'string', default: '5' },
      profile: { type: 'boolean', default: false },
      summarize: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  let sizes = values.sizes ? values.sizes.split(',').map((s) => positive(s, '--sizes')) : DEFAULT_SIZES;
  if (values.quick || env.FIDELIO_BENCH_QUICK === '1') sizes = sizes.filter((n) => n < 1_000_000);
  return {
    sizes,
    seed: positive(values.seed, '--seed'),
    repeat: positive(values.repeat, '--repeat'),
    from: '2023-12-01',
    to: '2026-12-01',
    endMonth: '2026-11',
    profile: values.profile,
    summarize: values.summarize,
  };
}

function positive(text: string, option: string): number {
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${option}: ${text} is not a positive integer\n${USAGE}`);
  return value;
}
