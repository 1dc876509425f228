// "Predicted value" on an account's page: its CLV over the horizon, P(alive), expected purchases and spend
// per purchase from GET /api/v1/accounts/{id}/clv (the API's default settings; docs/clv.md), with the model's
// calibration end and a link to the CLV page; "Updating… (as of …)" when the answer is stale.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api/client';
import type { AccountClv } from '../api/clv-types';
import { useApi } from '../api/use-api';
import { NULL_SIGN, useFormat } from '../format';
import { Link } from '../router';
import { ErrorState, Loading } from './status';

const raw = (v: number | null) => (v === null ? '' : String(v));

export function ClvPanel({ id }: { id: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const url = `/api/v1/accounts/${encodeURIComponent(id)}/clv`;
  const answer = useApi(url, (signal) => api<AccountClv>(url, { signal }));
  let body: ReactNode;
  if (answer.state.status === 'loading') body = <Loading />;
  else if (answer.state.status === 'error') {
    const error = answer.state.error;
    if (error instanceof ApiError && error.code === 'no_clv') {
      body = (
        <p className="muted" data-clv-none="">
          {t('clv.panelNone')}
        </p>
      );
    } else body = <ErrorState error={error} retry={answer.retry} />;
  } else if (answer.state.data.account === null) {
    const data = answer.state.data;
    body = (
      <p className="muted" data-clv-not-enough={data.not_enough_data?.repeat_buyers ?? ''}>
        {t('clv.notEnoughCount', {
          count: data.not_enough_data?.repeat_buyers ?? 0,
          minimum: data.not_enough_data?.minimum ?? 10,
          date: format.dateTime(data.calibration_end),
        })}{' '}
        <Link to="/clv">{t('clv.panelLink')}</Link>
      </p>
    );
  } else {
    const data = answer.state.data;
    const a = answer.state.data.account;
    const money = (v: number | null) => (v === null ? NULL_SIGN : format.value(v, 'currency', data.currency));
    const fields: [string, number | null, string][] = [
      ['clv', a.clv, money(a.clv)],
      ['p_alive', a.p_alive, a.p_alive === null ? NULL_SIGN : format.value(a.p_alive * 100, 'percent')],
      ['expected_purchases', a.expected_purchases, format.number(a.expected_purchases, 2)],
      ['expected_spend', a.expected_spend, money(a.expected_spend)],
    ];
    body = (
      <>
        <dl className="kv" data-calibration-end={data.calibration_end}>
          {fields.map(([key, value, text]) => (
            <div key={key}>
              <dt>{t(`clv.panel.${key}`, { months: data.horizon_months })}</dt>
              <dd data-field={key} data-value={raw(value)}>
                {text}
              </dd>
            </div>
          ))}
        </dl>
        {data.stale ? (
          <p className="hint" data-clv-stale={data.computed_at}>
            {t('clv.stale', { date: format.dateTime(data.computed_at) })}
          </p>
        ) : null}
        <p className="hint">
          {t('clv.panelHint', {
            date: format.dateTime(data.calibration_end),
            purchases: format.number(a.frequency + 1, 0),
            discount: format.value(data.discount_monthly * 100, 'percent'),
          })}{' '}
          <Link to="/clv" data-clv-link="">
            {t('clv.panelLink')}
          </Link>
        </p>
      </>
    );
  }
  return (
    <section aria-labelledby="clv-panel-title" className="card" data-clv-panel={id}>
      <h2 id="clv-panel-title">{t('clv.panelTitle')}</h2>
      {body}
    </section>
  );
}
