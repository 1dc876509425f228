// The shifted-beta-geometric model (sbg.ts) fitted on many cohorts at once, each right-censored where its
// observation ends: a cohort that started k months before the as-of date tells how many of its customers
// left in each of its first k months and how many are still there, not when those will leave.
import { minimise } from './optimise.js';
import { type SbgFit, type SbgParams, sbgSurvival } from './sbg.js';
import { digamma, lnGamma } from './special.js';

/** One cohort's survivor counts: alive[0] = its size, alive[k] = still customers after k periods. */
export interface CohortCounts {
  alive: readonly number[];
}

/** Survivor counts that the model cannot take: empty, negative, growing. */
export class SbgDataError extends Error {
  override name = 'SbgDataError';
}

/**
 * The cohorts pooled by period: lost[t] customers left in period t (t ≥ 1) and kept[t] were still there
 * when their cohort's observation ended after t periods. `customers` counts the cohorts observed for at
 * least one period (the others tell the model nothing yet).
 */
export interface PooledCounts {
  lost: Float64Array;
  kept: Float64Array;
  customers: number;
}

/**
 * Checks every cohort and pools them: Σ over cohorts of (alive[t−1] − alive[t]) into lost[t], and the
 * last count alive[n] into kept[n].
 * @example poolCohorts([{ alive: [10, 8, 5] }, { alive: [4, 3] }]) // lost [0, 3, 3], kept [0, 3, 5]
 */
export function poolCohorts(cohorts: readonly CohortCounts[]): PooledCounts {
  if (cohorts.length === 0) throw new SbgDataError('sBG needs at least one cohort');
  let periods = 0;
  cohorts.forEach(({ alive }, c) => {
    if (alive.length === 0) throw new SbgDataError(`cohort ${c} has no counts (alive[0] is its size)`);
    for (let t = 0; t < alive.length; t++) {
      const n = alive[t]!;
      if (!(Number.isInteger(n) && n >= 0)) {
        throw new SbgDataError(`cohort ${c}: alive[${t}] = ${n} is not a whole number ≥ 0`);
      }
      if (t > 0 && n > alive[t - 1]!) {
        throw new SbgDataError(
          `cohort ${c}: survivor counts must not increase (period ${t}: ${n} after ${alive[t - 1]})`,
        );
      }
    }
    periods = Math.max(periods, alive.length - 1);
  });
  const lost = new Float64Array(periods + 1);
  const kept = new Float64Array(periods + 1);
  let customers = 0;
  for (const { alive } of cohorts) {
    const last = alive.length - 1;
    if (last === 0) continue;
    customers += alive[0]!;
    for (let t = 1; t <= last; t++) lost[t]! += alive[t - 1]! - alive[t]!;
    kept[last]! += alive[last]!;
  }
  return { lost, kept, customers };
}

function lnBeta(x: number, y: number): number {
  return lnGamma(x) + lnGamma(y) - lnGamma(x + y);
}

/**
 * The censored log-likelihood of pooled counts: Σ_t lost[t] ln P(T = t) + Σ_t kept[t] ln S(t), with
 * P(T = t) = B(a+1, b+t−1)/B(a, b) and S(t) = B(a, b+t)/B(a, b) (F&H 2007 eqs. 3–5); for one cohort it is
 * sbgLogLikelihood. Gradient in (ln a, ln b) when asked.
 */
export function sbgPooledLogLikelihood(
  { a, b }: SbgParams,
  { lost, kept }: PooledCounts,
  gradient?: Float64Array,
): number {
  const base = lnBeta(a, b);
  const psiAB = digamma(a + b);
  const dBaseA = digamma(a) - psiAB;
  const dBaseB = digamma(b) - psiAB;
  const psiA1 = digamma(a + 1);
  const psiA = digamma(a);
  let ll = 0;
  let ga = 0;
  let gb = 0;
  for (let t = 1; t < lost.length; t++) {
    const gone = lost[t]!;
    if (gone > 0) {
      ll += gone * (lnBeta(a + 1, b + t - 1) - base);
      const psi = digamma(a + b + t);
      ga += gone * (psiA1 - psi - dBaseA);
      gb += gone * (digamma(b + t - 1) - psi - dBaseB);
    }
    const stay = kept[t]!;
    if (stay > 0) {
      ll += stay * (lnBeta(a, b + t) - base);
      const psi = digamma(a + b + t);
      ga += stay * (psiA - psi - dBaseA);
      gb += stay * (digamma(b + t) - psi - dBaseB);
    }
  }
  if (gradient) {
    gradient[0] = ga * a;
    gradient[1] = gb * b;
  }
  return ll;
}

/**
 * Maximum-likelihood fit of one (a, b) on many cohorts, each observed for its own number of periods. The
 * data must hold at least one loss and one cohort observed for a period: without losses the likelihood
 * rises forever as b grows (no one ever leaves).
 * @example fitSbgCohorts([{ alive: [1000, 869, 743, 653, 593, 551, 517, 491] }]).params // { a: 0.668, b: 3.806 }
 */
export function fitSbgCohorts(cohorts: readonly CohortCounts[]): SbgFit {
  const pooled = poolCohorts(cohorts);
  if (pooled.customers === 0) {
    throw new SbgDataError('no cohort has been observed for a whole period yet');
  }
  let losses = 0;
  let survivors = 0;
  for (let t = 1; t < pooled.lost.length; t++) {
    losses += pooled.lost[t]!;
    survivors += pooled.kept[t]!;
  }
  if (losses === 0) throw new SbgDataError('no customer has left yet: retention cannot be estimated');
  if (survivors === 0 && pooled.lost[1] === losses) {
    throw new SbgDataError('every customer left in the first period: retention cannot be estimated');
  }
  const n = pooled.customers;
  const result = minimise(
    (v, g) => {
      const ll = sbgPooledLogLikelihood({ a: Math.exp(v[0]!), b: Math.exp(v[1]!) }, pooled, g);
      g[0] = -g[0]! / n;
      g[1] = -g[1]! / n;
      return -ll / n;
    },
    [0, 0],
    { gradientTolerance: 1e-10 },
  );
  const a = Math.exp(result.x[0]!);
  const b = Math.exp(result.x[1]!);
  if (a < EDGE || b < EDGE) {
    // Retention that jumps to 1 after the first losses: the best fit splits customers into some who leave at
    // once and some who never do (a, b → 0), which no projection should rest on.
    throw new SbgDataError(
      `the fit runs to the edge of the model (a = ${a.toPrecision(3)}, b = ${b.toPrecision(3)}): too few losses after the first period to estimate retention`,
    );
  }
  return { params: { a, b }, logLikelihood: -result.value * n, converged: result.converged };
}

/** Below this, a or b is running to 0: the likelihood has no maximum inside the model. */
const EDGE = 1e-3;

/**
 * A cohort's expected survivors k = 1 … periods periods ahead, given `alive` of them after `age` periods:
 * alive · S(age + k) / S(age) (the customers left are the more loyal ones, so retention keeps rising).
 * @example projectCohort({ a: 1, b: 1 }, 100, 1, 1) // [100 · S(2)/S(1)] = [66.67]
 */
export function projectCohort(params: SbgParams, alive: number, age: number, periods: number): number[] {
  const survival = sbgSurvival(params, age + periods);
  const now = survival[age]!;
  return Array.from({ length: periods }, (_, i) => (now > 0 ? (alive * survival[age + i + 1]!) / now : 0));
}
