// Satisfaction: NPS over time with its promoter/passive/detractor split and score distribution, CSAT, CES
// (1 = very easy), FCR from tickets beside FCR as customers perceive it, and the comment explorer.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api/client';
import type { ScoreDistribution } from '../api/types';
import { useApi } from '../api/use-api';
import { Chart } from '../components/chart';
import { CommentExplorer } from '../components/comment-explorer';
import { KpiChart } from '../components/kpi-chart';
import { ChartCard, chartProps, type ReportContext, ReportPage } from '../components/report-page';
import { Loading } from '../components/status';
import { useFormat } from '../format';

/** More periods than this and the split is not fetched (one request per period). */
const MAX_SPLIT_PERIODS = 40;
const SCORES = Array.from({ length: 11 }, (_, i) => i);
const SPLIT_COLORS = { promoters: '#1a7336', passives: '#8a919c', detractors: '#b42318' };

/** Answers per NPS score 0–10 in [from, to) (GET /api/v1/score-distribution), in total or for a segment. */
async function npsScores(
  from: string,
  to: string,
  segment: string | null,
  signal: AbortSignal,
): Promise<number[]> {
  const answer = await api<ScoreDistribution>(
    `/api/v1/score-distribution${query({
      metric: 'nps',
      from,
      to,
      segment_by: segment === null ? undefined : 'segment',
      segment,
    })}`,
    { signal },
  );
  const counts = new Array<number>(11).fill(0);
  for (const scale of answer.scales)
    for (const c of scale.counts) if (c.score >= 0 && c.score <= 10) counts[c.score]! += c.count;
  return counts;
}

function groups(counts: readonly number[]) {
  const sum = (lo: number, hi: number) => counts.slice(lo, hi + 1).reduce((a, b) => a + b, 0);
  return { promoters: sum(9, 10), passives: sum(7, 8), detractors: sum(0, 6) };
}

/** Promoters (9–10), passives (7–8) and detractors (0–6) per period. */
function NpsSplit({ ctx }: { ctx: ReportContext }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { rows, segment } = ctx;
  const key =
    rows.length > MAX_SPLIT_PERIODS
      ? null
      : `split:${segment}:${rows.map((r) => `${r.start}/${r.end}`).join(',')}`;
  const scores = useApi(key, (signal) =>
    Promise.all(rows.map((r) => npsScores(r.start, r.end, segment, signal))),
  );
  const split = useMemo(
    () => (scores.state.status === 'ok' ? scores.state.data.map(groups) : null),
    [scores.state],
  );
  const labels = rows.map((r) => format.period(r.start, ctx.report.period));
  const option = useMemo(
    () =>
      split && {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: labels },
        yAxis: { type: 'value' },
        series: (['promoters', 'passives', 'detractors'] as const).map((k) => ({
          type: 'bar',
          stack: 'answers',
          name: t(`satisfaction.${k}`),
          color: SPLIT_COLORS[k],
          data: split.map((s) => s[k]),
        })),
      },
    [split, labels, t],
  );
  if (key === null)
    return <p className="muted">{t('satisfaction.splitTooMany', { count: MAX_SPLIT_PERIODS })}</p>;
  if (scores.state.status === 'loading') return <Loading />;
  if (!split || !option) return <p className="muted">{t('satisfaction.splitUnavailable')}</p>;
  const total = split.reduce(
    (sum, s) => ({
      promoters: sum.promoters + s.promoters,
      passives: sum.passives + s.passives,
      detractors: sum.detractors + s.detractors,
    }),
    { promoters: 0, passives: 0, detractors: 0 },
  );
  return (
    <Chart
      name="nps-split"
      option={option}
      summary={t('satisfaction.splitSummary', {
        promoters: format.number(total.promoters, 0),
        passives: format.number(total.passives, 0),
        detractors: format.number(total.detractors, 0),
      })}
      table={{
        columns: [
          t('chart.period'),
          t('satisfaction.promoters'),
          t('satisfaction.passives'),
          t('satisfaction.detractors'),
        ],
        rows: split.map((s, i) => [
          labels[i]!,
          format.number(s.promoters, 0),
          format.number(s.passives, 0),
          format.number(s.detractors, 0),
        ]),
      }}
    />
  );
}

