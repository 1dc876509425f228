// Who is logged in: read from GET /api/v1/session (the HttpOnly cookie is the only thing the browser keeps),
// with log in, log out and the permissions the pages ask about.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api, onUnauthenticated, setCsrfToken } from './api/client';
import type { Session } from './api/types';

export type SessionState =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'anonymous'; expired: boolean }
  | { status: 'in'; session: Session };

interface SessionApi {
  state: SessionState;
  logIn(email: string, password: string, workspace?: string): Promise<void>;
  logOut(): Promise<void>;
  reload(): void;
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  const enter = useCallback((session: Session) => {
    setCsrfToken(session.csrf_token);
    setState({ status: 'in', session });
  }, []);

  useEffect(() => {
    onUnauthenticated(() => {
      setCsrfToken('');
      setState((s) => ({ status: 'anonymous', expired: s.status === 'in' }));
    });
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the check on retry.
  useEffect(() => {
    const controller = new AbortController();
    api<Session>('/api/v1/session', { signal: controller.signal, quiet401: true }).then(enter, (error) => {
      if (controller.signal.aborted) return;
      if (error instanceof ApiError && error.status === 401)
        setState({ status: 'anonymous', expired: false });
      else if (error instanceof ApiError) setState({ status: 'error', error });
    });
    return () => controller.abort();
  }, [attempt, enter]);

  const value = useMemo<SessionApi>(
    () => ({
      state,
      async logIn(email, password, workspace) {
        const body = workspace ? { email, password, workspace } : { email, password };
        enter(await api<Session>('/api/v1/session', { method: 'POST', body, quiet401: true }));
      },
      async logOut() {
        try {
          await api('/api/v1/session', { method: 'DELETE', quiet401: true });
        } catch {
          // Already logged out, or the server is away: the browser forgets the session either way.
        }
        setCsrfToken('');
        setState({ status: 'anonymous', expired: false });
      },
      reload: () => {
        setState({ status: 'loading' });
        setAttempt((n) => n + 1);
      },
    }),
    [state, enter],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionApi(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSessionApi outside SessionProvider');
  return value;
}

/** The logged-in person (pages render only when someone is logged in). */
export function useSession(): Session {
  const { state } = useSessionApi();
  if (state.status !== 'in') throw new Error('useSession without a session');
  return state.session;
}

export function isAdmin(session: Session): boolean {
  return session.scopes.includes('admin');
}
