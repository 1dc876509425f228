// Retention: the signup-cohort heatmap (logo or revenue retention), churn rate, CRR and renewal rate over
// time, customer movements, and the win-back list (customers who asked to cancel and are still active).
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api/client';
import type { AccountItem, Cohorts } from '../api/types';
import { useApi } from '../api/use-api';
import { usePaged } from '../api/use-paged';
import { Chart } from '../components/chart';
import { CohortRetentionChart } from '../components/cohort-retention-chart';
import { HealthBadge } from '../components/health-badge';
import { KpiChart } from '../components/kpi-chart';
import { ChartCard, chartProps, type ReportContext, ReportPage } from '../components/report-page';
import { ErrorState, Loading } from '../components/status';
import { TableWrap } from '../components/table-wrap';
import { useFormat } from '../format';
import { Link } from '../router';

function CohortHeatmap({ ctx }: { ctx: ReportContext }) {
  const { t } = useTranslation();
  const format = useFormat();
  const id = useId();
  const [basis, setBasis] = useState<'logo' | 'revenue'>('logo');
  const { range, segment } = ctx;
  const url = `/api/v1/cohorts${query({
    from: range.from,
    to: range.to,
    basis,
    segment_by: segment === null ? undefined : 'segment',
    segment,
  })}`;
  const cohorts = useApi(url, (signal) => api<Cohorts>(url, { signal }));
  const data = cohorts.state.status === 'ok' ? cohorts.state.data : null;
  const option = useMemo(() => {
    if (!data || data.cohorts.length === 0) return null;
    const width = Math.max(...data.cohorts.map((c) => c.values.length));
    const months = Array.from({ length: width }, (_, k) => String(k));
    const names = data.cohorts.map((c) => c.cohort);
    const cells = data.cohorts.flatMap((c, y) =>
      c.values.map((v, x) => [x, y, v === null ? '-' : Math.round(v * 10) / 10]),
    );
    const max = Math.max(
      100,
      ...data.cohorts.flatMap((c) => c.values.filter((v): v is number => v !== null)),
    );
    return {
      tooltip: {
        formatter: (p: { value: [number, number, number | '-'] }) =>
          `${names[p.value[1]]} · +${p.value[0]}: ${p.value[2] === '-' ? '—' : format.value(p.value[2], 'percent')}`,
      },
      grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
      xAxis: {
        type: 'category',
        data: months,
        name: t('retention.monthsSince'),
        nameLocation: 'middle',
        nameGap: 24,
      },
      yAxis: { type: 'category', data: names, inverse: true },
      visualMap: {
        min: 0,
        max,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        inRange: { color: ['#fde2df', '#fff4d6', '#dcf3e3', '#1a7336'] },
        formatter: (v: number) => format.value(v, 'percent'),
      },
      series: [{ type: 'heatmap', data: cells, label: { show: width <= 13, fontSize: 10 } }],
    };
  }, [data, format, t]);

  return (
    <>
      <div className="filters">
        <div>
          <label htmlFor={`${id}-basis`}>{t('retention.basis')}</label>
          <select
            id={`${id}-basis`}
            data-control="basis"
            value={basis}
            onChange={(e) => setBasis(e.target.value as 'logo' | 'revenue')}
          >
            <option value="logo">{t('retention.logo')}</option>
            <option value="revenue">{t('retention.revenue')}</option>
          </select>
        </div>
      </div>
      {cohorts.state.status === 'loading' ? (
        <Loading />
      ) : cohorts.state.status === 'error' ? (
        cohorts.state.error.status === 404 ? (
          <p className="notice">{t('retention.cohortsUnavailable')}</p>
        ) : (
          <ErrorState error={cohorts.state.error} retry={cohorts.retry} />
        )
      ) : !data || !option ? (
        <p className="muted">{t('retention.noCohorts')}</p>
      ) : (
        <Chart
          name="cohorts"
          option={option}
          height={Math.max(240, 28 * data.cohorts.length + 90)}
          summary={t(`retention.cohortSummary.${basis}`, { count: data.cohorts.length })}
          table={{
            columns: [
              t('retention.cohort'),
              t('retention.size'),
              ...Array.from(
                { length: Math.max(...data.cohorts.map((c) => c.values.length)) },
                (_, k) => `+${k}`,
              ),
            ],
            rows: data.cohorts.map((c) => [
              c.cohort,
              format.number(c.size, 0),
              ...c.values.map((v) => format.value(v, 'percent')),
            ]),
          }}
        />
      )}
    </>
  );
}

