// Shifted-beta-geometric model of contractual retention (Fader & Hardie 2007, "How to project customer
// retention"): each customer renews every period with probability 1 − θ, θ ~ Beta(a, b) across
// customers. Fitted on a cohort's survivor counts; projects survival, retention and subscription CLV.
import { minimise } from './optimise.js';
import { digamma, hyp2f1, lnGamma } from './special.js';

export interface SbgParams {
  a: number;
  b: number;
}

export interface SbgFit {
  params: SbgParams;
  logLikelihood: number;
  converged: boolean;
}

function lnBeta(x: number, y: number): number {
  return lnGamma(x) + lnGamma(y) - lnGamma(x + y);
}

/**
 * Log-likelihood of survivor counts alive[0] ≥ alive[1] ≥ … (alive[0] = cohort size at period 0):
 * Σ_t (alive[t−1] − alive[t]) ln P(T = t) + alive[n] ln S(n), with P(T = t) = B(a+1, b+t−1)/B(a, b) and
 * S(t) = B(a, b+t)/B(a, b) (F&H 2007 eqs. 3–5). Gradient in (ln a, ln b) when asked.
 */
export function sbgLogLikelihood(
  { a, b }: SbgParams,
  alive: readonly number[],
  gradient?: Float64Array,
): number {
  const base = lnBeta(a, b);
  const psiAB = digamma(a + b);
  const dBaseA = digamma(a) - psiAB;
  const dBaseB = digamma(b) - psiAB;
  let ll = 0;
  let ga = 0;
  let gb = 0;
  const last = alive.length - 1;
  for (let t = 1; t <= last; t++) {
    const lost = alive[t - 1]! - alive[t]!;
    if (lost === 0) continue;
    ll += lost * (lnBeta(a + 1, b + t - 1) - base);
    const psi = digamma(a + b + t);
    ga += lost * (digamma(a + 1) - psi - dBaseA);
    gb += lost * (digamma(b + t - 1) - psi - dBaseB);
  }
  const kept = alive[last]!;
  if (kept > 0 && last > 0) {
    ll += kept * (lnBeta(a, b + last) - base);
    const psi = digamma(a + b + last);
    ga += kept * (digamma(a) - psi - dBaseA);
    gb += kept * (digamma(b + last) - psi - dBaseB);
  }
  if (gradient) {
    gradient[0] = ga * a;
    gradient[1] = gb * b;
  }
  return ll;
}

/**
 * Maximum-likelihood fit on one cohort's survivor counts by period (at least two periods).
 * @example fitSbg([1000, 869, 743, 653, 593, 551, 517, 491]).params // { a: 0.668, b: 3.806 }
 */
export function fitSbg(alive: readonly number[]): SbgFit {
  if (alive.length < 2) throw new RangeError('sBG needs survivor counts for at least two periods');
  for (let t = 1; t < alive.length; t++) {
    if (!(alive[t]! >= 0 && alive[t]! <= alive[t - 1]!)) {
      throw new RangeError(
        `survivor counts must not increase (period ${t}: ${alive[t]} after ${alive[t - 1]})`,
      );
    }
  }
  const n = alive[0]!;
  const result = minimise(
    (v, g) => {
      const ll = sbgLogLikelihood({ a: Math.exp(v[0]!), b: Math.exp(v[1]!) }, alive, g);
      g[0] = -g[0]! / n;
      g[1] = -g[1]! / n;
      return -ll / n;
    },
    [0, 0],
    { gradientTolerance: 1e-10 },
  );
  return {
    params: { a: Math.exp(result.x[0]!), b: Math.exp(result.x[1]!) },
    logLikelihood: -result.value * n,
    converged: result.converged,
  };
}

/**
 * S(t) for t = 0 … periods: the share of a new cohort still subscribed after t renewals,
 * S(t) = S(t−1) · (b+t−1)/(a+b+t−1), S(0) = 1.
 * @example sbgSurvival({ a: 1, b: 1 }, 2) // [1, 0.5, 0.333…]
 */
export function sbgSurvival({ a, b }: SbgParams, periods: number): number[] {
  const out = [1];
  for (let t = 1; t <= periods; t++) out.push(out[t - 1]! * ((b + t - 1) / (a + b + t - 1)));
  return out;
}

/**
 * r(t) = S(t)/S(t−1) = (b+t−1)/(a+b+t−1), the retention rate of period t (t ≥ 1): it rises with t as
 * the customers most likely to leave leave first.
 */
export function sbgRetention({ a, b }: SbgParams, t: number): number {
  return (b + t - 1) / (a + b + t - 1);
}

/**
 * Subscription CLV of a new customer (F&H 2010 "discounted expected lifetime"): a margin of `margin`
 * paid at the start of every period the customer is still subscribed, discounted by `discount` per
 * period: Σ_{t≥0} margin · S(t)/(1+d)^t = margin · ₂F₁(1, b; a+b; 1/(1+d)). With `periods`, only the
 * first `periods` payments count (t = 0 … periods−1).
 * @example subscriptionClv({ a: 0.704, b: 1.182 }, 100, 0.1, 5) // Σ_{t<5} 100·S(t)/1.1^t
 */
export function subscriptionClv(
  params: SbgParams,
  margin: number,
  discount: number,
  periods?: number,
): number {
  if (periods === undefined) {
    if (!(discount > 0)) return Number.POSITIVE_INFINITY;
    return margin * hyp2f1(1, params.b, params.a + params.b, 1 / (1 + discount));
  }
  const survival = sbgSurvival(params, Math.max(periods - 1, 0));
  let sum = 0;
  for (let t = 0; t < periods; t++) sum += survival[t]! / (1 + discount) ** t;
  return margin * sum;
}
