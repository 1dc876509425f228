// The rows behind one KPI number: GET /api/v1/kpis/{id}/rows for the tile's period and segment, shown as a
// table whatever its columns (accounts, answers, tickets, MRR changes), paged with the API's cursor.
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, query } from '../api/client';
import type { DrillRows, PeriodKind } from '../api/types';
import { PERIOD_KINDS } from '../api/types';
import { useApi } from '../api/use-api';
import { Page } from '../components/page';
import { ErrorState, Loading } from '../components/status';
import { TableWrap } from '../components/table-wrap';
import { useCatalogue } from '../data';
import { type Format, useFormat } from '../format';
import { kpiLabel } from '../kpi-meta';
import { Link, useLocation } from '../router';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const PAGE_SIZE = 100;

type Cell = string | number | null;

function cell(value: Cell, format: Format): string {
  if (value === null) return '—';
  if (typeof value === 'number') return format.number(value, 2);
  if (INSTANT.test(value)) return format.dateTime(value);
  return value;
}

/** Where "back" goes: the page that linked here when it said so, else the overview. */
function backTarget(params: URLSearchParams): string {
  const back = params.get('back');
  return back?.startsWith('/') && !back.startsWith('//') ? back : '/';
}

function RowsTable({ kpi, data, caption }: { kpi: string; data: DrillRows; caption: string }) {
  const format = useFormat();
  return (
    <TableWrap label={caption}>
      <table data-drill-table={kpi}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {data.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are generic and may lack an id column.
            <tr key={i}>
              {row.map((v, j) => (
                <td
                  // biome-ignore lint/suspicious/noArrayIndexKey: positions are the columns.
                  key={j}
                  className={typeof v === 'number' ? 'num' : undefined}
                  data-column={data.columns[j]}
                  data-value={v === null ? '' : String(v)}
                >
                  {data.columns[j] === 'account_id' && typeof v === 'string' ? (
                    <Link to={`/accounts/${encodeURIComponent(v)}`}>{v}</Link>
                  ) : (
                    cell(v, format)
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function DrillDownPage({ kpi }: { kpi: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { params } = useLocation();
  const catalogue = useCatalogue();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const segmentBy = params.get('segment_by');
  const segment = params.get('segment');
  const rawPeriod = params.get('period');
  const period: PeriodKind | null =
    rawPeriod !== null && (PERIOD_KINDS as readonly string[]).includes(rawPeriod)
      ? (rawPeriod as PeriodKind)
      : null;
  const url = `/api/v1/kpis/${encodeURIComponent(kpi)}/rows${query({
    from,
    to,
    period: period ?? undefined,
    segment_by: segment !== null ? segmentBy : undefined,
    segment,
    limit: PAGE_SIZE,
  })}`;
  const first = useApi(url, (signal) => api<DrillRows>(url, { signal }));
  const [more, setMore] = useState<{ rows: Cell[][]; next: string | null } | null>(null);
  const [moreState, setMoreState] = useState<'idle' | 'loading' | ApiError>('idle');
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new query starts from its first page.
  useEffect(() => {
    setMore(null);
    setMoreState('idle');
  }, [url]);

  const info = catalogue.state.status === 'ok' ? catalogue.state.data.find((k) => k.id === kpi) : undefined;
  const label = info ? kpiLabel(t, info) : kpi;
  const periodText =
    from && period
      ? format.period(from, period)
      : `${format.date(from || null)} – ${format.date(to || null)}`;

  let body: ReactNode;
  if (first.state.status === 'loading') body = <Loading />;
  else if (first.state.status === 'error') {
    const error = first.state.error;
    if (error.status === 404 && error.code === 'not_found') {
      body = (
        <p className="notice" data-drill-unavailable="">
          {t('drill.unavailable')}
        </p>
      );
    } else if (error.status === 404 && error.code === 'not_drillable') {
      body = (
        <p className="notice" data-drill-unavailable="not_drillable">
          {t('drill.notDrillable')} <q lang="en">{error.message}</q>
        </p>
      );
    } else body = <ErrorState error={error} retry={first.retry} />;
  } else {
    const page = first.state.data;
    const data: DrillRows = { ...page, rows: [...page.rows, ...(more?.rows ?? [])] };
    const next = more ? more.next : (page.next ?? null);
    const loadMore = () => {
      if (!next) return;
      setMoreState('loading');
      api<DrillRows>(`${url}&cursor=${encodeURIComponent(next)}`).then(
        (p) => {
          setMore((m) => ({ rows: [...(m?.rows ?? []), ...p.rows], next: p.next ?? null }));
          setMoreState('idle');
        },
        (e: unknown) => setMoreState(e instanceof ApiError ? e : new ApiError(0, 'client', String(e))),
      );
    };
    body = (
      <>
        {page.explains ? (
          <p data-explains="">
            <strong>{t('drill.explains')}:</strong> <span lang="en">{page.explains}</span>
          </p>
        ) : null}
        <p data-total={data.total} role="status">
          {data.rows.length < data.total
            ? t('drill.partial', {
                shown: format.number(data.rows.length, 0),
                total: format.number(data.total, 0),
              })
            : t('drill.count', { count: data.total, total: format.number(data.total, 0) })}
        </p>
        {data.rows.length === 0 ? (
          <p className="muted">{t('drill.none')}</p>
        ) : (
          <RowsTable kpi={kpi} data={data} caption={t('drill.caption', { label, period: periodText })} />
        )}
        <div className="more">
          {moreState instanceof ApiError ? <ErrorState error={moreState} retry={loadMore} /> : null}
          {next ? (
            <button type="button" className="button" onClick={loadMore} disabled={moreState === 'loading'}>
              {moreState === 'loading' ? t('status.loading') : t('accounts.more')}
            </button>
          ) : null}
          <a
            className="button subtle"
            href={url.replace(`limit=${PAGE_SIZE}`, 'format=csv&limit=500')}
            download
          >
            {t('drill.csv')}
          </a>
        </div>
      </>
    );
  }

  return (
    <Page name="drilldown" title={t('drill.title', { label })} attributes={{ 'data-kpi': kpi }}>
      <p>
        <Link to={backTarget(params)}>← {t('drill.back')}</Link>
      </p>
      <p className="as-of">
        {periodText}
        {segment !== null ? ` · ${t('overview.segment', { segment })}` : ''}
      </p>
      {info ? (
        <p>
          <strong>{t('tile.definition')}:</strong> <span lang="en">{info.formula}</span>
        </p>
      ) : null}
      {body}
    </Page>
  );
}
