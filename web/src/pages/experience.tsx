// Experience & money: what customer experience is worth (GET /api/v1/experience) — retention, NRR, expansion
// and CLV of the accounts active at `from`, by their NPS group and by their CSAT group, with 95 % intervals;
// the MRR at risk at `to` (detractors, pending cancellations, both) — and what a change in churn or expansion
// would bring over the next months (GET /api/v1/what-if). Method: docs/experience.md.
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api/client';
import type { Experience, ExperienceGroup, ExperienceMeasure, WhatIf, WhatIfProjection } from '../api/types';
import { type ApiState, useApi } from '../api/use-api';
import { Chart, PALETTE } from '../components/chart';
import { Page } from '../components/page';
import { ErrorState, Loading } from '../components/status';
import { TableWrap } from '../components/table-wrap';
import { type Format, NULL_SIGN, useFormat } from '../format';
import { navigate, useLocation, withParams } from '../router';

const MEASURES = ['retention', 'nrr', 'expansion', 'expansion_mrr', 'clv'] as const;
type Measure = (typeof MEASURES)[number];
const GROUPINGS = ['nps', 'csat'] as const;
type Grouping = (typeof GROUPINGS)[number];
const RISKS = ['detractors', 'pending_cancellation', 'both', 'either'] as const;
const SEGMENT_BY = ['', 'segment', 'country'] as const;
const MIN_MONTHS = 12;
const MAX_MONTHS = 36;
const DEFAULT_MONTHS = 24;

function isMeasure(v: string | null): v is Measure {
  return (MEASURES as readonly string[]).includes(v ?? '');
}

/** A measure's value in its unit: CLV is money, the others percentages. */
function show(format: Format, measure: Measure, v: number | null, currency: string | null): string {
  if (v === null) return NULL_SIGN;
  return measure === 'clv' ? format.value(v, 'currency', currency) : format.value(v, 'percent');
}

function interval(format: Format, measure: Measure, m: ExperienceMeasure, currency: string | null): string {
  if (m.low === null || m.high === null) return NULL_SIGN;
  return `${show(format, measure, m.low, currency)} – ${show(format, measure, m.high, currency)}`;
}

/** The numbers in the address, or their defaults when missing or out of range. */
function numberParam(
  params: URLSearchParams,
  name: string,
  fallback: number,
  min = -Infinity,
  max = Infinity,
) {
  const text = params.get(name);
  const v = text === null || text === '' ? Number.NaN : Number(text);
  return Number.isFinite(v) && v >= min && v <= max ? v : fallback;
}

function groupsOf(data: Experience, grouping: Grouping): ExperienceGroup[] {
  return grouping === 'nps' ? data.by_nps : data.by_csat;
}

/** The chosen measure per group, the interval as a floating bar and the value as a point on it. */
function IntervalChart({
  data,
  grouping,
  measure,
}: {
  data: Experience;
  grouping: Grouping;
  measure: Measure;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const groups = groupsOf(data, grouping);
  const labels = groups.map((g) => t(`experience.groups.${g.group}`, { defaultValue: g.group }));
  const option = useMemo(() => {
    const m = groups.map((g) => g[measure]);
    const label = (v: number) => show(format, measure, v, data.currency);
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v === null ? NULL_SIGN : label(v)) },
      legend: { top: 0, data: [t(`experience.measures.${measure}`), t('experience.interval')] },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => format.number(v, 0) } },
      series: [
        {
          type: 'bar',
          stack: 'interval',
          silent: true,
          itemStyle: { color: 'transparent' },
          tooltip: { show: false },
          data: m.map((x) => (x.low === null || x.high === null ? '-' : x.low)),
        },
        {
          type: 'bar',
          stack: 'interval',
          name: t('experience.interval'),
          barWidth: 18,
          itemStyle: { color: `${PALETTE[0]}55`, borderColor: PALETTE[0], borderWidth: 1 },
          data: m.map((x) => (x.low === null || x.high === null ? '-' : x.high - x.low)),
        },
        {
          type: 'line',
          name: t(`experience.measures.${measure}`),
          color: PALETTE[1],
          lineStyle: { width: 0 },
          symbol: 'diamond',
          symbolSize: 12,
          data: m.map((x) => (x.value === null ? '-' : x.value)),
        },
      ],
    };
  }, [groups, labels, measure, format, t, data.currency]);
  return (
    <Chart
      name={`experience-${grouping}`}
      option={option}
      summary={t('experience.chartSummary', {
        measure: t(`experience.measures.${measure}`),
        grouping: t(`experience.groupings.${grouping}`),
      })}
      table={{
        columns: [t('experience.group'), t(`experience.measures.${measure}`), t('experience.interval')],
        rows: groups.map((g, i) => [
          labels[i]!,
          show(format, measure, g[measure].value, data.currency),
          interval(format, measure, g[measure], data.currency),
        ]),
      }}
    />
  );
}

