// `fidelio clv`: predictive CLV per account (BG/NBD + Gamma-Gamma) fitted on payments up to a calibration end.
import { type Command, Option } from 'commander';
import { csvDocument } from '../domain/csv-cell.js';
import { FidelioError } from '../domain/errors.js';
import { requireInstant } from '../domain/time.js';
import { readClvInputs, type TimeUnit } from '../insight/clv/clv-inputs.js';
import { type ClvResult, NotEnoughDataError, predictClv } from '../insight/clv/predict.js';
import { DEFAULT_CONFIG, loadConfigFile } from '../kpi/config.js';
import { addDbOption, resolveDbPath } from './store-option.js';
import { addWorkspaceOption, openWorkspaceStore } from './workspace-store.js';

interface ClvOptions {
  db?: string;
  calibrationEnd: string;
  horizonMonths: string;
  discountMonthly: string;
  timeUnit: TimeUnit;
  format: 'json' | 'table' | 'csv';
  config?: string;
  workspace?: string;
}

const COLUMNS = [
  'account_id',
  'frequency',
  'recency',
  'T',
  'p_alive',
  'expected_purchases',
  'expected_spend',
  'clv',
] as const;

export function registerClv(program: Command): void {
  addWorkspaceOption(
    addDbOption(
      program
        .command('clv')
        .description('Predict each account’s purchases, spend and CLV (BG/NBD + Gamma-Gamma on payments)'),
    ),
  )
    .requiredOption(
      '--calibration-end <date>',
      'payments at or before this instant are fitted (2025-01-01 = 00:00 UTC)',
    )
    .option('--horizon-months <n>', 'months ahead to predict', '12')
    .option('--discount-monthly <rate>', 'monthly discount rate of the CLV', '0.01')
    .addOption(
      new Option('--time-unit <unit>', 'unit of recency, T and the rates')
        .choices(['week', 'day'])
        .default('week'),
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['json', 'table', 'csv']).default('json'),
    )
    .option('--config <file>', 'JSON settings: gross_margin (default 1)')
    .action(async (options: ClvOptions) => {
      const calibrationEnd = requireInstant(options.calibrationEnd, '--calibration-end');
      const horizonMonths = requireNumber(
        options.horizonMonths,
        '--horizon-months',
        (v) => Number.isInteger(v) && v >= 1 && v <= 1200,
        'a whole number of months from 1 to 1200',
      );
      const discountMonthly = requireNumber(
        options.discountMonthly,
        '--discount-monthly',
        (v) => v >= 0 && v < 1,
        'a rate from 0 to below 1 (0.01 = 1 % a month)',
      );
      const config = options.config ? await loadConfigFile(options.config) : DEFAULT_CONFIG;
      const store = await openWorkspaceStore(resolveDbPath(options.db), options.workspace);
      let result: ClvResult;
      try {
        const inputs = await readClvInputs(store, calibrationEnd, options.timeUnit);
        result = predictClv(inputs, {
          horizonMonths,
          discountMonthly,
          grossMargin: config.gross_margin,
          unit: options.timeUnit,
        });
      } catch (error) {
        if (error instanceof NotEnoughDataError) {
          throw new FidelioError(
            'invalid_input',
            'too_few_repeat_buyers',
            `cannot fit the CLV models: ${error.message}`,
          );
        }
        throw error;
      } finally {
        await store.close();
      }
      process.stdout.write(render(result, options.format));
    });
}

function requireNumber(text: string, option: string, ok: (v: number) => boolean, expected: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || !ok(value)) {
    throw new FidelioError('usage', 'invalid_option', `${option} "${text}" must be ${expected}`);
  }
  return value;
}

function render(result: ClvResult, format: ClvOptions['format']): string {
  if (format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  const records = result.accounts.map((a) => COLUMNS.map((c) => finiteOrNull(a[c])));
  if (format === 'csv') return csvDocument(COLUMNS, records);
  return renderTable(result);
}

function finiteOrNull(value: string | number): string | number | null {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

function renderTable(result: ClvResult): string {
  const { bgnbd, gamma_gamma: gg } = result.model;
  const fixed = (v: number, digits: number) =>
    Number.isFinite(v)
      ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
      : '—';
  const head = [
    `BG/NBD        r ${fixed(bgnbd.r, 4)}  alpha ${fixed(bgnbd.alpha, 4)}  a ${fixed(bgnbd.a, 4)}  b ${fixed(bgnbd.b, 4)}  log-likelihood ${fixed(bgnbd.log_likelihood, 2)}`,
    `Gamma-Gamma   p ${fixed(gg.p, 4)}  q ${fixed(gg.q, 4)}  gamma ${fixed(gg.gamma, 4)}`,
    '',
  ];
  const rows = [
    [...COLUMNS],
    ...result.accounts.map((a) => [
      // Control characters in an id would break the columns; show them escaped.
      JSON.stringify(a.account_id).slice(1, -1),
      fixed(a.frequency, 0),
      fixed(a.recency, 2),
      fixed(a.T, 2),
      fixed(a.p_alive, 3),
      fixed(a.expected_purchases, 2),
      fixed(a.expected_spend, 2),
      fixed(a.clv, 2),
    ]),
  ];
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
  );
  return `${[...head, ...lines].join('\n')}\n`;
}
