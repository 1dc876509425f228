// The JSON shapes of the API routes the dashboard reads (see src/server/routes/*.ts and docs/api.md).

export type Unit = 'currency' | 'percent' | 'count' | 'days' | 'score' | 'ratio';
export type Better = 'higher' | 'lower' | 'neutral';
export type Family = 'revenue' | 'retention' | 'value' | 'satisfaction' | 'support' | 'health';
export type PeriodKind = 'day' | 'week' | 'month' | 'quarter' | 'year';

export const FAMILIES: readonly Family[] = [
  'revenue',
  'retention',
  'value',
  'satisfaction',
  'support',
  'health',
];
export const PERIOD_KINDS: readonly PeriodKind[] = ['day', 'week', 'month', 'quarter', 'year'];

/** GET /api/v1/session and POST /api/v1/session. */
export interface Session {
  email: string;
  workspace: string;
  role: string;
  scopes: string[];
  csrf_token: string;
  demo: boolean;
}

/** One entry of GET /api/v1/kpis. */
export interface KpiInfo {
  id: string;
  family: Family;
  label: string;
  unit: Unit;
  better: Better;
  formula: string;
}

export interface ReportRow {
  start: string;
  end: string;
  segment: string | null;
  kpis: Record<string, number | null>;
  suppressed: string[];
}

/** GET /api/v1/report. `currency` is read when the server adds it (the store's one currency). */
export interface Report {
  as_of: string;
  period: PeriodKind;
  rows: ReportRow[];
  currency?: string | null;
}

/** GET /api/v1/targets (one per KPI that has one). */
export interface Target {
  kpi: string;
  op: '>=' | '<=';
  value: number;
}

/** GET /api/v1/kpis/{id}/rows: the rows behind one number of one period, generic columns, paged. */
export interface DrillRows {
  kpi?: string;
  start?: string;
  end?: string;
  segment?: string | null;
  /** How the KPI follows from the rows. */
  explains?: string;
  columns: string[];
  rows: (string | number | null)[][];
  total: number;
  next?: string | null;
}

/** GET /api/v1/cohorts. */
export interface Cohorts {
  basis: 'logo' | 'revenue';
  as_of: string;
  cohorts: { cohort: string; size: number; values: (number | null)[] }[];
}

/** GET /api/v1/score-distribution. */
export interface ScoreDistribution {
  metric: string;
  total: number;
  scales: { scale: string; total: number; counts: { score: number; count: number }[] }[];
}

export type HealthBand = 'healthy' | 'neutral' | 'at_risk';

export interface AccountItem {
  account_id: string;
  name: string | null;
  segment: string | null;
  country: string | null;
  created_at: string;
  mrr: number;
  status: 'active' | 'churned' | 'never';
  last_nps: number | null;
  last_nps_at: string | null;
  pending_cancellation: boolean;
  cancellation_ends_at: string | null;
  health_score: number | null;
  health_band: HealthBand | null;
  attributes: Record<string, string | null>;
}

export interface Page<T> {
  items: T[];
  total: number;
  next: string | null;
}

export interface AccountsPage extends Page<AccountItem> {
  as_of: string;
}

export type Metric = 'nps' | 'csat' | 'ces' | 'fcr' | 'enps';

export interface ResponseItem {
  response_id: string;
  submitted_at: string;
  metric: Metric;
  score: number;
  scale: number | null;
  account_id: string | null;
  account_name: string | null;
  segment: string | null;
  respondent_id: string | null;
  comment: string | null;
  locale: string | null;
}

interface Bounded<T> {
  total: number;
  items: T[];
}

export interface MrrChange {
  effective_at: string;
  mrr: number;
  previous_mrr: number;
  movement: string;
}

export interface Ticket {
  ticket_id: string;
  opened_at: string;
  resolved_at: string | null;
  contacts: number;
  channel: string | null;
  abandoned: boolean | null;
}

export interface HistoryPoint {
  month: string;
  end: string;
  mrr: number;
  health_score: number | null;
  health_band: HealthBand | null;
  components: Record<string, number> | null;
}

/** GET /api/v1/accounts/{id}. */
export interface AccountPage {
  as_of: string;
  account: AccountItem;
  mrr_changes: Bounded<MrrChange>;
  cancellations: Bounded<{ requested_at: string; ends_at: string; pending: boolean }>;
  renewals: Bounded<{ due_at: string; outcome: string }>;
  responses: Bounded<ResponseItem>;
  tickets: Bounded<Ticket>;
  usage: {
    weeks: { week_start: string; events: number }[];
    first_events: { event: string; first_at: string }[];
  };
  history: HistoryPoint[];
}
