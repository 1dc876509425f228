// `--format csv`: one line per (period, segment), safe to open in a spreadsheet.
import type { Report } from '../kpi/engine.js';

/**
 * Quotes a text cell, and defuses one a spreadsheet would run as a formula (=, +, -, @, tab, CR first)
 * by prefixing an apostrophe. Numbers we computed are written as plain numbers.
 * @example csvCell('=HYPERLINK("x")') // "'=HYPERLINK(""x"")"
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) || safe !== value ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function renderCsv(report: Report, kpiIds: readonly string[]): string {
  const header = ['start', 'end', 'segment', ...kpiIds, 'suppressed'];
  const lines = report.rows.map((row) =>
    [
      row.start,
      row.end,
      csvCell(row.segment),
      ...kpiIds.map((id) => csvCell(row.kpis[id] ?? null)),
      csvCell(row.suppressed.join(' ')),
    ].join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}