function GroupTable({ data, grouping }: { data: Experience; grouping: Grouping }) {
  const { t } = useTranslation();
  const format = useFormat();
  const title = t(`experience.groupings.${grouping}`);
  return (
    <TableWrap label={title}>
      <table data-experience-table={grouping}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('experience.group')}</th>
            <th scope="col" className="num">
              {t('experience.accounts')}
            </th>
            {MEASURES.map((m) => (
              <th scope="col" className="num" key={m}>
                {t(`experience.measures.${m}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {groupsOf(data, grouping).map((g) => (
            <tr key={g.group} data-group={g.group} data-grouping={grouping}>
              <th scope="row">{t(`experience.groups.${g.group}`, { defaultValue: g.group })}</th>
              <td className="num" data-accounts={g.accounts}>
                {format.number(g.accounts, 0)}
              </td>
              {MEASURES.map((m) => {
                const x = g[m];
                return (
                  <td
                    key={m}
                    className="num"
                    data-measure={m}
                    data-value={x.value === null ? '' : String(x.value)}
                    data-low={x.low === null ? '' : String(x.low)}
                    data-high={x.high === null ? '' : String(x.high)}
                    data-enough={String(x.enough)}
                  >
                    {show(format, m, x.value, data.currency)}
                    <br />
                    <span className="muted">[{interval(format, m, x, data.currency)}]</span>
                    {x.enough ? null : (
                      <span className="muted" title={t('experience.fewHint')}>
                        {' '}
                        {t('experience.few')}
                      </span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function AtRisk({ data }: { data: Experience }) {
  const { t } = useTranslation();
  const format = useFormat();
  const risk = data.mrr_at_risk;
  return (
    <section className="card" aria-labelledby="risk-title" data-mrr-at-risk={risk.at}>
      <h2 id="risk-title">{t('experience.riskTitle', { date: format.date(risk.at) })}</h2>
      <p className="hint">
        {t('experience.riskHint', {
          share: risk.either_pct === null ? NULL_SIGN : format.value(risk.either_pct, 'percent'),
          mrr: format.value(risk.active.mrr, 'currency', data.currency),
          accounts: format.number(risk.active.accounts, 0),
        })}
      </p>
      <div className="tiles">
        {RISKS.map((k) => (
          <article
            key={k}
            className="tile"
            data-risk={k}
            data-accounts={risk[k].accounts}
            data-mrr={String(risk[k].mrr)}
          >
            <h3>{t(`experience.risk.${k}`)}</h3>
            <p className="tile-value">{format.value(risk[k].mrr, 'currency', data.currency)}</p>
            <p className="tile-period">{t('experience.riskAccounts', { count: risk[k].accounts })}</p>
          </article>
        ))}
      </div>
    </section>
  );
}

const AMOUNTS = ['revenue', 'mrr', 'customers', 'clv'] as const;

function amount(format: Format, key: (typeof AMOUNTS)[number], v: number | null, currency: string | null) {
  if (v === null) return NULL_SIGN;
  return key === 'customers' ? format.number(v, 1) : format.value(v, 'currency', currency);
}

function difference(
  format: Format,
  key: (typeof AMOUNTS)[number],
  v: number | null,
  currency: string | null,
) {
  if (v === null) return NULL_SIGN;
  return key === 'customers' ? format.delta(v, 'count') : format.delta(v, 'currency', currency);
}

function Projection({ data }: { data: WhatIf }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { baseline, scenario } = data.total;
  const months = baseline.points.map((p) => String(p.month));
  const option = useMemo(() => {
    const line = (name: string, p: WhatIfProjection, color: string, dashed: boolean) => ({
      type: 'line',
      name,
      color,
      symbol: 'none',
      lineStyle: dashed ? { type: 'dashed' } : {},
      data: p.points.map((x) => x.mrr),
    });
    return {
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: number) => format.value(v, 'currency', data.currency),
      },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 24, containLabel: true },
      xAxis: {
        type: 'category',
        data: months,
        name: t('experience.month'),
        nameLocation: 'middle',
        nameGap: 24,
      },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => format.number(v, 0) } },
      series: [
        line(t('experience.baseline'), baseline, PALETTE[5]!, true),
        line(t('experience.scenario'), scenario, PALETTE[0]!, false),
      ],
    };
  }, [baseline, scenario, months, format, t, data.currency]);
  return (
    <Chart
      name="what-if"
      option={option}
      summary={t('experience.whatIfSummary', {
        months: data.months,
        baseline: format.value(baseline.mrr, 'currency', data.currency),
        scenario: format.value(scenario.mrr, 'currency', data.currency),
      })}
      table={{
        columns: [t('experience.month'), t('experience.baseline'), t('experience.scenario')],
        rows: baseline.points.map((p, i) => [
          String(p.month),
          format.value(p.mrr, 'currency', data.currency),
          format.value(scenario.points[i]?.mrr ?? null, 'currency', data.currency),
        ]),
      }}
    />
  );
}

/** The header of a baseline / scenario / difference table. */
function ComparisonHead({ first }: { first: string }) {
  const { t } = useTranslation();
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        {(['baseline', 'scenario', 'difference'] as const).map((column) => (
          <th key={column} scope="col" className="num">
            {t(`experience.${column}`)}
          </th>
        ))}
      </tr>
    </thead>
  );
}

function WhatIfNumbers({ data }: { data: WhatIf }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { baseline, scenario, difference: diff } = data.total;
  return (
    <TableWrap label={t('experience.whatIfNumbers')}>
      <table data-what-if-table="">
        <caption>{t('experience.whatIfNumbers')}</caption>
        <ComparisonHead first={t('experience.amount')} />
        <tbody>
          {AMOUNTS.map((k) => (
            <tr
              key={k}
              data-what-if={k}
              data-baseline={String(baseline[k])}
              data-scenario={String(scenario[k])}
              data-difference={diff[k] === null ? '' : String(diff[k])}
            >
              <th scope="row">{t(`experience.amounts.${k}`, { months: data.months })}</th>
              <td className="num">{amount(format, k, baseline[k], data.currency)}</td>
              <td className="num">{amount(format, k, scenario[k], data.currency)}</td>
              <td className="num">
                <strong>{difference(format, k, diff[k], data.currency)}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Segments({ data }: { data: WhatIf }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (data.segments.length <= 1 && data.segments[0]?.segment === null) return null;
  return (
    <TableWrap label={t('experience.segmentsTitle')}>
      <table data-what-if-segments="">
        <caption>{t('experience.segmentsTitle')}</caption>
        <ComparisonHead first={t('experience.segment')} />
        <tbody>
          {data.segments.map((s) => (
            <tr
              key={s.segment ?? ''}
              data-segment={s.segment ?? ''}
              data-difference={String(s.difference.revenue)}
            >
              <th scope="row">{s.segment ?? NULL_SIGN}</th>
              <td className="num">{format.value(s.baseline.revenue, 'currency', data.currency)}</td>
              <td className="num">{format.value(s.scenario.revenue, 'currency', data.currency)}</td>
              <td className="num">{format.delta(s.difference.revenue, 'currency', data.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function WhatIfPanel({
  state,
  months,
  churn,
  expansion,
  segmentBy,
}: {
  state: ApiState<WhatIf>;
  months: number;
  churn: number;
  expansion: number;
  segmentBy: string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const set = (name: string, value: string | null) => navigate(withParams({ [name]: value }), true);
  let body: ReactNode;
  if (state.state.status === 'loading') body = <Loading />;
  else if (state.state.status === 'error')
    body = <ErrorState error={state.state.error} retry={state.retry} />;
  else {
    const data = state.state.data;
    const d = data.total.difference;
    body = (
      <div data-what-if-result="" data-months={data.months} data-as-of={data.as_of}>
        <p className="tile-value" data-what-if-difference={String(d.revenue)}>
          {t('experience.differenceLine', {
            amount: format.delta(d.revenue, 'currency', data.currency),
            months: data.months,
          })}
        </p>
        <p className="hint">
          {t('experience.rates', {
            from: format.value(data.total.baseline.churn_rate * 100, 'percent'),
            to: format.value(data.total.scenario.churn_rate * 100, 'percent'),
            date: format.date(data.as_of),
          })}
        </p>
        <Projection data={data} />
        <WhatIfNumbers data={data} />
        <Segments data={data} />
      </div>
    );
  }
  return (
    <section className="card" aria-labelledby="what-if-title" data-what-if-panel="">
      <h2 id="what-if-title">{t('experience.whatIfTitle')}</h2>
      <p className="hint">{t('experience.whatIfHint')}</p>
      <div className="filters">
        <div>
          <label htmlFor="what-if-months">{t('experience.months')}</label>
          <input
            id="what-if-months"
            data-control="months"
            type="number"
            min={MIN_MONTHS}
            max={MAX_MONTHS}
            step={1}
            defaultValue={months}
            key={`months:${months}`}
            onChange={(e) => {
              const v = Number(e.target.value);
              if (e.target.value !== '' && Number.isInteger(v) && v >= MIN_MONTHS && v <= MAX_MONTHS)
                set('months', String(v));
            }}
          />
        </div>
        <div>
          <label htmlFor="what-if-churn">{t('experience.churnDelta')}</label>
          <input
            id="what-if-churn"
            data-control="churn_delta"
            type="number"
            step={0.1}
            min={-100}
            max={100}
            defaultValue={churn}
            onChange={(e) => {
              const v = Number(e.target.value);
              if (e.target.value !== '' && Number.isFinite(v)) set('churn_delta', v === 0 ? null : String(v));
            }}
          />
        </div>
        <div>
          <label htmlFor="what-if-expansion">{t('experience.expansionPct')}</label>
          <input
            id="what-if-expansion"
            data-control="expansion_pct"
            type="number"
            step={1}
            min={-100}
            defaultValue={expansion}
            onChange={(e) => {
              const v = Number(e.target.value);
              if (e.target.value !== '' && Number.isFinite(v))
                set('expansion_pct', v === 0 ? null : String(v));
            }}
          />
        </div>
        <div>
          <label htmlFor="what-if-segment">{t('experience.segmentBy')}</label>
          <select
            id="what-if-segment"
            data-control="segment_by"
            value={segmentBy}
            onChange={(e) => set('segment_by', e.target.value === '' ? null : e.target.value)}
          >
            {SEGMENT_BY.map((s) => (
              <option key={s} value={s}>
                {t(`experience.segmentByOptions.${s === '' ? 'none' : s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {body}
    </section>
  );
}

function ExperienceBody({ data, measure }: { data: Experience; measure: Measure }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <>
      <p className="hint">
        {t('experience.cohortHint', {
          from: format.date(data.from),
          to: format.date(data.to),
          months: format.number(data.months, 1),
        })}
      </p>
      <AtRisk data={data} />
      <section className="card" aria-labelledby="groups-title">
        <h2 id="groups-title">{t('experience.groupsTitle')}</h2>
        <div className="filters">
          <div>
            <label htmlFor="experience-measure">{t('experience.measure')}</label>
            <select
              id="experience-measure"
              data-control="measure"
              value={measure}
              onChange={(e) => navigate(withParams({ measure: e.target.value }), true)}
            >
              {MEASURES.map((m) => (
                <option key={m} value={m}>
                  {t(`experience.measures.${m}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        {GROUPINGS.map((g) => (
          <div key={g}>
            <h3>{t(`experience.groupings.${g}`)}</h3>
            <IntervalChart data={data} grouping={g} measure={measure} />
            <GroupTable data={data} grouping={g} />
          </div>
        ))}
        <p className="hint">{t('experience.intervalHint')}</p>
      </section>
    </>
  );
}

export function ExperiencePage() {
  const { t } = useTranslation();
  const { params } = useLocation();
  const months = numberParam(params, 'months', DEFAULT_MONTHS, MIN_MONTHS, MAX_MONTHS);
  const churn = numberParam(params, 'churn_delta', 0);
  const expansion = numberParam(params, 'expansion_pct', 0);
  const segmentParam = params.get('segment_by') ?? '';
  const segmentBy = (SEGMENT_BY as readonly string[]).includes(segmentParam) ? segmentParam : '';
  const measureParam = params.get('measure');
  const measure: Measure = isMeasure(measureParam) ? measureParam : 'nrr';

  const whatIfPath = `/api/v1/what-if${query({
    months,
    churn_delta: churn === 0 ? undefined : churn,
    expansion_pct: expansion === 0 ? undefined : expansion,
    segment_by: segmentBy,
  })}`;
  const whatIf = useApi(whatIfPath, (signal) => api<WhatIf>(whatIfPath, { signal }));

  // Without a window in the address: the 12 months the what-if rates come from (up to the data's end).
  const rates = whatIf.state.status === 'ok' ? whatIf.state.data.window : null;
  const from = params.get('from') || (rates ? rates.from.slice(0, 10) : '');
  const to = params.get('to') || (rates ? rates.to.slice(0, 10) : '');
  const experiencePath = from && to ? `/api/v1/experience${query({ from, to })}` : null;
  const experience = useApi(experiencePath, (signal) => api<Experience>(experiencePath ?? '', { signal }));
  const data = experience.state.status === 'ok' ? experience.state.data : null;

  const actions = (
    <div className="range-controls">
      <label>
        {t('experience.from')}{' '}
        <input
          type="date"
          data-control="from"
          value={from}
          onChange={(e) => e.target.value && navigate(withParams({ from: e.target.value, to }), true)}
        />
      </label>
      <label>
        {t('experience.to')}{' '}
        <input
          type="date"
          data-control="to"
          value={to}
          onChange={(e) => e.target.value && navigate(withParams({ to: e.target.value, from }), true)}
        />
      </label>
    </div>
  );

  let body: ReactNode;
  if (experiencePath === null && whatIf.state.status === 'error') body = null;
  else if (experiencePath === null || experience.state.status === 'loading') body = <Loading />;
  else if (experience.state.status === 'error')
    body = <ErrorState error={experience.state.error} retry={experience.retry} />;
  else body = <ExperienceBody data={experience.state.data} measure={measure} />;

  return (
    <Page
      name="experience"
      title={t('nav.experience')}
      actions={actions}
      attributes={{
        'data-from': data?.from ?? '',
        'data-to': data?.to ?? '',
        'data-ready': String(data !== null && whatIf.state.status === 'ok'),
      }}
    >
      {body}
      <WhatIfPanel state={whatIf} months={months} churn={churn} expansion={expansion} segmentBy={segmentBy} />
    </Page>
  );
}
