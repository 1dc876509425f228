// Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Colombo & Jiang 1999): the value
// of each transaction is Gamma(p, ν) around a customer's mean, ν is Gamma(q, γ) across customers, and
// spend is independent of the purchase process. Fitted on repeat buyers by maximum likelihood.
import { type DistinctRows, distinctRows } from './distinct-rows.js';
import { minimise } from './optimise.js';
import { digamma, lnGamma } from './special.js';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface SpendArrays {
  /** repeat purchases (x > 0) */
  frequency: Float64Array;
  /** mean value of those repeat purchases (m_x > 0) */
  monetary: Float64Array;
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

/**
 * Log-likelihood of the customers' mean spends and its gradient in (ln p, ln q, ln γ); per customer
 * ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m_x + px ln x − (px+q) ln(γ + x m_x)
 * (the density of m_x, whose x transactions sum to x·m_x).
 */
export function gammaGammaLogLikelihood(
  params: GammaGammaParams,
  data: SpendArrays,
  gradient?: Float64Array,
): number {
  return logLikelihoodWith(params, distinctSpenders(data), gradient);
}

/** The distinct (x, m_x) rows with their counts, and the distinct x with theirs. */
interface DistinctSpenders extends SpendArrays {
  counts: Float64Array;
  groups: DistinctRows;
}

function distinctSpenders(data: SpendArrays): DistinctSpenders {
  const rows = distinctRows([data.frequency, data.monetary]);
  const [frequency, monetary] = rows.columns as [Float64Array, Float64Array];
  return { frequency, monetary, counts: rows.counts, groups: distinctRows([frequency], rows.counts) };
}

function logLikelihoodWith(
  { p, q, gamma }: GammaGammaParams,
  { frequency: x, monetary: m, counts, groups }: DistinctSpenders,
  gradient?: Float64Array,
): number {
  let ll = 0;
  let gp = 0;
  let gq = 0;
  let gg = 0;
  const lnGammaQ = lnGamma(q);
  const psiQ = digamma(q);
  const values = groups.columns[0]!;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    const c = groups.counts[k]!;
    ll += c * (lnGamma(p * v + q) - lnGamma(p * v) - lnGammaQ + p * v * Math.log(v));
    if (gradient) {
      const psiPXQ = digamma(p * v + q);
      gp += c * v * (psiPXQ - digamma(p * v) + Math.log(v));
      gq += c * (psiPXQ - psiQ);
    }
  }
  const lnG = Math.log(gamma);
  for (let i = 0; i < x.length; i++) {
    const w = counts[i]!;
    const xi = x[i]!;
    const lnM = Math.log(m[i]!);
    const total = gamma + xi * m[i]!;
    const lnTotal = Math.log(total);
    ll += w * (q * lnG + (p * xi - 1) * lnM - (p * xi + q) * lnTotal);
    if (gradient) {
      gp += w * xi * (lnM - lnTotal);
      gq += w * (lnG - lnTotal);
      gg += w * (q / gamma - (p * xi + q) / total);
    }
  }
  if (gradient) {
    gradient[0] = gp * p;
    gradient[1] = gq * q;
    gradient[2] = gg * gamma;
  }
  return ll;
}

/**
 * Maximum-likelihood fit from p = q = 1, γ = mean spend (BFGS on log-parameters, analytic gradient),
 * evaluated once per distinct (x, m_x).
 * @example fitGammaGamma(cdnowRepeatBuyers).params // { p: 6.25, q: 3.74, gamma: 15.44 }
 */
export function fitGammaGamma(data: SpendArrays): GammaGammaFit {
  const n = data.frequency.length;
  if (n === 0) throw new RangeError('no repeat buyers to fit');
  let mean = 0;
  for (let i = 0; i < n; i++) mean += data.monetary[i]! / n;
  const spenders = distinctSpenders(data);
  const params = (v: Float64Array): GammaGammaParams => ({
    p: Math.exp(v[0]!),
    q: Math.exp(v[1]!),
    gamma: Math.exp(v[2]!),
  });
  const result = minimise(
    (v, g) => {
      const ll = logLikelihoodWith(params(v), spenders, g);
      for (let i = 0; i < 3; i++) g[i] = -g[i]! / n;
      return -ll / n;
    },
    [0, 0, Math.log(Math.max(mean, 1e-9))],
    { gradientTolerance: 1e-9, maxIterations: 1000 },
  );
  return {
    params: params(result.x),
    logLikelihood: -result.value * n,
    iterations: result.iterations,
    converged: result.converged,
  };
}

/**
 * E[M | x, m_x] = p(γ + x m_x) / (px + q − 1): a weighted mean of the population mean pγ/(q−1) and the
 * customer's own m_x (x = 0: the population mean, infinite when q ≤ 1).
 * @example gammaGammaExpectedSpend({ p: 6.25, q: 3.74, gamma: 15.44 }, 0, 0) // 35.22
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, x: number, mx: number): number {
  const { p, q, gamma } = params;
  const denominator = x > 0 ? p * x + q - 1 : q - 1;
  if (denominator <= 0) return Number.POSITIVE_INFINITY;
  return x > 0 ? (p * (gamma + x * mx)) / denominator : (p * gamma) / denominator;
}
