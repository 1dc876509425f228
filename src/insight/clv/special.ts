// Special functions the customer-base models need: log-gamma, digamma, and Gauss's hypergeometric 2F1.

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Γ(x) for x > 0 (Lanczos, g = 7: about 15 significant digits).
 * @example lnGamma(5) // ln 24
 */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS_G + 2; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * ψ(x) = d ln Γ(x) / dx for x > 0: recurrence up to x ≥ 6, then the asymptotic series.
 * @example digamma(1) // −0.5772156649 (−Euler's γ)
 */
export function digamma(x: number): number {
  let result = 0;
  let v = x;
  while (v < 6) {
    result -= 1 / v;
    v += 1;
  }
  const inv = 1 / v;
  const inv2 = inv * inv;
  return (
    result +
    Math.log(v) -
    0.5 * inv -
    inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132)))))
  );
}

/**
 * Gauss's hypergeometric function 2F1(a, b; c; z) for 0 ≤ z < 1 by its power series, summed until the
 * terms shrink geometrically and the rest can no longer change the sum.
 * @example hyp2f1(1, 1, 2, 0.5) // −ln(1 − 0.5) / 0.5 = 1.386…
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 1_000_000; n++) {
    const ratio = ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    term *= ratio;
    sum += term;
    // Once the terms shrink geometrically, the rest of the series is below term · ratio / (1 − ratio).
    if (Math.abs(ratio) < 1 && Math.abs(term) <= 1e-16 * Math.abs(sum) * (1 - Math.abs(ratio))) break;
  }
  return sum;
}

/**
 * ln ₂F₁(a, b; c; z) for a, b, c > 0 and 0 ≤ z < 1, where every term is positive: the series is summed
 * with a running scale so that it may exceed the largest double (customers with thousands of purchases).
 * @example lnHyp2f1(1, 1, 2, 0.5) // ln 1.386…
 */
export function lnHyp2f1(a: number, b: number, c: number, z: number): number {
  const LIMIT = 1e250;
  let term = 1;
  let sum = 1;
  let lnScale = 0;
  for (let n = 0; n < 10_000_000; n++) {
    const ratio = ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    term *= ratio;
    sum += term;
    if (sum > LIMIT) {
      sum /= LIMIT;
      term /= LIMIT;
      lnScale += Math.log(LIMIT);
    }
    if (ratio < 1 && term <= 1e-16 * sum * (1 - ratio)) break;
  }
  return lnScale + Math.log(sum);
}
