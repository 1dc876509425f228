// L2-regularised logistic regression on standardised features, fitted by Newton's method (IRLS): pure,
// deterministic (no random start, a fixed iteration order), and small enough to read in one sitting.

/** A design matrix: `rows` × `columns` values, row-major. */
export interface Matrix {
  rows: number;
  columns: number;
  values: Float64Array;
}

export interface LogisticModel {
  /** Per feature: the training mean and standard deviation (1 for a constant feature). */
  means: number[];
  scales: number[];
  /** The logit at the mean account. */
  intercept: number;
  /** One per feature, on the standardised scale: the logit moves by this much per standard deviation. */
  coefficients: number[];
}

export interface LogisticFit extends LogisticModel {
  iterations: number;
  converged: boolean;
  /** The penalised log-likelihood at the fit (higher is better). */
  objective: number;
}

export interface FitOptions {
  /** Penalty λ in −log L + λ/2 · Σ β² (the intercept is not penalised); default 1. */
  l2?: number;
  maxIterations?: number;
  tolerance?: number;
}

export function matrixOf(rows: readonly ArrayLike<number>[], columns: number): Matrix {
  const values = new Float64Array(rows.length * columns);
  rows.forEach((row, i) => {
    for (let j = 0; j < columns; j++) values[i * columns + j] = row[j]!;
  });
  return { rows: rows.length, columns, values };
}

/** Mean and population standard deviation of each column; a constant column gets scale 1. */
export function standardisation(x: Matrix): { means: number[]; scales: number[] } {
  const { rows: n, columns: p, values } = x;
  const means = new Array<number>(p).fill(0);
  const scales = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) means[j]! += values[i * p + j]! / n;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < p; j++) scales[j]! += (values[i * p + j]! - means[j]!) ** 2 / n;
  // A constant column is centred on its value exactly, so it contributes 0 whatever rounding the mean had.
  for (let j = 0; j < p; j++) if (scales[j]! <= 1e-24 && n > 0) means[j] = values[j]!;
  return { means, scales: scales.map((v) => (v > 1e-24 ? Math.sqrt(v) : 1)) };
}

export const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Rows per block when accumulating X'WX: the block's weighted columns stay in the fastest cache. */
const BLOCK = 128;

/**
 * Fits P(y = 1 | x) = σ(b₀ + Σ βⱼ zⱼ) with zⱼ = (xⱼ − meanⱼ) / scaleⱼ.
 * The standardised design is stored column by column; each Newton step computes the gradient and the lower
 * half of X'WX block by block (a tight loop per pair of columns), and the linear predictor of the accepted
 * step is kept for the next one, so every step reads the data twice: once for the step, once to evaluate it.
 */
