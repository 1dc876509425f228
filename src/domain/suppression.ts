// Small-group suppression for anonymous employee answers (KPI-SPEC §5), including by difference.

export interface GroupCounts {
  /** Answers in the total row. */
  total: number;
  /** Answers per segment value. Answers with no segment value are the remainder: total − Σ segments. */
  segments: ReadonlyMap<string, number>;
}

export interface Suppressed {
  total: boolean;
  segments: Set<string>;
}

/**
 * Groups with 1 to `minimum − 1` answers are hidden. Because the total is the sum of its parts, subtraction
 * reveals the hidden parts together (with the answers that have no segment): while that would expose a single
 * hidden segment or fewer than `minimum` answers, the smallest visible part is hidden too, and if none is
 * left, the total. (A part of 0 answers reveals nothing and stays visible.)
 * @example suppressSmallGroups({ total: 12, segments: new Map([['a', 3], ['b', 9]]) }, 5) // a and b hidden
 */
export function suppressSmallGroups(counts: GroupCounts, minimum: number): Suppressed {
  const small = (n: number) => n > 0 && n < minimum;
  const hidden = new Set([...counts.segments].filter(([, n]) => small(n)).map(([key]) => key));
  const suppressed: Suppressed = { total: small(counts.total), segments: hidden };
  if (suppressed.total) return suppressed;

  const remainder = counts.total - [...counts.segments.values()].reduce((s, n) => s + n, 0);
  const hiddenAnswers = () =>
    [...hidden].reduce((s, key) => s + (counts.segments.get(key) ?? 0), 0) + remainder;
  const hiddenParts = () => hidden.size + (remainder > 0 ? 1 : 0);
  // What subtraction reveals is the combined hidden parts: unsafe when few answers, or one hidden segment alone.
  const exposed = () =>
    hiddenParts() > 0 && (hiddenAnswers() < minimum || (hiddenParts() === 1 && hidden.size === 1));
  while (exposed()) {
    const next = [...counts.segments]
      .filter(([key, n]) => n > 0 && !hidden.has(key))
      .sort(([ka, a], [kb, b]) => a - b || ka.localeCompare(kb))[0];
    if (!next) {
      suppressed.total = true;
      break;
    }
    hidden.add(next[0]);
  }
  return suppressed;
}
