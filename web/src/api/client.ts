// The one way the dashboard talks to the server: JSON over fetch, the session's CSRF token on every write,
// problem+json errors as ApiError, and a 401 anywhere sends the person back to the login page.

/** One offending field of a problem+json answer: `$.schedule.time` in a body, `query.from` in a query. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** An answer that was not 2xx, with the problem+json fields the server sends. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter: number | null = null,
    readonly errors: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A request that never got an answer (server down, offline). */
export const NETWORK_ERROR = 'network';

let csrfToken = '';
let unauthenticated: () => void = () => {};

/** The token GET/POST /api/v1/session answered; kept in memory only (the cookie holds the session). */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when any request answers 401 (session expired or logged out elsewhere). */
export function onUnauthenticated(listener: () => void): void {
  unauthenticated = listener;
}

export type QueryValue = string | number | boolean | null | undefined;

/** `?a=1&b=x` from the defined values, in the order given; '' when none. */
export function query(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.append(name, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Do not treat 401 as "logged out" (the login form itself). */
  quiet401?: boolean;
}

/** Calls the API and answers the parsed JSON body (undefined for 204). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, NETWORK_ERROR, error instanceof Error ? error.message : String(error));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const body: unknown = text === '' ? null : safeJson(text);
  if (!response.ok) {
    const problem = (body ?? {}) as { code?: unknown; detail?: unknown; title?: unknown; errors?: unknown };
    const retry = Number(response.headers.get('retry-after'));
    const error = new ApiError(
      response.status,
      typeof problem.code === 'string' ? problem.code : `http_${response.status}`,
      typeof problem.detail === 'string'
        ? problem.detail
        : typeof problem.title === 'string'
          ? problem.title
          : response.statusText,
      Number.isFinite(retry) && retry > 0 ? retry : null,
      fieldProblems(problem.errors),
    );
    if (response.status === 401 && !options.quiet401) unauthenticated();
    throw error;
  }
  return body as T;
}

function fieldProblems(errors: unknown): FieldProblem[] {
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((e: { path?: unknown; message?: unknown }) =>
    typeof e?.path === 'string' && typeof e.message === 'string'
      ? [{ path: e.path, message: e.message }]
      : [],
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Like api(), but a 404 answers `fallback` (routes another part of the server may not have yet). */
export async function apiOr<T>(path: string, fallback: T, signal?: AbortSignal): Promise<T> {
  try {
    return await api<T>(path, signal === undefined ? {} : { signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && error.code === 'not_found') return fallback;
    throw error;
  }
}
