// Predicted value: every account's predicted CLV over the horizon, P(alive), expected purchases and spend
// (GET /api/v1/clv: BG/NBD + Gamma-Gamma fitted on payments up to the calibration end; docs/clv.md), with the
// summary, the fitted model, the share of the total CLV held by each tenth of the accounts, and a sortable
// table of accounts paged with the API's cursor. Settings live in the address. While the answer is stale (the
// data changed since the fit; the server refits in the background) a note says as of when it is.
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { query } from '../api/client';
import type { ClvList, ClvModel, ClvRow, ClvSummary } from '../api/clv-types';
import { usePaged } from '../api/use-paged';
import { Chart } from '../components/chart';
import { Page } from '../components/page';
import { type SortableColumn, SortableHead } from '../components/sortable-head';
import { ErrorState, Loading } from '../components/status';
import { TableWrap } from '../components/table-wrap';
import { type Format, NULL_SIGN, useFormat } from '../format';
import { Link, navigate, useLocation, withParams } from '../router';

const PAGE_SIZE = 50;
const DEFAULT_SORT = '-clv';

interface Column extends SortableColumn {
  key: keyof ClvRow | 'account';
}

const COLUMNS: Column[] = [
  { key: 'account', sort: 'account_id' },
  { key: 'segment' },
  { key: 'clv', sort: 'clv', numeric: true },
  { key: 'p_alive', sort: 'p_alive', numeric: true },
  { key: 'expected_purchases', sort: 'expected_purchases', numeric: true },
  { key: 'expected_spend', sort: 'expected_spend', numeric: true },
  { key: 'frequency', sort: 'frequency', numeric: true },
];

/** A number as the API sent it, for tests and copy-paste (data-value). */
export const raw = (v: number | null) => (v === null ? '' : String(v));

export function probability(format: Format, v: number | null): string {
  return v === null ? NULL_SIGN : format.value(v * 100, 'percent');
}

function ModelCard({ model, data }: { model: ClvModel; data: ClvList }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { bgnbd, gamma_gamma: gg } = model;
  const n = (v: number | null, digits = 4) => format.number(v, digits);
  return (
    <section className="card" aria-labelledby="clv-model-title" data-clv-model="">
      <h2 id="clv-model-title">{t('clv.modelTitle')}</h2>
      <p className="hint">
        {t('clv.modelHint', {
          date: format.dateTime(data.calibration_end),
          months: data.horizon_months,
          discount: format.value(data.discount_monthly * 100, 'percent'),
          unit: t(`clv.units.${data.time_unit}`),
        })}
      </p>
      <TableWrap label={t('clv.modelTitle')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('clv.model')}</th>
              <th scope="col">{t('clv.parameters')}</th>
              <th scope="col" className="num">
                {t('clv.logLikelihood')}
              </th>
              <th scope="col" className="num">
                {t('clv.fittedOn')}
              </th>
            </tr>
          </thead>
          <tbody>
            <tr data-model="bgnbd">
              <th scope="row">{t('clv.bgnbd')}</th>
              <td>
                r = {n(bgnbd.r)}, α = {n(bgnbd.alpha)}, a = {n(bgnbd.a)}, b = {n(bgnbd.b)}
              </td>
              <td className="num" data-value={raw(bgnbd.log_likelihood)}>
                {n(bgnbd.log_likelihood, 2)}
              </td>
              <td className="num">{t('clv.accountsCount', { count: bgnbd.accounts })}</td>
            </tr>
            <tr data-model="gamma_gamma">
              <th scope="row">{t('clv.gammaGamma')}</th>
              <td>
                p = {n(gg.p)}, q = {n(gg.q)}, γ = {n(gg.gamma)}
              </td>
              <td className="num" data-value={raw(gg.log_likelihood)}>
                {n(gg.log_likelihood, 2)}
              </td>
              <td className="num">{t('clv.repeatBuyers', { count: gg.repeat_buyers })}</td>
            </tr>
          </tbody>
        </table>
      </TableWrap>
      <p className="hint">{t('clv.modelLimits')}</p>
    </section>
  );
}

