// `fidelio experience`: retention, NRR, expansion and CLV by NPS and CSAT group, with 95 % intervals, and MRR at
// risk from detractors and pending cancellations (docs/experience.md).
import { type Command, Option } from 'commander';
import { csvCell } from '../domain/csv-cell.js';
import { requireInstant } from '../domain/time.js';
import {
  computeExperience,
  type Experience,
  type GroupMeasures,
  type Measure,
} from '../insight/experience/experience.js';
import { DEFAULT_CONFIG, loadConfigFile } from '../kpi/config.js';
import type { Unit } from '../kpi/kpi.js';
import { formatValue } from './report-table.js';
import { addDbOption, resolveDbPath } from './store-option.js';
import { addWorkspaceOption, openWorkspaceStore } from './workspace-store.js';

interface ExperienceOptions {
  db?: string;
  from: string;
  to: string;
  format: 'json' | 'table' | 'csv';
  config?: string;
  workspace?: string;
}

export function registerExperience(program: Command): void {
  addWorkspaceOption(
    addDbOption(
      program
        .command('experience')
        .description('Retention, NRR, expansion and CLV by NPS and CSAT group, and MRR at risk'),
    ),
  )
    .requiredOption('--from <date>', 'start of the range: groups come from the answers before it')
    .requiredOption('--to <date>', 'end of the range, exclusive; MRR at risk is measured at it')
    .addOption(
      new Option('--format <format>', 'output format').choices(['json', 'table', 'csv']).default('json'),
    )
    .option('--config <file>', 'JSON settings: gross_margin, ci_min_sample')
    .action(async (options: ExperienceOptions) => {
      const config = options.config ? await loadConfigFile(options.config) : DEFAULT_CONFIG;
      const request = {
        from: requireInstant(options.from, '--from'),
        to: requireInstant(options.to, '--to'),
        grossMargin: config.gross_margin,
        minSample: config.ci_min_sample,
      };
      const store = await openWorkspaceStore(resolveDbPath(options.db), options.workspace);
      try {
        const experience = await computeExperience(store, request);
        if (options.format === 'json') process.stdout.write(`${JSON.stringify(experience, null, 2)}\n`);
        if (options.format === 'csv') process.stdout.write(experienceCsv(experience));
        if (options.format === 'table') process.stdout.write(experienceTable(experience));
      } finally {
        await store.close();
      }
    });
}

const MEASURES: { key: keyof GroupMeasures & string; label: string; unit: Unit }[] = [
  { key: 'retention', label: 'Retention (logo)', unit: 'percent' },
  { key: 'nrr', label: 'NRR', unit: 'percent' },
  { key: 'expansion', label: 'Accounts expanding', unit: 'percent' },
  { key: 'expansion_mrr', label: 'Expansion MRR', unit: 'percent' },
  { key: 'clv', label: 'CLV', unit: 'currency' },
];

/** One line per (grouping, group): accounts, MRR, then value, low, high and enough of each measure. */
export function experienceCsv(e: Experience): string {
  const header = [
    'grouping',
    'group',
    'accounts',
    'mrr_start',
    'mrr_end',
    ...MEASURES.flatMap((m) => ['', '_low', '_high', '_enough'].map((s) => `${m.key}${s}`)),
  ];
  const lines = (['by_nps', 'by_csat'] as const).flatMap((grouping) =>
    e[grouping].map((g) =>
      [
        grouping.slice(3),
        g.group,
        g.accounts,
        g.mrr_start,
        g.mrr_end,
        ...MEASURES.flatMap((m) => {
          const x = g[m.key] as Measure;
          return [csvCell(x.value), csvCell(x.low), csvCell(x.high), String(x.enough)];
        }),
      ].join(','),
    ),
  );
  const r = e.mrr_at_risk;
  const risk = (['active', 'detractors', 'pending_cancellation', 'both', 'either'] as const).map(
    (k) => `risk,${k},${r[k].accounts},,${r[k].mrr}${','.repeat(MEASURES.length * 4)}`,
  );
  return `${[header.join(','), ...lines, ...risk].join('\n')}\n`;
}

function measureCell(x: Measure, unit: Unit, currency: string | null): string {
  const value = formatValue(x.value, unit, currency);
  if (x.value === null) return value;
  if (!x.enough) return `${value} (few data)`;
  if (x.low === null || x.high === null) return value;
  return `${value} (${formatValue(x.low, unit, null)}…${formatValue(x.high, unit, null)})`;
}

export function experienceTable(e: Experience): string {
  const out = [
    `${e.from.slice(0, 10)} → ${e.to.slice(0, 10)} · accounts active at the start, by their latest answer before it · 95 % intervals`,
  ];
  for (const [grouping, title] of [
    ['by_nps', 'By NPS group'],
    ['by_csat', 'By CSAT group (satisfied 4–5, neutral 3, dissatisfied 1–2)'],
  ] as const) {
    const groups = e[grouping];
    const rows = [
      ['Accounts', ...groups.map((g) => formatValue(g.accounts, 'count', null))],
      ...MEASURES.map((m) => [
        m.label,
        ...groups.map((g) => measureCell(g[m.key] as Measure, m.unit, e.currency)),
      ]),
    ];
    const header = ['', ...groups.map((g) => g.group)];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)) + 2);
    out.push(
      '',
      title,
      header.map((h, i) => (i === 0 ? h.padEnd(widths[0]!) : h.padStart(widths[i]!))).join(''),
    );
    for (const row of rows)
      out.push(row.map((c, i) => (i === 0 ? c.padEnd(widths[0]!) : c.padStart(widths[i]!))).join(''));
  }
  const r = e.mrr_at_risk;
  out.push('', `MRR at risk at ${r.at.slice(0, 10)}`);
  for (const [label, b] of [
    ['Active', r.active],
    ['Detractors', r.detractors],
    ['Pending cancellation', r.pending_cancellation],
    ['Both', r.both],
    ['Either', r.either],
  ] as const) {
    out.push(
      `${label.padEnd(22)}${formatValue(b.accounts, 'count', null).padStart(10)} accounts  ${formatValue(b.mrr, 'currency', e.currency).padStart(18)}`,
    );
  }
  out.push(`${'Either, share of MRR'.padEnd(22)}${formatValue(r.either_pct, 'percent', null).padStart(10)}`);
  return `${out.join('\n')}\n`;
}
