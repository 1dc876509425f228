// React state for one or more API reads: loading, the data, or the error, with a retry; stale answers of an
// earlier key are dropped (AbortController).
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './client';

export type Loaded<T> =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'ok'; data: T };

export interface ApiState<T> {
  state: Loaded<T>;
  retry: () => void;
}

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'client', error instanceof Error ? error.message : String(error));
}

/**
 * Runs `load` whenever `key` changes (null: do nothing and stay loading).
 * @example const { state, retry } = useApi(`report:${url}`, (signal) => api<Report>(url, { signal }));
 */
export function useApi<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): ApiState<T> {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `load` is a new closure each render; `key` names what it loads.
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setState({ status: 'loading' });
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ok', data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', error: asApiError(error) });
      },
    );
    return () => controller.abort();
  }, [key, attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, retry };
}

/** Keeps the last successful data while a new key loads, so filters do not blank the page. */
export function useLatest<T>(state: Loaded<T>): T | null {
  const [latest, setLatest] = useState<T | null>(null);
  useEffect(() => {
    if (state.status === 'ok') setLatest(state.data);
  }, [state]);
  return state.status === 'ok' ? state.data : latest;
}
