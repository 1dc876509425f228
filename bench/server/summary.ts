// The server benchmark's saved result, its table and the targets of the issue, checked against the figures.
import type { Machine } from '../machine.js';
import type { IngestResult } from './ingest-scenarios.js';
import type { LoadResult } from './load.js';
import type { ServerBenchOptions } from './options.js';
import type { CommitCosts } from './profile-report.js';
import type { ReportBenchResult } from './report-bench.js';

export interface ServerBenchResult {
  date: string;
  /** HEAD when the run started, and whether src/ had uncommitted changes (dist/ is whatever was last built). */
  commit: { id: string; srcDirty: boolean };
  machine: Machine;
  /** Highest 1-minute load average before and after the run (other work on the machine skews figures). */
  loadAverage: { before: number[]; after: number[] };
  options: ServerBenchOptions;
  bare: LoadResult | null;
  answers: IngestResult | null;
  usage: IngestResult | null;
  report: ReportBenchResult | null;
  /** --profile: group commits timed without HTTP, by batch size. */
  commitCost: CommitCosts | null;
  /** Anything odd the server processes did, e.g. not exiting after they closed. */
  notes: string[];
  targets: Target[];
}

export interface Target {
  target: string;
  measured: string;
  met: boolean | null;
}

const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => n.toFixed(2);
const cores = (n: number | null) => (n === null ? '—' : n.toFixed(2));

export function targets(result: Omit<ServerBenchResult, 'targets'>): Target[] {
  const list: Target[] = [];
  const answers = result.answers?.load;
  if (answers) {
    list.push({
      target: 'single answers ≥ 25,000/s',
      measured: `${thousands(answers.requestsPerSecond)}/s`,
      met: answers.requestsPerSecond >= 25_000,
    });
    if (result.bare) {
      const ratio = answers.requestsPerSecond / result.bare.requestsPerSecond;
      list.push({
        target: 'single answers ≥ 35 % of the bare route',
        measured: `${(ratio * 100).toFixed(1)} % (${thousands(answers.requestsPerSecond)} ÷ ${thousands(result.bare.requestsPerSecond)})`,
        met: ratio >= 0.35,
      });
    }
    list.push({
      target: 'single answers p99 ≤ 10 ms',
      measured: `${ms(answers.latencyMs.p99)} ms`,
      met: answers.latencyMs.p99 <= 10,
    });
  }
  if (result.usage) {
    list.push({
      target: 'batch ingest ≥ 200,000 rows/s',
      measured: `${thousands(result.usage.rowsPerSecond)} rows/s`,
      met: result.usage.rowsPerSecond >= 200_000,
    });
  }
  if (result.report) {
    const cli = result.report.cli.medianSeconds * 1000;
    list.push({
      target: 'report (uncached) as fast as the CLI',
      measured: `${ms(result.report.uncachedMs.median)} ms vs CLI ${cli.toFixed(0)} ms`,
      met: result.report.uncachedMs.median <= cli,
    });
    const worst = result.report.worstComparison;
    const maxRelative = Math.max(0, ...worst.kpis.map((k) => k.maxRelative));
    list.push({
      target: "report answers equal the CLI's, KPI by KPI",
      measured: `largest relative difference ${maxRelative.toExponential(1)}; ${worst.unmatchedRows} unmatched rows`,
      met: result.report.sameAsCli,
    });
  }
  for (const ingest of [result.answers, result.usage]) {
    if (!ingest) continue;
    const v = ingest.verification;
    list.push({
      target: `every acknowledged request stored (${v.table})`,
      measured: `${v.acknowledgedMissing} missing of ${thousands(v.acknowledged)}; ${v.partial} partial; ${v.unacknowledgedStored} stored with the answer in flight`,
      met: v.ok,
    });
  }
  return list;
}

/** The scenarios table and the targets table, in Markdown. */
export function serverTables(result: ServerBenchResult): string {
  const header = [
    'scenario',
    'requests/s',
    'rows/s',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'errors',
    'server cores',
    'load-generator cores',
    'other work, cores',
  ];
  const lines = [
    `| ${header.join(' | ')} |`,
    `|---|${header
      .slice(1)
      .map(() => '---:|')
      .join('')}`,
  ];
  const row = (load: LoadResult, rowsPerSecond: number | null) =>
    lines.push(
      `| ${[
        load.label,
        thousands(load.requestsPerSecond),
        rowsPerSecond === null ? '—' : thousands(rowsPerSecond),
        ms(load.latencyMs.p50),
        ms(load.latencyMs.p99),
        String(load.non2xx),
        String(load.errors),
        cores(load.serverCores),
        cores(load.loadGeneratorCores),
        cores(load.otherCores),
      ].join(' | ')} |`,
    );
  if (result.bare) row(result.bare, null);
  if (result.answers) row(result.answers.load, result.answers.rowsPerSecond);
  if (result.usage) row(result.usage.load, result.usage.rowsPerSecond);
  if (result.report) row(result.report.cachedLoad, null);
  const out = [lines.join('\n')];
  if (result.report) {
    const r = result.report;
    out.push(
      [
        `| report, ${r.accounts.toLocaleString('en-US')} accounts, 12 months by segment | median ms |`,
        '|---|---:|',
        `| \`fidelio report\` (CLI process) | ${(r.cli.medianSeconds * 1000).toFixed(0)} |`,
        `| server, first request after start | ${ms(r.firstRequestMs)} |`,
        `| server, uncached (warm process) | ${ms(r.uncachedMs.median)} |`,
        `| server, cached | ${ms(r.cachedMs.median)} |`,
      ].join('\n'),
    );
  }
  const t = ['| target | measured | met? |', '|---|---|---|'];
  for (const target of result.targets)
    t.push(
      `| ${target.target} | ${target.measured} | ${target.met === null ? '—' : target.met ? 'yes' : 'no'} |`,
    );
  out.push(t.join('\n'));
  return out.join('\n\n');
}