/** How many NPS answers of the range gave each score 0–10. */
function DistributionChart({ ctx }: { ctx: ReportContext }) {
  const { t } = useTranslation();
  const format = useFormat();
  const from = ctx.rows[0]?.start ?? null;
  const to = ctx.rows[ctx.rows.length - 1]?.end ?? null;
  const key = from && to ? `dist:${ctx.segment}:${from}:${to}` : null;
  const counts = useApi(key, (signal) => npsScores(from!, to!, ctx.segment, signal));
  const data = counts.state.status === 'ok' ? counts.state.data : null;
  const option = useMemo(
    () =>
      data && {
        tooltip: { trigger: 'axis' },
        grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: SCORES.map(String), name: t('satisfaction.score') },
        yAxis: { type: 'value' },
        series: [
          {
            type: 'bar',
            name: t('satisfaction.answers'),
            data: data.map((n, s) => ({
              value: n,
              itemStyle: {
                color:
                  s >= 9 ? SPLIT_COLORS.promoters : s >= 7 ? SPLIT_COLORS.passives : SPLIT_COLORS.detractors,
              },
            })),
          },
        ],
      },
    [data, t],
  );
  if (counts.state.status === 'loading') return <Loading />;
  if (!data || !option) return <p className="muted">{t('satisfaction.splitUnavailable')}</p>;
  return (
    <Chart
      name="nps-distribution"
      option={option}
      summary={t('satisfaction.distributionSummary', {
        total: format.number(
          data.reduce((a, b) => a + b, 0),
          0,
        ),
      })}
      table={{
        columns: [t('satisfaction.score'), t('satisfaction.answers')],
        rows: data.map((n, s) => [String(s), format.number(n, 0)]),
      }}
    />
  );
}

function Satisfaction({ ctx }: { ctx: ReportContext }) {
  const { t } = useTranslation();
  const common = chartProps(ctx);
  return (
    <>
      <div className="charts">
        <ChartCard title={t('satisfaction.npsTitle')} name="nps">
          <KpiChart name="nps" ids={['nps']} {...common} />
        </ChartCard>
        <ChartCard title={t('satisfaction.splitTitle')} name="split">
          <NpsSplit ctx={ctx} />
        </ChartCard>
        <ChartCard title={t('satisfaction.distributionTitle')} name="distribution">
          <DistributionChart ctx={ctx} />
        </ChartCard>
        <ChartCard title={t('satisfaction.csatTitle')} name="csat">
          <KpiChart name="csat" ids={['csat', 'csat_mean']} {...common} />
        </ChartCard>
        <ChartCard title={t('satisfaction.cesTitle')} name="ces">
          <p className="hint" data-ces-scale="">
            {t('satisfaction.cesScale')}
          </p>
          <KpiChart
            name="ces"
            ids={['ces', 'ces_high_effort_pct']}
            note={t('satisfaction.cesScale')}
            {...common}
          />
        </ChartCard>
        <ChartCard title={t('satisfaction.fcrTitle')} name="fcr">
          <KpiChart name="fcr" ids={['fcr', 'fcr_perceived']} {...common} />
        </ChartCard>
      </div>
      <CommentExplorer range={ctx.range} segment={ctx.segment} segments={ctx.segments} />
    </>
  );
}

export function SatisfactionPage() {
  const { t } = useTranslation();
  return (
    <ReportPage name="satisfaction" title={t('nav.satisfaction')}>
      {(ctx) => <Satisfaction ctx={ctx} />}
    </ReportPage>
  );
}
