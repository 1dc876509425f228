// The login form: e-mail, password and (for people in several workspaces) the workspace.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, NETWORK_ERROR } from '../api/client';
import { LanguageSwitcher } from '../components/language-switcher';
import { useSessionApi } from '../session';

export function LoginPage({ expired }: { expired: boolean }) {
  const { t } = useTranslation();
  const { logIn } = useSessionApi();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [workspace, setWorkspace] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = `${t('login.title')} · Fidelio`;
    emailRef.current?.focus();
  }, [t]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!email.trim() || !password) {
      setError(t('login.missing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await logIn(email.trim(), password, workspace.trim() || undefined);
    } catch (e) {
      setBusy(false);
      if (!(e instanceof ApiError)) setError(t('status.requestError'));
      else if (e.code === NETWORK_ERROR) setError(t('status.offline'));
      else if (e.status === 401) setError(t('login.wrong'));
      else if (e.status === 429) setError(t('status.rateLimited', { seconds: e.retryAfter ?? 60 }));
      else setError(e.message || t('status.requestError'));
    }
  };

  return (
    <div className="login-layout">
      <header className="login-header">
        <span className="brand">Fidelio</span>
        <LanguageSwitcher />
      </header>
      <main id="main" data-page="login" className="login">
        <h1>{t('login.title')}</h1>
        <p className="muted">{t('login.intro')}</p>
        {expired ? (
          <p className="notice" role="status">
            {t('login.expired')}
          </p>
        ) : null}
        <form onSubmit={submit} aria-describedby={error ? 'login-error' : undefined} noValidate>
          <div className="field">
            <label htmlFor="login-email">{t('login.email')}</label>
            <input
              ref={emailRef}
              id="login-email"
              name="email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="login-password">{t('login.password')}</label>
            <input
              id="login-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="login-workspace">{t('login.workspace')}</label>
            <input
              id="login-workspace"
              name="workspace"
              type="text"
              aria-describedby="login-workspace-hint"
              value={workspace}
              onChange={(e) => setWorkspace(e.target.value)}
            />
            <p id="login-workspace-hint" className="hint">
              {t('login.workspaceHint')}
            </p>
          </div>
          {error ? (
            <p id="login-error" className="form-error" role="alert">
              {error}
            </p>
          ) : null}
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t('login.busy') : t('login.submit')}
          </button>
        </form>
      </main>
    </div>
  );
}
