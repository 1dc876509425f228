// Distinct repeat-purchase counts and how many customers have each: the log-gamma terms of the
// likelihoods depend on x only, so they are computed once per distinct x instead of once per customer.

export interface FrequencyGroups {
  values: Float64Array;
  counts: Float64Array;
}

/**
 * Groups integer counts.
 * @example groupFrequencies(Float64Array.of(0, 2, 0)) // values [0, 2], counts [2, 1]
 */
export function groupFrequencies(x: Float64Array, include?: (i: number) => boolean): FrequencyGroups {
  const tally = new Map<number, number>();
  for (let i = 0; i < x.length; i++) {
    if (include && !include(i)) continue;
    const v = x[i]!;
    tally.set(v, (tally.get(v) ?? 0) + 1);
  }
  const values = Float64Array.from([...tally.keys()].sort((p, q) => p - q));
  const counts = Float64Array.from(values, (v) => tally.get(v)!);
  return { values, counts };
}
