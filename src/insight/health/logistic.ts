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

export function matrixOf(rows: readonly (readonly number[])[], columns: number): Matrix {
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

/** log(1 + e^z) without overflow. */
const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

/** Fits P(y = 1 | x) = σ(b₀ + Σ βⱼ zⱼ) with zⱼ = (xⱼ − meanⱼ) / scaleⱼ. */
export function fitLogistic(x: Matrix, y: ArrayLike<number>, options: FitOptions = {}): LogisticFit {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-10;
  const { rows: n, columns: p } = x;
  if (y.length !== n) throw new Error(`fitLogistic: ${n} rows but ${y.length} labels`);
  const { means, scales } = standardisation(x);
  const k = p + 1; // the intercept is column 0
  const z = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    z[i * k] = 1;
    for (let j = 0; j < p; j++) z[i * k + j + 1] = (x.values[i * p + j]! - means[j]!) / scales[j]!;
  }
  // A tiny ridge on the intercept too keeps the Hessian invertible when every label is equal.
  const penalty = (j: number) => (j === 0 ? 1e-9 : l2 + 1e-9);
  const objective = (beta: Float64Array) => {
    let total = 0;
    for (let i = 0; i < n; i++) {
      let eta = 0;
      for (let j = 0; j < k; j++) eta += z[i * k + j]! * beta[j]!;
      total += y[i]! * eta - softplus(eta);
    }
    for (let j = 1; j < k; j++) total -= (l2 / 2) * beta[j]! ** 2;
    return total;
  };
  let beta = new Float64Array(k);
  let current = objective(beta);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations += 1;
    const gradient = new Float64Array(k);
    const hessian = new Float64Array(k * k);
    for (let i = 0; i < n; i++) {
      let eta = 0;
      for (let j = 0; j < k; j++) eta += z[i * k + j]! * beta[j]!;
      const mu = sigmoid(eta);
      const w = mu * (1 - mu);
      const residual = y[i]! - mu;
      for (let a = 0; a < k; a++) {
        const za = z[i * k + a]!;
        gradient[a]! += za * residual;
        for (let b = 0; b <= a; b++) hessian[a * k + b]! += w * za * z[i * k + b]!;
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
      const candidateValue = objective(candidate);
      if (candidateValue >= current - 1e-12) {
        next = candidate;
        value = candidateValue;
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
