// `--format csv`: one line per (period, segment), safe to open in a spreadsheet.
import { csvCell } from '../domain/csv-cell.js';
import { CI_KPIS } from '../insight/experience/report-ci.js';
import type { Report } from '../kpi/engine.js';

/** With intervals (`--ci`), four more columns per KPI that has one: `<id>_ci_low`, `_ci_high`, `_ci_n`, `_ci_enough`. */
export function renderCsv(report: Report, kpiIds: readonly string[]): string {
  const withCi = report.rows.some((r) => r.ci !== undefined);
  const ciIds = withCi ? CI_KPIS.filter((id) => kpiIds.includes(id)) : [];
  const ciHeader = ciIds.flatMap((id) => ['low', 'high', 'n', 'enough'].map((f) => `${id}_ci_${f}`));
  const header = ['start', 'end', 'segment', ...kpiIds, 'suppressed', ...ciHeader];
  const lines = report.rows.map((row) =>
    [
      row.start,
      row.end,
      csvCell(row.segment),
      ...kpiIds.map((id) => csvCell(row.kpis[id] ?? null)),
      csvCell(row.suppressed.join(' ')),
      ...ciIds.flatMap((id) => {
        const ci = row.ci?.[id];
        return ci ? [csvCell(ci.low), csvCell(ci.high), csvCell(ci.n), String(ci.enough)] : ['', '', '', ''];
      }),
    ].join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}
