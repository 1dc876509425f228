// 95 % intervals of a report row (an extension of KPI-SPEC §6): NPS by a seeded multinomial bootstrap, CSAT, CRR
// and churn rate by Wilson on the counts their KPIs use. Never eNPS (employee answers are suppressed instead).
import { wilsonInterval } from '../../domain/confidence-intervals.js';
import type { RowAggregates, ScoreCounts } from '../../kpi/aggregates.js';
import { npsBootstrap } from './bootstrap.js';

/** The KPIs that get an interval with `--ci`. */
export const CI_KPIS = ['nps', 'csat', 'crr', 'churn_rate'] as const;
export type CiKpi = (typeof CI_KPIS)[number];

/**
 * One KPI's 95 % interval: low and high (null when undefined), n the sample it rests on (answers or accounts
 * active at start), and whether n reaches the configured minimum sample.
 */
export interface CiEntry {
  low: number | null;
  high: number | null;
  n: number;
  enough: boolean;
}

export type RowCi = Record<CiKpi, CiEntry>;

function scoreCount(scores: ScoreCounts, metric: string, counts: (score: number) => boolean): number {
  return Object.entries(scores[metric] ?? {}).reduce((sum, [key, count]) => {
    const score = Number(key.split(':')[1]);
    return counts(score) ? sum + count : sum;
  }, 0);
}

function wilson(successes: number, n: number, minimum: number): CiEntry {
  const valid = n > 0 && successes >= 0 && successes <= n;
  const e = valid ? wilsonInterval(successes, n) : { low: null, high: null };
  return { low: e.low, high: e.high, n, enough: n >= minimum };
}

/** The intervals of one row from its aggregates; `minimum` is the smallest sample called enough. */
export function rowIntervals(a: RowAggregates, minimum: number): RowCi {
  const promoters = scoreCount(a.scores, 'nps', (s) => s >= 9);
  const detractors = scoreCount(a.scores, 'nps', (s) => s <= 6);
  const passives = scoreCount(a.scores, 'nps', (s) => s === 7 || s === 8);
  const answers = promoters + passives + detractors;
  const nps = npsBootstrap(promoters, passives, detractors);
  const csatAnswers = scoreCount(a.scores, 'csat', () => true);
  const satisfied = scoreCount(a.scores, 'csat', (s) => s >= 4);
  const s = a.subscription;
  return {
    nps: { low: nps?.low ?? null, high: nps?.high ?? null, n: answers, enough: answers >= minimum },
    csat: wilson(satisfied, csatAnswers, minimum),
    // CRR = (E − N) ÷ S; churn_rate = churned ÷ S, no interval when customers who joined and left push it past S.
    crr: wilson(s.activeEnd - s.joined, s.activeStart, minimum),
    churn_rate: wilson(s.churnedCustomers, s.activeStart, minimum),
  };
}
