// The health model lab: fit a learned model on snapshots, back-test it strictly by time, and explain an
// account's score under any model (the documented default one or a learned one).
import { FidelioError } from '../../domain/errors.js';
import { DEFAULT_CONFIG } from '../../kpi/config.js';
import type { HealthModel } from '../../kpi/health-model.js';
import { latestDataInstant } from '../../kpi/store-facts.js';
import type { Store } from '../../store/store.js';
import {
  COMPONENTS,
  type DefaultComponents,
  FEATURES,
  type Feature,
  HORIZON_DAYS,
  monthlySnapshots,
  type Observation,
  type ObservationTable,
  observationOfRow,
  observationTable,
} from './features.js';
import { contributions, fitLogistic, type LogisticModel, sigmoid } from './logistic.js';
import { type Band, bandOf, evaluateColumns, type ScoredColumns, scoreOfRisk } from './metrics.js';
import {
  activeModelId,
  DEFAULT_MODEL_ID,
  type LearnedCoefficients,
  requireModel,
  type StoredModel,
  saveModel,
} from './registry.js';

const DAY = 86_400_000;
export const DEFAULT_L2 = 1;

export interface FitRequest {
  /** Snapshot instants (UTC day starts); only those whose 90-day label window the data covers are used. */
  snapshots: readonly Date[];
  l2: number;
  /** Back-test: fit on snapshots whose label window closes by `split`, test on snapshots at or after it. */
  split: Date | null;
  by: string | null;
}

/** Learned model coefficients as a LogisticModel. */
export function logisticOf(c: LearnedCoefficients): LogisticModel {
  return {
    intercept: c.intercept,
    coefficients: c.features.map((f) => f.coefficient),
    means: c.features.map((f) => f.mean),
    scales: c.features.map((f) => f.scale),
  };
}

/** The default model's score (0–100) from its components. */
export function defaultScore(
  components: DefaultComponents,
  model: HealthModel = DEFAULT_CONFIG.health,
): number {
  const w = model.weights;
  const total = Object.values(w).reduce((s, x) => s + x, 0);
  const names = Object.keys(w) as (keyof typeof w)[];
  return (100 * names.reduce((s, name) => s + w[name] * components[name], 0)) / total;
}

/**
 * The monthly snapshots (UTC month starts) from the first month with MRR, or `from` if later, to `to` (at most
 * the latest data) or else the last month start whose 90-day label window the data covers.
 */
export async function defaultSnapshots(store: Store, from?: Date, to?: Date): Promise<Date[]> {
  const first = (
    await store.query<{ first: Date | null }>('SELECT MIN(effective_at) AS first FROM mrr_movements')
  )[0]?.first;
  const latest = await latestDataInstant(store);
  if (!first || !latest) return [];
  // Snapshots outside the data hold no account (before) or no label (after): the range is clamped to it.
  const start = from && from.getTime() > first.getTime() ? from : first;
  const labelled = new Date(latest.getTime() - HORIZON_DAYS * DAY);
  const end = to ? (to.getTime() < latest.getTime() ? to : latest) : labelled;
  return end.getTime() < start.getTime() ? [] : monthlySnapshots(start, end);
}

export interface Split {
  train: Observation[];
  test: Observation[];
}

/**
 * Splits labelled observations by time, without leakage: training snapshots end their label window
 * (snapshot + 90 days) at or before T, test snapshots are at or after T.
 */
export function splitByTime(observations: readonly Observation[], split: Date): Split {
  const t = split.getTime();
  return {
    train: observations.filter((o) => o.snapshot_at.getTime() + HORIZON_DAYS * DAY <= t),
    test: observations.filter((o) => o.snapshot_at.getTime() >= t),
  };
}

