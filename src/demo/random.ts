// The seeded pseudo-random stream behind every demo value (mulberry32): same seed, same data, never Math.random.

/** Mixes numbers into one well-spread 32-bit seed (murmur3's finaliser after each input). */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/**
 * A small, fast generator; one per account so that accounts can be generated in any order or thread.
 * @example const rng = new Rng(mixSeed(seed, accountIndex)); rng.int(1, 6);
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), this.state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Log-normal with the given median and spread (sigma of the underlying normal). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Poisson count (Knuth's method: the demo's rates are small). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let count = 0;
    let product = this.next();
    while (product > limit) {
      count++;
      product *= this.next();
    }
    return count;
  }
}

/** A weighted choice over fixed options, precomputed once. */
export class Weighted<T> {
  private readonly cumulative: number[];
  private readonly values: T[];

  constructor(entries: readonly (readonly [T, number])[]) {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let running = 0;
    this.values = entries.map(([value]) => value);
    this.cumulative = entries.map(([, weight]) => {
      running += weight / total;
      return running;
    });
  }

  draw(rng: Rng): T {
    const u = rng.next();
    for (let i = 0; i < this.cumulative.length - 1; i++) {
      if (u < this.cumulative[i]!) return this.values[i]!;
    }
    return this.values[this.values.length - 1]!;
  }
}
