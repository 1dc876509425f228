// How well a risk score ranks and calibrates churn: AUC, precision and recall at the band thresholds, lift per
// health band and reliability bins. Pure functions of (risk, label) pairs.

export interface Scored {
  /** Predicted probability of churn (0–1); for the default model 1 − score/100. */
  risk: number;
  /** 1 when the account churned within the horizon. */
  label: number;
}

/**
 * Area under the ROC curve: the probability that a random churner is ranked riskier than a random stayer, ties
 * counting one half (Mann–Whitney U with average ranks). Null when either class is empty.
 */
export function auc(items: readonly Scored[]): number | null {
  const positives = items.filter((s) => s.label === 1).length;
  const negatives = items.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const sorted = [...items].sort((a, b) => a.risk - b.risk);
  let rankSum = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]!.risk === sorted[i]!.risk) j++;
    const averageRank = (i + 1 + j + 1) / 2;
    for (let m = i; m <= j; m++) if (sorted[m]!.label === 1) rankSum += averageRank;
    i = j + 1;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface Bands {
  healthy: number;
  at_risk_below: number;
}

export const DEFAULT_BANDS: Bands = { healthy: 70, at_risk_below: 40 };
export type Band = 'healthy' | 'neutral' | 'at_risk';
export const BANDS: readonly Band[] = ['at_risk', 'neutral', 'healthy'];

/** The health score (0–100) of a risk: 100 × (1 − P(churn)). */
export const scoreOfRisk = (risk: number) => 100 * (1 - risk);

export function bandOf(score: number, bands: Bands = DEFAULT_BANDS): Band {
  if (score >= bands.healthy) return 'healthy';
  return score < bands.at_risk_below ? 'at_risk' : 'neutral';
}

export interface ThresholdMetrics {
  /** Accounts flagged: score below the threshold. */
  flagged: number;
  precision: number | null;
  recall: number | null;
}

export interface BandMetrics {
  band: Band;
  accounts: number;
  churned: number;
  churn_rate: number | null;
  /** The band's churn rate ÷ the overall churn rate. */
  lift: number | null;
}

export interface CalibrationBin {
  /** Predicted risk in [from, to). */
  from: number;
  to: number;
  accounts: number;
  mean_predicted: number | null;
  observed_rate: number | null;
}

export interface Evaluation {
  accounts: number;
  churned: number;
  churn_rate: number | null;
  auc: number | null;
  /** Flagging accounts below the at-risk threshold (score < 40), and below healthy (score < 70). */
  at_risk: ThresholdMetrics;
  below_healthy: ThresholdMetrics;
  bands: BandMetrics[];
  calibration: CalibrationBin[];
  brier: number | null;
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

function threshold(items: readonly Scored[], below: number): ThresholdMetrics {
  const flagged = items.filter((s) => scoreOfRisk(s.risk) < below);
  const hits = flagged.filter((s) => s.label === 1).length;
  const churned = items.filter((s) => s.label === 1).length;
  return { flagged: flagged.length, precision: ratio(hits, flagged.length), recall: ratio(hits, churned) };
}

export function evaluate(items: readonly Scored[], bands: Bands = DEFAULT_BANDS, bins = 10): Evaluation {
  const churned = items.filter((s) => s.label === 1).length;
  const overall = ratio(churned, items.length);
  const perBand = BANDS.map((band) => {
    const inBand = items.filter((s) => bandOf(scoreOfRisk(s.risk), bands) === band);
    const bandChurned = inBand.filter((s) => s.label === 1).length;
    const rate = ratio(bandChurned, inBand.length);
    return {
      band,
      accounts: inBand.length,
      churned: bandChurned,
      churn_rate: rate,
      lift: rate === null || !overall ? null : rate / overall,
    };
  });
  const calibration = Array.from({ length: bins }, (_, b) => {
    const from = b / bins;
    const to = (b + 1) / bins;
    const inBin = items.filter((s) => s.risk >= from && (s.risk < to || (b === bins - 1 && s.risk <= 1)));
    return {
      from,
      to,
      accounts: inBin.length,
      mean_predicted: ratio(
        inBin.reduce((t, s) => t + s.risk, 0),
        inBin.length,
      ),
      observed_rate: ratio(inBin.filter((s) => s.label === 1).length, inBin.length),
    };
  });
  return {
    accounts: items.length,
    churned,
    churn_rate: overall,
    auc: auc(items),
    at_risk: threshold(items, bands.at_risk_below),
    below_healthy: threshold(items, bands.healthy),
    bands: perBand,
    calibration,
    brier: ratio(
      items.reduce((t, s) => t + (s.risk - s.label) ** 2, 0),
      items.length,
    ),
  };
}