function Summary({ data, summary: s }: { data: ClvList; summary: ClvSummary }) {
  const { t } = useTranslation();
  const format = useFormat();
  const stats: [string, number | null, string][] = [
    ['accounts', s.accounts, format.number(s.accounts, 0)],
    ['total_clv', s.total_clv, format.value(s.total_clv, 'currency', data.currency)],
    [
      'mean_clv',
      s.mean_clv,
      s.mean_clv === null ? NULL_SIGN : format.value(s.mean_clv, 'currency', data.currency),
    ],
    ['likely_lost_share', s.likely_lost_share, probability(format, s.likely_lost_share)],
    ['expected_purchases', s.expected_purchases, format.number(s.expected_purchases, 0)],
  ];
  return (
    <section className="card" aria-labelledby="clv-summary-title" data-clv-summary="">
      <h2 id="clv-summary-title">{t('clv.summaryTitle', { months: data.horizon_months })}</h2>
      <div className="tiles">
        {stats.map(([key, value, text]) => (
          <article key={key} className="tile" data-stat={key} data-value={raw(value)}>
            <h3>{t(`clv.stats.${key}`)}</h3>
            <p className="tile-value">{text}</p>
            {key === 'likely_lost_share' ? (
              <p className="tile-period">{t('clv.likelyLost', { count: s.likely_lost })}</p>
            ) : null}
          </article>
        ))}
      </div>
      {s.without_clv > 0 ? <p className="hint">{t('clv.withoutClv', { count: s.without_clv })}</p> : null}
    </section>
  );
}

function DecileChart({ data, summary }: { data: ClvList; summary: ClvSummary }) {
  const { t } = useTranslation();
  const format = useFormat();
  const labels = data.deciles.map((d) => t('clv.decile', { from: (d.decile - 1) * 10, to: d.decile * 10 }));
  const option = useMemo(
    () => ({
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: number | null) => (v === null ? NULL_SIGN : format.value(v, 'percent')),
      },
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => format.value(v, 'percent') } },
      series: [
        {
          type: 'bar',
          name: t('clv.shareOfClv'),
          data: data.deciles.map((d) => (d.share === null ? null : d.share * 100)),
        },
      ],
    }),
    [data, labels, t, format],
  );
  const top = data.deciles[0];
  return (
    <section className="card" aria-labelledby="clv-deciles-title">
      <h2 id="clv-deciles-title">{t('clv.decilesTitle')}</h2>
      <Chart
        name="clv-deciles"
        option={option}
        summary={t('clv.decilesSummary', {
          share: top?.share == null ? NULL_SIGN : format.value(top.share * 100, 'percent'),
          total: format.value(summary.total_clv, 'currency', data.currency),
        })}
        table={{
          columns: [t('clv.decileColumn'), t('clv.accounts'), t('clv.columns.clv'), t('clv.shareOfClv')],
          rows: data.deciles.map((d, i) => [
            labels[i]!,
            format.number(d.accounts, 0),
            format.value(d.clv, 'currency', data.currency),
            d.share === null ? NULL_SIGN : format.value(d.share * 100, 'percent'),
          ]),
        }}
      />
    </section>
  );
}

function cell(format: Format, row: ClvRow, key: Column['key'], currency: string | null): string {
  switch (key) {
    case 'clv':
    case 'expected_spend':
      return row[key] === null ? NULL_SIGN : format.value(row[key], 'currency', currency);
    case 'p_alive':
      return probability(format, row.p_alive);
    case 'expected_purchases':
      return format.number(row.expected_purchases, 2);
    case 'frequency':
      return format.number(row.frequency, 0);
    case 'segment':
      return row.segment ?? NULL_SIGN;
    default:
      return '';
  }
}

/** The settings of the address: calibration end, horizon and discount (absent = the API's defaults, shown). */
function Settings({ calibrationEnd }: { calibrationEnd: string | null }) {
  const { t } = useTranslation();
  const { params } = useLocation();
  const set = (name: string, value: string | null) => navigate(withParams({ [name]: value }), true);
  return (
    <div className="range-controls">
      <label>
        {t('clv.calibrationEnd')}{' '}
        <input
          type="date"
          data-control="calibration_end"
          value={params.get('calibration_end') ?? calibrationEnd?.slice(0, 10) ?? ''}
          onChange={(e) => set('calibration_end', e.target.value || null)}
        />
      </label>
      <label>
        {t('clv.horizon')}{' '}
        <input
          type="number"
          data-control="horizon_months"
          min={1}
          max={120}
          step={1}
          defaultValue={params.get('horizon_months') ?? '12'}
          onChange={(e) => {
            const v = Number(e.target.value);
            if (e.target.value !== '' && Number.isInteger(v) && v >= 1 && v <= 120)
              set('horizon_months', v === 12 ? null : String(v));
          }}
        />
      </label>
      <label>
        {t('clv.discount')}{' '}
        <input
          type="number"
          data-control="discount_monthly"
          min={0}
          max={99}
          step={0.1}
          defaultValue={String(Number(params.get('discount_monthly') ?? '0.01') * 100)}
          onChange={(e) => {
            const v = Number(e.target.value);
            if (e.target.value !== '' && Number.isFinite(v) && v >= 0 && v < 100)
              set('discount_monthly', v === 1 ? null : String(v / 100));
          }}
        />
      </label>
    </div>
  );
}

