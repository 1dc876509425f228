// Feedback themes: what customers write about (GET /api/v1/themes), with who mentions each theme, whether
// detractors mention it more (lift, p-value), the MRR and churn of the accounts that mention it, and the
// comments behind the chosen theme (GET /api/v1/themes/{id}/comments). Method: docs/themes.md.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api/client';
import { useApi } from '../api/use-api';
import { Page } from '../components/page';
import { ErrorState, Loading } from '../components/status';
import { TableWrap } from '../components/table-wrap';
import { NULL_SIGN, useFormat } from '../format';
import { Link, navigate, useLocation, withParams } from '../router';

interface Theme {
  id: string;
  name: string;
  seed: string | null;
  terms: string[];
  mentions: number;
  share: number | null;
  nps: { detractor_share: number | null; promoter_share: number | null };
  detractor_lift: { lift: number | null; p_value: number | null };
  accounts: { count: number; mrr: number; churn_pct: number | null };
}

interface ThemesAnswer {
  comments: number;
  analysed: number;
  themes: Theme[];
}

interface ThemeComment {
  response_id: string;
  submitted_at: string;
  metric: string;
  score: number;
  account_id: string | null;
  comment: string;
  language: string | null;
}

const SIGNIFICANT = 0.05;

function Comments({ theme, from, to }: { theme: Theme; from: string; to: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const path = `/api/v1/themes/${encodeURIComponent(theme.id)}/comments${query({ from, to, limit: 50 })}`;
  const list = useApi(path, (signal) => api<{ items: ThemeComment[]; total: number }>(path, { signal }));
  let body: ReactNode;
  if (list.state.status === 'loading') body = <Loading />;
  else if (list.state.status === 'error') body = <ErrorState error={list.state.error} retry={list.retry} />;
  else {
    const { items, total } = list.state.data;
    body = (
      <>
        <p className="as-of" data-total={total}>
          {t('themes.commentsCount', {
            shown: format.number(items.length, 0),
            total: format.number(total, 0),
          })}
        </p>
        <ul className="theme-comments">
          {items.map((c) => (
            <li key={c.response_id} data-response={c.response_id}>
              <p>{c.comment}</p>
              <p className="muted">
                {format.date(c.submitted_at)} · {c.metric.toUpperCase()} {c.score}
                {c.language ? ` · ${c.language}` : ''}
                {c.account_id ? (
                  <>
                    {' · '}
                    <Link to={`/accounts/${encodeURIComponent(c.account_id)}`}>{c.account_id}</Link>
                  </>
                ) : null}
              </p>
            </li>
          ))}
        </ul>
      </>
    );
  }
  return (
    <section className="card" aria-labelledby="theme-comments-title" data-theme-comments={theme.id}>
      <h2 id="theme-comments-title">{t('themes.commentsTitle', { name: theme.name })}</h2>
      <p className="hint">{t('themes.terms', { terms: theme.terms.join(', ') })}</p>
      {body}
    </section>
  );
}

export function ThemesPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { params } = useLocation();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const chosen = params.get('theme') ?? '';
  const path = `/api/v1/themes${query({ from, to })}`;
  const list = useApi(path, (signal) => api<ThemesAnswer>(path, { signal }));
  const pct = (v: number | null) => (v === null ? NULL_SIGN : format.value(v, 'percent'));

  const actions = (
    <div className="range-controls">
      <label>
        {t('themes.from')}{' '}
        <input
          type="date"
          value={from}
          onChange={(e) => navigate(withParams({ from: e.target.value, theme: null }), true)}
        />
      </label>
      <label>
        {t('themes.to')}{' '}
        <input
          type="date"
          value={to}
          onChange={(e) => navigate(withParams({ to: e.target.value, theme: null }), true)}
        />
      </label>
    </div>
  );

  let body: ReactNode;
  if (list.state.status === 'loading') body = <Loading />;
  else if (list.state.status === 'error') body = <ErrorState error={list.state.error} retry={list.retry} />;
  else if (list.state.data.themes.length === 0) {
    body = (
      <p className="notice" data-empty="">
        {t('themes.empty')}
      </p>
    );
  } else {
    const { themes, analysed, comments } = list.state.data;
    const selected = themes.find((th) => th.id === chosen);
    body = (
      <>
        <p className="hint">
          {t('themes.summary', {
            analysed: format.number(analysed, 0),
            comments: format.number(comments, 0),
          })}
        </p>
        <section className="card" aria-labelledby="themes-title">
          <h2 id="themes-title">{t('themes.listTitle')}</h2>
          <TableWrap label={t('themes.listTitle')}>
            <table data-themes="">
              <thead>
                <tr>
                  <th scope="col">{t('themes.theme')}</th>
                  <th scope="col" className="num">
                    {t('themes.mentions')}
                  </th>
                  <th scope="col" className="num">
                    {t('themes.detractorShare')}
                  </th>
                  <th scope="col" className="num">
                    {t('themes.promoterShare')}
                  </th>
                  <th scope="col" className="num">
                    {t('themes.lift')}
                  </th>
                  <th scope="col" className="num">
                    {t('themes.pValue')}
                  </th>
                  <th scope="col" className="num">
                    {t('themes.accounts')}
                  </th>
                  <th scope="col" className="num">
                    {t('themes.mrr')}
                  </th>
                  <th scope="col" className="num">
                    {t('themes.churn')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {themes.map((th) => {
                  const p = th.detractor_lift.p_value;
                  return (
                    <tr key={th.id} data-theme={th.id} aria-current={th.id === chosen ? 'true' : undefined}>
                      <th scope="row">
                        <Link to={withParams({ theme: th.id })}>{th.name}</Link>
                      </th>
                      <td className="num">{format.number(th.mentions, 0)}</td>
                      <td className="num">{pct(th.nps.detractor_share)}</td>
                      <td className="num">{pct(th.nps.promoter_share)}</td>
                      <td className="num">
                        {th.detractor_lift.lift === null
                          ? NULL_SIGN
                          : `${format.number(th.detractor_lift.lift, 2)}×`}
                      </td>
                      <td className="num" data-significant={p !== null && p < SIGNIFICANT ? 'true' : 'false'}>
                        {p === null ? NULL_SIGN : p < 0.001 ? '< 0.001' : format.number(p, 3)}
                      </td>
                      <td className="num">{format.number(th.accounts.count, 0)}</td>
                      <td className="num">{format.value(th.accounts.mrr, 'currency')}</td>
                      <td className="num">{pct(th.accounts.churn_pct)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableWrap>
          <p className="hint">{t('themes.liftHint')}</p>
        </section>
        {selected ? <Comments key={selected.id} theme={selected} from={from} to={to} /> : null}
      </>
    );
  }
  return (
    <Page name="themes" title={t('nav.themes')} actions={actions}>
      {body}
    </Page>
  );
}
