// Unconstrained minimisation by BFGS with a backtracking (Armijo) line search: the models fit a handful
// of log-parameters, so a dense inverse-Hessian is cheap and the analytic gradient does the rest.

/** The objective at a point and its gradient (written into `gradient`). */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface Minimum {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
}

export interface MinimiseOptions {
  maxIterations?: number;
  /** Stop when the gradient's largest component is below this. */
  gradientTolerance?: number;
}

/**
 * Minimises `f` from `start`.
 * @example minimise((x, g) => { g[0] = 2 * (x[0]! - 3); return (x[0]! - 3) ** 2; }, [0]).x // [3]
 */
export function minimise(f: Objective, start: readonly number[], options: MinimiseOptions = {}): Minimum {
  const n = start.length;
  const maxIterations = options.maxIterations ?? 500;
  const tolerance = options.gradientTolerance ?? 1e-7;
  let x = Float64Array.from(start);
  let g = new Float64Array(n);
  let value = f(x, g);
  if (!Number.isFinite(value)) throw new RangeError('the objective is not finite at the start point');
  const h = identity(n);
  const direction = new Float64Array(n);
  let xNext = new Float64Array(n);
  let gNext = new Float64Array(n);
  let stalled = 0;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (maxAbs(g) < tolerance) return { x, value, iterations: iteration, converged: true };
    for (let i = 0; i < n; i++) {
      let d = 0;
      for (let j = 0; j < n; j++) d -= h[i * n + j]! * g[j]!;
      direction[i] = d;
    }
    let slope = dot(direction, g);
    if (!(slope < 0)) {
      // Not a descent direction (the curvature estimate went stale): restart from steepest descent.
      resetIdentity(h, n);
      for (let i = 0; i < n; i++) direction[i] = -g[i]!;
      slope = dot(direction, g);
    }
    // Keep the first steps short: a log-parameter step of 10 is already a factor e^10.
    let step = Math.min(1, 5 / Math.max(maxAbs(direction), 1e-300));
    let nextValue = Number.NaN;
    for (let tries = 0; tries < 60; tries++) {
      for (let i = 0; i < n; i++) xNext[i] = x[i]! + step * direction[i]!;
      nextValue = f(xNext, gNext);
      if (Number.isFinite(nextValue) && nextValue <= value + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(Number.isFinite(nextValue) && nextValue <= value)) {
      return { x, value, iterations: iteration, converged: maxAbs(g) < tolerance * 1e3 };
    }
    updateInverseHessian(h, n, x, xNext, g, gNext);
    const improvement = value - nextValue;
    [x, xNext] = [xNext, x];
    [g, gNext] = [gNext, g];
    value = nextValue;
    if (improvement <= 1e-14 * Math.max(1, Math.abs(value)) && maxAbs(g) < tolerance * 1e3) {
      return { x, value, iterations: iteration + 1, converged: true };
    }
    // A maximum at the edge of the space (say r, α → ∞ together: every customer buys at one rate)
    // is approached forever in ever smaller gains: stop once five steps in a row gain nothing visible.
    stalled = improvement <= 1e-12 * Math.max(1, Math.abs(value)) ? stalled + 1 : 0;
    if (stalled >= 5) return { x, value, iterations: iteration + 1, converged: true };
  }
  return { x, value, iterations: maxIterations, converged: maxAbs(g) < tolerance };
}

function updateInverseHessian(
  h: Float64Array,
  n: number,
  x: Float64Array,
  xNext: Float64Array,
  g: Float64Array,
  gNext: Float64Array,
): void {
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s[i] = xNext[i]! - x[i]!;
    y[i] = gNext[i]! - g[i]!;
  }
  const sy = dot(s, y);
  if (!(sy > 1e-12)) return; // no positive curvature along the step: keep the old estimate
  const hy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let j = 0; j < n; j++) v += h[i * n + j]! * y[j]!;
    hy[i] = v;
  }
  const yhy = dot(y, hy);
  const rho = 1 / sy;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      h[i * n + j] =
        h[i * n + j]! + (1 + yhy * rho) * rho * s[i]! * s[j]! - rho * (hy[i]! * s[j]! + s[i]! * hy[j]!);
    }
  }
}

function identity(n: number): Float64Array {
  const h = new Float64Array(n * n);
  resetIdentity(h, n);
  return h;
}

function resetIdentity(h: Float64Array, n: number): void {
  h.fill(0);
  for (let i = 0; i < n; i++) h[i * n + i] = 1;
}

function dot(u: Float64Array, v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i]! * v[i]!;
  return s;
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
}
