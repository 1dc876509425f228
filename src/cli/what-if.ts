// `fidelio what-if`: customers, MRR and CLV projected months ahead from the trailing 12 months' rates, as they
// are and under a change of churn, retention or expansion; the difference in money (docs/experience.md).
import { type Command, Option } from 'commander';
import { csvCell } from '../domain/csv-cell.js';
import { FidelioError } from '../domain/errors.js';
import { requireInstant } from '../domain/time.js';
import { computeWhatIf, MAX_MONTHS, type Projection, type WhatIf } from '../insight/what-if/what-if.js';
import { DEFAULT_CONFIG, loadConfigFile } from '../kpi/config.js';
import { formatValue } from './report-table.js';
import { addDbOption, resolveDbPath } from './store-option.js';
import { addWorkspaceOption, openWorkspaceStore } from './workspace-store.js';

interface WhatIfOptions {
  db?: string;
  months: string;
  churnDelta: string;
  retentionDelta: string;
  expansionPct: string;
  segmentBy?: string;
  asOf?: string;
  format: 'json' | 'table' | 'csv';
  config?: string;
  workspace?: string;
}

/** A number flag, refused with exit 2 when it is not one. */
export function numberOption(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new FidelioError('usage', 'not_a_number', `${flag} needs a number, not "${text}"`);
  return value;
}

export function registerWhatIf(program: Command): void {
  addWorkspaceOption(
    addDbOption(
      program
        .command('what-if')
        .description(
          'Project MRR, customers and CLV ahead, as they are and under a change of churn or expansion',
        ),
    ),
  )
    .option('--months <n>', `months to project, 1 to ${MAX_MONTHS}`, '24')
    .option(
      '--churn-delta <points>',
      'percentage points added to the monthly churn rate (-1: 3 % → 2 %)',
      '0',
    )
    .option(
      '--retention-delta <points>',
      'percentage points added to monthly retention (= churn delta of −N)',
      '0',
    )
    .option(
      '--expansion-pct <percent>',
      'percent added to the monthly expansion rate (10: 1.0 % → 1.1 %)',
      '0',
    )
    .option('--segment-by <field>', 'project each value of segment, country or an account attribute apart')
    .option(
      '--as-of <instant>',
      'rates from the 12 months before it (default: the latest timestamp in the data)',
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['json', 'table', 'csv']).default('json'),
    )
    .option('--config <file>', 'JSON settings: gross_margin')
    .action(async (options: WhatIfOptions) => {
      const config = options.config ? await loadConfigFile(options.config) : DEFAULT_CONFIG;
      const request = {
        months: numberOption(options.months, '--months'),
        asOf: options.asOf === undefined ? undefined : requireInstant(options.asOf, '--as-of'),
        segmentBy: options.segmentBy,
        grossMargin: config.gross_margin,
        change: {
          churnDelta: numberOption(options.churnDelta, '--churn-delta'),
          retentionDelta: numberOption(options.retentionDelta, '--retention-delta'),
          expansionPct: numberOption(options.expansionPct, '--expansion-pct'),
        },
      };
      const store = await openWorkspaceStore(resolveDbPath(options.db), options.workspace);
      try {
        const whatIf = await computeWhatIf(store, request);
        if (options.format === 'json') process.stdout.write(`${JSON.stringify(whatIf, null, 2)}\n`);
        if (options.format === 'csv') process.stdout.write(whatIfCsv(whatIf));
        if (options.format === 'table') process.stdout.write(whatIfTable(whatIf));
      } finally {
        await store.close();
      }
    });
}

/** One line per (segment, month): customers and MRR as they are, under the change, and the MRR difference. */
export function whatIfCsv(w: WhatIf): string {
  const header =
    'segment,month,baseline_customers,baseline_mrr,scenario_customers,scenario_mrr,difference_mrr';
  const lines = [
    ...w.segments.map((s) => ({ label: csvCell(s.segment ?? (w.segments.length > 1 ? '' : 'all')), ...s })),
    ...(w.segments.length > 1 ? [{ label: 'total', ...w.total }] : []),
  ].flatMap(({ label, baseline, scenario }) =>
    baseline.points.map((b, i) => {
      const s = scenario.points[i]!;
      return [label, b.month, b.customers, b.mrr, s.customers, s.mrr, s.mrr - b.mrr].join(',');
    }),
  );
  return `${[header, ...lines].join('\n')}\n`;
}

export function whatIfTable(w: WhatIf): string {
  const money = (v: number | null) => formatValue(v, 'currency', w.currency);
  const pct = (v: number) => formatValue(v * 100, 'percent', null).replace(' %', ' %/mo');
  const change = [
    w.change.churn_delta !== 0
      ? `churn ${w.change.churn_delta > 0 ? '+' : ''}${w.change.churn_delta} pt/mo`
      : '',
    w.change.retention_delta !== 0
      ? `retention ${w.change.retention_delta > 0 ? '+' : ''}${w.change.retention_delta} pt/mo`
      : '',
    w.change.expansion_pct !== 0
      ? `expansion ${w.change.expansion_pct > 0 ? '+' : ''}${w.change.expansion_pct} %`
      : '',
  ].filter((c) => c !== '');
  const out = [
    `${w.months} months from ${w.as_of.slice(0, 10)} · rates of ${w.window.from.slice(0, 10)} → ${w.window.to.slice(0, 10)} · change: ${change.join(', ') || 'none'}`,
  ];
  const block = (title: string, baseline: Projection, scenario: Projection) => {
    const rows: [string, string, string, string][] = [
      ['Monthly churn', pct(baseline.churn_rate), pct(scenario.churn_rate), ''],
      ['Monthly expansion', pct(baseline.expansion_rate), pct(scenario.expansion_rate), ''],
      [
        `Customers at month ${w.months}`,
        formatValue(baseline.customers, 'count', null),
        formatValue(scenario.customers, 'count', null),
        formatValue(scenario.customers - baseline.customers, 'count', null),
      ],
      [
        `MRR at month ${w.months}`,
        money(baseline.mrr),
        money(scenario.mrr),
        money(scenario.mrr - baseline.mrr),
      ],
      [
        `Revenue over ${w.months} months`,
        money(baseline.revenue),
        money(scenario.revenue),
        money(scenario.revenue - baseline.revenue),
      ],
      [
        `CLV at month ${w.months}`,
        money(baseline.clv),
        money(scenario.clv),
        money(baseline.clv === null || scenario.clv === null ? null : scenario.clv - baseline.clv),
      ],
    ];
    const header: [string, string, string, string] = ['', 'as is', 'with change', 'difference'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)) + 2);
    out.push('', title);
    for (const row of [header, ...rows])
      out.push(row.map((c, i) => (i === 0 ? c.padEnd(widths[0]!) : c.padStart(widths[i]!))).join(''));
  };
  if (w.segments.length > 1 || w.segments[0]?.segment !== null)
    for (const s of w.segments) block(`Segment: ${s.segment ?? '(none)'}`, s.baseline, s.scenario);
  block('All accounts', w.total.baseline, w.total.scenario);
  return `${out.join('\n')}\n`;
}
