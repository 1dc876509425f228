// What drilling into each KPI lists: for every id of the catalogue, the rows that make its number in one
// period (their columns, their order, and how the KPI follows from them), or why it cannot be drilled.

import type { DrillScope } from './drill-down-sql.js';
import * as q from './drill-down-sql.js';

/** How a cell is shown: text, a number, an instant (ISO-8601) or a yes/no flag. */
export type CellType = 'text' | 'number' | 'instant' | 'flag';

export interface DrillDown {
  /** The population, shared by KPIs that count the same rows. */
  kind: string;
  columns: readonly (readonly [name: string, type: CellType])[];
  /** The type of `sort_value` (for the cursor), and its direction; ties go by row key. */
  sort: { type: 'text' | 'timestamp' | 'decimal' | 'integer' | 'double'; descending: boolean };
  /** One line: how the KPI's value follows from the rows. */
  explains: string;
  /** CTEs ending in drill_rows(row_key, sort_value, …columns). */
  sql(scope: DrillScope): string[];
  /** The value events of the report must be given (TTFV). */
  needsValueEvents?: boolean;
}

export interface NotDrillable {
  reason: string;
}

const ACCOUNT = [
  ['account_id', 'text'],
  ['account_name', 'text'],
  ['segment', 'text'],
] as const;
const STATE = [...ACCOUNT, ['mrr_start', 'number'], ['mrr_end', 'number']] as const;

const activeAccounts = (explains: string): DrillDown => ({
  kind: 'active_accounts',
  columns: [...STATE, ['change', 'number'], ['movements', 'text']],
  sort: { type: 'decimal', descending: true },
  explains,
  sql: q.activeAccountsSql,
});

const startCustomers = (explains: string): DrillDown => ({
  kind: 'start_customers',
  columns: [...STATE, ['retained_mrr', 'number'], ['change', 'number'], ['still_active', 'flag']],
  sort: { type: 'decimal', descending: true },
  explains,
  sql: q.startCustomersSql,
});

const MOVEMENT_COLUMNS = [
  ...ACCOUNT,
  ['effective_at', 'instant'],
  ['movement', 'text'],
  ['old_mrr', 'number'],
  ['new_mrr', 'number'],
  ['amount', 'number'],
] as const;

const movements = (kind: string, id: string): DrillDown => ({
  kind: `${kind}_movements`,
  columns: MOVEMENT_COLUMNS,
  sort: { type: 'timestamp', descending: false },
  explains: `${id} = Σ amount (a positive magnitude) of the ${kind} movements listed`,
  sql: q.movementsSql([kind], false),
});

const movementAccounts = (kind: string, id: string): DrillDown => ({
  kind: `${kind}_accounts`,
  columns: [...ACCOUNT, ['first_at', 'instant'], ['movements', 'number'], ['amount', 'number']],
  sort: { type: 'timestamp', descending: false },
  explains: `${id} = number of rows: accounts with at least one ${kind} movement in the period`,
  sql: q.movementAccountsSql(kind),
});

const answers = (metric: 'nps' | 'csat' | 'ces' | 'fcr', extra: DrillDown['columns'], explains: string) =>
  ({
    kind: `${metric}_answers`,
    columns: [
      ['response_id', 'text'],
      ['submitted_at', 'instant'],
      ['account_id', 'text'],
      ['account_name', 'text'],
      ['segment', 'text'],
      ['score', 'number'],
      ...extra,
      ['comment', 'text'],
      ['locale', 'text'],
    ],
    sort: { type: 'timestamp', descending: true },
    explains,
    sql: q.answersSql(metric),
  }) satisfies DrillDown;

const npsAnswers = (explains: string) => answers('nps', [['category', 'text']], explains);
const csatAnswers = (explains: string) => answers('csat', [['satisfied', 'flag']], explains);
const cesAnswers = (explains: string) =>
  answers(
    'ces',
    [
      ['scale', 'number'],
      ['score_7', 'number'],
      ['high_effort', 'flag'],
    ],
    explains,
  );

