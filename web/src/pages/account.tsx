// One account: its state now, its health components, 12 months of MRR and health, its weekly usage, and a
// timeline of its MRR changes, answers, tickets, first uses, cancellations and renewals (GET /api/v1/accounts/{id}).

import type { TFunction } from 'i18next';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api/client';
import type { AccountPage as AccountData } from '../api/types';
import { useApi } from '../api/use-api';
import { Chart } from '../components/chart';
import { ClvPanel } from '../components/clv-panel';
import { HealthBadge } from '../components/health-badge';
import { HealthExplanationPanel } from '../components/health-explanation';
import { changeMarks, describeChanges, useHistoryModelChanges } from '../components/health-model-changes';
import { Page } from '../components/page';
import { ErrorState, Loading } from '../components/status';
import { TableWrap } from '../components/table-wrap';
import { type Format, useFormat } from '../format';
import { Link } from '../router';

const COMPONENTS = ['usage_trend', 'satisfaction', 'support_load', 'revenue_trend', 'pending_cancellation'];
const KINDS = ['mrr', 'response', 'ticket', 'usage', 'cancellation', 'renewal'] as const;
type Kind = (typeof KINDS)[number];

interface Event {
  kind: Kind;
  at: string;
  key: string;
  node: ReactNode;
}

function timeline(data: AccountData, format: Format, t: TFunction) {
  const events: Event[] = [];
  for (const m of data.mrr_changes.items) {
    events.push({
      kind: 'mrr',
      at: m.effective_at,
      key: `mrr:${m.effective_at}`,
      node: (
        <>
          <strong>{t(`account.movement.${m.movement}`, { defaultValue: m.movement })}</strong>{' '}
          {format.value(m.previous_mrr, 'currency')} → {format.value(m.mrr, 'currency')}
        </>
      ),
    });
  }
  for (const r of data.responses.items) {
    events.push({
      kind: 'response',
      at: r.submitted_at,
      key: `response:${r.response_id}`,
      node: (
        <>
          <strong>
            {r.metric.toUpperCase()} {r.score}
            {r.scale ? `/${r.scale}` : ''}
          </strong>
          {r.comment ? (
            <q className="comment" lang={r.locale ?? undefined}>
              {r.comment}
            </q>
          ) : null}
        </>
      ),
    });
  }
  for (const k of data.tickets.items) {
    events.push({
      kind: 'ticket',
      at: k.opened_at,
      key: `ticket:${k.ticket_id}`,
      node: (
        <>
          <strong>{t('account.ticket', { id: k.ticket_id })}</strong>{' '}
          {[
            k.channel,
            t('account.contacts', { count: k.contacts }),
            k.abandoned
              ? t('account.abandoned')
              : k.resolved_at
                ? t('account.resolved', { date: format.date(k.resolved_at) })
                : t('account.open'),
          ]
            .filter(Boolean)
            .join(' · ')}
        </>
      ),
    });
  }
  for (const c of data.cancellations.items) {
    events.push({
      kind: 'cancellation',
      at: c.requested_at,
      key: `cancel:${c.requested_at}`,
      node: (
        <>
          <strong>{t('account.cancellation')}</strong>{' '}
          {t(c.pending ? 'account.cancellationPending' : 'account.cancellationEnds', {
            date: format.date(c.ends_at),
          })}
        </>
      ),
    });
  }
  for (const r of data.renewals.items) {
    events.push({
      kind: 'renewal',
      at: r.due_at,
      key: `renewal:${r.due_at}`,
      node: (
        <>
          <strong>{t('account.renewal')}</strong>{' '}
          {t(`account.outcome.${r.outcome}`, { defaultValue: r.outcome })}
        </>
      ),
    });
  }
  for (const f of data.usage.first_events) {
    events.push({
      kind: 'usage',
      at: f.first_at,
      key: `first:${f.event}`,
      node: <strong>{t('account.firstUse', { event: f.event })}</strong>,
    });
  }
  return events.sort((a, b) => b.at.localeCompare(a.at));
}

