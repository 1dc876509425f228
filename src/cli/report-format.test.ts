import { describe, expect, it } from 'vitest';
import { csvCell } from '../domain/csv-cell.js';
import { KPIS } from '../kpi/catalogue.js';
import type { Report } from '../kpi/engine.js';
import { renderCsv } from './report-csv.js';
import { formatValue, renderTable } from './report-table.js';

const report: Report = {
  as_of: '2025-03-01T00:00:00.000Z',
  period: 'month',
  currency: 'EUR',
  rows: [
    {
      start: '2025-02-01T00:00:00.000Z',
      end: '2025-03-01T00:00:00.000Z',
      segment: '=cmd|x',
      kpis: Object.fromEntries(KPIS.map((k) => [k.id, k.id === 'mrr' ? 1234567.891 : null])),
      suppressed: ['enps'],
    },
  ],
};

describe('people-facing values', () => {
  it('rounds for display only, with thousands separators, units and — for null', () => {
    expect(formatValue(1234567.891, 'currency', 'EUR')).toBe('1,234,567.89 EUR');
    expect(formatValue(66.66666, 'percent', null)).toBe('66.7 %');
    expect(formatValue(12000, 'count', null)).toBe('12,000');
    expect(formatValue(null, 'percent', null)).toBe('—');
  });

  it('the table shows every KPI label, the period and the suppression', () => {
    const table = renderTable(report, KPIS);
    expect(table).toContain('1,234,567.89 EUR');
    expect(table).toContain('2025-02-01…02-28');
    expect(table).toMatch(/eNPS\s+suppressed/);
    for (const kpi of KPIS) expect(table).toContain(kpi.label);
  });
});

describe('spreadsheet-safe CSV', () => {
  it('defuses text cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=1+1')).toBe(`"'=1+1"`);
    expect(csvCell('+x')).toBe(`"'+x"`);
    expect(csvCell('-x')).toBe(`"'-x"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell('plain')).toBe('plain');
  });

  it('writes numbers as numbers (a negative value stays a number) and null as an empty cell', () => {
    expect(csvCell(-80)).toBe('-80');
    expect(csvCell(null)).toBe('');
    const [header, line] = renderCsv(report, ['mrr', 'nps']).trim().split('\n');
    expect(header).toBe('start,end,segment,mrr,nps,suppressed');
    expect(line).toBe(`2025-02-01T00:00:00.000Z,2025-03-01T00:00:00.000Z,"'=cmd|x",1234567.891,,enps`);
  });
});
