// `npm run bench:insight [-- --accounts 100000]`: on the cached demo store of that size (imported once, shared
// with bench:server), time (1) the CLV input query, the BG/NBD + Gamma-Gamma fits and the 12-month predictions,
// the sBG cohort retention, (2) the health lab's feature query and logistic fit on a range of monthly snapshots,
// (3) theme extraction on N generated customer comments (N = accounts); each the median of --runs runs; print the
// table against the targets, save the JSON.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openWorkspaceStore } from '../../src/cli/workspace-store.js';
import type { Locale } from '../../src/demo/account-profile.js';
import { customerComment, type Sentiment } from '../../src/demo/customer-comments.js';
import { Rng } from '../../src/demo/random.js';
import { readClvInputs } from '../../src/insight/clv/clv-inputs.js';
import { cohortRetention } from '../../src/insight/clv/cohort-retention.js';
import { fitClvModels, predictClv } from '../../src/insight/clv/predict.js';
import { observationTable } from '../../src/insight/health/features.js';
import { defaultSnapshots, trainingData } from '../../src/insight/health/lab.js';
import { fitLogistic } from '../../src/insight/health/logistic.js';
import { extractThemes, type ThemeComment } from '../../src/insight/themes/extract.js';
import { DEFAULT_MIN_MENTIONS } from '../../src/insight/themes/themes.js';
import { progress } from '../log.js';
import { describeMachine } from '../machine.js';
import { RESULTS_DIR, ROOT } from '../paths.js';
import { END_MONTH, ensureReportStore } from '../server/report-store.js';
import { median } from '../stats.js';

const USAGE = `usage: npm run bench:insight [-- --accounts 100000] [--seed 1] [--runs 3] [--months 12] [--comments N] [--steps clv,health,themes]
  --accounts N  demo store size (default 100000; bench/data/<N>-seed<seed>/server-report.duckdb, imported if missing)
  --seed N      demo generator seed (default 1)
  --runs N      timed runs per step; the median is reported (default 3)
  --months N    monthly health snapshots fitted on: the last N whose 90-day label window the data covers (default 12)
  --comments N  generated customer comments for theme extraction (default: as many as accounts)
  --steps LIST  which of clv, cohorts, health, themes to run (default: all four)`;

/** Issue 6: the CLV fits (both models) on the 1M-account demo within 5 s. */
const TARGET_CLV_FITS_1M_S = 5;
const STEPS = ['clv', 'cohorts', 'health', 'themes'];

