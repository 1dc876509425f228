// `--format csv`: one line per (period, segment), safe to open in a spreadsheet.
import { csvCell } from '../domain/csv-cell.js';
import type { Report } from '../kpi/engine.js';

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