function WinBack({ segment }: { segment: string | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  const url = `/api/v1/accounts${query({
    status: 'active',
    pending_cancellation: 'true',
    segment,
    sort: '-mrr',
    limit: 25,
  })}`;
  const list = usePaged<AccountItem>(url);
  if (list.state.status === 'loading') return <Loading />;
  if (list.state.status === 'error') return <ErrorState error={list.state.error} retry={list.retry} />;
  if (list.items.length === 0) return <p className="muted">{t('retention.noWinBack')}</p>;
  return (
    <>
      <p className="muted" data-total={list.total}>
        {t('retention.winBackCount', { count: list.total, total: format.number(list.total, 0) })}
      </p>
      <TableWrap label={t('retention.winBackTitle')}>
        <table data-win-back="">
          <caption className="visually-hidden">{t('retention.winBackTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('accounts.columns.account')}</th>
              <th scope="col" className="num">
                {t('accounts.columns.mrr')}
              </th>
              <th scope="col">{t('retention.endsAt')}</th>
              <th scope="col">{t('accounts.columns.health')}</th>
              <th scope="col" className="num">
                {t('accounts.columns.lastNps')}
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((a) => (
              <tr key={a.account_id} data-account-id={a.account_id}>
                <td>
                  <Link to={`/accounts/${encodeURIComponent(a.account_id)}`}>{a.name ?? a.account_id}</Link>
                </td>
                <td className="num">{format.value(a.mrr, 'currency')}</td>
                <td>{format.date(a.cancellation_ends_at)}</td>
                <td>
                  <HealthBadge band={a.health_band} score={a.health_score} />
                </td>
                <td className="num">{a.last_nps ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {list.hasMore ? (
        <div className="more">
          <button type="button" className="button" onClick={list.loadMore} disabled={list.loadingMore}>
            {list.loadingMore ? t('status.loading') : t('accounts.more')}
          </button>
        </div>
      ) : null}
    </>
  );
}

function Retention({ ctx }: { ctx: ReportContext }) {
  const { t } = useTranslation();
  const common = chartProps(ctx);
  return (
    <>
      <ChartCard title={t('retention.cohortsTitle')} name="cohorts">
        <CohortHeatmap ctx={ctx} />
      </ChartCard>
      <ChartCard title={t('retention.sbgTitle')} name="cohort-retention">
        <CohortRetentionChart segment={ctx.segment} />
      </ChartCard>
      <div className="charts">
        <ChartCard title={t('retention.ratesTitle')} name="rates">
          <KpiChart name="crr-churn" ids={['crr', 'churn_rate']} {...common} />
        </ChartCard>
        <ChartCard title={t('kpi.renewal_rate')} name="renewal">
          <KpiChart name="renewal-rate" ids={['renewal_rate']} {...common} />
        </ChartCard>
        <ChartCard title={t('retention.customersTitle')} name="customers">
          <KpiChart
            name="customer-movements"
            ids={['new_customers', 'reactivated_customers', 'churned_customers']}
            bars
            {...common}
          />
        </ChartCard>
        <ChartCard title={t('kpi.pending_churn_customers')} name="pending">
          <KpiChart name="pending-churn" ids={['pending_churn_customers']} {...common} />
        </ChartCard>
      </div>
      <ChartCard title={t('retention.winBackTitle')} name="win-back">
        <p className="hint">{t('retention.winBackHint')}</p>
        <WinBack segment={ctx.segment} />
      </ChartCard>
    </>
  );
}

export function RetentionPage() {
  const { t } = useTranslation();
  return (
    <ReportPage name="retention" title={t('nav.retention')}>
      {(ctx) => <Retention ctx={ctx} />}
    </ReportPage>
  );
}
