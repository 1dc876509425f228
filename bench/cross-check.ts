// Compares two reports KPI by KPI over the rows (period, segment) and KPIs they share.

export interface ReportRow {
  start: string;
  segment: string | null;
  kpis: Record<string, number | null>;
}

export interface KpiDifference {
  kpi: string;
  /** Rows where both reports have the KPI. */
  compared: number;
  /** Rows where exactly one of the two values is null. */
  nullMismatches: number;
  /** Largest |a − b| / max(|a|, |b|) over rows where both are numbers. */
  maxRelative: number;
  /** The row of the largest difference (a null mismatch counts as the largest). */
  worst: { start: string; segment: string | null; a: number | null; b: number | null } | null;
}

export interface Comparison {
  a: string;
  b: string;
  /** Rows present in one report only (keyed by start and segment). */
  unmatchedRows: number;
  kpis: KpiDifference[];
}

const rowKey = (row: ReportRow) => `${new Date(row.start).toISOString()}|${row.segment ?? '\u0000total'}`;

export function compareReports(a: string, rowsA: ReportRow[], b: string, rowsB: ReportRow[]): Comparison {
  const byKey = new Map(rowsB.map((row) => [rowKey(row), row]));
  const differences = new Map<string, KpiDifference>();
  let matched = 0;
  for (const rowA of rowsA) {
    const rowB = byKey.get(rowKey(rowA));
    if (!rowB) continue;
    matched++;
    for (const [kpi, valueA] of Object.entries(rowA.kpis)) {
      if (!(kpi in rowB.kpis)) continue;
      const valueB = rowB.kpis[kpi] ?? null;
      const d = differences.get(kpi) ?? { kpi, compared: 0, nullMismatches: 0, maxRelative: 0, worst: null };
      differences.set(kpi, d);
      d.compared++;
      const worst = { start: rowA.start, segment: rowA.segment, a: valueA, b: valueB };
      if ((valueA === null) !== (valueB === null)) {
        if (d.nullMismatches++ === 0) d.worst = worst;
      } else if (valueA !== null && valueB !== null) {
        const relative = relativeDifference(valueA, valueB);
        if (relative > d.maxRelative) {
          d.maxRelative = relative;
          if (d.nullMismatches === 0) d.worst = worst;
        }
      }
    }
  }
  return { a, b, unmatchedRows: rowsA.length + rowsB.length - 2 * matched, kpis: [...differences.values()] };
}

function relativeDifference(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

/** Differences below this are floating-point noise (sums in another order). */
export const TOLERANCE = 1e-9;

/** Human lines: one per KPI that differs, then one for all that agree. */
export function describeComparison(c: Comparison): string[] {
  const lines = [`${c.a} vs ${c.b}: ${c.unmatchedRows} unmatched rows`];
  const differing = c.kpis.filter((d) => d.nullMismatches > 0 || d.maxRelative > TOLERANCE);
  for (const d of differing.sort(
    (x, y) => y.nullMismatches - x.nullMismatches || y.maxRelative - x.maxRelative,
  )) {
    const w = d.worst;
    const where = w ? ` e.g. ${w.start.slice(0, 7)} ${w.segment ?? 'total'}: ${w.a} vs ${w.b}` : '';
    const nulls = d.nullMismatches > 0 ? `, ${d.nullMismatches} null/non-null` : '';
    lines.push(
      `  ${d.kpi}: max rel. diff ${d.maxRelative.toExponential(2)}${nulls} over ${d.compared} rows${where}`,
    );
  }
  const agreeing = c.kpis.length - differing.length;
  lines.push(`  ${agreeing} of ${c.kpis.length} shared KPIs agree within ${TOLERANCE} on every row`);
  return lines;
}
