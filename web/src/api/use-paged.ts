// A list read page by page with the API's `next` cursor: the first page when the query changes, then more
// pages appended on request ("Load more"), as the list routes of docs/api.md page.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api } from './client';
import type { Page } from './types';
import { type Loaded, useApi } from './use-api';

export interface Paged<T> {
  state: Loaded<Page<T>>;
  items: T[];
  total: number;
  hasMore: boolean;
  loadingMore: boolean;
  moreError: ApiError | null;
  loadMore: () => void;
  retry: () => void;
}

/** `url` is the list route with its filters (no cursor); null waits. */
export function usePaged<T>(url: string | null): Paged<T> {
  const first = useApi(url, (signal) => api<Page<T>>(url!, { signal }));
  const [extra, setExtra] = useState<{ items: T[]; next: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  const currentUrl = useRef(url);
  currentUrl.current = url;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new query starts from its first page.
  useEffect(() => {
    setExtra(null);
    setMoreError(null);
    setLoadingMore(false);
  }, [url]);

  const firstPage = first.state.status === 'ok' ? first.state.data : null;
  const next = extra ? extra.next : (firstPage?.next ?? null);

  const loadMore = useCallback(() => {
    if (!url || !next || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    const separator = url.includes('?') ? '&' : '?';
    api<Page<T>>(`${url}${separator}cursor=${encodeURIComponent(next)}`).then(
      (page) => {
        if (currentUrl.current !== url) return;
        setExtra((e) => ({ items: [...(e?.items ?? []), ...page.items], next: page.next }));
        setLoadingMore(false);
      },
      (error: unknown) => {
        if (currentUrl.current !== url) return;
        setLoadingMore(false);
        setMoreError(error instanceof ApiError ? error : new ApiError(0, 'client', String(error)));
      },
    );
  }, [url, next, loadingMore]);

  return {
    state: first.state,
    items: firstPage ? [...firstPage.items, ...(extra?.items ?? [])] : [],
    total: firstPage?.total ?? 0,
    hasMore: next !== null,
    loadingMore,
    moreError,
    loadMore,
    retry: first.retry,
  };
}
