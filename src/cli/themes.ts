// `fidelio themes`: feedback themes of customer comments (English, Italian, French, Malay), with their stats.
import { type Command, Option } from 'commander';
import { csvDocument } from '../domain/csv-cell.js';
import { FidelioError } from '../domain/errors.js';
import { requireInstant } from '../domain/time.js';
import { computeThemes, DEFAULT_MIN_MENTIONS, type ThemesReport } from '../insight/themes/themes.js';
import { addDbOption, resolveDbPath } from './store-option.js';
import { addWorkspaceOption, openWorkspaceStore } from './workspace-store.js';

interface ThemesOptions {
  db?: string;
  from?: string;
  to?: string;
  asOf?: string;
  minMentions: string;
  format: 'json' | 'table' | 'csv';
  workspace?: string;
}

export const THEME_COLUMNS = [
  'id',
  'name',
  'mentions',
  'share',
  'promoter_share',
  'passive_share',
  'detractor_share',
  'detractor_lift',
  'p_value',
  'accounts',
  'mrr',
  'churn_pct',
] as const;

function minMentionsOf(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new FidelioError(
      'usage',
      'bad_min_mentions',
      `--min-mentions needs a whole number ≥ 1, not "${text}"`,
    );
  }
  return n;
}

/** One line per theme, the columns of THEME_COLUMNS (numbers unrounded). */
export function themeRecords(report: ThemesReport): (string | number | null)[][] {
  return report.themes.map((t) => [
    t.id,
    t.name,
    t.mentions,
    t.share,
    t.nps.promoter_share,
    t.nps.passive_share,
    t.nps.detractor_share,
    t.detractor_lift.lift,
    t.detractor_lift.p_value,
    t.accounts.count,
    t.accounts.mrr,
    t.accounts.churn_pct,
  ]);
}

const NULL_SIGN = '—';

/** `--format table`: rounded for reading, "—" for undefined values. */
export function renderThemesTable(report: ThemesReport): string {
  const pct = (v: number | null) => (v === null ? NULL_SIGN : `${v.toFixed(1)} %`);
  const header = [
    'theme',
    'mentions',
    'share',
    'promoters',
    'passives',
    'detractors',
    'lift',
    'p',
    'accounts',
    'MRR',
    'churn',
  ];
  const rows = report.themes.map((t) => [
    t.name.length > 40 ? `${t.name.slice(0, 39)}…` : t.name,
    String(t.mentions),
    pct(t.share),
    pct(t.nps.promoter_share),
    pct(t.nps.passive_share),
    pct(t.nps.detractor_share),
    t.detractor_lift.lift === null ? NULL_SIGN : `${t.detractor_lift.lift.toFixed(2)}×`,
    t.detractor_lift.p_value === null ? NULL_SIGN : t.detractor_lift.p_value.toPrecision(2),
    String(t.accounts.count),
    t.accounts.mrr.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    pct(t.accounts.churn_pct),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const langs = Object.entries(report.languages)
    .map(([l, n]) => `${l} ${n}`)
    .join(', ');
  return [
    `Themes of ${report.analysed} of ${report.comments} customer comments (${langs}); at least ${report.min_mentions} mentions each`,
    '',
    line(header),
    ...rows.map(line),
    '',
  ].join('\n');
}

export function registerThemes(program: Command): void {
  addWorkspaceOption(
    addDbOption(
      program
        .command('themes')
        .description(
          'Feedback themes of customer comments (en, it, fr, ms), with NPS/CSAT shares, lift, MRR and churn',
        ),
    ),
  )
    .option('--from <date>', 'comments submitted at or after this instant (2025-01-01 = 00:00 UTC)')
    .option('--to <date>', 'comments submitted before this instant')
    .option('--as-of <instant>', 'when MRR and churn are read (default: now)')
    .option(
      '--min-mentions <n>',
      'leave out themes with fewer mentioning comments',
      String(DEFAULT_MIN_MENTIONS),
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['json', 'table', 'csv']).default('json'),
    )
    .action(async (options: ThemesOptions) => {
      const request = {
        minMentions: minMentionsOf(options.minMentions),
        ...(options.from === undefined ? {} : { from: requireInstant(options.from, '--from') }),
        ...(options.to === undefined ? {} : { to: requireInstant(options.to, '--to') }),
        ...(options.asOf === undefined ? {} : { asOf: requireInstant(options.asOf, '--as-of') }),
      };
      const store = await openWorkspaceStore(resolveDbPath(options.db), options.workspace);
      try {
        const { report } = await computeThemes(store, request);
        if (options.format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        if (options.format === 'csv') process.stdout.write(csvDocument(THEME_COLUMNS, themeRecords(report)));
        if (options.format === 'table') process.stdout.write(renderThemesTable(report));
      } finally {
        await store.close();
      }
    });
}