interface Options {
  accounts: number;
  seed: number;
  runs: number;
  months: number;
  comments: number;
  steps: Set<string>;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '1' },
      runs: { type: 'string', default: '3' },
      months: { type: 'string', default: '12' },
      comments: { type: 'string' },
      steps: { type: 'string', default: STEPS.join(',') },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const positive = (text: string, option: string) => {
    const value = Number(text.replaceAll('_', ''));
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${option}: ${text} is not a positive integer\n${USAGE}`);
    return value;
  };
  const accounts = positive(values.accounts, '--accounts');
  return {
    accounts,
    seed: positive(values.seed, '--seed'),
    runs: positive(values.runs, '--runs'),
    months: positive(values.months, '--months'),
    comments: values.comments === undefined ? accounts : positive(values.comments, '--comments'),
    steps: new Set(
      values.steps.split(',').map((name) => {
        const trimmed = name.trim();
        if (!STEPS.includes(trimmed))
          throw new Error(`--steps: ${trimmed} is not one of ${STEPS.join(', ')}\n${USAGE}`);
        return trimmed;
      }),
    ),
  };
}

interface Step {
  name: string;
  /** Seconds of each run. */
  runs: number[];
  medianS: number;
  targetS: number | null;
  detail: string;
}

const seconds = (start: number) => (performance.now() - start) / 1000;

function step(name: string, runs: number[], detail: string, targetS: number | null = null): Step {
  const medianS = median(runs);
  progress(
    `  ${name}: median ${medianS.toFixed(2)} s of ${runs.map((s) => s.toFixed(2)).join(', ')} (${detail})`,
  );
  return { name, runs, medianS, targetS, detail };
}

const LOCALES: readonly Locale[] = ['en', 'it', 'fr', 'ms'];
const SENTIMENTS: readonly Sentiment[] = ['positive', 'neutral', 'negative'];

/** A CSV field back to its text (the demo's comment book is stored CSV-quoted). */
const unquote = (field: string) =>
  field.startsWith('"') && field.endsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field;

/**
 * N customer comments as in docs/themes.md's measurement: the demo's comment texts in the four languages plus
 * up to three words from a 5,000-word made-up vocabulary (so not every text repeats verbatim); half with a locale.
 */
function generateComments(n: number, seed: number): ThemeComment[] {
  const rng = new Rng(seed);
  const syllables = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vel', 'do', 'ni', 'por', 'gue', 'zi'];
  const vocabulary = Array.from({ length: 5_000 }, () =>
    Array.from({ length: rng.int(2, 4) }, () => rng.pick(syllables)).join(''),
  );
  const comments: ThemeComment[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const locale = rng.pick(LOCALES);
    let text = unquote(customerComment(rng, locale, rng.pick(SENTIMENTS)));
    for (let w = rng.int(0, 3); w > 0; w--) text += ` ${rng.pick(vocabulary)}`;
    comments[i] = { id: `c${i}`, text, locale: rng.chance(0.5) ? locale : null };
  }
  return comments;
}

const options = readOptions();
const loadBefore = loadavg();
const steps: Step[] = [];
// (3) Themes first: extraction alone on generated comments (no store involved). At 1M comments it needs most of
// Node's default 4 GB heap: run after the health step's 4.9M account-snapshots, it ran out of heap (2026-11-23).
if (options.steps.has('themes')) {
  progress(`themes: generating ${options.comments.toLocaleString('en-US')} customer comments`);
  const comments = generateComments(options.comments, options.seed);
  const themeRuns: number[] = [];
  let found = '';
  for (let r = 0; r < options.runs; r++) {
    const start = performance.now();
    const extraction = extractThemes(comments, { minMentions: DEFAULT_MIN_MENTIONS });
    themeRuns.push(seconds(start));
    found = `${extraction.analysed.toLocaleString('en-US')} comments analysed, ${extraction.themes.length} themes`;
    progress(`themes: run ${r + 1}: ${themeRuns.at(-1)!.toFixed(2)} s`);
  }
  steps.push(
    step('theme extraction', themeRuns, `${options.comments.toLocaleString('en-US')} comments; ${found}`),
  );
}
const store = await ensureReportStore(options.accounts, options.seed);
const db = await openWorkspaceStore(store.path);
// The day after the demo's last month: every payment is in the calibration period.
const [year, month] = END_MONTH.split('-').map(Number) as [number, number];
const calibrationEnd = new Date(Date.UTC(year, month, 1));
let clvAccounts = 0;
let snapshotsUsed: string[] = [];
try {
  if (options.steps.has('clv')) {
    // (1) CLV: the per-account summary query, both fits, then both fits with 12 monthly predictions per account.
    progress(
      `clv: ${options.runs} runs of the input query, the BG/NBD + Gamma-Gamma fits and the 12-month predictions (calibration end ${calibrationEnd.toISOString().slice(0, 10)})`,
    );
    const queryRuns: number[] = [];
    const fitRuns: number[] = [];
    const predictRuns: number[] = [];
    let iterations = '';
    for (let r = 0; r < options.runs; r++) {
      let start = performance.now();
      const inputs = await readClvInputs(db, calibrationEnd, 'week');
      queryRuns.push(seconds(start));
      clvAccounts = inputs.accountIds.length;
      start = performance.now();
      const fits = fitClvModels(inputs);
      fitRuns.push(seconds(start));
      iterations = `BG/NBD ${fits.bgnbd.iterations} and Gamma-Gamma ${fits.gammaGamma.iterations} iterations`;
      start = performance.now();
      predictClv(inputs, { horizonMonths: 12, discountMonthly: 0.01, grossMargin: 1, unit: 'week' });
      predictRuns.push(seconds(start));
      progress(
        `clv: run ${r + 1}: query ${queryRuns.at(-1)!.toFixed(2)} s, fits ${fitRuns.at(-1)!.toFixed(2)} s, fits + predictions ${predictRuns.at(-1)!.toFixed(2)} s`,
      );
    }
    const accountsText = `${clvAccounts.toLocaleString('en-US')} accounts`;
    steps.push(step('clv input query', queryRuns, accountsText));
    steps.push(
      step(
        'clv fits (BG/NBD + Gamma-Gamma)',
        fitRuns,
        `${accountsText}; ${iterations}`,
        options.accounts >= 1_000_000 ? TARGET_CLV_FITS_1M_S : null,
      ),
    );
    steps.push(
      step(
        'clv query + fits',
        queryRuns.map((q, i) => q + fitRuns[i]!),
        accountsText,
      ),
    );
    steps.push(step('clv fits + 12-month predictions', predictRuns, accountsText));
  }
  if (options.steps.has('cohorts')) {
    // (1b) Subscription retention: monthly cohorts from mrr_movements and sBG fitted per segment (fidelio cohorts).
    progress(`cohorts: ${options.runs} runs of the cohort query and the sBG fits, overall and per segment`);
    const cohortRuns: number[] = [];
    let fitted = '';
    for (let r = 0; r < options.runs; r++) {
      const start = performance.now();
      const retention = await cohortRetention(db, {
        segmentBy: 'segment',
        months: 36,
        discountMonthly: 0.01,
        grossMargin: 1,
      });
      cohortRuns.push(seconds(start));
      fitted = `${retention.segments.length + 1} sBG fits (overall and per segment)`;
      progress(`cohorts: run ${r + 1}: ${cohortRuns.at(-1)!.toFixed(2)} s`);
    }
    steps.push(step('cohort retention (sBG)', cohortRuns, fitted));
  }
  if (options.steps.has('health')) {
    // (2) Health lab: the feature query over a snapshot range, then the logistic fit (not saved as a model).
    const snapshots = (await defaultSnapshots(db)).slice(-options.months);
    snapshotsUsed = snapshots.map((s) => s.toISOString().slice(0, 10));
    progress(
      `health: ${options.runs} runs of the feature query + fit on ${snapshots.length} monthly snapshots ${snapshotsUsed[0]}…${snapshotsUsed.at(-1)}`,
    );
    const featureRuns: number[] = [];
    const logisticRuns: number[] = [];
    let observed = '';
    for (let r = 0; r < options.runs; r++) {
      let start = performance.now();
      const table = await observationTable(db, snapshots);
      featureRuns.push(seconds(start));
      start = performance.now();
      const labelled = Int32Array.from(table.labels.keys()).filter((row) => table.labels[row]! >= 0);
      const { x, y } = trainingData(table, labelled);
      const fit = fitLogistic(x, y, { l2: 1 });
      logisticRuns.push(seconds(start));
      const churned = y.reduce((sum, label) => sum + label, 0);
      observed = `${labelled.length.toLocaleString('en-US')} account-snapshots, ${churned.toLocaleString('en-US')} churned; ${fit.iterations} iterations`;
      progress(
        `health: run ${r + 1}: features ${featureRuns.at(-1)!.toFixed(2)} s, fit ${logisticRuns.at(-1)!.toFixed(2)} s`,
      );
    }
    steps.push(step('health feature query', featureRuns, observed));
    steps.push(step('health fit', logisticRuns, observed));
    steps.push(
      step(
        'health query + fit',
        featureRuns.map((q, i) => q + logisticRuns[i]!),
        `${snapshots.length} snapshots`,
      ),
    );
  }
} finally {
  await db.close();
}

const result = {
  date: new Date().toISOString(),
  commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim(),
  accounts: options.accounts,
  seed: options.seed,
  runs: options.runs,
  comments: options.comments,
  calibrationEnd: calibrationEnd.toISOString(),
  clvAccounts,
  healthSnapshots: snapshotsUsed,
  machine: describeMachine(),
  loadAverage: { before: loadBefore, after: loadavg() },
  store: store.path,
  steps,
};
const width = Math.max(...steps.map((s) => s.name.length));
const lines = [
  `insight on the ${options.accounts.toLocaleString('en-US')}-account demo (median of ${options.runs}; load ${loadBefore[0]!.toFixed(1)} → ${result.loadAverage.after[0]!.toFixed(1)})`,
  ...steps.map((s) => {
    const target =
      s.targetS === null ? '' : `  target ≤ ${s.targetS} s: ${s.medianS <= s.targetS ? 'met' : 'MISSED'}`;
    return `  ${s.name.padEnd(width)}  ${s.medianS.toFixed(2).padStart(7)} s  ${s.detail}${target}`;
  }),
];
process.stdout.write(`${lines.join('\n')}\n`);
const dir = join(RESULTS_DIR, 'insight');
await mkdir(dir, { recursive: true });
const file = join(dir, `${result.date.slice(0, 10)}-${options.accounts}.json`);
await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
progress(`insight: saved ${file}`);
