// Changes of the active health model (GET /api/v1/health-models `activations`, docs/health-lab.md) placed on a
// monthly health history: which UTC month each change falls in, a dashed mark per changed month for the
// chart, and the words for its tooltip, table and summary. The history's health_score itself is always the
// documented default model of KPI-SPEC §4 (the same SQL as the report's health_mean), whatever model is active.
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { HealthModels } from '../api/types';
import { useApi } from '../api/use-api';
import type { Format } from '../format';

export interface ModelChange {
  model_id: string;
  /** "hm-3 (version 3)" or "the default model" */
  label: string;
  activated_at: string;
}

export interface HistoryModelChanges {
  /** Per month of the history (same order), the changes inside it. */
  byMonth: ModelChange[][];
  /** Changes after the last month shown (the data ends earlier than the change). */
  after: ModelChange[];
  /** The active model's label, once the list has loaded. */
  active: string | null;
}

function labelOf(id: string, models: HealthModels['models'], t: TFunction): string {
  if (id === 'default') return t('healthChanges.defaultModel');
  const model = models.find((m) => m.model_id === id);
  return model ? t('healthChanges.learnedModel', { id, version: model.version }) : id;
}

/** `months`: the history's month starts (ISO instants, UTC), oldest first. */
export function useHistoryModelChanges(months: readonly string[]): HistoryModelChanges {
  const { t } = useTranslation();
  const url = '/api/v1/health-models';
  const list = useApi(url, (signal) => api<HealthModels>(url, { signal }));
  const loaded = list.state.status === 'ok' ? list.state.data : null;
  const key = months.join(' ');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `months`' contents.
  return useMemo(() => placeChanges(months, loaded, t), [key, loaded, t]);
}

function placeChanges(
  months: readonly string[],
  loaded: HealthModels | null,
  t: TFunction,
): HistoryModelChanges {
  const byMonth: ModelChange[][] = months.map(() => []);
  if (loaded === null) return { byMonth, after: [], active: null };
  const { models, activations, active } = loaded;
  const starts = months.map((m) => Date.parse(m));
  const last = starts[starts.length - 1];
  const lastEnd =
    last === undefined
      ? Number.NEGATIVE_INFINITY
      : Date.UTC(new Date(last).getUTCFullYear(), new Date(last).getUTCMonth() + 1, 1);
  const after: ModelChange[] = [];
  for (const a of activations) {
    const change = {
      model_id: a.model_id,
      label: labelOf(a.model_id, models, t),
      activated_at: a.activated_at,
    };
    const at = Date.parse(a.activated_at);
    if (at >= lastEnd) {
      after.push(change);
      continue;
    }
    for (let i = starts.length - 1; i >= 0; i--) {
      if (at >= starts[i]!) {
        byMonth[i]!.push(change);
        break;
      }
    }
  }
  return { byMonth, after, active: labelOf(active, models, t) };
}

/** "hm-3 (version 3), 2 Jun 2025" for each change, joined. */
export function describeChanges(changes: readonly ModelChange[], format: Format): string {
  return changes.map((c) => `${c.label}, ${format.date(c.activated_at)}`).join('; ');
}

/** A dashed vertical mark at each month with a change, labelled with the model(s), for a category x axis. */
export function changeMarks(categories: readonly string[], changes: HistoryModelChanges) {
  const data = changes.byMonth.flatMap((list, i) =>
    list.length === 0
      ? []
      : [{ xAxis: categories[i]!, label: { formatter: list.map((c) => c.model_id).join(', ') } }],
  );
  return {
    silent: true,
    symbol: 'none',
    lineStyle: { type: 'dashed', color: '#6f42c1', width: 2 },
    label: { position: 'end', color: '#6f42c1' },
    data,
  };
}
