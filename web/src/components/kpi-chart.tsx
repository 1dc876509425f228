// KPIs of a report over time as lines (or stacked bars), up to two units on two axes, each KPI's target as a
// dashed line, with the text alternatives of Chart.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpiInfo, PeriodKind, ReportRow, Unit } from '../api/types';
import type { Targets } from '../data';
import { useFormat } from '../format';
import { kpiLabel, opSign } from '../kpi-meta';
import { Chart } from './chart';

export interface KpiChartProps {
  name: string;
  ids: string[];
  rows: readonly ReportRow[];
  period: PeriodKind;
  catalogue: KpiInfo[];
  targets?: Targets | null;
  currency?: string | null;
  /** Bars instead of lines; `stack` stacks them. */
  bars?: boolean;
  stack?: boolean;
  /** Values to draw below zero (e.g. contraction and churned MRR in a movements chart). */
  negative?: string[];
  /** Extra words at the end of the summary (e.g. "1 = very easy"). */
  note?: string;
  height?: number;
}

export function KpiChart(props: KpiChartProps) {
  const {
    name,
    ids,
    rows,
    period,
    catalogue,
    targets,
    currency = null,
    bars,
    stack,
    negative = [],
    note,
  } = props;
  const { t } = useTranslation();
  const format = useFormat();
  const idKey = ids.join(',');
  const negativeKey = negative.join(',');
  const kpis = useMemo(
    () =>
      idKey
        .split(',')
        .map((id) => catalogue.find((k) => k.id === id))
        .filter((k): k is KpiInfo => k !== undefined),
    [idKey, catalogue],
  );
  const units = useMemo(() => [...new Set(kpis.map((k) => k.unit))].slice(0, 2), [kpis]);
  const labels = useMemo(() => rows.map((r) => format.period(r.start, period)), [rows, format, period]);

  const option = useMemo(() => {
    const axisOf = (unit: Unit) => Math.max(0, units.indexOf(unit));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: labels },
      yAxis: units.map((unit, i) => ({
        type: 'value',
        scale: !bars,
        splitLine: { show: i === 0 },
        axisLabel: {
          formatter: (v: number) =>
            unit === 'score' ? format.number(v, 2) : format.value(v, unit, currency),
        },
      })),
      series: kpis.map((k) => {
        const sign = negativeKey.split(',').includes(k.id) ? -1 : 1;
        const target = targets?.byKpi.get(k.id);
        return {
          type: bars ? 'bar' : 'line',
          name: kpiLabel(t, k),
          yAxisIndex: axisOf(k.unit),
          ...(stack ? { stack: 'total' } : {}),
          connectNulls: false,
          showSymbol: rows.length <= 40,
          data: rows.map((r) => {
            const v = r.kpis[k.id] ?? null;
            return v === null ? null : sign * v;
          }),
          tooltip: {
            valueFormatter: (v: number | null) =>
              format.value(v === null ? null : sign * v, k.unit, currency),
          },
          ...(target
            ? {
                markLine: {
                  symbol: 'none',
                  silent: true,
                  lineStyle: { type: 'dashed' },
                  label: {
                    formatter: `${opSign(target.op)} ${format.value(target.value, k.unit, currency)}`,
                  },
                  data: [{ yAxis: target.value }],
                },
              }
            : {}),
        };
      }),
    };
  }, [kpis, units, labels, rows, bars, stack, negativeKey, targets, currency, format, t]);

  const last = rows[rows.length - 1];
  const summary = t('chart.summary', {
    what: kpis.map((k) => kpiLabel(t, k)).join(', '),
    from: labels[0] ?? '',
    to: labels[labels.length - 1] ?? '',
    latest: kpis
      .map((k) => `${kpiLabel(t, k)} ${format.value(last?.kpis[k.id] ?? null, k.unit, currency)}`)
      .join(', '),
  });
  return (
    <Chart
      name={name}
      option={option}
      height={props.height ?? 280}
      summary={note ? `${summary} ${note}` : summary}
      table={{
        columns: [t('chart.period'), ...kpis.map((k) => kpiLabel(t, k))],
        rows: rows.map((r, i) => [
          labels[i]!,
          ...kpis.map((k) => format.value(r.kpis[k.id] ?? null, k.unit, currency)),
        ]),
      }}
    />
  );
}