export function ClvPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { params } = useLocation();
  const sort = params.get('sort') ?? DEFAULT_SORT;
  const url = `/api/v1/clv${query({
    calibration_end: params.get('calibration_end'),
    horizon_months: params.get('horizon_months'),
    discount_monthly: params.get('discount_monthly'),
    sort,
    limit: PAGE_SIZE,
  })}`;
  const list = usePaged<ClvRow>(url);
  const data = list.state.status === 'ok' ? (list.state.data as ClvList) : null;

  const sortBy = (key: string) => {
    // Numbers sort highest first on the first click; the id A→Z.
    const first = key === 'account_id' ? key : `-${key}`;
    const next = sort === first ? (first.startsWith('-') ? key : `-${key}`) : first;
    navigate(withParams({ sort: next === DEFAULT_SORT ? null : next }), true);
  };
  let body: ReactNode;
  if (list.state.status === 'loading') body = <Loading />;
  else if (list.state.status === 'error') body = <ErrorState error={list.state.error} retry={list.retry} />;
  else if (data && (data.not_enough_data || !data.model || !data.summary)) {
    body = (
      <p className="notice" data-clv-not-enough={data.not_enough_data?.repeat_buyers ?? ''}>
        {t('clv.notEnoughCount', {
          count: data.not_enough_data?.repeat_buyers ?? 0,
          minimum: data.not_enough_data?.minimum ?? 10,
          date: format.dateTime(data.calibration_end),
        })}
      </p>
    );
  } else if (data?.model && data.summary) {
    body = (
      <>
        <Summary data={data} summary={data.summary} />
        <DecileChart data={data} summary={data.summary} />
        <ModelCard model={data.model} data={data} />
        <section className="card" aria-labelledby="clv-accounts-title">
          <h2 id="clv-accounts-title">{t('clv.accountsTitle')}</h2>
          <p className="as-of" data-total={list.total}>
            {t('clv.shown', {
              shown: format.number(list.items.length, 0),
              total: format.number(list.total, 0),
            })}
          </p>
          <TableWrap label={t('clv.accountsTitle')}>
            <table data-clv-table="">
              <caption className="visually-hidden">{t('clv.accountsTitle')}</caption>
              <SortableHead
                columns={COLUMNS}
                sort={sort}
                onSort={sortBy}
                label={(key) => t(`clv.columns.${key}`)}
              />
              <tbody>
                {list.items.map((a) => (
                  <tr key={a.account_id} data-account-id={a.account_id}>
                    <td>
                      <Link to={`/accounts/${encodeURIComponent(a.account_id)}`}>
                        {a.name ?? a.account_id}
                      </Link>
                      <div className="muted small">{a.account_id}</div>
                    </td>
                    {COLUMNS.slice(1).map((c) => (
                      <td
                        key={c.key}
                        className={c.numeric ? 'num' : undefined}
                        data-field={c.key}
                        data-value={c.numeric ? raw(a[c.key as keyof ClvRow] as number | null) : undefined}
                      >
                        {cell(format, a, c.key, data.currency)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <div className="more">
            {list.moreError ? <ErrorState error={list.moreError} retry={list.loadMore} /> : null}
            {list.hasMore ? (
              <button type="button" className="button" onClick={list.loadMore} disabled={list.loadingMore}>
                {list.loadingMore ? t('status.loading') : t('accounts.more')}
              </button>
            ) : null}
          </div>
        </section>
      </>
    );
  }
  return (
    <Page
      name="clv"
      title={t('nav.clv')}
      actions={<Settings calibrationEnd={data?.calibration_end ?? null} />}
      attributes={{
        'data-ready': String(data !== null),
        'data-calibration-end': data?.calibration_end ?? '',
        'data-sort': sort,
      }}
    >
      <p className="hint">{t('clv.intro')}</p>
      {data?.stale ? (
        <p className="hint" data-clv-stale={data.computed_at}>
          {t('clv.stale', { date: format.dateTime(data.computed_at) })}
        </p>
      ) : null}
      {body}
    </Page>
  );
}
