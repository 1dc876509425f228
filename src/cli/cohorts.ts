// `fidelio cohorts`: monthly cohorts of first-time customers, the shifted-beta-geometric retention model fitted
// on all of them (per segment and overall), its projections and a subscription CLV (docs/clv.md).
import { type Command, Option } from 'commander';
import { csvCell } from '../domain/csv-cell.js';
import { FidelioError } from '../domain/errors.js';
import { requireInstant } from '../domain/time.js';
import {
  type CohortRetention,
  cohortRetention,
  MAX_PROJECTION_MONTHS,
  type SegmentRetention,
} from '../insight/clv/cohort-retention.js';
import { DEFAULT_CONFIG, loadConfigFile } from '../kpi/config.js';
import { formatValue } from './report-table.js';
import { addDbOption, resolveDbPath } from './store-option.js';
import { addWorkspaceOption, openWorkspaceStore } from './workspace-store.js';

interface CohortsOptions {
  db?: string;
  asOf?: string;
  segmentBy?: string;
  months: string;
  discountMonthly: string;
  format: 'json' | 'table' | 'csv';
  config?: string;
  workspace?: string;
}

function requireNumber(text: string, option: string, ok: (v: number) => boolean, expected: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || !ok(value)) {
    throw new FidelioError('usage', 'invalid_option', `${option} "${text}" must be ${expected}`);
  }
  return value;
}

export function registerCohorts(program: Command): void {
  addWorkspaceOption(
    addDbOption(
      program
        .command('cohorts')
        .description(
          'Fit contractual retention (shifted-beta-geometric) on monthly customer cohorts; project them and a subscription CLV',
        ),
    ),
  )
    .option('--as-of <instant>', 'the data up to this instant (default: the latest timestamp in the data)')
    .option('--segment-by <field>', 'fit each value of segment, country or an account attribute apart too')
    .option('--months <n>', `months of the projected curves and cohorts, 1 to ${MAX_PROJECTION_MONTHS}`, '36')
    .option('--discount-monthly <rate>', 'monthly discount rate of the CLV', '0.01')
    .addOption(
      new Option('--format <format>', 'output format').choices(['json', 'table', 'csv']).default('json'),
    )
    .option('--config <file>', 'JSON settings: gross_margin (default 1)')
    .action(async (options: CohortsOptions) => {
      const months = requireNumber(
        options.months,
        '--months',
        (v) => Number.isInteger(v) && v >= 1 && v <= MAX_PROJECTION_MONTHS,
        `a whole number of months from 1 to ${MAX_PROJECTION_MONTHS}`,
      );
      const discountMonthly = requireNumber(
        options.discountMonthly,
        '--discount-monthly',
        (v) => v >= 0 && v < 1,
        'a rate from 0 to below 1 (0.01 = 1 % a month)',
      );
      const asOf = options.asOf === undefined ? undefined : requireInstant(options.asOf, '--as-of');
      const config = options.config ? await loadConfigFile(options.config) : DEFAULT_CONFIG;
      const store = await openWorkspaceStore(resolveDbPath(options.db), options.workspace);
      let result: CohortRetention;
      try {
        result = await cohortRetention(store, {
          asOf,
          segmentBy: options.segmentBy,
          months,
          discountMonthly,
          grossMargin: config.gross_margin,
        });
      } finally {
        await store.close();
      }
      if (options.format === 'json') process.stdout.write(`${JSON.stringify(result)}\n`);
      if (options.format === 'csv') process.stdout.write(cohortsCsv(result));
      if (options.format === 'table') process.stdout.write(cohortsTable(result));
    });
}

const CSV_COLUMNS = [
  'segment',
  'a',
  'b',
  'log_likelihood',
  'arpa',
  'clv',
  'month',
  'at_risk',
  'observed_survival',
  'survival',
  'observed_retention',
  'retention',
] as const;

function parts(r: CohortRetention): { label: string | null; part: SegmentRetention }[] {
  return [{ label: null, part: r.overall }, ...r.segments.map((part) => ({ label: part.segment, part }))];
}

/** One line per (segment, month) of the curves, the segment's model beside it; empty segment = all customers. */
export function cohortsCsv(r: CohortRetention): string {
  const lines = parts(r).flatMap(({ label, part }) =>
    part.curve.map((p) =>
      [
        label,
        part.model?.a ?? null,
        part.model?.b ?? null,
        part.model?.log_likelihood ?? null,
        part.arpa,
        part.clv,
        p.month,
        p.at_risk,
        p.observed_survival,
        p.survival,
        p.observed_retention,
        p.retention,
      ]
        .map(csvCell)
        .join(','),
    ),
  );
  return `${[CSV_COLUMNS.join(','), ...lines].join('\n')}\n`;
}

function grid(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (row: readonly string[]) =>
    row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)];
}

export function cohortsTable(r: CohortRetention): string {
  const pct = (v: number | null) => formatValue(v === null ? null : v * 100, 'percent', null);
  const money = (v: number | null) => formatValue(v, 'currency', r.currency);
  const count = (v: number) => formatValue(v, 'count', null);
  const out = [
    `Cohorts as of ${r.as_of.slice(0, 10)} · ${r.months} months ahead · discount ${r.discount_monthly * 100} %/month · gross margin ${r.gross_margin}`,
  ];
  const shown = [12, 24, r.months].filter((m, i, all) => m <= r.months && all.indexOf(m) === i);
  for (const { label, part } of parts(r)) {
    out.push('', label === null ? 'All customers' : `Segment: ${label}`);
    const m = part.model;
    out.push(
      m
        ? `sBG a ${m.a.toFixed(4)}  b ${m.b.toFixed(4)}  log-likelihood ${m.log_likelihood.toFixed(2)}${m.converged ? '' : '  (not converged)'}`
        : `no model: ${part.reason}`,
    );
    out.push(
      `customers ${count(part.customers)} · active ${count(part.active_customers)} · ARPA ${money(part.arpa)} · discounted lifetime ${part.discounted_lifetime_months === null ? '—' : `${part.discounted_lifetime_months.toFixed(1)} months`} · CLV ${money(part.clv)}`,
    );
    out.push('');
    const curveMonths = [1, 2, 3, 6, 12, 18, 24, 36].filter((t) => t <= r.months);
    out.push(
      ...grid(
        ['month', 'at risk', 'observed S', 'sBG S', 'observed r', 'sBG r'],
        curveMonths.map((t) => {
          const p = part.curve[t]!;
          return [
            String(t),
            count(p.at_risk),
            pct(p.observed_survival),
            pct(p.survival),
            pct(p.observed_retention),
            pct(p.retention),
          ];
        }),
      ),
    );
    out.push('');
    out.push(
      ...grid(
        ['cohort', 'size', 'age', 'alive', ...shown.map((k) => `+${k} mo`)],
        part.cohorts.map((c) => [
          c.cohort,
          count(c.size),
          String(c.age),
          count(c.alive[c.age]!),
          ...shown.map((k) => (c.projected.length === 0 ? '—' : count(c.projected[k - 1]!))),
        ]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
