// The blocked, column-major IRLS of src/insight/health/logistic.ts against the plain row-by-row IRLS it replaced
// (kept here as the reference): same Newton steps, same stopping rule, so the same coefficients up to the
// rounding of sums taken in another order (two halves of the rows, in blocks). Near the optimum that rounding
// can decide whether the last, tiny step is taken whole or halved, so coefficients agree to about 1e-6 there.
import { describe, expect, it } from 'vitest';
import {
  fitLogistic,
  type Matrix,
  seededRandom,
  sigmoid,
  standardisation,
} from '../src/insight/health/logistic.js';

const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

/** The first implementation (commit 451e7f8), trimmed of comments. */
function referenceFit(x: Matrix, y: ArrayLike<number>, l2: number) {
  const { rows: n, columns: p } = x;
  const { means, scales } = standardisation(x);
  const k = p + 1;
  const z = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    z[i * k] = 1;
    for (let j = 0; j < p; j++) z[i * k + j + 1] = (x.values[i * p + j]! - means[j]!) / scales[j]!;
  }
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
  while (iterations < 100 && !converged) {
    iterations += 1;
    const gradient = new Float64Array(k);
    const hessian = new Float64Array(k * k);
    for (let i = 0; i < n; i++) {
      let eta = 0;
      for (let j = 0; j < k; j++) eta += z[i * k + j]! * beta[j]!;
      const mu = sigmoid(eta);
      const w = mu * (1 - mu);
      for (let a = 0; a < k; a++) {
        const za = z[i * k + a]!;
        gradient[a]! += za * (y[i]! - mu);
        for (let b = 0; b <= a; b++) hessian[a * k + b]! += w * za * z[i * k + b]!;
      }
    }
    for (let a = 0; a < k; a++) {
      gradient[a]! -= (a === 0 ? 0 : l2) * beta[a]!;
      hessian[a * k + a]! += penalty(a);
      for (let b = 0; b < a; b++) hessian[b * k + a] = hessian[a * k + b]!;
    }
    const step = solve(hessian, gradient, k);
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
    converged = moved < 1e-10 || gain <= 1e-12 * Math.max(1, Math.abs(current));
    if (scale < 1e-8) break;
  }
  return { intercept: beta[0]!, coefficients: Array.from(beta.subarray(1)), iterations, objective: current };
}

/** Gaussian elimination without pivoting (the matrix is symmetric positive definite). */
function solve(a: Float64Array, b: Float64Array, k: number): Float64Array {
  const m = Float64Array.from(a);
  const v = Float64Array.from(b);
  for (let c = 0; c < k; c++) {
    for (let r = c + 1; r < k; r++) {
      const f = m[r * k + c]! / m[c * k + c]!;
      for (let j = c; j < k; j++) m[r * k + j]! -= f * m[c * k + j]!;
      v[r]! -= f * v[c]!;
    }
  }
  for (let r = k - 1; r >= 0; r--) {
    let sum = v[r]!;
    for (let j = r + 1; j < k; j++) sum -= m[r * k + j]! * v[j]!;
    v[r] = sum / m[r * k + r]!;
  }
  return v;
}

/** n rows of p features (one binary, one constant, the rest on different scales) and labels from a logit. */
function simulate(n: number, p: number, seed: number) {
  const random = seededRandom(seed);
  const values = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let logit = -2;
    for (let j = 0; j < p; j++) {
      const v = j === 0 ? (random() < 0.3 ? 1 : 0) : j === 1 ? 4 : (random() - 0.5) * (j + 1);
      values[i * p + j] = v;
      logit += (j % 3 === 0 ? 1.5 : -0.7) * v;
    }
    y[i] = random() < sigmoid(logit) ? 1 : 0;
  }
  return { x: { rows: n, columns: p, values }, y };
}

describe('logistic fit against the reference IRLS', () => {
  it('gives the same bits with a worker thread as without', () => {
    const { x, y } = simulate(4_001, 13, 7);
    const alone = fitLogistic(x, y, { threads: 1 });
    const shared = fitLogistic(x, y, { threads: 2 });
    expect(shared).toEqual(alone);
    expect(alone.converged).toBe(true);
  });

  it.each([
    [1_000, 3, 1],
    [5_003, 13, 0.5],
    [300, 13, 0],
  ])('%i rows, %i features, λ = %d: the same steps and coefficients', (n, p, l2) => {
    const { x, y } = simulate(n, p, n + p);
    const fit = fitLogistic(x, y, { l2 });
    const reference = referenceFit(x, y, l2);
    expect(fit.iterations).toBe(reference.iterations);
    expect(fit.intercept).toBeCloseTo(reference.intercept, 6);
    for (const [j, c] of fit.coefficients.entries()) {
      expect(c, `coefficient ${j}`).toBeCloseTo(reference.coefficients[j]!, 6);
    }
    expect(Math.abs(fit.objective - reference.objective)).toBeLessThan(1e-9 * Math.abs(reference.objective));
  });
});
