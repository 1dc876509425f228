// Reads shared by several pages: the KPI catalogue (fixed for a server version, so loaded once), the targets
// (reloaded after a change), and reports by period, range and segment field.
import { ApiError, api, apiOr, query } from './api/client';
import type { KpiInfo, PeriodKind, Report, Target } from './api/types';
import { type ApiState, useApi } from './api/use-api';

let catalogue: Promise<KpiInfo[]> | null = null;

function loadCatalogue(signal: AbortSignal): Promise<KpiInfo[]> {
  if (!catalogue) {
    // Not tied to one page's signal: the catalogue is shared and kept.
    catalogue = api<KpiInfo[]>('/api/v1/kpis').catch((error: unknown) => {
      catalogue = null;
      throw error;
    });
  }
  return abortable(catalogue, signal);
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true });
    promise.then(resolve, reject);
  });
}

export function useCatalogue(): ApiState<KpiInfo[]> {
  return useApi('kpis', loadCatalogue);
}

/** Targets per KPI id; `available` is false while the server has no targets route (404). */
export interface Targets {
  available: boolean;
  byKpi: Map<string, Target>;
}

let targetsVersion = 0;

/** After a PUT or DELETE of a target: every page reads them again. */
export function targetsChanged(): void {
  targetsVersion += 1;
}

export function useTargets(): ApiState<Targets> {
  return useApi(`targets:${targetsVersion}`, async (signal) => {
    const list = await apiOr<Target[] | null>('/api/v1/targets', null, signal);
    return { available: list !== null, byKpi: new Map((list ?? []).map((t) => [t.kpi, t])) };
  });
}

export interface ReportParams {
  from: string;
  to: string;
  period: PeriodKind;
  segmentBy?: string | null;
}

export function reportUrl({ from, to, period, segmentBy }: ReportParams): string {
  return `/api/v1/report${query({ from, to, period, segment_by: segmentBy ?? undefined })}`;
}

export function useReport(params: ReportParams | null): ApiState<Report> {
  const url = params === null ? null : reportUrl(params);
  return useApi(url, (signal) => api<Report>(url!, { signal }));
}

/** True when the workspace has no accounts and no answers at all (the empty-store page). */
export async function storeIsEmpty(signal: AbortSignal): Promise<boolean> {
  const [accounts, responses] = await Promise.all([
    api<{ total: number }>('/api/v1/accounts?limit=1', { signal }),
    api<{ total: number }>('/api/v1/responses?limit=1', { signal }).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 403) return { total: 0 };
      throw error;
    }),
  ]);
  return accounts.total === 0 && responses.total === 0;
}
