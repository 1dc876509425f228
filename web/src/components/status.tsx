// What a page shows while it waits, when a request failed (with a way forward), and when the store is empty.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { type ApiError, NETWORK_ERROR } from '../api/client';

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('status.loading')}
    </div>
  );
}

/** The reason for an error in the reader's words, from the HTTP status and the problem's code. */
function errorText(error: ApiError, t: TFunction): string {
  if (error.code === NETWORK_ERROR) return t('status.offline');
  switch (error.status) {
    case 401:
      return t('status.unauthenticated');
    case 403:
      return t('status.forbidden');
    case 404:
      return t('status.notFound');
    case 429:
      return t('status.rateLimited', { seconds: error.retryAfter ?? 60 });
    case 503:
      return t('status.unavailable');
    default:
      return error.status >= 500 ? t('status.serverError') : t('status.requestError');
  }
}

export function ErrorState({ error, retry }: { error: ApiError; retry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="error-state" role="alert" data-error={error.code}>
      <p className="error-title">{errorText(error, t)}</p>
      {error.message && error.code !== NETWORK_ERROR ? (
        <p className="error-detail">
          {t('status.serverSaid')} <q>{error.message}</q>
        </p>
      ) : null}
      <div className="actions">
        {error.status === 401 ? (
          <a className="button" href="/">
            {t('status.logInAgain')}
          </a>
        ) : retry ? (
          <button type="button" className="button" onClick={retry}>
            {t('status.retry')}
          </button>
        ) : null}
      </div>
    </div>
  );
}

/** The first screen of a workspace without data: how to bring data in. */
export function EmptyStore({ workspace }: { workspace: string }) {
  const { t } = useTranslation();
  return (
    <section className="empty-store" aria-labelledby="empty-title" data-empty-store="">
      <h2 id="empty-title">{t('empty.title')}</h2>
      <p>{t('empty.intro')}</p>
      <h3>{t('empty.cliTitle')}</h3>
      <p>{t('empty.cliText')}</p>
      <pre>
        <code>{`npx fidelio import DIR --db FILE --workspace ${workspace}`}</code>
      </pre>
      <p>{t('empty.files')}</p>
      <h3>{t('empty.apiTitle')}</h3>
      <p>{t('empty.apiText', { workspace })}</p>
      <pre>
        <code>
          {`curl -X POST ${window.location.origin}/api/v1/accounts -H "Authorization: Bearer fid_…" \\
  -H 'content-type: application/json' \\
  -d '[{"account_id":"acme","name":"Acme","created_at":"2025-01-01T00:00:00Z"}]'`}
        </code>
      </pre>
      <p>
        {t('empty.docs')} <a href="/api/docs">{`${window.location.origin}/api/docs`}</a>
      </p>
      <h3>{t('empty.demoTitle')}</h3>
      <p>{t('empty.demoText')}</p>
      <pre>
        <code>{`npx fidelio demo --csv demo-data
npx fidelio import demo-data --db FILE --workspace ${workspace}`}</code>
      </pre>
    </section>
  );
}
