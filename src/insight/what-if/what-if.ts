// Retention what-if (issue 6 §4): project customers, MRR and CLV month by month from the trailing 12 months'
// new business, expansion, contraction and churn rates, per segment, as they are and under a change; the
// difference is money. The formula is in docs/experience.md.
import { FidelioError } from '../../domain/errors.js';
import { mrrAtSelect } from '../../kpi/mrr-at.js';
import type { QueryContext } from '../../kpi/query-context.js';
import { segmentsCte } from '../../kpi/query-context.js';
import { resolveSegmentBy } from '../../kpi/segments.js';
import { latestDataInstant, storeCurrency } from '../../kpi/store-facts.js';
import { type Store, sqlTimestamp } from '../../store/store.js';

export interface WhatIfChange {
  /** Percentage points added to the monthly customer churn rate (−1: 3 % → 2 %). */
  churnDelta: number;
  /** Percentage points of monthly retention: the same as a churn delta of −retentionDelta. */
  retentionDelta: number;
  /** Percent added to the monthly expansion rate (10: 1.0 % → 1.1 %). */
  expansionPct: number;
}

export interface WhatIfRequest {
  months: number;
  asOf?: Date | undefined;
  segmentBy?: string | undefined;
  grossMargin: number;
  change: WhatIfChange;
}

/** The trailing 12 months of one segment, and the monthly rates drawn from them. */
export type Rates = {
  customers_start: number;
  customers_now: number;
  mrr_start: number;
  mrr_now: number;
  new_customers: number;
  new_mrr: number;
  churned_customers: number;
  churned_mrr: number;
  expansion_mrr: number;
  contraction_mrr: number;
  /** Per month: new customers and their MRR (new business and reactivations ÷ 12). */
  new_customers_per_month: number;
  new_mrr_per_month: number;
  /** Monthly fractions: churned customers ÷ 12 ÷ mean customers; MRR flows ÷ 12 ÷ mean MRR. */
  churn_rate: number;
  mrr_churn_rate: number;
  contraction_rate: number;
  expansion_rate: number;
};

export interface MonthPoint {
  month: number;
  customers: number;
  mrr: number;
}

export interface Projection {
  /** Monthly churn and expansion rates the projection uses (after the change, for a scenario). */
  churn_rate: number;
  mrr_churn_rate: number;
  expansion_rate: number;
  points: MonthPoint[];
  customers: number;
  mrr: number;
  /** Σ MRR over the projected months: the subscription revenue of the horizon. */
  revenue: number;
  /** The clv formula at the horizon: MRR ÷ customers × gross_margin ÷ monthly churn; null when undefined. */
  clv: number | null;
}

export interface Difference {
  customers: number;
  mrr: number;
  revenue: number;
  clv: number | null;
}

export interface SegmentWhatIf {
  segment: string | null;
  rates: Rates;
  baseline: Projection;
  scenario: Projection;
  difference: Difference;
}

export interface WhatIf {
  as_of: string;
  window: { from: string; to: string };
  months: number;
  currency: string | null;
  gross_margin: number;
  change: { churn_delta: number; retention_delta: number; expansion_pct: number };
  segments: SegmentWhatIf[];
  total: { baseline: Projection; scenario: Projection; difference: Difference };
}

export const MAX_MONTHS = 36;

