// `fidelio report`: the KPI report of KPI-SPEC §6 for a range, by period and optional segment.
import { type Command, Option } from 'commander';
import { FidelioError } from '../domain/errors.js';
import { PERIOD_KINDS, type PeriodKind, requireInstant, requireTimeZone } from '../domain/time.js';
import { KPIS } from '../kpi/catalogue.js';
import { DEFAULT_CONFIG, type KpiConfig, loadConfigFile } from '../kpi/config.js';
import { computeReport } from '../kpi/engine.js';
import { renderCsv } from './report-csv.js';
import { renderTable } from './report-table.js';
import { addDbOption, resolveDbPath } from './store-option.js';
import { addWorkspaceOption, openWorkspaceStore } from './workspace-store.js';

interface ReportOptions {
  db?: string;
  from: string;
  to: string;
  period: PeriodKind;
  segmentBy?: string;
  asOf?: string;
  valueEvent?: string[];
  tz: string;
  format: 'json' | 'table' | 'csv';
  config?: string;
  workspace?: string;
  ci?: boolean;
}

export function registerReport(program: Command): void {
  addWorkspaceOption(
    addDbOption(
      program.command('report').description('Print every KPI by period (and segment) for a date range'),
    ),
  )
    .requiredOption('--from <date>', 'first instant of the range (2024-01-01 = 00:00 UTC)')
    .requiredOption('--to <date>', 'end of the range, exclusive')
    .addOption(new Option('--period <kind>', 'calendar period').choices(PERIOD_KINDS).default('month'))
    .option('--segment-by <field>', 'add a row per value of segment, country, an account attribute, or team')
    .option('--as-of <instant>', 'the time the data describes (default: the latest timestamp in the data)')
    .option('--value-event <name...>', 'usage events that mean a customer reached value (repeatable)')
    .option('--tz <zone>', 'IANA time zone of the calendar', 'UTC')
    .addOption(
      new Option('--format <format>', 'output format').choices(['json', 'table', 'csv']).default('json'),
    )
    .option('--config <file>', 'JSON settings: gross_margin, ttfv_window_days, value_events, health model')
    .option(
      '--ci',
      '95 % intervals for nps, csat, crr and churn_rate, marked below ci_min_sample (default 30)',
    )
    .action(async (options: ReportOptions) => {
      const config = await reportConfig(options);
      const request = {
        from: requireInstant(options.from, '--from'),
        to: requireInstant(options.to, '--to'),
        period: options.period,
        segmentBy: options.segmentBy,
        asOf: options.asOf === undefined ? undefined : requireInstant(options.asOf, '--as-of'),
        tz: requireTimeZone(options.tz),
        config,
        ci: options.ci === true,
      };
      const store = await openWorkspaceStore(resolveDbPath(options.db), options.workspace);
      try {
        const report = await computeReport(store, request);
        if (options.format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        if (options.format === 'csv')
          process.stdout.write(
            renderCsv(
              report,
              KPIS.map((k) => k.id),
            ),
          );
        if (options.format === 'table') process.stdout.write(renderTable(report, KPIS));
      } finally {
        await store.close();
      }
    });
}

/** Flags win over the config file, which wins over the defaults. */
async function reportConfig(options: ReportOptions): Promise<KpiConfig> {
  const base = options.config ? await loadConfigFile(options.config) : DEFAULT_CONFIG;
  if (options.valueEvent?.some((e) => e.trim() === '')) {
    throw new FidelioError('usage', 'blank_value_event', '--value-event needs an event name');
  }
  return options.valueEvent ? { ...base, value_events: options.valueEvent } : base;
}
