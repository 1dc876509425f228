// L2-regularised logistic regression on standardised features, fitted by Newton's method (IRLS): pure,
// deterministic (no random start, a fixed iteration order), and small enough to read in one sitting.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

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
  /** 2: half of the rows on a worker thread; default 2 from 100,000 rows when there is a second core, else 1. */
  threads?: 1 | 2;
}

export function matrixOf(rows: readonly ArrayLike<number>[], columns: number): Matrix {
  const values = new Float64Array(rows.length * columns);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    for (let j = 0; j < columns; j++) values[i * columns + j] = row[j]!;
  }
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

/**
 * Adds the gradient (out[0..k)) and the lower half of X'WX (out[k + a·k + b], b ≤ a) of rows [start, end) to
 * `out`. `z` holds feature j's standardised values at j·n (the intercept's 1 is implicit); rows are taken in
 * blocks whose weighted columns stay in the fastest cache, with a tight loop per pair of columns.
 * Self-contained (no outer names): the worker threads run its source text.
 */
function accumulateRows(
  z: Float64Array,
  n: number,
  p: number,
  labels: Float64Array,
  mu: Float64Array,
  start: number,
  end: number,
  out: Float64Array,
): void {
  const block = 128;
  const k = p + 1;
  const weighted = new Float64Array(k * block); // w·zₐ of the block's rows at a·block (a = 0: w)
  const residuals = new Float64Array(block);
  for (let i0 = start; i0 < end; i0 += block) {
    const m = Math.min(block, end - i0);
    let interceptGradient = 0;
    for (let t = 0; t < m; t++) {
      const q = mu[i0 + t]!;
      weighted[t] = q * (1 - q);
      residuals[t] = labels[i0 + t]! - q;
      interceptGradient += residuals[t]!;
    }
    out[0]! += interceptGradient;
    for (let a = 1; a < k; a++) {
      const o = (a - 1) * n + i0;
      const wa = a * block;
      let g = 0;
      for (let t = 0; t < m; t++) {
        const za = z[o + t]!;
        weighted[wa + t] = weighted[t]! * za;
        g += za * residuals[t]!;
      }
      out[a]! += g;
    }
    for (let a = 0; a < k; a++) {
      const wa = a * block;
      const row = k + a * k;
      let s = 0;
      for (let t = 0; t < m; t++) s += weighted[wa + t]!;
      out[row]! += s;
      let b = 1;
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
        out[row + b]! += sum1;
        out[row + b + 1]! += sum2;
      }
      if (b === a) {
        const o = (b - 1) * n + i0;
        let sum = 0;
        for (let t = 0; t < m; t++) sum += weighted[wa + t]! * z[o + t]!;
        out[row + b]! += sum;
      }
    }
  }
}

/**
 * For rows [start, end): η = b₀ + Σ βⱼ zⱼ (summed in coefficient order) into `eta`, σ(η) into `mu` (one
 * exponential serves σ and the log-likelihood), and returns Σ y·η − log(1 + e^η). Self-contained, as above.
 */
function evaluateRows(
  z: Float64Array,
  n: number,
  p: number,
  beta: Float64Array,
  labels: Float64Array,
  eta: Float64Array,
  mu: Float64Array,
  start: number,
  end: number,
): number {
  const block = 128;
  let total = 0;
  for (let i0 = start; i0 < end; i0 += block) {
    const stop = Math.min(end, i0 + block);
    for (let i = i0; i < stop; i++) eta[i] = beta[0]!;
    for (let j = 0; j < p; j++) {
      const b = beta[j + 1]!;
      const o = j * n;
      for (let i = i0; i < stop; i++) eta[i]! += z[o + i]! * b;
    }
    for (let i = i0; i < stop; i++) {
      const e = eta[i]!;
      const t = Math.exp(-Math.abs(e)); // as in sigmoid; log(1 + e^η) without overflow below
      mu[i] = e >= 0 ? 1 / (1 + t) : t / (1 + t);
      total += labels[i]! * e - (e > 0 ? e + Math.log1p(t) : Math.log1p(t));
    }
  }
  return total;
}

/** Below this many rows a fit runs on the calling thread alone (a worker costs tens of milliseconds). */
const PARALLEL_ROWS = 100_000;

/** The worker's program: waits for a command on `control`, runs a kernel on its rows, reports done. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
${accumulateRows.toString()}
${evaluateRows.toString()}
const { control, z, n, p, labels, etas, mus, beta, out, start, end } = workerData;
Atomics.store(control, 3, 0);
Atomics.notify(control, 3);
let seen = 0;
for (;;) {
  Atomics.wait(control, 0, seen);
  seen = Atomics.load(control, 0);
  const command = control[1];
  const buffer = control[2];
  if (command === 0) break;
  try {
    out.fill(0);
    if (command === 1) accumulateRows(z, n, p, labels, mus[buffer], start, end, out);
    else out[0] = evaluateRows(z, n, p, beta, labels, etas[buffer], mus[buffer], start, end);
    Atomics.store(control, 3, seen);
  } catch (error) {
    Atomics.store(control, 3, -1);
  }
  Atomics.notify(control, 3);
}
`;

/**
 * The rows of a fit split in two: the calling thread takes the first part, one worker thread the rest, both
 * on shared memory. Calls stay synchronous: the caller blocks (Atomics.wait) until the worker is done. The
 * partial sums are always added in the same order, so a fit's result does not depend on timing.
 */
