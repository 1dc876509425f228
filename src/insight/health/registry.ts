// The versioned health models of a workspace (migration 8): each fitted model with its config, coefficients
// and metrics, and the record of activations. The documented default model (docs/metrics.md) is the model
// "default": never stored, active until another model is activated.
import { FidelioError } from '../../domain/errors.js';
import type { Store } from '../../store/store.js';
import type { Feature } from './features.js';
import type { Evaluation } from './metrics.js';

export const DEFAULT_MODEL_ID = 'default';

export interface LearnedCoefficients {
  intercept: number;
  /** Per feature: coefficient on the standardised scale, and the training mean and standard deviation. */
  features: { feature: Feature; coefficient: number; mean: number; scale: number }[];
}

export interface ModelConfig {
  l2: number;
  horizon_days: number;
  /** The snapshot instants the model was fitted on (ISO). */
  train_snapshots: string[];
  /** For a back-test: the split T and the snapshots it was tested on. */
  split: string | null;
  test_snapshots: string[];
}

export interface ModelMetrics {
  train: Evaluation;
  test: Evaluation | null;
  /** The default model on the same test (or training) observations, for comparison. */
  default_model: Evaluation | null;
  iterations: number;
  converged: boolean;
}

export interface StoredModel {
  model_id: string;
  version: number;
  kind: 'logistic';
  created_at: string;
  created_by: string | null;
  config: ModelConfig;
  coefficients: LearnedCoefficients;
  metrics: ModelMetrics;
}

export interface Activation {
  model_id: string;
  activated_at: string;
  activated_by: string | null;
}

const timestampText = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

function modelOf(row: Record<string, unknown>): StoredModel {
  return {
    model_id: String(row.model_id),
    version: Number(row.version),
    kind: 'logistic',
    created_at: (row.created_at as Date).toISOString(),
    created_by: row.created_by === null ? null : String(row.created_by),
    config: JSON.parse(String(row.config)) as ModelConfig,
    coefficients: JSON.parse(String(row.coefficients)) as LearnedCoefficients,
    metrics: JSON.parse(String(row.metrics)) as ModelMetrics,
  };
}

/** Stores a fitted model under the next version number; its id is `hm-<version>`. */
export async function saveModel(
  store: Store,
  model: Omit<StoredModel, 'model_id' | 'version' | 'created_at'>,
  now = new Date(),
): Promise<StoredModel> {
  const rows = await store.query<{ v: unknown }>('SELECT MAX(version) AS v FROM health_models');
  const version = Number(rows[0]?.v ?? 0) + 1;
  const modelId = `hm-${version}`;
  await store.run(
    `INSERT INTO health_models (model_id, version, kind, created_at, created_by, config, coefficients, metrics)
     VALUES ($1, $2, $3, CAST($4 AS TIMESTAMP), $5, $6, $7, $8)`,
    [
      modelId,
      version,
      model.kind,
      timestampText(now),
      model.created_by,
      JSON.stringify(model.config),
      JSON.stringify(model.coefficients),
      JSON.stringify(model.metrics),
    ],
  );
  return { ...model, model_id: modelId, version, created_at: now.toISOString() };
}

export async function listModels(store: Store): Promise<StoredModel[]> {
  const rows = await store.query('SELECT * FROM health_models ORDER BY version');
  return rows.map(modelOf);
}

/** A stored model, or a not_found error naming the list. */
export async function requireModel(store: Store, modelId: string): Promise<StoredModel> {
  const rows = await store.query('SELECT * FROM health_models WHERE model_id = $1', [modelId]);
  if (!rows[0]) {
    throw new FidelioError(
      'not_found',
      'unknown_health_model',
      `no health model "${modelId}" (the default model is "${DEFAULT_MODEL_ID}"; \`fidelio health list\` or GET /api/v1/health-models lists the others)`,
    );
  }
  return modelOf(rows[0]);
}

/** Every change of the active model, oldest first. */
export async function listActivations(store: Store): Promise<Activation[]> {
  const rows = await store.query(
    'SELECT model_id, activated_at, activated_by FROM health_model_activations ORDER BY activated_at, model_id',
  );
  return rows.map((r) => ({
    model_id: String(r.model_id),
    activated_at: (r.activated_at as Date).toISOString(),
    activated_by: r.activated_by === null ? null : String(r.activated_by),
  }));
}

export async function activeModelId(store: Store): Promise<string> {
  const all = await listActivations(store);
  return all.at(-1)?.model_id ?? DEFAULT_MODEL_ID;
}

/** Makes a model (or "default") the active one and records who did it and when. */
export async function activateModel(
  store: Store,
  modelId: string,
  by: string | null,
  now = new Date(),
): Promise<Activation> {
  if (modelId !== DEFAULT_MODEL_ID) await requireModel(store, modelId);
  // Activations are ordered by time: one in the same millisecond as the last one is placed just after it.
  const last = (await listActivations(store)).at(-1);
  const at =
    last && Date.parse(last.activated_at) >= now.getTime()
      ? new Date(Date.parse(last.activated_at) + 1)
      : now;
  await store.run(
    'INSERT INTO health_model_activations (activated_at, model_id, activated_by) VALUES (CAST($1 AS TIMESTAMP), $2, $3)',
    [timestampText(at), modelId, by],
  );
  return { model_id: modelId, activated_at: at.toISOString(), activated_by: by };
}