const health = (atRisk: boolean, explains: string): DrillDown => ({
  kind: atRisk ? 'at_risk_accounts' : 'health_accounts',
  columns: [
    ...ACCOUNT,
    ['health_score', 'number'],
    ['health_band', 'text'],
    ['usage_trend', 'number'],
    ['satisfaction', 'number'],
    ['support_load', 'number'],
    ['revenue_trend', 'number'],
    ['pending_cancellation', 'number'],
  ],
  sort: { type: 'double', descending: false },
  explains,
  sql: q.healthSql(atRisk),
});

const ttfv = (window: boolean, explains: string): DrillDown => ({
  kind: window ? 'ttfv_window_accounts' : 'ttfv_reached_accounts',
  columns: [
    ...ACCOUNT,
    ['created_at', 'instant'],
    ['first_value_at', 'instant'],
    window ? ['reached_in_window', 'flag'] : ['days_to_value', 'number'],
  ],
  sort: window ? { type: 'timestamp', descending: false } : { type: 'double', descending: false },
  explains,
  sql: q.ttfvSql(window),
  needsValueEvents: true,
});

/** Every KPI id of the catalogue: its drill-down, or why it has none (catalogue.test-style check in the tests). */
export const DRILL_DOWNS: Readonly<Record<string, DrillDown | NotDrillable>> = {
  mrr: activeAccounts('mrr = Σ mrr_end of the accounts listed (accounts with MRR > 0 at the end)'),
  active_customers: activeAccounts('active_customers = number of rows'),
  arpa: activeAccounts('arpa = Σ mrr_end ÷ number of rows'),
  new_mrr: movements('new', 'new_mrr'),
  reactivation_mrr: movements('reactivation', 'reactivation_mrr'),
  expansion_mrr: movements('expansion', 'expansion_mrr'),
  contraction_mrr: movements('contraction', 'contraction_mrr'),
  churned_mrr: movements('churn', 'churned_mrr'),
  net_new_mrr: {
    kind: 'all_movements',
    columns: MOVEMENT_COLUMNS,
    sort: { type: 'timestamp', descending: false },
    explains: 'net_new_mrr = Σ amount (new − old MRR, signed) of the movements listed',
    sql: q.movementsSql(['new', 'reactivation', 'expansion', 'contraction', 'churn'], true),
  },
  nrr: startCustomers('nrr = Σ mrr_end ÷ Σ mrr_start × 100 over the accounts listed (active at the start)'),
  grr: startCustomers('grr = Σ retained_mrr ÷ Σ mrr_start × 100, retained_mrr = min(mrr_start, mrr_end)'),
  expansion_revenue: {
    kind: 'expansion_revenue',
    columns: [['source', 'text'], ...ACCOUNT, ['at', 'instant'], ['reference', 'text'], ['amount', 'number']],
    sort: { type: 'timestamp', descending: false },
    explains:
      'expansion_revenue = Σ amount: expansion movements and one-time payments by accounts active before paying',
    sql: q.expansionRevenueSql,
  },
  crr: startCustomers('crr = rows with still_active = yes ÷ number of rows × 100'),
  new_customers: movementAccounts('new', 'new_customers'),
  reactivated_customers: movementAccounts('reactivation', 'reactivated_customers'),
  churned_customers: movementAccounts('churn', 'churned_customers'),
  churn_rate: {
    kind: 'churn',
    columns: [...STATE, ['active_at_start', 'flag'], ['churned', 'flag']],
    sort: { type: 'decimal', descending: true },
    explains: 'churn_rate = rows with churned = yes ÷ rows with active_at_start = yes × 100',
    sql: q.churnSql,
  },
  pending_churn_customers: {
    kind: 'pending_cancellations',
    columns: [...ACCOUNT, ['requested_at', 'instant'], ['ends_at', 'instant'], ['mrr_end', 'number']],
    sort: { type: 'timestamp', descending: false },
    explains:
      'pending_churn_customers = number of rows (earliest request and end of each account’s open cancellations)',
    sql: q.pendingCancellationsSql,
  },
  renewal_rate: {
    kind: 'renewals',
    columns: [...ACCOUNT, ['due_at', 'instant'], ['outcome', 'text']],
    sort: { type: 'timestamp', descending: false },
    explains:
      'renewal_rate = rows with outcome renewed ÷ number of rows × 100 (pending renewals are not listed)',
    sql: q.renewalsSql,
  },
  clv: {
    reason:
      'clv is a formula of arpa and churn_rate (arpa × gross_margin ÷ monthly churn); drill into arpa or churn_rate',
  },
  clv_historical: {
    kind: 'account_value',
    columns: [
      ...ACCOUNT,
      ['created_at', 'instant'],
      ['payments', 'number'],
      ['costs', 'number'],
      ['net', 'number'],
    ],
    sort: { type: 'decimal', descending: true },
    explains: 'clv_historical = mean of net (payments − attributed costs before the end) over the rows',
    sql: q.historySql,
  },
  cac: {
    kind: 'acquisition',
    columns: [['source', 'text'], ...ACCOUNT, ['at', 'instant'], ['amount', 'number']],
    sort: { type: 'timestamp', descending: false },
    explains: 'cac = Σ amount of acquisition_cost rows ÷ number of new_customer rows',
    sql: q.acquisitionSql,
  },
  ltv_cac_ratio: {
    reason: 'ltv_cac_ratio is clv ÷ cac, a ratio of formulas; drill into arpa, churn_rate or cac',
  },
  ttfv_median_days: ttfv(false, 'ttfv_median_days = median of days_to_value over the rows'),
  ttfv_reached_pct: ttfv(true, 'ttfv_reached_pct = rows with reached_in_window = yes ÷ number of rows × 100'),
  nps: npsAnswers('nps = % of promoter rows − % of detractor rows'),
  nps_responses: npsAnswers('nps_responses = number of rows'),
  enps: {
    reason:
      'employee answers are anonymous (KPI-SPEC §5) and are never listed; eNPS by team comes from ' +
      'GET /api/v1/report?segment_by=team, which suppresses groups under the minimum',
  },
  csat: csatAnswers('csat = rows with satisfied = yes ÷ number of rows × 100'),
  csat_mean: csatAnswers('csat_mean = mean score of the rows'),
  ces: cesAnswers('ces = mean score_7 of the rows (1 = very easy)'),
  ces_high_effort_pct: cesAnswers('ces_high_effort_pct = rows with high_effort = yes ÷ number of rows × 100'),
  fcr_perceived: answers(
    'fcr',
    [['resolved', 'flag']],
    'fcr_perceived = rows with resolved = yes ÷ number of rows × 100',
  ),
  fcr: {
    kind: 'tickets',
    columns: [
      ['ticket_id', 'text'],
      ['opened_at', 'instant'],
      ['account_id', 'text'],
      ['account_name', 'text'],
      ['segment', 'text'],
      ['channel', 'text'],
      ['contacts', 'number'],
      ['resolved_at', 'instant'],
      ['first_contact', 'flag'],
    ],
    sort: { type: 'timestamp', descending: true },
    explains: 'fcr = rows with first_contact = yes ÷ number of rows × 100 (abandoned tickets are not listed)',
    sql: q.ticketsSql,
  },
  health_mean: health(false, 'health_mean = mean health_score of the rows (accounts active at the end)'),
  at_risk_customers: health(true, 'at_risk_customers = number of rows (health_score below 40)'),
};

export function isDrillable(entry: DrillDown | NotDrillable): entry is DrillDown {
  return 'sql' in entry;
}
