// `fidelio clv`: predictive CLV per account (BG/NBD + Gamma-Gamma) fitted on payments up to a calibration end.
import { type Command, Option } from 'commander';
import { csvCell } from '../domain/csv-cell.js';
import { FidelioError } from '../domain/errors.js';
import { requireInstant } from '../domain/time.js';
import { readClvInputs, type TimeUnit } from '../insight/clv/clv-inputs.js';
import { type AccountClv, type ClvResult, NotEnoughDataError, predictClv } from '../insight/clv/predict.js';
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
      for (const chunk of render(result, options.format)) process.stdout.write(chunk);
    });
}

function requireNumber(text: string, option: string, ok: (v: number) => boolean, expected: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || !ok(value)) {
    throw new FidelioError('usage', 'invalid_option', `${option} "${text}" must be ${expected}`);
  }
  return value;
}

/** The output in pieces: a million accounts would not fit in one string. */
function* render(result: ClvResult, format: ClvOptions['format']): Generator<string> {
  if (format === 'json') {
    // One account per line; the whole is the JSON object of docs/clv.md.
    yield `{"model": ${JSON.stringify(result.model)},\n"accounts": [\n`;
    yield* inChunks(result.accounts, (a, i) => `${i === 0 ? '' : ',\n'}${JSON.stringify(a)}`);
    yield '\n]}\n';
    return;
  }
  if (format === 'csv') {
    yield `${COLUMNS.join(',')}\n`;
    yield* inChunks(result.accounts, (a) => `${COLUMNS.map((c) => csvCell(finiteOrNull(a[c]))).join(',')}\n`);
    return;
  }
  yield* renderTable(result);
}

function* inChunks<T>(items: readonly T[], line: (item: T, index: number) => string): Generator<string> {
  const size = 10_000;
  for (let start = 0; start < items.length; start += size) {
    let chunk = '';
    for (let i = start; i < Math.min(start + size, items.length); i++) chunk += line(items[i]!, i);
    yield chunk;
  }
}

function finiteOrNull(value: string | number): string | number | null {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

function* renderTable(result: ClvResult): Generator<string> {
  const { bgnbd, gamma_gamma: gg } = result.model;
  yield `BG/NBD        r ${fixed(bgnbd.r, 4)}  alpha ${fixed(bgnbd.alpha, 4)}  a ${fixed(bgnbd.a, 4)}  b ${fixed(bgnbd.b, 4)}  log-likelihood ${fixed(bgnbd.log_likelihood, 2)}\n`;
  yield `Gamma-Gamma   p ${fixed(gg.p, 4)}  q ${fixed(gg.q, 4)}  gamma ${fixed(gg.gamma, 4)}\n\n`;
  const cells = (a: AccountClv) => [
    // Control characters in an id would break the columns; show them escaped.
    JSON.stringify(a.account_id).slice(1, -1),
    fixed(a.frequency, 0),
    fixed(a.recency, 2),
    fixed(a.T, 2),
    fixed(a.p_alive, 3),
    fixed(a.expected_purchases, 2),
    fixed(a.expected_spend, 2),
    fixed(a.clv, 2),
  ];
  const rows = result.accounts.map(cells);
  const widths = COLUMNS.map((c) => c.length);
  for (const row of rows) {
    for (let c = 0; c < row.length; c++) widths[c] = Math.max(widths[c]!, row[c]!.length);
  }
  const line = (row: readonly string[]) =>
    `${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}\n`;
  yield line(COLUMNS);
  yield* inChunks(rows, line);
}

/** A number for reading with thousands separators (toLocaleString is too slow for a million rows). */
function fixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return '—';
  const [whole, fraction] = value.toFixed(digits).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}
