// Seeded simulation of the BG/NBD and Gamma-Gamma processes: data with known parameters, for the
// recovery tests and for timing fits at scale.
import type { BgNbdParams, RfmArrays } from './bgnbd.js';
import type { GammaGammaParams } from './gamma-gamma.js';

/**
 * A seeded uniform generator on (0, 1) (mulberry32): the same seed gives the same stream everywhere.
 * @example const u = seededRandom(42); u() // 0.6011…
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** Gamma(shape, rate) by Marsaglia & Tsang (2000), boosted for shape < 1. */
export function gammaVariate(u: () => number, shape: number, rate: number): number {
  if (shape < 1) return gammaVariate(u, shape + 1, rate) * u() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(u);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const w = u();
    if (w < 1 - 0.0331 * x ** 4 || Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v)))
      return (d * v) / rate;
  }
}

export interface SimulatedCustomers extends RfmArrays {
  monetary: Float64Array;
}

/**
 * `n` customers observed for T drawn uniformly from [minT, maxT]: purchase rate λ ~ Gamma(r, α), dropout
 * probability p ~ Beta(a, b) after every repeat purchase; each repeat purchase's value ~ Gamma(p, ν) with
 * ν ~ Gamma(q, γ) per customer (monetary = mean repeat value; NaN with no repeat purchase).
 */
export function simulateCustomers(
  n: number,
  bg: BgNbdParams,
  gg: GammaGammaParams,
  seed: number,
  minT = 20,
  maxT = 40,
): SimulatedCustomers {
  const u = seededRandom(seed);
  const out: SimulatedCustomers = {
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    T: new Float64Array(n),
    monetary: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const T = minT + (maxT - minT) * u();
    const lambda = gammaVariate(u, bg.r, bg.alpha);
    const ga = gammaVariate(u, bg.a, 1);
    const p = ga / (ga + gammaVariate(u, bg.b, 1));
    const nu = gammaVariate(u, gg.q, gg.gamma);
    let t = 0;
    let x = 0;
    let tx = 0;
    let spend = 0;
    for (;;) {
      t += -Math.log(u()) / lambda;
      if (t > T) break;
      x++;
      tx = t;
      spend += gammaVariate(u, gg.p, nu);
      if (u() < p) break;
    }
    out.frequency[i] = x;
    out.recency[i] = tx;
    out.T[i] = T;
    out.monetary[i] = x > 0 ? spend / x : Number.NaN;
  }
  return out;
}
