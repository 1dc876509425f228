// 95 % confidence intervals of the satisfaction KPIs: NPS (normal approximation), percentages (Wilson) and means
// (Student's t). Pure functions, shared by survey results and reports.

/** A KPI's value and its 95 % confidence interval; nulls where undefined. */
export interface Estimate {
  value: number | null;
  low: number | null;
  high: number | null;
}

/** z such that 95 % of a standard normal lies within ±z. */
export const Z95 = 1.959963984540054;

/**
 * NPS with a normal-approximation interval: each answer is +1 (promoter), 0 (passive) or −1 (detractor); the NPS
 * is their mean × 100, and its standard error √((p + d − (p − d)²) / n), p and d the shares. Clamped to ±100;
 * no interval under 2 answers.
 * @example netPromoterInterval(5, 2, 10) // value 30, interval 30 ± 100 × 1.96 × √((0.7 − 0.09) / 10)
 */
export function netPromoterInterval(promoters: number, detractors: number, n: number): Estimate {
  if (n === 0) return { value: null, low: null, high: null };
  const mean = (promoters - detractors) / n;
  if (n < 2) return { value: mean * 100, low: null, high: null };
  const half = Z95 * Math.sqrt(((promoters + detractors) / n - mean * mean) / n);
  return {
    value: mean * 100,
    low: Math.max(-100, (mean - half) * 100),
    high: Math.min(100, (mean + half) * 100),
  };
}

/**
 * A percentage with the Wilson score interval: (p̂ + z²/2n ± z √(p̂(1 − p̂)/n + z²/4n²)) ÷ (1 + z²/n), × 100.
 * @example wilsonInterval(8, 10) // value 80, interval 49.02…94.33
 */
export function wilsonInterval(successes: number, n: number): Estimate {
  if (n === 0) return { value: null, low: null, high: null };
  const p = successes / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { value: p * 100, low: Math.max(0, centre - half) * 100, high: Math.min(1, centre + half) * 100 };
}

/**
 * A mean with Student's t interval: mean ± t(0.975, n − 1) × s / √n, s the sample standard deviation, clamped to
 * the scale; no interval under 2 answers.
 * @example meanInterval([{ value: 1, count: 1 }, { value: 3, count: 1 }], [1, 5]) // 2, interval 1…5 (2 ± 12.706)
 */
export function meanInterval(
  values: readonly { value: number; count: number }[],
  [min, max]: readonly [number, number],
): Estimate {
  const n = values.reduce((sum, v) => sum + v.count, 0);
  if (n === 0) return { value: null, low: null, high: null };
  const mean = values.reduce((sum, v) => sum + v.value * v.count, 0) / n;
  if (n < 2) return { value: mean, low: null, high: null };
  const variance = values.reduce((sum, v) => sum + v.count * (v.value - mean) ** 2, 0) / (n - 1);
  const half = tQuantile975(n - 1) * Math.sqrt(variance / n);
  return { value: mean, low: Math.max(min, mean - half), high: Math.min(max, mean + half) };
}

/** Student's t 0.975 quantiles for 1–30 degrees of freedom. */
const T975 = [
  12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139,
  2.200985, 2.178813, 2.160369, 2.144787, 2.13145, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963, 2.079614,
  2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.04523, 2.042272,
];

/**
 * t(0.975, df): from the table up to 30 degrees of freedom, then the Cornish–Fisher expansion around z (within
 * 1e-7 of the exact quantile from 31 on).
 */
export function tQuantile975(df: number): number {
  if (df <= T975.length) return T975[df - 1]!;
  const z = Z95;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  const g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}
