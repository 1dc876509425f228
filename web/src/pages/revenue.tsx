// Revenue: MRR over time with its movements stacked (new, expansion, reactivation up; contraction, churn
// down), the MRR bridge of one period, ARPA, NRR and GRR, and expansion revenue.
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart } from '../components/chart';
import { KpiChart } from '../components/kpi-chart';
import { ChartCard, chartProps, type ReportContext, ReportPage } from '../components/report-page';
import { useFormat } from '../format';
import { latestCompleteIndex } from '../kpi-meta';

const UP = ['new_mrr', 'expansion_mrr', 'reactivation_mrr'];
const DOWN = ['contraction_mrr', 'churned_mrr'];

/** Start MRR, each movement, end MRR of one period, as a waterfall (mrr(end) − mrr(start) = net_new_mrr). */
function Bridge({ ctx }: { ctx: ReportContext }) {
  const { t } = useTranslation();
  const format = useFormat();
  const id = useId();
  const { rows, report, currency } = ctx;
  const [chosen, setChosen] = useState<string | null>(null);
  const fallback = rows[latestCompleteIndex(rows, report.as_of)];
  const row = rows.find((r) => r.start === chosen) ?? fallback;
  const steps = useMemo(() => {
    if (!row) return null;
    const end = row.kpis.mrr ?? null;
    const net = row.kpis.net_new_mrr ?? null;
    if (end === null || net === null) return null;
    const list: { key: string; label: string; delta: number }[] = [
      ...UP.map((k) => ({ key: k, label: t(`kpi.${k}`), delta: row.kpis[k] ?? 0 })),
      ...DOWN.map((k) => ({ key: k, label: t(`kpi.${k}`), delta: -(row.kpis[k] ?? 0) })),
    ];
    return { start: end - net, end, list };
  }, [row, t]);
  const option = useMemo(() => {
    if (!steps) return null;
    const names = [t('revenue.start'), ...steps.list.map((s) => s.label), t('revenue.end')];
    const base: number[] = [0];
    const up: (number | '-')[] = [steps.start];
    const down: (number | '-')[] = ['-'];
    let level = steps.start;
    for (const s of steps.list) {
      if (s.delta >= 0) {
        base.push(level);
        up.push(s.delta);
        down.push('-');
        level += s.delta;
      } else {
        level += s.delta;
        base.push(level);
        up.push('-');
        down.push(-s.delta);
      }
    }
    base.push(0);
    up.push(steps.end);
    down.push('-');
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: {
        type: 'value',
        scale: true,
        axisLabel: { formatter: (v: number) => format.value(v, 'currency', currency) },
      },
      series: [
        {
          type: 'bar',
          stack: 'w',
          silent: true,
          itemStyle: { color: 'transparent' },
          tooltip: { show: false },
          data: base,
        },
        { type: 'bar', stack: 'w', name: t('revenue.increase'), color: '#1a7336', data: up },
        { type: 'bar', stack: 'w', name: t('revenue.decrease'), color: '#b42318', data: down },
      ],
    };
  }, [steps, t, format, currency]);
  if (!row) return null;
  return (
    <>
      <div className="filters">
        <div>
          <label htmlFor={`${id}-period`}>{t('revenue.bridgePeriod')}</label>
          <select id={`${id}-period`} value={row.start} onChange={(e) => setChosen(e.target.value)}>
            {rows.map((r) => (
              <option key={r.start} value={r.start}>
                {format.period(r.start, report.period)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {steps && option ? (
        <Chart
          name="mrr-bridge"
          option={option}
          summary={t('revenue.bridgeSummary', {
            period: format.period(row.start, report.period),
            start: format.value(steps.start, 'currency', currency),
            end: format.value(steps.end, 'currency', currency),
          })}
          table={{
            columns: [t('revenue.step'), t('revenue.amount')],
            rows: [
              [t('revenue.start'), format.value(steps.start, 'currency', currency)],
              ...steps.list.map((s) => [s.label, format.delta(s.delta, 'currency', currency)]),
              [t('revenue.end'), format.value(steps.end, 'currency', currency)],
            ],
          }}
        />
      ) : (
        <p className="muted">{t('reason.undefined')}</p>
      )}
    </>
  );
}

function Revenue({ ctx }: { ctx: ReportContext }) {
  const { t } = useTranslation();
  const common = chartProps(ctx);
  return (
    <div className="charts">
      <ChartCard title={t('revenue.mrrTitle')} name="mrr">
        <KpiChart name="mrr" ids={['mrr']} {...common} />
      </ChartCard>
      <ChartCard title={t('revenue.movementsTitle')} name="movements">
        <KpiChart name="mrr-movements" ids={[...UP, ...DOWN]} bars stack negative={DOWN} {...common} />
      </ChartCard>
      <ChartCard title={t('revenue.bridgeTitle')} name="bridge">
        <Bridge ctx={ctx} />
      </ChartCard>
      <ChartCard title={t('kpi.arpa')} name="arpa">
        <KpiChart name="arpa" ids={['arpa']} {...common} />
      </ChartCard>
      <ChartCard title={t('revenue.retentionTitle')} name="nrr-grr">
        <KpiChart name="nrr-grr" ids={['nrr', 'grr']} {...common} />
      </ChartCard>
      <ChartCard title={t('kpi.expansion_revenue')} name="expansion">
        <KpiChart name="expansion-revenue" ids={['expansion_revenue', 'expansion_mrr']} bars {...common} />
      </ChartCard>
    </div>
  );
}

export function RevenuePage() {
  const { t } = useTranslation();
  return (
    <ReportPage name="revenue" title={t('nav.revenue')}>
      {(ctx) => <Revenue ctx={ctx} />}
    </ReportPage>
  );
}