/** The labelled rows of a table split like `splitByTime`, as row numbers. */
function splitRows(table: ObservationTable, split: Date | null): { train: Int32Array; test: Int32Array } {
  const t = split?.getTime() ?? null;
  const train: number[] = [];
  const test: number[] = [];
  for (let r = 0; r < table.rows; r++) {
    if (table.labels[r]! < 0) continue;
    const at = table.snapshots[table.snapshot[r]!]!.getTime();
    if (t === null || at + HORIZON_DAYS * DAY <= t) train.push(r);
    else if (at >= t) test.push(r);
  }
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

const snapshotsOf = (table: ObservationTable, rows: Int32Array) => {
  const used = new Uint8Array(table.snapshots.length);
  for (const r of rows) used[table.snapshot[r]!] = 1;
  return table.snapshots.filter((_, i) => used[i] === 1).map((s) => s.toISOString());
};

function requireBothClasses(table: ObservationTable, rows: Int32Array, what: string): void {
  let churned = 0;
  for (const r of rows) churned += table.labels[r]!;
  if (rows.length === 0 || churned === 0 || churned === rows.length) {
    throw new FidelioError(
      'usage',
      'not_enough_data',
      `${what}: ${rows.length} account snapshots with a complete 90-day label, ${churned} of them churned; a model needs both churners and stayers (choose other snapshots or another split)`,
    );
  }
}

/** The rows' features as a row-major matrix, and their labels. */
export function trainingData(table: ObservationTable, rows: Int32Array) {
  const p = FEATURES.length;
  const values = new Float64Array(rows.length * p);
  const labels = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    for (let j = 0; j < p; j++) values[i * p + j] = table.features[r * p + j]!;
    labels[i] = table.labels[r]!;
  }
  return { x: { rows: rows.length, columns: p, values }, y: labels };
}

/** Fits a learned model (and back-tests it with a split), stores it as a new version and returns it. */
export async function fitHealthModel(store: Store, request: FitRequest): Promise<StoredModel> {
  if (!(request.l2 >= 0) || !Number.isFinite(request.l2)) {
    throw new FidelioError('usage', 'invalid_l2', `l2 must be a finite number ≥ 0, not ${request.l2}`);
  }
  if (request.snapshots.length === 0) {
    throw new FidelioError(
      'usage',
      'not_enough_data',
      'no snapshot: the data holds no MRR, or the range is empty',
    );
  }
  const table = await observationTable(store, request.snapshots);
  const { train, test } = splitRows(table, request.split);
  requireBothClasses(table, train, 'training snapshots');
  if (request.split && test.length === 0) {
    throw new FidelioError(
      'usage',
      'not_enough_data',
      `no labelled snapshot at or after the split ${request.split.toISOString()} (a snapshot needs 90 days of data after it)`,
    );
  }
  const { x, y } = trainingData(table, train);
  const fit = fitLogistic(x, y, { l2: request.l2 });
  const coefficients: LearnedCoefficients = {
    intercept: fit.intercept,
    features: FEATURES.map((feature, j) => ({
      feature,
      coefficient: fit.coefficients[j]!,
      mean: fit.means[j]!,
      scale: fit.scales[j]!,
    })),
  };
  const learned = logisticOf(coefficients);
  const p = FEATURES.length;
  const c = COMPONENTS.length;
  const scoredBy = (rows: Int32Array, risk: (r: number) => number): ScoredColumns => ({
    risk: Float64Array.from(rows, risk),
    label: Int8Array.from(rows, (r) => table.labels[r]!),
  });
  // As contributions() summed onto the intercept, and defaultScore() over the components, row by row.
  const learnedRisk = (r: number) => {
    let logit = learned.intercept;
    for (let j = 0; j < p; j++) {
      logit +=
        (learned.coefficients[j]! * (table.features[r * p + j]! - learned.means[j]!)) / learned.scales[j]!;
    }
    return sigmoid(logit);
  };
  const weights = DEFAULT_CONFIG.health.weights;
  const names = Object.keys(weights) as (keyof typeof weights)[];
  const total = names.reduce((sum, name) => sum + weights[name], 0);
  const position = names.map((name) => COMPONENTS.indexOf(name));
  const defaultRisk = (r: number) => {
    let points = 0;
    for (let i = 0; i < names.length; i++)
      points += weights[names[i]!] * table.components[r * c + position[i]!]!;
    return 1 - (100 * points) / total / 100;
  };
  const evaluated = test.length > 0 ? test : train;
  return saveModel(store, {
    kind: 'logistic',
    created_by: request.by,
    config: {
      l2: request.l2,
      horizon_days: HORIZON_DAYS,
      train_snapshots: snapshotsOf(table, train),
      split: request.split?.toISOString() ?? null,
      test_snapshots: snapshotsOf(table, test),
    },
    coefficients,
    metrics: {
      train: evaluateColumns(scoredBy(train, learnedRisk)),
      test: test.length > 0 ? evaluateColumns(scoredBy(test, learnedRisk)) : null,
      default_model: evaluateColumns(scoredBy(evaluated, defaultRisk)),
      iterations: fit.iterations,
      converged: fit.converged,
    },
  });
}

