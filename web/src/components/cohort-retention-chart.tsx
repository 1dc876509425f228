// Contractual retention (GET /api/v1/cohort-retention): the share of customers still subscribed by month of
// tenure, observed over the monthly cohorts and as the shifted-beta-geometric fit projects it, for all
// customers or the chosen segment; the model and the subscription CLV under it.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api/client';
import { useApi } from '../api/use-api';
import { useFormat } from '../format';
import { Chart } from './chart';
import { ErrorState, Loading } from './status';

interface CurvePoint {
  month: number;
  observed_survival: number | null;
  observed_retention: number | null;
  at_risk: number;
  survival: number | null;
  retention: number | null;
}

interface Part {
  segment: string | null;
  customers: number;
  model: { a: number; b: number; log_likelihood: number; converged: boolean } | null;
  reason: string | null;
  arpa: number | null;
  discounted_lifetime_months: number | null;
  clv: number | null;
  curve: CurvePoint[];
  cohorts: { cohort: string }[];
}

export interface CohortRetention {
  as_of: string;
  months: number;
  currency: string | null;
  overall: Part;
  segments: Part[];
}

/** The months the chart and its table show. */
export const COHORT_RETENTION_MONTHS = 36;

const pct = (v: number | null) => (v === null ? '-' : Math.round(v * 1000) / 10);

export function CohortRetentionChart({ segment }: { segment: string | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  const url = `/api/v1/cohort-retention${query({
    segment_by: segment === null ? undefined : 'segment',
    months: COHORT_RETENTION_MONTHS,
  })}`;
  const loaded = useApi(url, (signal) => api<CohortRetention>(url, { signal }));
  const data = loaded.state.status === 'ok' ? loaded.state.data : null;
  const part = data && (segment === null ? data.overall : data.segments.find((s) => s.segment === segment));
  const option = useMemo(() => {
    if (!part) return null;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => format.value(v, 'percent') },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 64, containLabel: true },
      xAxis: {
        type: 'category',
        data: part.curve.map((p) => String(p.month)),
        name: t('retention.sbgMonth'),
        nameLocation: 'middle',
        nameGap: 24,
      },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
      series: [
        {
          name: t('retention.sbgObserved'),
          type: 'line',
          data: part.curve.map((p) => pct(p.observed_survival)),
        },
        {
          name: t('retention.sbgProjected'),
          type: 'line',
          lineStyle: { type: 'dashed' },
          showSymbol: false,
          data: part.curve.map((p) => pct(p.survival)),
        },
      ],
    };
  }, [part, format, t]);

  if (loaded.state.status === 'loading') return <Loading />;
  if (loaded.state.status === 'error') return <ErrorState error={loaded.state.error} retry={loaded.retry} />;
  if (!part || !option) return <p className="muted">{t('retention.noCohorts')}</p>;
  const at12 = part.curve[Math.min(12, part.curve.length - 1)]!;
  const money = (v: number | null) => format.value(v, 'currency', data?.currency);
  return (
    <>
      {part.model ? (
        <p
          className="hint"
          data-cohort-model=""
          data-a={part.model.a}
          data-b={part.model.b}
          data-clv={part.clv ?? ''}
        >
          {t('retention.sbgModel', {
            a: format.number(part.model.a, 3),
            b: format.number(part.model.b, 3),
            clv: money(part.clv),
            arpa: money(part.arpa),
            lifetime: format.number(part.discounted_lifetime_months, 1),
          })}
        </p>
      ) : (
        <p className="notice" data-cohort-model="">
          {t('retention.sbgNoModel', { reason: part.reason })}
        </p>
      )}
      <Chart
        name="cohort-retention"
        option={option}
        summary={t('retention.sbgSummary', {
          cohorts: part.cohorts.length,
          observed: format.value(
            at12.observed_survival === null ? null : at12.observed_survival * 100,
            'percent',
          ),
          projected: format.value(at12.survival === null ? null : at12.survival * 100, 'percent'),
        })}
        table={{
          columns: [
            t('retention.sbgMonth'),
            t('retention.sbgAtRisk'),
            t('retention.sbgSurvivalObserved'),
            t('retention.sbgSurvivalProjected'),
            t('retention.sbgRetentionObserved'),
            t('retention.sbgRetentionProjected'),
          ],
          rows: part.curve.map((p) => [
            String(p.month),
            format.number(p.at_risk, 0),
            ...[p.observed_survival, p.survival, p.observed_retention, p.retention].map((v) =>
              format.value(v === null ? null : v * 100, 'percent'),
            ),
          ]),
        }}
      />
    </>
  );
}
