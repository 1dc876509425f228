// The statistics of a theme, from counts the store returns: shares by NPS and CSAT group, lift among
// detractors with a two-proportion z-test, churn of mentioning accounts. Pure; formulas in docs/themes.md.

/** A share in percent (0–100), or null when nothing was counted. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? (100 * part) / whole : null;
}

/**
 * erfc(x) by the Chebyshev fit of Numerical Recipes (erfcc; fractional error below 1.2e-7 everywhere).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + z / 2);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export interface LiftTest {
  /** Share of detractors' comments that mention the theme, percent. */
  detractor_share: number | null;
  /** Share of promoters' and passives' comments that mention it, percent. */
  others_share: number | null;
  /** detractor_share / others_share; null when either is undefined or others_share is 0. */
  lift: number | null;
  /** The pooled two-proportion z statistic of detractors against the others. */
  z: number | null;
  /** Two-sided p-value of z under the normal approximation. */
  p_value: number | null;
}

/**
 * Lift among detractors: x1 of n1 detractor comments mention the theme, x2 of n2 promoter and passive
 * comments. p1 = x1/n1, p2 = x2/n2, lift = p1/p2; z = (p1 − p2) / √(p(1 − p)(1/n1 + 1/n2)) with the pooled
 * p = (x1 + x2)/(n1 + n2); p-value = erfc(|z|/√2).
 */
export function liftTest(x1: number, n1: number, x2: number, n2: number): LiftTest {
  const p1 = n1 > 0 ? x1 / n1 : null;
  const p2 = n2 > 0 ? x2 / n2 : null;
  const lift = p1 !== null && p2 !== null && p2 > 0 ? p1 / p2 : null;
  let z: number | null = null;
  let pValue: number | null = null;
  if (p1 !== null && p2 !== null) {
    const pooled = (x1 + x2) / (n1 + n2);
    const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
    if (se > 0) {
      z = (p1 - p2) / se;
      pValue = Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
    }
  }
  return {
    detractor_share: p1 === null ? null : 100 * p1,
    others_share: p2 === null ? null : 100 * p2,
    lift,
    z,
    p_value: pValue,
  };
}
