// The accounts list: search, filters and sorting in the address, pages of 50 with "Load more" (the API's
// cursor), health band, MRR, last NPS and pending cancellation per account.
import { type ReactNode, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { query } from '../api/client';
import type { AccountItem } from '../api/types';
import { usePaged } from '../api/use-paged';
import { HealthBadge } from '../components/health-badge';
import { Page } from '../components/page';
import { type SortableColumn, SortableHead } from '../components/sortable-head';
import { EmptyStore, ErrorState, Loading } from '../components/status';
import { TableWrap } from '../components/table-wrap';
import { useFormat } from '../format';
import { Link, navigate, useLocation, withParams } from '../router';
import { useSession } from '../session';

const PAGE_SIZE = 50;

const COLUMNS: SortableColumn[] = [
  { key: 'account', sort: 'name' },
  { key: 'segment', sort: 'segment' },
  { key: 'country', sort: 'country' },
  { key: 'mrr', sort: 'mrr', numeric: true },
  { key: 'status' },
  { key: 'health', sort: 'health_score' },
  { key: 'lastNps', sort: 'last_nps', numeric: true },
  { key: 'pending' },
];

function SearchBox({ value }: { value: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  // Search as one types, a moment after the last key.
  useEffect(() => {
    if (text === value) return;
    const timer = window.setTimeout(() => navigate(withParams({ q: text.trim() || null }), true), 300);
    return () => window.clearTimeout(timer);
  }, [text, value]);
  return (
    <div>
      <label htmlFor={id}>{t('accounts.search')}</label>
      <input
        id={id}
        type="search"
        data-control="q"
        value={text}
        placeholder={t('accounts.searchHint')}
        onChange={(e) => setText(e.target.value)}
      />
    </div>
  );
}

function Select({ name, label, options }: { name: string; label: string; options: [string, string][] }) {
  const id = useId();
  const { params } = useLocation();
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        data-control={name}
        value={params.get(name) ?? ''}
        onChange={(e) => navigate(withParams({ [name]: e.target.value || null }), true)}
      >
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function AccountsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { params } = useLocation();
  const session = useSession();
  const q = params.get('q') ?? '';
  const sort = params.get('sort') ?? 'account_id';
  const url = `/api/v1/accounts${query({
    q,
    status: params.get('status'),
    health_band: params.get('health_band'),
    pending_cancellation: params.get('pending_cancellation'),
    segment: params.get('segment'),
    sort,
    limit: PAGE_SIZE,
  })}`;
  const list = usePaged<AccountItem>(url);

  const sortBy = (key: string) => {
    const next = sort === key ? `-${key}` : key;
    navigate(withParams({ sort: next === 'account_id' ? null : next }), true);
  };
  let body: ReactNode;
  if (list.state.status === 'loading') body = <Loading />;
  else if (list.state.status === 'error') body = <ErrorState error={list.state.error} retry={list.retry} />;
  else if (list.items.length === 0 && params.toString() === '')
    body = <EmptyStore workspace={session.workspace} />;
  else if (list.items.length === 0) body = <p className="notice">{t('accounts.none')}</p>;
  else {
    body = (
      <>
        <TableWrap label={t('accounts.caption')}>
          <table data-accounts-table="">
            <caption className="visually-hidden">{t('accounts.caption')}</caption>
            <SortableHead
              columns={COLUMNS}
              sort={sort}
              onSort={sortBy}
              label={(key) => t(`accounts.columns.${key}`)}
            />
            <tbody>
              {list.items.map((a) => (
                <tr key={a.account_id} data-account-id={a.account_id}>
                  <td>
                    <Link to={`/accounts/${encodeURIComponent(a.account_id)}`}>{a.name ?? a.account_id}</Link>
                    <div className="muted small">{a.account_id}</div>
                  </td>
                  <td>{a.segment ?? '—'}</td>
                  <td>{a.country ?? '—'}</td>
                  <td className="num" data-value={a.mrr}>
                    {format.value(a.mrr, 'currency')}
                  </td>
                  <td>{t(`accounts.status.${a.status}`)}</td>
                  <td>
                    <HealthBadge band={a.health_band} score={a.health_score} />
                  </td>
                  <td className="num">
                    {a.last_nps === null ? '—' : <span title={format.date(a.last_nps_at)}>{a.last_nps}</span>}
                  </td>
                  <td data-pending={String(a.pending_cancellation)}>
                    {a.pending_cancellation
                      ? t('accounts.pendingUntil', { date: format.date(a.cancellation_ends_at) })
                      : t('accounts.no')}
                  </td>
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
      </>
    );
  }

  return (
    <Page name="accounts" title={t('nav.accounts')}>
      <search className="filters">
        <SearchBox value={q} />
        <Select
          name="status"
          label={t('accounts.filters.status')}
          options={[
            ['', t('accounts.filters.any')],
            ['active', t('accounts.status.active')],
            ['churned', t('accounts.status.churned')],
            ['never', t('accounts.status.never')],
          ]}
        />
        <Select
          name="health_band"
          label={t('accounts.filters.health')}
          options={[
            ['', t('accounts.filters.any')],
            ['healthy', t('health.bands.healthy')],
            ['neutral', t('health.bands.neutral')],
            ['at_risk', t('health.bands.at_risk')],
          ]}
        />
        <Select
          name="pending_cancellation"
          label={t('accounts.filters.pending')}
          options={[
            ['', t('accounts.filters.any')],
            ['true', t('accounts.yes')],
            ['false', t('accounts.no')],
          ]}
        />
      </search>
      {list.state.status === 'ok' ? (
        <p className="as-of" role="status" data-total={list.total}>
          {t('accounts.count', { count: list.total, total: format.number(list.total, 0) })} ·{' '}
          {t('overview.asOf', {
            date: format.dateTime((list.state.data as { as_of?: string }).as_of ?? null),
          })}
        </p>
      ) : null}
      {body}
    </Page>
  );
}
