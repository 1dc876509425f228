// What a KPI is: an id of KPI-SPEC §4, how to show it, its one-line formula, and a pure finalize step.
import type { RowAggregates } from './aggregates.js';

export type Unit = 'currency' | 'percent' | 'count' | 'days' | 'score' | 'ratio';
export type Better = 'higher' | 'lower' | 'neutral';
export type Family = 'revenue' | 'retention' | 'value' | 'satisfaction' | 'support' | 'health';

export interface Kpi {
  id: string;
  family: Family;
  label: string;
  unit: Unit;
  better: Better;
  /** One line, rendered into docs/metrics.md and the API catalogue. */
  formula: string;
  /** From the aggregates of one (period, segment) to the number, or null when undefined. */
  finalize(a: RowAggregates): number | null;
}

/**
 * The null rule of KPI-SPEC §4 in one place: a share of an empty whole is null, never 0 or NaN.
 * @example pct(1, 4) // 25
 */
export function pct(part: number, whole: number): number | null {
  return whole === 0 ? null : (part / whole) * 100;
}

/** part / whole, null when whole is 0 or either side is null. */
export function ratio(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || whole === 0) return null;
  return part / whole;
}

/** The mean of a sum over a count, null for no values. */
export function mean(sum: number, count: number): number | null {
  return count === 0 ? null : sum / count;
}

/** Median of ascending values; mean of the two middle ones for an even count (KPI-SPEC §4 TTFV). */
export function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