/** One row per segment (null: all accounts, or accounts without a value): the window's stocks and flows. */
export function trailingSql(window: { from: Date; to: Date }, segments: string): string {
  const f = sqlTimestamp(window.from);
  const t = sqlTimestamp(window.to);
  const at = (instant: string) => mrrAtSelect(instant, { activeOnly: true });
  const zero = 'CAST(0 AS DECIMAL(18, 4))';
  return `WITH ${segments},
  contributions(account_id, s_count, s_mrr, e_count, e_mrr, new_count, new_mrr, churn_count, churn_mrr,
    expansion_mrr, contraction_mrr) AS (
    SELECT account_id, 1, mrr, 0, ${zero}, 0, ${zero}, 0, ${zero}, ${zero}, ${zero} FROM (${at(f)}) s
    UNION ALL
    SELECT account_id, 0, ${zero}, 1, mrr, 0, ${zero}, 0, ${zero}, ${zero}, ${zero} FROM (${at(t)}) e
    UNION ALL
    SELECT account_id, 0, ${zero}, 0, ${zero},
      CASE WHEN movement IN ('new', 'reactivation') THEN 1 ELSE 0 END,
      CASE WHEN movement IN ('new', 'reactivation') THEN new_mrr ELSE 0 END,
      CASE WHEN movement = 'churn' THEN 1 ELSE 0 END,
      CASE WHEN movement = 'churn' THEN old_mrr ELSE 0 END,
      CASE WHEN movement = 'expansion' THEN new_mrr - old_mrr ELSE 0 END,
      CASE WHEN movement = 'contraction' THEN old_mrr - new_mrr ELSE 0 END
    FROM mrr_movements WHERE effective_at >= ${f} AND effective_at < ${t})
  SELECT sg.seg, SUM(c.s_count) AS s_count, SUM(c.s_mrr) AS s_mrr, SUM(c.e_count) AS e_count,
    SUM(c.e_mrr) AS e_mrr, SUM(c.new_count) AS new_count, SUM(c.new_mrr) AS new_mrr,
    SUM(c.churn_count) AS churn_count, SUM(c.churn_mrr) AS churn_mrr,
    SUM(c.expansion_mrr) AS expansion_mrr, SUM(c.contraction_mrr) AS contraction_mrr
  FROM contributions c LEFT JOIN segments sg ON sg.account_id = c.account_id
  GROUP BY sg.seg
  ORDER BY sg.seg NULLS LAST`;
}

const num = (v: unknown) => Number(v ?? 0);
const perMonth = (flow: number, stock: number) => (stock === 0 ? 0 : flow / 12 / stock);

/** The monthly rates of a segment from its window sums (see docs/experience.md). */
export function ratesOf(row: Record<string, unknown>): Rates {
  const customersStart = num(row.s_count);
  const customersNow = num(row.e_count);
  const mrrStart = num(row.s_mrr);
  const mrrNow = num(row.e_mrr);
  const meanCustomers = (customersStart + customersNow) / 2;
  const meanMrr = (mrrStart + mrrNow) / 2;
  return {
    customers_start: customersStart,
    customers_now: customersNow,
    mrr_start: mrrStart,
    mrr_now: mrrNow,
    new_customers: num(row.new_count),
    new_mrr: num(row.new_mrr),
    churned_customers: num(row.churn_count),
    churned_mrr: num(row.churn_mrr),
    expansion_mrr: num(row.expansion_mrr),
    contraction_mrr: num(row.contraction_mrr),
    new_customers_per_month: num(row.new_count) / 12,
    new_mrr_per_month: num(row.new_mrr) / 12,
    churn_rate: Math.min(1, perMonth(num(row.churn_count), meanCustomers)),
    mrr_churn_rate: Math.min(1, perMonth(num(row.churn_mrr), meanMrr)),
    contraction_rate: perMonth(num(row.contraction_mrr), meanMrr),
    expansion_rate: perMonth(num(row.expansion_mrr), meanMrr),
  };
}

function clvOf(mrr: number, customers: number, churn: number, grossMargin: number): number | null {
  if (customers <= 0 || churn <= 0) return null;
  return ((mrr / customers) * grossMargin) / churn;
}

/**
 * Month by month from now: customers_t = customers_(t−1) × (1 − c) + a and
 * MRR_t = MRR_(t−1) × (1 − c_mrr − r + x) + n, with the change applied to c, c_mrr and x.
 */
export function project(
  rates: Rates,
  months: number,
  grossMargin: number,
  change?: WhatIfChange,
): Projection {
  const delta = change ? (change.churnDelta - change.retentionDelta) / 100 : 0;
  const churn = Math.min(1, Math.max(0, rates.churn_rate + delta));
  // MRR churn moves in proportion to customer churn (the same accounts leave); without churn, by the points.
  const mrrChurn =
    rates.churn_rate > 0
      ? Math.min(1, rates.mrr_churn_rate * (churn / rates.churn_rate))
      : Math.min(1, Math.max(0, rates.mrr_churn_rate + delta));
  const expansion = rates.expansion_rate * (1 + (change?.expansionPct ?? 0) / 100);
  let customers = rates.customers_now;
  let mrr = rates.mrr_now;
  let revenue = 0;
  const points: MonthPoint[] = [];
  for (let month = 1; month <= months; month++) {
    customers = customers * (1 - churn) + rates.new_customers_per_month;
    mrr = Math.max(0, mrr * (1 - mrrChurn - rates.contraction_rate + expansion) + rates.new_mrr_per_month);
    revenue += mrr;
    points.push({ month, customers, mrr });
  }
  return {
    churn_rate: churn,
    mrr_churn_rate: mrrChurn,
    expansion_rate: expansion,
    points,
    customers,
    mrr,
    revenue,
    clv: clvOf(mrr, customers, churn, grossMargin),
  };
}

