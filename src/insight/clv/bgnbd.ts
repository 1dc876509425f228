// BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): purchases follow a
// Poisson process with a Gamma(r, α)-distributed rate; after each purchase a customer drops out with a
// Beta(a, b)-distributed probability p. Fitted by maximum likelihood on (x, t_x, T) per customer.
import { type DistinctRows, distinctRows } from './distinct-rows.js';
import { minimise } from './optimise.js';
import { digamma, hyp2f1, lnGamma, lnHyp2f1 } from './special.js';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Per-customer calibration summaries, one entry per customer, in one time unit. */
export interface RfmArrays {
  /** repeat purchases (x) */
  frequency: Float64Array;
  /** time from the first to the last purchase (t_x) */
  recency: Float64Array;
  /** time from the first purchase to the calibration end (T) */
  T: Float64Array;
}

export interface BgNbdFit {
  params: BgNbdParams;
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

/**
 * The total log-likelihood at `params` and, when `gradient` is given, its gradient with respect to
 * (ln r, ln α, ln a, ln b). FHL 2005 eq. 6:
 * L = B(a, b+x)/B(a, b) · Γ(r+x)α^r / (Γ(r)(α+T)^(r+x)) + δ(x>0) · B(a+1, b+x−1)/B(a, b) · Γ(r+x)α^r / (Γ(r)(α+t_x)^(r+x)).
 */
export function bgNbdLogLikelihood(params: BgNbdParams, data: RfmArrays, gradient?: Float64Array): number {
  return logLikelihoodWith(params, distinctCustomers(data), gradient);
}

/** The distinct (x, t_x, T) rows with their counts, and the distinct x with theirs. */
interface DistinctCustomers extends RfmArrays {
  counts: Float64Array;
  groups: DistinctRows;
}

function distinctCustomers(data: RfmArrays): DistinctCustomers {
  const rows = distinctRows([data.frequency, data.recency, data.T]);
  const [frequency, recency, T] = rows.columns as [Float64Array, Float64Array, Float64Array];
  return { frequency, recency, T, counts: rows.counts, groups: distinctRows([frequency], rows.counts) };
}

function logLikelihoodWith(
  { r, alpha, a, b }: BgNbdParams,
  { frequency: x, recency: tx, T, counts, groups }: DistinctCustomers,
  gradient?: Float64Array,
): number {
  let ll = 0;
  let gr = 0;
  let gAlpha = 0;
  let ga = 0;
  let gb = 0;
  // Terms that depend on x alone: Γ ratios and r ln α, once per distinct x.
  const lnAlpha = Math.log(alpha);
  const psiR = digamma(r);
  const psiAB = digamma(a + b);
  const psiB = digamma(b);
  const base = lnGamma(a + b) - lnGamma(b) - lnGamma(r);
  const values = groups.columns[0]!;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    const c = groups.counts[k]!;
    ll += c * (base + lnGamma(r + v) + r * lnAlpha + lnGamma(b + v) - lnGamma(a + b + v));
    if (gradient) {
      const psiABX = digamma(a + b + v);
      gr += c * (digamma(r + v) - psiR + lnAlpha);
      gAlpha += (c * r) / alpha;
      ga += c * (psiAB - psiABX);
      gb += c * (psiAB + digamma(b + v) - psiB - psiABX);
    }
  }
  const lnA = Math.log(a);
  for (let i = 0; i < x.length; i++) {
    const w = counts[i]!;
    const xi = x[i]!;
    const rx = r + xi;
    const lnAT = Math.log(alpha + T[i]!);
    const l3 = -rx * lnAT;
    if (xi === 0) {
      ll += w * l3;
      if (gradient) {
        gr -= w * lnAT;
        gAlpha -= (w * rx) / (alpha + T[i]!);
      }
      continue;
    }
    const lnATx = Math.log(alpha + tx[i]!);
    const l4 = lnA - Math.log(b + xi - 1) - rx * lnATx;
    const m = l3 > l4 ? l3 : l4;
    const e3 = Math.exp(l3 - m);
    const e4 = Math.exp(l4 - m);
    const sum = e3 + e4;
    ll += w * (m + Math.log(sum));
    if (gradient) {
      const w3 = (w * e3) / sum;
      const w4 = (w * e4) / sum;
      gr -= w3 * lnAT + w4 * lnATx;
      gAlpha -= rx * (w3 / (alpha + T[i]!) + w4 / (alpha + tx[i]!));
      ga += w4 / a;
      gb -= w4 / (b + xi - 1);
    }
  }
  if (gradient) {
    // Chain rule to log-parameters: ∂/∂ln θ = θ ∂/∂θ.
    gradient[0] = gr * r;
    gradient[1] = gAlpha * alpha;
    gradient[2] = ga * a;
    gradient[3] = gb * b;
  }
  return ll;
}

