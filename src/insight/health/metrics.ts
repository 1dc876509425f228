// How well a risk score ranks and calibrates churn: AUC, precision and recall at the band thresholds, lift per
// health band and reliability bins. Pure functions of (risk, label) pairs, computed on columns in one pass
// plus two numeric sorts, because a back-test scores millions of account-snapshots.

export interface Scored {
  /** Predicted probability of churn (0–1); for the default model 1 − score/100. */
  risk: number;
  /** 1 when the account churned within the horizon. */
  label: number;
}

/** Risks and labels side by side: `risk[i]` is the predicted churn probability of row i, `label[i]` 1 or 0. */
export interface ScoredColumns {
  risk: Float64Array;
  label: ArrayLike<number>;
}

const columnsOf = (items: readonly Scored[]): ScoredColumns => ({
  risk: Float64Array.from(items, (s) => s.risk),
  label: Uint8Array.from(items, (s) => s.label),
});

/**
 * Area under the ROC curve: the probability that a random churner is ranked riskier than a random stayer, ties
 * counting one half (Mann–Whitney U). Null when either class is empty.
 */
export function auc(items: readonly Scored[]): number | null {
  return aucOf(columnsOf(items));
}

/** `auc` on columns: the churners' and the stayers' risks sorted apart, then one merge. */
export function aucOf({ risk, label }: ScoredColumns): number | null {
  let positives = 0;
  for (let i = 0; i < risk.length; i++) positives += label[i] === 1 ? 1 : 0;
  const negatives = risk.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const churners = new Float64Array(positives);
  const stayers = new Float64Array(negatives);
  for (let i = 0, p = 0, n = 0; i < risk.length; i++) {
    if (label[i] === 1) churners[p++] = risk[i]!;
    else stayers[n++] = risk[i]!;
  }
  churners.sort();
  stayers.sort();
  // For each churner: the stayers ranked below it count 1, those tied with it 1/2.
  let u = 0;
  let below = 0;
  let belowOrTied = 0;
  for (let i = 0; i < positives; i++) {
    const v = churners[i]!;
    while (below < negatives && stayers[below]! < v) below++;
    if (belowOrTied < below) belowOrTied = below;
    while (belowOrTied < negatives && stayers[belowOrTied]! <= v) belowOrTied++;
    u += below + (belowOrTied - below) / 2;
  }
  return u / (positives * negatives);
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

export function evaluate(items: readonly Scored[], bands: Bands = DEFAULT_BANDS, bins = 10): Evaluation {
  return evaluateColumns(columnsOf(items), bands, bins);
}

/** The reliability bin of a risk: [b/bins, (b+1)/bins), the last one closed at 1; −1 outside [0, 1]. */
function binOf(risk: number, bins: number): number {
  if (!(risk >= 0 && risk <= 1)) return -1;
  let b = Math.min(Math.floor(risk * bins), bins - 1);
  // risk × bins can round across a bin edge: decide by the same comparisons as the edges' definition.
  if (risk < b / bins) b--;
  else if (b + 1 < bins && risk >= (b + 1) / bins) b++;
  return b;
}

/** `evaluate` on columns. */
export function evaluateColumns(scored: ScoredColumns, bands: Bands = DEFAULT_BANDS, bins = 10): Evaluation {
  const { risk, label } = scored;
  const n = risk.length;
  const bandAccounts = [0, 0, 0];
  const bandChurned = [0, 0, 0];
  const binAccounts = new Float64Array(bins);
  const binChurned = new Float64Array(bins);
  const binRisk = new Float64Array(bins);
  const flagged = { at_risk: 0, below_healthy: 0 };
  const hits = { at_risk: 0, below_healthy: 0 };
  let churned = 0;
  let squaredError = 0;
  for (let i = 0; i < n; i++) {
    const r = risk[i]!;
    const y = label[i] === 1 ? 1 : 0;
    const score = scoreOfRisk(r);
    churned += y;
    squaredError += (r - label[i]!) ** 2;
    const band = BANDS.indexOf(bandOf(score, bands));
    bandAccounts[band]!++;
    bandChurned[band]! += y;
    if (score < bands.at_risk_below) {
      flagged.at_risk++;
      hits.at_risk += y;
    }
    if (score < bands.healthy) {
      flagged.below_healthy++;
      hits.below_healthy += y;
    }
    const b = binOf(r, bins);
    if (b >= 0) {
      binAccounts[b]!++;
      binChurned[b]! += y;
      binRisk[b]! += r;
    }
  }
  const overall = ratio(churned, n);
  const threshold = (key: keyof typeof flagged): ThresholdMetrics => ({
    flagged: flagged[key],
    precision: ratio(hits[key], flagged[key]),
    recall: ratio(hits[key], churned),
  });
  return {
    accounts: n,
    churned,
    churn_rate: overall,
    auc: aucOf(scored),
    at_risk: threshold('at_risk'),
    below_healthy: threshold('below_healthy'),
    bands: BANDS.map((band, k) => {
      const rate = ratio(bandChurned[k]!, bandAccounts[k]!);
      return {
        band,
        accounts: bandAccounts[k]!,
        churned: bandChurned[k]!,
        churn_rate: rate,
        lift: rate === null || !overall ? null : rate / overall,
      };
    }),
    calibration: Array.from({ length: bins }, (_, b) => ({
      from: b / bins,
      to: (b + 1) / bins,
      accounts: binAccounts[b]!,
      mean_predicted: ratio(binRisk[b]!, binAccounts[b]!),
      observed_rate: ratio(binChurned[b]!, binAccounts[b]!),
    })),
    brier: ratio(squaredError, n),
  };
}