function difference(baseline: Projection, scenario: Projection): Difference {
  return {
    customers: scenario.customers - baseline.customers,
    mrr: scenario.mrr - baseline.mrr,
    revenue: scenario.revenue - baseline.revenue,
    clv: baseline.clv === null || scenario.clv === null ? null : scenario.clv - baseline.clv,
  };
}

/** The sum of segment projections; its churn is the customer-weighted mean of theirs at the horizon. */
function sumProjections(parts: readonly Projection[], months: number, grossMargin: number): Projection {
  const points = Array.from({ length: months }, (_, i) => ({
    month: i + 1,
    customers: parts.reduce((s, p) => s + p.points[i]!.customers, 0),
    mrr: parts.reduce((s, p) => s + p.points[i]!.mrr, 0),
  }));
  const customers = parts.reduce((s, p) => s + p.customers, 0);
  const mrr = parts.reduce((s, p) => s + p.mrr, 0);
  const weighted = (pick: (p: Projection) => number) =>
    customers === 0 ? 0 : parts.reduce((s, p) => s + pick(p) * p.customers, 0) / customers;
  const churn = weighted((p) => p.churn_rate);
  return {
    churn_rate: churn,
    mrr_churn_rate: weighted((p) => p.mrr_churn_rate),
    expansion_rate: weighted((p) => p.expansion_rate),
    points,
    customers,
    mrr,
    revenue: parts.reduce((s, p) => s + p.revenue, 0),
    clv: clvOf(mrr, customers, churn, grossMargin),
  };
}

/** Twelve calendar months (UTC) before an instant. */
function twelveMonthsBefore(at: Date): Date {
  const d = new Date(at);
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  return d;
}

/** The what-if of a store: rates of the 12 months before as_of, projected `months` ahead, per segment. */
export async function computeWhatIf(store: Store, request: WhatIfRequest): Promise<WhatIf> {
  if (!Number.isInteger(request.months) || request.months < 1 || request.months > MAX_MONTHS)
    throw new FidelioError('usage', 'bad_months', `months must be a whole number from 1 to ${MAX_MONTHS}`);
  for (const [name, value] of Object.entries(request.change))
    if (!Number.isFinite(value)) throw new FidelioError('usage', 'bad_change', `${name} must be a number`);
  const segmentBy = await resolveSegmentBy(store, request.segmentBy);
  if (segmentBy?.kind === 'team')
    throw new FidelioError(
      'usage',
      'team_segment',
      'what-if segments accounts; team is not an account field',
    );
  const asOf = request.asOf ?? (await latestDataInstant(store)) ?? new Date();
  const window = { from: twelveMonthsBefore(asOf), to: asOf };
  const segments = segmentsCte({ segmentBy } as Pick<QueryContext, 'segmentBy'> as QueryContext);
  const rows = await store.query(trailingSql(window, segments));
  const parts = rows
    .map((row) => {
      const rates = ratesOf(row);
      const baseline = project(rates, request.months, request.grossMargin);
      const scenario = project(rates, request.months, request.grossMargin, request.change);
      return {
        segment: segmentBy === null || row.seg === null ? null : String(row.seg),
        rates,
        baseline,
        scenario,
        difference: difference(baseline, scenario),
      };
    })
    .filter((p) => p.rates.customers_now > 0 || p.rates.customers_start > 0 || p.rates.new_customers > 0);
  const baseline = sumProjections(
    parts.map((p) => p.baseline),
    request.months,
    request.grossMargin,
  );
  const scenario = sumProjections(
    parts.map((p) => p.scenario),
    request.months,
    request.grossMargin,
  );
  return {
    as_of: asOf.toISOString(),
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    months: request.months,
    currency: await storeCurrency(store),
    gross_margin: request.grossMargin,
    change: {
      churn_delta: request.change.churnDelta,
      retention_delta: request.change.retentionDelta,
      expansion_pct: request.change.expansionPct,
    },
    segments: parts,
    total: { baseline, scenario, difference: difference(baseline, scenario) },
  };
}
