// What the dashboard says about a KPI value: its label in the reader's language, why it is null, how it moved
// against the previous period (judged by the KPI's better direction), and whether it meets its target.
import type { TFunction } from 'i18next';
import type { Better, KpiInfo, ReportRow, Target } from './api/types';

/** The KPI's label in the current language; the catalogue's English label when there is no translation. */
export function kpiLabel(t: TFunction, kpi: Pick<KpiInfo, 'id' | 'label'>): string {
  return t(`kpi.${kpi.id}`, { defaultValue: kpi.label });
}

// Why a KPI can be null (docs/metrics.md): the whole it divides by is empty, or the group is suppressed.
const NULL_REASONS: Record<string, string> = {
  crr: 'noStartCustomers',
  churn_rate: 'noStartCustomers',
  nrr: 'noStartRevenue',
  grr: 'noStartRevenue',
  arpa: 'noActiveCustomers',
  health_mean: 'noActiveCustomers',
  renewal_rate: 'noRenewals',
  nps: 'noNpsAnswers',
  enps: 'noEnpsAnswers',
  csat: 'noCsatAnswers',
  csat_mean: 'noCsatAnswers',
  ces: 'noCesAnswers',
  ces_high_effort_pct: 'noCesAnswers',
  fcr_perceived: 'noFcrAnswers',
  fcr: 'noTickets',
  clv: 'clvUndefined',
  clv_historical: 'noAccounts',
  cac: 'noNewCustomers',
  ltv_cac_ratio: 'ratioUndefined',
  ttfv_median_days: 'noValueEvent',
  ttfv_reached_pct: 'noValueEvent',
};

/** The reason shown beside "—" for a KPI's null in a report row (or no row at all). */
export function nullReason(t: TFunction, kpi: string, row: ReportRow | undefined): string {
  if (!row) return t('reason.noPeriod');
  if (row.suppressed.includes(kpi)) return t('reason.suppressed');
  return t(`reason.${NULL_REASONS[kpi] ?? 'undefined'}`);
}

export type Direction = 'up' | 'down' | 'flat';
export type Tone = 'good' | 'bad' | 'neutral';

export interface Change {
  delta: number;
  direction: Direction;
  tone: Tone;
}

/** The change from `previous` to `current`, good or bad by the KPI's better direction; null without both. */
export function changeOf(current: number | null, previous: number | null, better: Better): Change | null {
  if (current === null || previous === null) return null;
  const delta = current - previous;
  // Differences below display precision are no movement.
  const direction: Direction =
    Math.abs(delta) < 1e-9 * Math.max(1, Math.abs(previous)) ? 'flat' : delta > 0 ? 'up' : 'down';
  const tone: Tone =
    direction === 'flat' || better === 'neutral'
      ? 'neutral'
      : (direction === 'up') === (better === 'higher')
        ? 'good'
        : 'bad';
  return { delta, direction, tone };
}

export const ARROWS: Record<Direction, string> = { up: '▲', down: '▼', flat: '▶' };

/** Whether `value` meets the target; null when the value is null. */
export function meetsTarget(value: number | null, target: Target): boolean | null {
  if (value === null) return null;
  return target.op === '>=' ? value >= target.value : value <= target.value;
}

/** ≥ and ≤ for reading. */
export function opSign(op: Target['op']): string {
  return op === '>=' ? '≥' : '≤';
}

/** The rows of one segment (null: the total rows), oldest first. */
export function rowsOf(rows: readonly ReportRow[], segment: string | null): ReportRow[] {
  return rows.filter((r) => r.segment === segment).sort((a, b) => a.start.localeCompare(b.start));
}

/**
 * The index of the period a tile shows: the latest that ended by as_of (complete), else the one in progress
 * at as_of, else the first (a range entirely after the data); -1 without rows.
 */
export function latestCompleteIndex(rows: readonly ReportRow[], asOf: string): number {
  const asOfMs = Date.parse(asOf);
  for (let i = rows.length - 1; i >= 0; i--) {
    if (Date.parse(rows[i]!.end) <= asOfMs) return i;
  }
  for (let i = rows.length - 1; i >= 0; i--) {
    if (Date.parse(rows[i]!.start) <= asOfMs) return i;
  }
  return rows.length > 0 ? 0 : -1;
}