/** Weekly product usage over the last 12 weeks, as a table (the numbers are few and exact). */
function UsageWeeks({ data }: { data: AccountData }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { weeks } = data.usage;
  const total = weeks.reduce((sum, w) => sum + w.events, 0);
  return (
    <section aria-labelledby="usage-title" className="card" data-usage-total={total}>
      <h2 id="usage-title">{t('account.usageTitle')}</h2>
      {weeks.length === 0 ? (
        <p className="muted">{t('account.usageNone')}</p>
      ) : (
        <>
          <p>{t('account.usageTotal', { count: total })}</p>
          <TableWrap label={t('account.usageTitle')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('account.week')}</th>
                  <th scope="col">{t('account.events')}</th>
                </tr>
              </thead>
              <tbody>
                {weeks.map((w) => (
                  <tr key={w.week_start}>
                    <td>{format.date(w.week_start)}</td>
                    <td>{format.value(w.events, 'count')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </section>
  );
}

function HistoryChart({ data }: { data: AccountData }) {
  const { t } = useTranslation();
  const format = useFormat();
  const months = data.history.map((h) => format.period(h.month, 'month'));
  const changes = useHistoryModelChanges(data.history.map((h) => h.month));
  const option = useMemo(
    () => ({
      tooltip: {
        trigger: 'axis',
        // The month's values, then any change of the active health model in that month.
        formatter: (
          items: {
            dataIndex: number;
            seriesIndex: number;
            marker: string;
            seriesName: string;
            value: number | null;
          }[],
        ) => {
          const i = items[0]?.dataIndex ?? 0;
          const lines = [months[i] ?? ''];
          for (const p of items) {
            const v = p.seriesIndex === 0 ? format.value(p.value, 'currency') : format.number(p.value, 1);
            lines.push(`${p.marker}${p.seriesName}: ${v}`);
          }
          const here = changes.byMonth[i] ?? [];
          if (here.length > 0)
            lines.push(t('healthChanges.tooltip', { models: describeChanges(here, format) }));
          return lines.join('<br/>');
        },
      },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: months },
      yAxis: [
        { type: 'value', name: t('kpi.mrr'), axisLabel: { formatter: (v: number) => format.number(v, 0) } },
        { type: 'value', name: t('account.health'), min: 0, max: 100, splitLine: { show: false } },
      ],
      series: [
        { type: 'bar', name: t('kpi.mrr'), data: data.history.map((h) => h.mrr) },
        {
          type: 'line',
          name: t('account.health'),
          yAxisIndex: 1,
          connectNulls: false,
          data: data.history.map((h) => h.health_score),
          markLine: changeMarks(months, changes),
        },
      ],
    }),
    [data, months, t, format, changes],
  );
  const last = data.history[data.history.length - 1];
  const inWindow = changes.byMonth.flat();
  const summary = [
    t('account.historySummary', {
      count: data.history.length,
      mrr: format.value(last?.mrr ?? null, 'currency'),
      health: format.number(last?.health_score ?? null, 0),
    }),
    inWindow.length > 0 ? t('healthChanges.summary', { models: describeChanges(inWindow, format) }) : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <>
      <Chart
        name="account-history"
        option={option}
        summary={summary}
        table={{
          columns: [t('account.month'), t('kpi.mrr'), t('account.health'), t('healthChanges.column')],
          rows: data.history.map((h, i) => [
            months[i]!,
            format.value(h.mrr, 'currency'),
            format.number(h.health_score, 1),
            describeChanges(changes.byMonth[i] ?? [], format),
          ]),
        }}
      />
      <p
        className="hint"
        data-health-model-changes={inWindow.map((c) => c.model_id).join(' ')}
        data-health-model-changes-after={changes.after.map((c) => c.model_id).join(' ')}
      >
        {t('healthChanges.source')}
        {changes.active ? ` ${t('healthChanges.active', { model: changes.active })}` : ''}
        {changes.after.length > 0
          ? ` ${t('healthChanges.after', { models: describeChanges(changes.after, format) })}`
          : ''}
      </p>
    </>
  );
}

function Details({ data }: { data: AccountData }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [kind, setKind] = useState<Kind | ''>('');
  const a = data.account;
  const events = useMemo(() => timeline(data, format, t), [data, format, t]);
  const shown = kind === '' ? events : events.filter((e) => e.kind === kind);
  const now = [...data.history].reverse().find((h) => h.components !== null);
  const truncated = (
    [
      ['mrr', data.mrr_changes],
      ['response', data.responses],
      ['ticket', data.tickets],
      ['cancellation', data.cancellations],
      ['renewal', data.renewals],
    ] as const
  ).filter(([, list]) => list.total > list.items.length);
  return (
    <>
      <dl className="kv card">
        <div>
          <dt>{t('account.id')}</dt>
          <dd>{a.account_id}</dd>
        </div>
        <div>
          <dt>{t('accounts.columns.segment')}</dt>
          <dd>{a.segment ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('accounts.columns.country')}</dt>
          <dd>{a.country ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('account.created')}</dt>
          <dd>{format.date(a.created_at)}</dd>
        </div>
        <div>
          <dt>{t('accounts.columns.mrr')}</dt>
          <dd data-value={a.mrr}>{format.value(a.mrr, 'currency')}</dd>
        </div>
        <div>
          <dt>{t('accounts.columns.status')}</dt>
          <dd>{t(`accounts.status.${a.status}`)}</dd>
        </div>
        <div>
          <dt>{t('accounts.columns.health')}</dt>
          <dd>
            <HealthBadge band={a.health_band} score={a.health_score} />
          </dd>
        </div>
        <div>
          <dt>{t('accounts.columns.lastNps')}</dt>
          <dd>{a.last_nps === null ? '—' : `${a.last_nps} (${format.date(a.last_nps_at)})`}</dd>
        </div>
        <div>
          <dt>{t('accounts.columns.pending')}</dt>
          <dd>
            {a.pending_cancellation
              ? t('accounts.pendingUntil', { date: format.date(a.cancellation_ends_at) })
              : t('accounts.no')}
          </dd>
        </div>
        {Object.entries(a.attributes).map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value ?? '—'}</dd>
          </div>
        ))}
      </dl>

      <section aria-labelledby="health-title" className="card">
        <h2 id="health-title">{t('account.components')}</h2>
        {now?.components ? (
          <>
            <p className="muted">
              {t('account.componentsHint', {
                date: format.date(new Date(Date.parse(now.end) - 1).toISOString()),
              })}
            </p>
            {COMPONENTS.map((c) => {
              const value = now.components?.[c] ?? null;
              return (
                <div className="meter" key={c} data-component={c} data-value={value ?? ''}>
                  <span id={`component-${c}`}>{t(`health.components.${c}`)}</span>
                  <meter
                    aria-labelledby={`component-${c}`}
                    min={0}
                    max={1}
                    low={0.4}
                    high={0.7}
                    optimum={1}
                    value={value ?? 0}
                  />
                  <span>{value === null ? '—' : format.value(value * 100, 'percent')}</span>
                </div>
              );
            })}
          </>
        ) : (
          <p className="muted">{t('health.noScore')}</p>
        )}
      </section>

      <HealthExplanationPanel id={a.account_id} />

      <ClvPanel id={a.account_id} />

      <section aria-labelledby="history-title" className="card">
        <h2 id="history-title">{t('account.history')}</h2>
        <HistoryChart data={data} />
      </section>

      <UsageWeeks data={data} />

      <section aria-labelledby="timeline-title" className="card">
        <h2 id="timeline-title">{t('account.timeline')}</h2>
        <div className="filters">
          <div>
            <label htmlFor="timeline-kind">{t('account.show')}</label>
            <select id="timeline-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind | '')}>
              <option value="">{t('account.kinds.all')}</option>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`account.kinds.${k}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        {truncated.length > 0 ? (
          <p className="muted">
            {truncated
              .map(([k, list]) =>
                t('account.truncated', {
                  kind: t(`account.kinds.${k}`),
                  shown: list.items.length,
                  total: list.total,
                }),
              )
              .join(' ')}
          </p>
        ) : null}
        {shown.length === 0 ? (
          <p className="muted">{t('account.noEvents')}</p>
        ) : (
          <ol className="timeline">
            {shown.map((e) => (
              <li key={e.key} data-event={e.kind}>
                <time dateTime={e.at}>{format.dateTime(e.at)}</time>
                <div>{e.node}</div>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

export function AccountPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const url = `/api/v1/accounts/${encodeURIComponent(id)}`;
  const account = useApi(url, (signal) => api<AccountData>(url, { signal }));
  const data = account.state.status === 'ok' ? account.state.data : null;
  let body: ReactNode;
  if (account.state.status === 'loading') body = <Loading />;
  else if (account.state.status === 'error') {
    const error = account.state.error;
    body =
      error instanceof ApiError && error.status === 404 ? (
        <p className="notice">{t('account.unknown', { id })}</p>
      ) : (
        <ErrorState error={error} retry={account.retry} />
      );
  } else body = <Details data={account.state.data} />;
  return (
    <Page name="account" title={data?.account.name ?? id} attributes={{ 'data-account-id': id }}>
      <p>
        <Link to="/accounts">← {t('nav.accounts')}</Link>
      </p>
      {body}
    </Page>
  );
}