/** Default start of the search: r = a = b = 1 and α = the mean T (the scale of the data). */
export function bgNbdStart(data: RfmArrays): BgNbdParams {
  let sum = 0;
  for (let i = 0; i < data.T.length; i++) sum += data.T[i]!;
  return { r: 1, alpha: Math.max(sum / Math.max(data.T.length, 1), 1e-6), a: 1, b: 1 };
}

/**
 * Maximum-likelihood fit (BFGS on log-parameters, analytic gradient, objective = mean −LL), evaluated
 * once per distinct (x, t_x, T).
 * @example fitBgNbd(cdnow).params // { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }
 */
export function fitBgNbd(data: RfmArrays, start: BgNbdParams = bgNbdStart(data)): BgNbdFit {
  const n = data.frequency.length;
  if (n === 0) throw new RangeError('no customers to fit');
  const customers = distinctCustomers(data);
  const params = (v: Float64Array): BgNbdParams => ({
    r: Math.exp(v[0]!),
    alpha: Math.exp(v[1]!),
    a: Math.exp(v[2]!),
    b: Math.exp(v[3]!),
  });
  const result = minimise(
    (v, g) => {
      const ll = logLikelihoodWith(params(v), customers, g);
      for (let i = 0; i < 4; i++) g[i] = -g[i]! / n;
      return -ll / n;
    },
    [Math.log(start.r), Math.log(start.alpha), Math.log(start.a), Math.log(start.b)],
    { gradientTolerance: 1e-9, maxIterations: 1000 },
  );
  return {
    params: params(result.x),
    logLikelihood: -result.value * n,
    iterations: result.iterations,
    converged: result.converged,
  };
}

/** The odds term of FHL 2005: δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x). */
function deadOdds({ r, alpha, a, b }: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 0;
  return (a / (b + x - 1)) * Math.exp((r + x) * (Math.log(alpha + T) - Math.log(alpha + tx)));
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x))  (FHL 2005 eq. 11).
 * @example bgNbdPAlive(cdnowParams, 26, 30.86, 31) // 0.9688
 */
export function bgNbdPAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  return 1 / (1 + deadOdds(params, x, tx, T));
}

/**
 * E[Y(t) | x, t_x, T], the expected purchases in the next t time units (FHL 2005 eq. 10):
 * (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)] / (1 + odds), z = t/(α+T+t).
 * @example bgNbdExpected(cdnowParams, 52, 26, 30.86, 31) // 25.757
 */
export function bgNbdExpected(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t <= 0) return 0;
  // a = 1 makes the formula 0/0; its limit is continuous, so step beside it.
  const a = Math.abs(params.a - 1) < 1e-9 ? 1 + 1e-9 : params.a;
  const stepped = { ...params, a };
  const c = a + params.b + x - 1;
  const value = ((c / (a - 1)) * (1 - bgNbdTail(stepped, t, x, T))) / (1 + deadOdds(stepped, x, tx, T));
  return value > 0 ? value : 0;
}

/** Above this r the Euler-transformed series alternates over huge terms; the direct one is then safe. */
const DIRECT_SERIES_FROM_R = 10;

/**
 * ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z). For small r by Euler's transformation, equal to
 * (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z): small parameters, a short series, no overflow for large x.
 * For large r (Poisson-like buying: r, α → ∞ together) directly, in logarithms.
 */
export function bgNbdTail({ r, alpha, a, b }: BgNbdParams, t: number, x: number, T: number): number {
  const z = t / (alpha + T + t);
  const c = a + b + x - 1;
  if (r <= DIRECT_SERIES_FROM_R)
    return Math.exp((a - 1) * Math.log1p(-z)) * hyp2f1(a + b - 1 - r, a - 1, c, z);
  return Math.exp((r + x) * Math.log1p(-z) + lnHyp2f1(r + x, b + x, c, z));
}
