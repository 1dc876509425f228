// Seeded bootstrap intervals: a small PRNG, binomial draws, the multinomial NPS bootstrap and a bootstrap over
// accounts. Pure and deterministic: the same counts and seed give the same interval on every run.

/** Resamples of every bootstrap unless told otherwise. */
export const RESAMPLES = 2000;
/** The seed of every bootstrap unless told otherwise. */
export const SEED = 20_251_123;

/** mulberry32: a 32-bit seeded generator of uniforms in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A seed mixing a base seed with integers (FNV-1a over their decimal digits). */
export function mixSeed(seed: number, ...parts: readonly number[]): number {
  let h = 0x811c9dc5 ^ seed;
  for (const ch of parts.join(':')) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * A Binomial(n, p) draw: exact (geometric waiting times, O(n·min(p, 1 − p))) while n·p·(1 − p) ≤ 50, else the
 * normal approximation, rounded and clamped to 0…n.
 */
export function binomial(random: () => number, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (n * p * (1 - p) > 50) {
    const draw = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * gaussian(random));
    return Math.min(n, Math.max(0, draw));
  }
  const q = Math.min(p, 1 - p);
  const logQ = Math.log(1 - q);
  let successes = 0;
  let position = 0;
  for (;;) {
    position += Math.floor(Math.log(1 - random()) / logQ) + 1;
    if (position > n) break;
    successes += 1;
  }
  return p <= 0.5 ? successes : n - successes;
}

/** The q-quantile of ascending values (linear between the closest ranks). */
export function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export interface Interval {
  low: number;
  high: number;
}

/** The 2.5 % and 97.5 % percentiles of bootstrap statistics (NaN statistics, from empty resamples, dropped). */
export function percentileInterval(statistics: readonly number[]): Interval | null {
  const sorted = statistics.filter((s) => Number.isFinite(s)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  return { low: quantile(sorted, 0.025), high: quantile(sorted, 0.975) };
}

/**
 * NPS with a multinomial percentile bootstrap: each resample draws n answers from the observed shares of
 * promoters, passives and detractors (promoters ~ Binomial(n, p/n), detractors ~ Binomial(n − promoters,
 * d/(n − p))) and computes its NPS; the interval is the 2.5–97.5 % percentiles. Seeded by the counts, so the
 * interval of a row never depends on the other rows. Null without answers.
 * @example npsBootstrap(50, 30, 20) // about { low: 17, high: 43 } around NPS 30
 */
export function npsBootstrap(
  promoters: number,
  passives: number,
  detractors: number,
  options: { resamples?: number; seed?: number } = {},
): Interval | null {
  const n = promoters + passives + detractors;
  if (n === 0) return null;
  const random = seededRandom(mixSeed(options.seed ?? SEED, promoters, passives, detractors));
  const resamples = options.resamples ?? RESAMPLES;
  const statistics: number[] = [];
  for (let i = 0; i < resamples; i++) {
    const p = binomial(random, n, promoters / n);
    const rest = n - p;
    const d =
      rest === 0
        ? 0
        : binomial(random, rest, passives + detractors === 0 ? 0 : detractors / (passives + detractors));
    statistics.push(((p - d) / n) * 100);
  }
  return percentileInterval(statistics);
}

/**
 * A percentile bootstrap over units (accounts) given as distinct kinds with counts: each resample draws Σ counts
 * units with replacement (directly, or as a multinomial over the kinds by conditional binomials for more than
 * 5 million units), and `statistic` receives how
 * many units of each kind were drawn (NaN when the statistic is undefined for that resample).
 */
export function bootstrapUnits(
  counts: readonly number[],
  statistic: (draws: Float64Array) => number,
  options: { resamples?: number; seed?: number; directLimit?: number } = {},
): Interval | null {
  return bootstrapMany(counts, (draws) => [statistic(draws)], 1, options)[0]!;
}

/** Up to this many units, a resample draws each unit directly (n uniforms); above, as a multinomial over kinds. */
const DIRECT_LIMIT = 5_000_000;

/** bootstrapUnits for `k` statistics of the same resamples (one pass over the kinds per resample). */
export function bootstrapMany(
  counts: readonly number[],
  statistics: (draws: Float64Array) => readonly number[],
  k: number,
  options: { resamples?: number; seed?: number; directLimit?: number } = {},
): (Interval | null)[] {
  const n = counts.reduce((sum, c) => sum + c, 0);
  if (n === 0) return Array.from({ length: k }, () => null);
  const random = seededRandom(mixSeed(options.seed ?? SEED, n, counts.length));
  const draws = new Float64Array(counts.length);
  const collected: number[][] = Array.from({ length: k }, () => []);
  // Direct draws of n units (an index → kind table) while it fits in memory; conditional binomials beyond.
  const kindOf = n <= (options.directLimit ?? DIRECT_LIMIT) ? new Int32Array(n) : null;
  if (kindOf) {
    let at = 0;
    counts.forEach((c, kind) => {
      kindOf.fill(kind, at, at + c);
      at += c;
    });
  }
  for (let i = 0; i < (options.resamples ?? RESAMPLES); i++) {
    if (kindOf) {
      draws.fill(0);
      for (let k = 0; k < n; k++) draws[kindOf[Math.floor(random() * n)]!]! += 1;
    } else {
      let left = n;
      let weight = n;
      counts.forEach((c, kind) => {
        const drawn = left === 0 ? 0 : weight <= c ? left : binomial(random, left, c / weight);
        draws[kind] = drawn;
        left -= drawn;
        weight -= c;
      });
    }
    statistics(draws).forEach((value, j) => {
      collected[j]!.push(value);
    });
  }
  return collected.map(percentileInterval);
}
