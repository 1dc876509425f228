// A small history router: the current path and query as React state, navigate(), and a Link that keeps
// ordinary link behaviour (new tab, copy address) while moving inside the app without reloading.
import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

const EVENT = 'fidelio:navigate';

function subscribe(notify: () => void): () => void {
  window.addEventListener('popstate', notify);
  window.addEventListener(EVENT, notify);
  return () => {
    window.removeEventListener('popstate', notify);
    window.removeEventListener(EVENT, notify);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export interface Location {
  path: string;
  params: URLSearchParams;
}

/** The current path and its query parameters; re-renders on every navigation. */
export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, window.location.origin);
  return { path: url.pathname, params: url.searchParams };
}

/** Moves to `to` (a path with an optional query); `replace` for filter changes that need no history entry. */
export function navigate(to: string, replace = false): void {
  if (to === snapshot()) return;
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(EVENT));
}

/** The current URL with some query parameters set (empty string or null removes one). */
export function withParams(changes: Record<string, string | null>): string {
  const url = new URL(window.location.href);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === '') url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  }
  return url.pathname + url.search;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string };

export function Link({ to, onClick, ...rest }: LinkProps) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    const plain = event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
    if (event.defaultPrevented || !plain || rest.target === '_blank') return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={follow} {...rest} />;
}
