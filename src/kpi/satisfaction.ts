// Satisfaction and effort KPIs (KPI-SPEC §4): NPS, eNPS, CSAT, CES and FCR as customers perceive it.
import type { RowAggregates, ScoreCounts } from './aggregates.js';
import type { Kpi } from './kpi.js';
import { mean, pct } from './kpi.js';
import { grouping, periodOf, periodsCte, type QueryContext, segmentsCte } from './query-context.js';
import { type FlowSource, num } from './source.js';

const kpi = (k: Omit<Kpi, 'family'>): Kpi => ({ family: 'satisfaction', ...k });

interface Answer {
  scale: number;
  score: number;
  count: number;
}

function answers(scores: ScoreCounts, metric: string): Answer[] {
  return Object.entries(scores[metric] ?? {}).map(([key, count]) => {
    const [scale, score] = key.split(':').map(Number);
    return { scale: scale!, score: score!, count };
  });
}

function share(scores: ScoreCounts, metric: string, counts: (a: Answer) => boolean): number | null {
  const all = answers(scores, metric);
  const total = all.reduce((sum, a) => sum + a.count, 0);
  return pct(
    all.filter(counts).reduce((sum, a) => sum + a.count, 0),
    total,
  );
}

/** % of 9–10 minus % of 0–6; null without answers. */
export function netPromoterScore(scores: ScoreCounts, metric: 'nps' | 'enps'): number | null {
  const promoters = share(scores, metric, (a) => a.score >= 9);
  const detractors = share(scores, metric, (a) => a.score <= 6);
  return promoters === null || detractors === null ? null : promoters - detractors;
}

export function answerCount(scores: ScoreCounts, metric: string): number {
  return answers(scores, metric).reduce((sum, a) => sum + a.count, 0);
}

/** A ces answer on the 1–7 scale: a 5-point answer s counts as 1 + (s − 1) × 6/4. */
export function cesOnSevenPoints(score: number, scale: number): number {
  return 1 + ((score - 1) * 6) / (scale - 1);
}

function cesMean(a: RowAggregates): number | null {
  const all = answers(a.scores, 'ces');
  const total = all.reduce((sum, x) => sum + x.count, 0);
  return mean(
    all.reduce((sum, x) => sum + cesOnSevenPoints(x.score, x.scale) * x.count, 0),
    total,
  );
}

export const SATISFACTION_KPIS: readonly Kpi[] = [
  kpi({
    id: 'nps',
    label: 'NPS',
    unit: 'score',
    better: 'higher',
    formula: '% of nps answers 9–10 − % of answers 0–6 (−100…100)',
    finalize: (a) => netPromoterScore(a.scores, 'nps'),
  }),
  kpi({
    id: 'nps_responses',
    label: 'NPS answers',
    unit: 'count',
    better: 'higher',
    formula: 'nps answers submitted in the period (a response_id counts once)',
    finalize: (a) => answerCount(a.scores, 'nps'),
  }),
  kpi({
    id: 'enps',
    label: 'eNPS',
    unit: 'score',
    better: 'higher',
    formula: 'the NPS formula on employee (enps) answers; groups under 5 answers suppressed',
    finalize: (a) => netPromoterScore(a.scores, 'enps'),
  }),
  kpi({
    id: 'csat',
    label: 'CSAT',
    unit: 'percent',
    better: 'higher',
    formula: '% of csat answers 4–5',
    finalize: (a) => share(a.scores, 'csat', (x) => x.score >= 4),
  }),
  kpi({
    id: 'csat_mean',
    label: 'CSAT (mean)',
    unit: 'score',
    better: 'higher',
    formula: 'mean csat score (1–5)',
    finalize: (a) => {
      const all = answers(a.scores, 'csat');
      return mean(
        all.reduce((sum, x) => sum + x.score * x.count, 0),
        answerCount(a.scores, 'csat'),
      );
    },
  }),
  kpi({
    id: 'ces',
    label: 'CES',
    unit: 'score',
    better: 'lower',
    formula: 'mean ces on the 1–7 scale (1 = very easy; a 5-point s counts as 1 + (s − 1) × 6/4)',
    finalize: cesMean,
  }),
  kpi({
    id: 'ces_high_effort_pct',
    label: 'High-effort answers',
    unit: 'percent',
    better: 'lower',
    formula: '% of ces answers above their scale’s midpoint (≥ 4 on 1–5, ≥ 5 on 1–7)',
    finalize: (a) => share(a.scores, 'ces', (x) => x.score > (1 + x.scale) / 2),
  }),
  kpi({
    id: 'fcr_perceived',
    label: 'FCR (perceived)',
    unit: 'percent',
    better: 'higher',
    formula: '% of fcr answers 1 ("Did we resolve your problem?" yes)',
    finalize: (a) => share(a.scores, 'fcr', (x) => x.score === 1),
  }),
];

/** The distribution of answers per metric, scale and score: every satisfaction formula reads it. */
export const responsesSource: FlowSource = {
  kind: 'flow',
  name: 'survey answers',
  sql: (ctx: QueryContext) => {
    const segment = ctx.segmentBy?.kind === 'team' ? 'r.team' : 'sg.seg';
    const g = grouping(ctx, segment, ['r.metric', 'r.scale', 'r.score']);
    return `WITH ${periodsCte(ctx)}, ${segmentsCte(ctx)}
    SELECT ${g.select}, COUNT(*) AS answers
    FROM responses r LEFT JOIN segments sg ON sg.account_id = r.account_id
    ${periodOf(ctx, 'r.submitted_at')}
    GROUP BY ${g.groupBy}`;
  },
  apply: (target, row) => {
    const metric = String(row.metric);
    const key = `${num(row.scale)}:${num(row.score)}`;
    const counts = target.scores[metric] ?? {};
    counts[key] = (counts[key] ?? 0) + num(row.answers);
    target.scores[metric] = counts;
  },
};