export function fitLogistic(x: Matrix, y: ArrayLike<number>, options: FitOptions = {}): LogisticFit {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-10;
  const { rows: n, columns: p } = x;
  if (y.length !== n) throw new Error(`fitLogistic: ${n} rows but ${y.length} labels`);
  const { means, scales } = standardisation(x);
  const k = p + 1; // the intercept is coefficient 0
  // z: feature j's standardised values at j·n.
  const z = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) z[j * n + i] = (x.values[i * p + j]! - means[j]!) / scales[j]!;
  }
  const labels = Float64Array.from(y);
  // A tiny ridge on the intercept too keeps the Hessian invertible when every label is equal.
  const penalty = (j: number) => (j === 0 ? 1e-9 : l2 + 1e-9);
  /** η = b₀ + Σ βⱼ zⱼ for every row, summed in coefficient order. */
  const predict = (beta: Float64Array, eta: Float64Array) => {
    eta.fill(beta[0]!);
    for (let i0 = 0; i0 < n; i0 += BLOCK) {
      const end = Math.min(n, i0 + BLOCK);
      for (let j = 0; j < p; j++) {
        const b = beta[j + 1]!;
        const o = j * n;
        for (let i = i0; i < end; i++) eta[i]! += z[o + i]! * b;
      }
    }
  };
  /** The penalised log-likelihood at η; also stores σ(η) in `mu` (one exponential per row serves both). */
  const objective = (beta: Float64Array, eta: Float64Array, mu: Float64Array) => {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const e = eta[i]!;
      const t = Math.exp(-Math.abs(e)); // as in sigmoid and softplus
      mu[i] = e >= 0 ? 1 / (1 + t) : t / (1 + t);
      total += labels[i]! * e - (e > 0 ? e + Math.log1p(t) : Math.log1p(t)); // log(1 + e^η) without overflow
    }
    for (let j = 1; j < k; j++) total -= (l2 / 2) * beta[j]! ** 2;
    return total;
  };
  let beta = new Float64Array(k);
  let eta = new Float64Array(n);
  let mu = new Float64Array(n);
  let trial = new Float64Array(n);
  let trialMu = new Float64Array(n);
  predict(beta, eta);
  let current = objective(beta, eta, mu);
  let iterations = 0;
  let converged = false;
  const weighted = new Float64Array(k * BLOCK); // w·zₐ of the block's rows at a·BLOCK (a = 0: w)
  const residuals = new Float64Array(BLOCK);
  while (iterations < maxIterations && !converged) {
    iterations += 1;
    const gradient = new Float64Array(k);
    const hessian = new Float64Array(k * k);
    for (let i0 = 0; i0 < n; i0 += BLOCK) {
      const m = Math.min(BLOCK, n - i0);
      let interceptGradient = 0;
      for (let t = 0; t < m; t++) {
        const p = mu[i0 + t]!;
        weighted[t] = p * (1 - p);
        residuals[t] = labels[i0 + t]! - p;
        interceptGradient += residuals[t]!;
      }
      gradient[0]! += interceptGradient;
      for (let a = 1; a < k; a++) {
        const o = (a - 1) * n + i0;
        const wa = a * BLOCK;
        let g = 0;
        for (let t = 0; t < m; t++) {
          const za = z[o + t]!;
          weighted[wa + t] = weighted[t]! * za;
          g += za * residuals[t]!;
        }
        gradient[a]! += g;
      }
      for (let a = 0; a < k; a++) {
        const wa = a * BLOCK;
        let s = 0;
        for (let t = 0; t < m; t++) s += weighted[wa + t]!;
        hessian[a * k]! += s;
        let b = 1;
        for (; b + 3 <= a; b += 4) {
          const o1 = (b - 1) * n + i0;
          const o2 = o1 + n;
          const o3 = o2 + n;
          const o4 = o3 + n;
          let sum1 = 0;
          let sum2 = 0;
          let sum3 = 0;
          let sum4 = 0;
          for (let t = 0; t < m; t++) {
            const w = weighted[wa + t]!;
            sum1 += w * z[o1 + t]!;
            sum2 += w * z[o2 + t]!;
            sum3 += w * z[o3 + t]!;
            sum4 += w * z[o4 + t]!;
          }
          hessian[a * k + b]! += sum1;
          hessian[a * k + b + 1]! += sum2;
          hessian[a * k + b + 2]! += sum3;
          hessian[a * k + b + 3]! += sum4;
        }
        for (; b + 1 <= a; b += 2) {
          const o1 = (b - 1) * n + i0;
          const o2 = o1 + n;
          let sum1 = 0;
          let sum2 = 0;
          for (let t = 0; t < m; t++) {
            const w = weighted[wa + t]!;
            sum1 += w * z[o1 + t]!;
            sum2 += w * z[o2 + t]!;
          }
          hessian[a * k + b]! += sum1;
          hessian[a * k + b + 1]! += sum2;
        }
        if (b === a) {
          const o = (b - 1) * n + i0;
          let sum = 0;
          for (let t = 0; t < m; t++) sum += weighted[wa + t]! * z[o + t]!;
          hessian[a * k + b]! += sum;
        }
      }
    }
    for (let a = 0; a < k; a++) {
      gradient[a]! -= (a === 0 ? 0 : l2) * beta[a]!;
      hessian[a * k + a]! += penalty(a);
      for (let b = 0; b < a; b++) hessian[b * k + a] = hessian[a * k + b]!;
    }
    const step = solveSymmetric(hessian, gradient, k);
    // Newton's step, halved until the penalised likelihood does not fall (it always can: the objective is concave).
    let scale = 1;
    let next = beta;
    let value = current;
    for (let halvings = 0; halvings < 30; halvings++) {
      const candidate = beta.map((b, j) => b + scale * step[j]!);
      predict(candidate, trial);
      const candidateValue = objective(candidate, trial, trialMu);
      if (candidateValue >= current - 1e-12) {
        next = candidate;
        value = candidateValue;
        [eta, trial] = [trial, eta];
        [mu, trialMu] = [trialMu, mu];
        break;
      }
      scale /= 2;
    }
    const moved = Math.max(...step.map((s) => Math.abs(s * scale)));
    const gain = value - current;
    beta = next;
    current = value;
    // Done when the coefficients stop moving, or the likelihood stops rising (to 1e-12 of itself): near
    // separation the coefficients of an almost certain class creep on without changing any prediction.
    converged = moved < tolerance || gain <= 1e-12 * Math.max(1, Math.abs(current));
    if (scale < 1e-8) break;
  }
  return {
    means,
    scales,
    intercept: beta[0]!,
    coefficients: Array.from(beta.subarray(1)),
    iterations,
    converged,
    objective: current,
  };
}

/** Solves A v = b for a symmetric positive-definite A (k × k, row-major) by Cholesky. */
function solveSymmetric(a: Float64Array, b: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * k + j]!;
      for (let m = 0; m < j; m++) sum -= l[i * k + m]! * l[j * k + m]!;
      if (i === j) l[i * k + i] = Math.sqrt(Math.max(sum, 1e-300));
      else l[i * k + j] = sum / l[j * k + j]!;
    }
  }
  const w = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let sum = b[i]!;
    for (let m = 0; m < i; m++) sum -= l[i * k + m]! * w[m]!;
    w[i] = sum / l[i * k + i]!;
  }
  const v = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let sum = w[i]!;
    for (let m = i + 1; m < k; m++) sum -= l[m * k + i]! * v[m]!;
    v[i] = sum / l[i * k + i]!;
  }
  return v;
}

/** Each feature's contribution to the logit (coefficient × standardised value); they sum with the intercept to the logit. */
export function contributions(model: LogisticModel, x: readonly number[]): number[] {
  return model.coefficients.map((c, j) => (c * (x[j]! - model.means[j]!)) / model.scales[j]!);
}

export function logitOf(model: LogisticModel, x: readonly number[]): number {
  return contributions(model, x).reduce((s, c) => s + c, model.intercept);
}

export function probabilityOf(model: LogisticModel, x: readonly number[]): number {
  return sigmoid(logitOf(model, x));
}

/** Deterministic pseudo-random numbers in [0, 1) from a 32-bit seed (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
