// One benchmark result per size (saved as JSON) and the Markdown table that summarises them.
import type { Comparison } from './cross-check.js';
import type { ImportResult } from './fidelio.js';
import type { Machine } from './machine.js';
import type { BareLoad, PeerResult } from './peers.js';
import type { Profile } from './profile.js';
import { speedup } from './stats.js';
import type { ReportTiming } from './timing.js';

export interface SizeResult {
  date: string;
  machine: Machine;
  /** os.loadavg() before and after the timings: other work on the machine skews them. */
  loadAverage: { before: number[]; after: number[] };
  dataset: { accounts: number; seed: number; rows: Record<string, number>; totalRows: number; bytes: number };
  window: { from: string; to: string; period: 'month'; segmentBy: 'segment' };
  import: Omit<ImportResult, 'store'>;
  /** DuckDB loading the same CSVs with no validation: what import rows/s could reach at best. */
  bareLoad: BareLoad;
  report: { cli: ReportTiming; inProcess: ReportTiming | null };
  plainSql: Omit<PeerResult, 'rows'>;
  pandas: Omit<PeerResult, 'rows'> | { skipped: string };
  /** Baseline median ÷ Fidelio's in-process median: above 1, Fidelio is faster (the table shows the inverse). */
  speedups: { plainSql: number | null; pandas: number | null };
  crossCheck: Comparison[];
  /** --profile: every statement of one in-process import and one warm report, timed. */
  profile: Profile | null;
}

const fixed = (n: number | null | undefined, digits: number) => (n == null ? '—' : n.toFixed(digits));
const inverse = (n: number | null) => (n === null ? null : 1 / n);
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

export function pandasSeconds(result: SizeResult): number | null {
  return 'timing' in result.pandas ? result.pandas.timing.medianSeconds : null;
}

export function speedups(result: Omit<SizeResult, 'speedups'>): SizeResult['speedups'] {
  const ours = (result.report.inProcess ?? result.report.cli).medianSeconds;
  return {
    plainSql: speedup(ours, result.plainSql.timing.medianSeconds),
    pandas: speedup(ours, 'timing' in result.pandas ? result.pandas.timing.medianSeconds : null),
  };
}

/** The results table, in Markdown (printed by the harness and pasted into docs/performance.md). */
export function resultsTable(results: readonly SizeResult[]): string {
  const header = [
    'accounts',
    'CSV rows',
    'import s',
    'import rows/s',
    'import peak MB',
    'bare load rows/s',
    'report s (in-process)',
    'report s (CLI)',
    'report peak MB',
    'plain SQL s',
    'pandas s',
    'Fidelio ÷ plain SQL (time)',
    'Fidelio ÷ pandas (time)',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---:|').join('')}`];
  for (const r of results) {
    const cells = [
      thousands(r.dataset.accounts),
      thousands(r.dataset.totalRows),
      fixed(r.import.seconds, 1),
      thousands(r.import.rowsPerSecond),
      fixed(r.import.peakMb, 0),
      r.bareLoad ? thousands(r.bareLoad.rowsPerSecond) : '—',
      fixed(r.report.inProcess?.medianSeconds, 3),
      fixed(r.report.cli.medianSeconds, 3),
      fixed(Math.max(r.report.cli.peakMb ?? 0, r.report.inProcess?.peakMb ?? 0), 0),
      fixed(r.plainSql.timing.medianSeconds, 3),
      fixed(pandasSeconds(r), 3),
      `${fixed(inverse(r.speedups.plainSql), 1)}×`,
      `${fixed(inverse(r.speedups.pandas), 1)}×`,
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