export interface Contribution {
  /** A feature of the learned model, or a component of the default model. */
  feature: string;
  /** The feature's value at the snapshot (a default component: 0–1, 1 is healthy). */
  value: number;
  /** Learned model: (value − training mean) ÷ training standard deviation, the coefficient, and their product (logit). */
  standardised: number | null;
  coefficient: number | null;
  /** Default model: the component's share of the weights, its points of the score, and the points it lost. */
  weight: number | null;
  points: number | null;
  points_lost: number | null;
  /** Learned: the logit contribution (> 0 raises churn risk). Default: −points lost (< 0 lowers health). */
  contribution: number;
}

export interface Explanation {
  account_id: string;
  at: string;
  model_id: string;
  kind: 'default' | 'logistic';
  score: number;
  band: Band;
  /** Learned models: P(churn within 90 days), its logit and the intercept (the logit of the mean account). */
  probability: number | null;
  logit: number | null;
  intercept: number | null;
  /** Most at-risk first ("why at risk"). Learned: intercept + Σ contribution = logit. */
  contributions: Contribution[];
}

/** The start of the UTC day after the latest data: every fact counts. */
async function currentSnapshot(store: Store): Promise<Date> {
  const latest = await latestDataInstant(store);
  if (!latest) throw new FidelioError('not_found', 'no_data', 'the store holds no data yet');
  return new Date(Math.floor(latest.getTime() / DAY) * DAY + DAY);
}

export async function explainAccount(
  store: Store,
  accountId: string,
  options: { modelId?: string; at?: Date } = {},
): Promise<Explanation> {
  const modelId = options.modelId ?? (await activeModelId(store));
  const model = modelId === DEFAULT_MODEL_ID ? null : await requireModel(store, modelId);
  const known = await store.query('SELECT 1 FROM accounts WHERE account_id = $1', [accountId]);
  if (known.length === 0) {
    throw new FidelioError('not_found', 'unknown_account', `no account "${accountId}"`);
  }
  const at = options.at ?? (await currentSnapshot(store));
  const table = await observationTable(store, [at]);
  const k = table.accountIds.indexOf(accountId);
  const row = k < 0 ? -1 : table.account.indexOf(k);
  const observation = row < 0 ? null : observationOfRow(table, row);
  if (!observation) {
    throw new FidelioError(
      'not_found',
      'no_health_score',
      `account "${accountId}" had no MRR at ${at.toISOString()}, so it has no health score then`,
    );
  }
  return model ? explainLearned(observation, model) : explainDefault(observation);
}

export function explainDefault(o: Observation, health: HealthModel = DEFAULT_CONFIG.health): Explanation {
  const w = health.weights;
  const total = Object.values(w).reduce((s, x) => s + x, 0);
  const rows = (Object.keys(w) as (keyof typeof w)[]).map((name): Contribution => {
    const weight = w[name] / total;
    const value = o.components[name];
    return {
      feature: name,
      value,
      standardised: null,
      coefficient: null,
      weight,
      points: 100 * weight * value,
      points_lost: 100 * weight * (1 - value),
      contribution: -100 * weight * (1 - value),
    };
  });
  const score = rows.reduce((s, r) => s + r.points!, 0);
  return {
    account_id: o.account_id,
    at: o.snapshot_at.toISOString(),
    model_id: DEFAULT_MODEL_ID,
    kind: 'default',
    score,
    band: bandOf(score, health.bands),
    probability: null,
    logit: null,
    intercept: null,
    contributions: rows.sort((a, b) => b.points_lost! - a.points_lost! || a.feature.localeCompare(b.feature)),
  };
}

export function explainLearned(o: Observation, stored: StoredModel): Explanation {
  const model = logisticOf(stored.coefficients);
  const parts = contributions(model, o.features);
  const logit = parts.reduce((s, c) => s + c, model.intercept);
  const probability = sigmoid(logit);
  const score = scoreOfRisk(probability);
  const rows = stored.coefficients.features.map(
    (f, j): Contribution => ({
      feature: f.feature as Feature,
      value: o.features[FEATURES.indexOf(f.feature)]!,
      standardised: (o.features[FEATURES.indexOf(f.feature)]! - f.mean) / f.scale,
      coefficient: f.coefficient,
      weight: null,
      points: null,
      points_lost: null,
      contribution: parts[j]!,
    }),
  );
  return {
    account_id: o.account_id,
    at: o.snapshot_at.toISOString(),
    model_id: stored.model_id,
    kind: 'logistic',
    score,
    band: bandOf(score),
    probability,
    logit,
    intercept: model.intercept,
    contributions: rows.sort((a, b) => b.contribution - a.contribution || a.feature.localeCompare(b.feature)),
  };
}