class RowSplit {
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * 4));
  private readonly out: Float64Array;
  private readonly worker: Worker;
  private sequence = 0;

  private constructor(
    readonly split: number,
    private readonly beta: Float64Array,
    k: number,
    data: object,
  ) {
    this.out = new Float64Array(new SharedArrayBuffer(8 * (k + k * k)));
    Atomics.store(this.control, 3, -2);
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ...data, control: this.control, beta, out: this.out },
    });
    this.worker.unref();
  }

  /** A split with its worker started, or null when the worker does not come up within 10 s. */
  static start(
    split: number,
    n: number,
    data: { z: Float64Array; p: number; labels: Float64Array; etas: Float64Array[]; mus: Float64Array[] },
  ): RowSplit | null {
    const k = data.p + 1;
    const beta = new Float64Array(new SharedArrayBuffer(8 * k));
    const rows = new RowSplit(split, beta, k, { ...data, n, start: split, end: n });
    if (Atomics.wait(rows.control, 3, -2, 10_000) === 'timed-out') {
      rows.close();
      return null;
    }
    return rows;
  }

  /** Runs `command` on the worker's rows while `own` runs here; the worker's result is in `out` afterwards. */
  run(command: 1 | 2, buffer: number, own: () => void, beta?: Float64Array): Float64Array {
    if (beta) this.beta.set(beta);
    const done = Atomics.load(this.control, 3);
    this.control[1] = command;
    this.control[2] = buffer;
    this.sequence += 1;
    Atomics.store(this.control, 0, this.sequence);
    Atomics.notify(this.control, 0);
    own();
    while (Atomics.load(this.control, 3) === done) Atomics.wait(this.control, 3, done);
    if (Atomics.load(this.control, 3) !== this.sequence)
      throw new Error('fitLogistic: the worker thread failed');
    return this.out;
  }

  close(): void {
    this.control[1] = 0;
    Atomics.add(this.control, 0, 1);
    Atomics.notify(this.control, 0);
    void this.worker.terminate();
  }
}

/**
 * Fits P(y = 1 | x) = σ(b₀ + Σ βⱼ zⱼ) with zⱼ = (xⱼ − meanⱼ) / scaleⱼ.
 * The standardised design is stored column by column. Each Newton step computes the gradient and the lower half
 * of X'WX (`accumulateRows`), and each trial step its linear predictor, σ and likelihood in one pass
 * (`evaluateRows`); those of the accepted step serve the next one. With many rows and a second core, a worker
 * thread takes half of the rows.
 */
export function fitLogistic(x: Matrix, y: ArrayLike<number>, options: FitOptions = {}): LogisticFit {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-10;
  const { rows: n, columns: p } = x;
  if (y.length !== n) throw new Error(`fitLogistic: ${n} rows but ${y.length} labels`);
  const { means, scales } = standardisation(x);
  const k = p + 1; // the intercept is coefficient 0
  const parallel = (options.threads ?? (n >= PARALLEL_ROWS && availableParallelism() > 1 ? 2 : 1)) === 2;
  const shared = (length: number) =>
    parallel ? new Float64Array(new SharedArrayBuffer(8 * length)) : new Float64Array(length);
  // z: feature j's standardised values at j·n.
  const z = shared(n * p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) z[j * n + i] = (x.values[i * p + j]! - means[j]!) / scales[j]!;
  }
  const labels = shared(n);
  for (let i = 0; i < n; i++) labels[i] = y[i]!;
  // η and σ(η) of the current coefficients (buffer `now`) and of a trial step (the other one).
  const etas = [shared(n), shared(n)];
  const mus = [shared(n), shared(n)];
  let now = 0;
  // Sums run over two halves of the rows, added in that order, with or without the worker: the result does not
  // depend on the machine (near the optimum a step's acceptance can hang on the last bits of the likelihood).
  const split = Math.floor(n / 2);
  const rows = parallel ? RowSplit.start(split, n, { z, p, labels, etas, mus }) : null;
  // A tiny ridge on the intercept too keeps the Hessian invertible when every label is equal.
  const penalty = (j: number) => (j === 0 ? 1e-9 : l2 + 1e-9);
  /** The penalised log-likelihood at `beta`, leaving η and σ(η) in buffer `b`. */
  const objective = (beta: Float64Array, b: number) => {
    let total = 0;
    const own = () => {
      total = evaluateRows(z, n, p, beta, labels, etas[b]!, mus[b]!, 0, split);
    };
    let theirs: number;
    if (rows) theirs = rows.run(2, b, own, beta)[0]!;
    else {
      own();
      theirs = evaluateRows(z, n, p, beta, labels, etas[b]!, mus[b]!, split, n);
    }
    total += theirs;
    for (let j = 1; j < k; j++) total -= (l2 / 2) * beta[j]! ** 2;
    return total;
  };
  try {
    let beta = new Float64Array(k);
    let current = objective(beta, now);
    let iterations = 0;
    let converged = false;
    while (iterations < maxIterations && !converged) {
      iterations += 1;
      const sums = new Float64Array(k + k * k);
      const own = () => accumulateRows(z, n, p, labels, mus[now]!, 0, split, sums);
      let theirs: Float64Array;
      if (rows) theirs = rows.run(1, now, own);
      else {
        own();
        theirs = new Float64Array(sums.length);
        accumulateRows(z, n, p, labels, mus[now]!, split, n, theirs);
      }
      for (let i = 0; i < sums.length; i++) sums[i]! += theirs[i]!;
      const gradient = sums.slice(0, k);
      const hessian = sums.slice(k);
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
        const candidateValue = objective(candidate, 1 - now);
        if (candidateValue >= current - 1e-12) {
          next = candidate;
          value = candidateValue;
          now = 1 - now;
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
  } finally {
    rows?.close();
  }
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
