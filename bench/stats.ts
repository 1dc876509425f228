// Small statistics for timings: the median of runs, and the ratio of two medians.

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** How many times slower `other` is than `ours` (null when either is missing). */
export function speedup(ours: number | null, other: number | null): number | null {
  return ours === null || other === null || ours === 0 ? null : other / ours;
}
