// `--format table`: a report for people: one block per segment, KPIs down, periods across, units and "—".

import { CI_KPIS, type CiEntry } from '../insight/experience/report-ci.js';
import type { Report } from '../kpi/engine.js';
import type { Kpi, Unit } from '../kpi/kpi.js';

const WIDTH = 120;
const NULL_SIGN = '—';

/** A KPI value for reading: thousands separators, units, rounding for display only. */
export function formatValue(value: number | null, unit: Unit, currency: string | null): string {
  if (value === null) return NULL_SIGN;
  const fixed = (digits: number) =>
    value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  switch (unit) {
    case 'currency':
      return currency ? `${fixed(2)} ${currency}` : fixed(2);
    case 'percent':
      return `${fixed(1)} %`;
    case 'count':
      return fixed(0);
    case 'days':
      return `${fixed(1)} d`;
    case 'score':
      return fixed(1);
    case 'ratio':
      return `${fixed(2)}×`;
  }
}

/** An interval for reading: `low…high`, or `few data (n = 12)` below the minimum sample. */
export function formatInterval(ci: CiEntry | undefined, unit: Unit): string {
  if (ci === undefined) return '';
  if (!ci.enough) return `few data (n = ${ci.n})`;
  if (ci.low === null || ci.high === null) return NULL_SIGN;
  return `${formatValue(ci.low, unit, null)}…${formatValue(ci.high, unit, null)}`;
}

function periodLabel(start: string, end: string): string {
  const s = start.slice(0, 10);
  const e = new Date(new Date(end).getTime() - 1).toISOString().slice(0, 10);
  return s === e ? s : `${s}…${e.slice(5)}`;
}

export function renderTable(report: Report, kpis: readonly Kpi[]): string {
  const currency = report.currency;
  const segments = [...new Set(report.rows.map((r) => r.segment))];
  const withCi = report.rows.some((r) => r.ci !== undefined);
  // With intervals, a line "  95 % CI" follows each KPI that has one.
  const lines = kpis.flatMap((k) =>
    withCi && (CI_KPIS as readonly string[]).includes(k.id)
      ? [
          { kpi: k, label: k.label, ci: false },
          { kpi: k, label: '  95 % CI', ci: true },
        ]
      : [{ kpi: k, label: k.label, ci: false }],
  );
  const labelWidth = Math.max(...lines.map((l) => l.label.length)) + 2;
  const adjective = { day: 'daily', week: 'weekly', month: 'monthly', quarter: 'quarterly', year: 'yearly' };
  const out: string[] = [`as of ${report.as_of} · ${adjective[report.period]} periods`];
  for (const segment of segments) {
    const rows = report.rows.filter((r) => r.segment === segment);
    const cells = rows.map((row) =>
      lines.map(({ kpi: k, ci }) => {
        if (row.suppressed.includes(k.id)) return ci ? '' : 'suppressed';
        if (ci) return formatInterval(row.ci?.[k.id as (typeof CI_KPIS)[number]], k.unit);
        return formatValue(row.kpis[k.id] ?? null, k.unit, currency);
      }),
    );
    const headers = rows.map((r) => periodLabel(r.start, r.end));
    const widths = rows.map((_, i) => Math.max(headers[i]!.length, ...cells[i]!.map((c) => c.length)) + 2);
    const perBlock = Math.max(1, Math.floor((WIDTH - labelWidth) / Math.max(...widths, 1)));
    for (let first = 0; first < rows.length; first += perBlock) {
      const columns = [...Array(Math.min(perBlock, rows.length - first)).keys()].map((i) => first + i);
      out.push('', segment === null ? 'All accounts' : `Segment: ${segment}`);
      out.push(''.padEnd(labelWidth) + columns.map((c) => headers[c]!.padStart(widths[c]!)).join(''));
      lines.forEach((line, r) => {
        out.push(
          line.label.padEnd(labelWidth) + columns.map((c) => cells[c]![r]!.padStart(widths[c]!)).join(''),
        );
      });
    }
  }
  return `${out.join('\n')}\n`;
}
