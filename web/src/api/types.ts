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

// ---------------------------------------------------------------------------------------------------------
// Surveys (issue 5): src/surveys/survey.ts and questions.ts, src/server/routes/surveys*.ts.

export const SURVEY_LOCALES = ['en', 'it', 'fr', 'ms'] as const;
export type SurveyLocale = (typeof SURVEY_LOCALES)[number];

/** A text in each survey language; English is required, the others fall back to it. */
export type LocalisedText = { en: string } & Partial<Record<Exclude<SurveyLocale, 'en'>, string>>;

const QUESTION_TYPES = [
  'nps',
  'rating',
  'csat',
  'ces',
  'yes_no',
  'single_choice',
  'multiple_choice',
  'text',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const MAX_QUESTIONS = 10;

export interface Question {
  id: string;
  type: QuestionType;
  text: LocalisedText;
  required?: boolean;
  /** The KPI this answer feeds. */
  metric?: Metric;
  /** `ces` only: 5 or 7 points, 1 = very easy. */
  scale?: 5 | 7;
  /** `rating` only: 1 to max. */
  max?: number;
  choices?: { id: string; text: LocalisedText }[];
  /** `text` only: the earlier question whose answer this text explains. */
  comment_for?: string;
  low_label?: LocalisedText;
  high_label?: LocalisedText;
}

export const TEMPLATES = ['nps', 'csat', 'ces', 'fcr', 'enps', 'pulse', 'custom'] as const;
export type Template = (typeof TEMPLATES)[number];
export type Audience = 'customers' | 'employees';
export const CHANNELS = ['email', 'link', 'anonymous_link', 'widget', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];
export type SurveyStatus = 'draft' | 'active' | 'paused' | 'closed';
export const FREQUENCIES = ['once', 'weekly', 'monthly', 'quarterly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** One entry of GET /api/v1/surveys/templates (`{templates: [...]}`); pulse and custom have no questions. */
export interface SurveyTemplate {
  template: Template;
  audience: Audience;
  anonymous: boolean;
  questions: Question[];
}

export interface SurveySchedule {
  frequency: Frequency;
  time_zone: string;
  /** HH:MM in time_zone. */
  time: string;
  /** weekly: 1 = Monday … 7 = Sunday. */
  weekday?: number;
  /** monthly and quarterly: 1–31. */
  day_of_month?: number;
  starts_at: string;
  ends_at?: string;
}

export interface AudienceFilter {
  segments?: string[];
  account_ids?: string[];
  teams?: string[];
}

export interface Reminders {
  count: number;
  after_days: number[];
}

/** A survey as GET /api/v1/surveys and /api/v1/surveys/{id} serve it. */
export interface Survey {
  survey_id: string;
  /** The id in the anonymous link and the widget. */
  public_id: string;
  name: string;
  template: Template;
  audience: Audience;
  /** Employee surveys: answers keep no person. */
  anonymous: boolean;
  default_locale: SurveyLocale;
  questions: Question[];
  channels: Channel[];
  audience_filter: AudienceFilter;
  schedule: SurveySchedule | null;
  reminders: Reminders;
  status: SurveyStatus;
  created_at: string;
  created_by: string | null;
  updated_at: string;
}

/** The body of POST /api/v1/surveys. */
export interface SurveyInput {
  name: string;
  template: Template;
  audience: Audience;
  default_locale: SurveyLocale;
  questions?: Question[];
  ces_scale?: 5 | 7;
  channels: Channel[];
  audience_filter: AudienceFilter;
  schedule?: SurveySchedule;
  reminders: Reminders;
  status: 'draft' | 'active';
}

/** POST /api/v1/surveys/{id}/send. */
export interface SendResult {
  wave_id: string | null;
  /** `link` and `token` are null for anonymous surveys: they would tie the person to their answer. */
  invited: { contact_id: string; invitation_id: string; link: string | null; token: string | null }[];
  not_asked: { contact_id: string; reason: string }[];
  emails_queued: number;
}

/** Why the server withholds a number of employee answers. */
export type WithheldCode =
  | 'small_group'
  | 'complementary'
  | 'period_not_ended'
  | 'not_calendar_period'
  | 'whole_periods_only';

/** A number the server withholds to keep employee answers anonymous: a stable code and the reason in English. */
export interface Suppressed {
  suppressed: true;
  code: WithheldCode;
  reason: string;
}

export function isSuppressed(value: unknown): value is Suppressed {
  return typeof value === 'object' && value !== null && (value as Suppressed).suppressed === true;
}

/** A value, or why the server withholds it (anonymous surveys only). */
export type Shown<T> = T | Suppressed;

/** A KPI of a survey's answers with its 95 % confidence interval. */
export interface SurveyKpi {
  /** The question's metric: nps, enps, csat, ces or fcr. */
  metric: Metric;
  /** The KPI id of the catalogue: nps, enps, csat, csat_mean, ces or fcr_perceived. */
  id: string;
  question_id: string;
  value: number | null;
  ci_low: number | null;
  ci_high: number | null;
  answers: number;
}

/** One question's answers: scales count scores, yes/no counts "true"/"false", choices count choice ids. */
export interface QuestionResult {
  question_id: string;
  type: QuestionType;
  answered: Shown<number>;
  /** Scales: the mean on the question's own scale. */
  mean?: Shown<number | null>;
  /** Absent for text questions. */
  counts?: Shown<{ value: string; count: number }[]>;
}

export interface SurveyComment {
  /** Customer surveys only. */
  answer_id?: string;
  question_id: string;
  text: string;
  score: number | null;
  locale: string | null;
  /** null for anonymous surveys, whose comments carry no time. */
  submitted_at: string | null;
}

/** The numbers of a survey for a range, a period or a team. */
export interface ResultsBlock {
  sent: number;
  /** null per team. */
  opened: number | null;
  started: Shown<number>;
  answered: Shown<number>;
  /** Percent 0–100 of sent; null when nothing was sent. */
  response_rate: Shown<number | null>;
  /** The first of `kpis`; null when no question feeds a KPI. */
  kpi: Shown<SurveyKpi> | null;
  kpis: Shown<SurveyKpi[]>;
  /** Answers per score of the first KPI question. */
  distribution: Shown<{ score: number; count: number }[]>;
  questions: QuestionResult[];
  /** Newest first. */
  comments: Shown<SurveyComment[]>;
}

export interface PeriodResults extends ResultsBlock {
  start: string;
  end: string;
  /** null: the whole company (or every customer). */
  team: string | null;
}

/** GET /api/v1/surveys/{id}/results. */
export interface SurveyResults extends ResultsBlock {
  survey_id: string;
  name: string;
  anonymous: boolean;
  from: string | null;
  to: string | null;
  period: 'month' | 'quarter' | 'year' | null;
  /** Anonymous surveys: groups with fewer answers are withheld. */
  minimum_group: number | null;
  periods: PeriodResults[];
}

export type FollowUpStatus = 'open' | 'in_progress' | 'closed';
export const FOLLOW_UP_STATUSES: readonly FollowUpStatus[] = ['open', 'in_progress', 'closed'];

/** One item of GET /api/v1/follow-ups: a detractor or a low CSAT to call back. */
export interface FollowUp {
  followup_id: string;
  answer_id: string;
  survey_id: string;
  /** null once the survey is gone. */
  survey_name: string | null;
  response_id: string;
  account_id: string | null;
  contact_id: string | null;
  reason: 'detractor' | 'low_csat';
  score: number;
  comment: string | null;
  assignee: string | null;
  status: FollowUpStatus;
  note: string | null;
  created_at: string;
  updated_at: string;
}

/** One row of GET /api/v1/survey-fatigue/audit: whether a person was asked, and why. */
export interface FatigueDecision {
  decided_at: string;
  contact_id: string;
  survey_id: string;
  channel: string;
  asked: boolean;
  reason: string;
}

/** One item of GET /api/v1/contacts. */
export interface Contact {
  contact_id: string;
  kind: 'customer' | 'employee';
  email: string | null;
  name: string | null;
  account_id: string | null;
  locale: string | null;
  team: string | null;
  /** Set when the person unsubscribed from survey e-mails. */
  unsubscribed_at: string | null;
}

/** GET and PUT /api/v1/survey-fatigue/settings: days between two asks, per template (0 = no limit). */
export interface FatigueSettings {
  fatigue_days: Record<Template, number>;
}
export const MAX_FATIGUE_DAYS = 365;

/** GET and PUT /api/v1/follow-up-recipients: who is e-mailed about each new follow-up. */
export interface FollowUpRecipients {
  recipients: string[];
}
export const MAX_FOLLOW_UP_RECIPIENTS = 50;

export const WEBHOOK_EVENTS = ['followup.created'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** One item of GET /api/v1/webhooks (never its secret). */
export interface Webhook {
  webhook_id: string;
  url: string;
  events: WebhookEvent[];
  allow_private: boolean;
  created_at: string;
}

/** POST /api/v1/webhooks: the new webhook with its signing secret, shown in this answer only. */
export interface CreatedWebhook extends Webhook {
  secret: string;
}

/** One item of GET /api/v1/webhooks/{id}/deliveries, newest first. */
export interface WebhookDelivery {
  delivery_id: string;
  event: string;
  /** failed: every attempt failed and none follows. */
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  /** The receiver's HTTP status at the last attempt. */
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
  created_at: string;
}

export interface WebhookDeliveries {
  items: WebhookDelivery[];
  total: number;
}

/** One measure of GET /api/v1/experience: the value with its 95 % interval (docs/experience.md). */
export interface ExperienceMeasure {
  value: number | null;
  low: number | null;
  high: number | null;
  n: number;
  enough: boolean;
}

export interface ExperienceGroup {
  group: string;
  accounts: number;
  mrr_start: number;
  mrr_end: number;
  retention: ExperienceMeasure;
  nrr: ExperienceMeasure;
  expansion: ExperienceMeasure;
  expansion_mrr: ExperienceMeasure;
  clv: ExperienceMeasure;
}

export interface RiskBucket {
  accounts: number;
  mrr: number;
}

export interface Experience {
  from: string;
  to: string;
  months: number;
  currency: string | null;
  gross_margin: number;
  by_nps: ExperienceGroup[];
  by_csat: ExperienceGroup[];
  mrr_at_risk: {
    at: string;
    active: RiskBucket;
    detractors: RiskBucket;
    pending_cancellation: RiskBucket;
    both: RiskBucket;
    either: RiskBucket;
    either_pct: number | null;
  };
}

export interface WhatIfProjection {
  churn_rate: number;
  mrr_churn_rate: number;
  expansion_rate: number;
  points: { month: number; customers: number; mrr: number }[];
  customers: number;
  mrr: number;
  revenue: number;
  clv: number | null;
}

export interface WhatIfDifference {
  customers: number;
  mrr: number;
  revenue: number;
  clv: number | null;
}

/** GET /api/v1/what-if (docs/experience.md). */
export interface WhatIf {
  as_of: string;
  window: { from: string; to: string };
  months: number;
  currency: string | null;
  gross_margin: number;
  change: { churn_delta: number; retention_delta: number; expansion_pct: number };
  segments: {
    segment: string | null;
    rates: Record<string, number>;
    baseline: WhatIfProjection;
    scenario: WhatIfProjection;
    difference: WhatIfDifference;
  }[];
  total: { baseline: WhatIfProjection; scenario: WhatIfProjection; difference: WhatIfDifference };
}

export interface HealthContribution {
  feature: string;
  value: number;
  standardised: number | null;
  coefficient: number | null;
  weight: number | null;
  points: number | null;
  points_lost: number | null;
  contribution: number;
}

/** GET /api/v1/accounts/{id}/health-explanation (docs/health-lab.md). */
export interface HealthExplanation {
  account_id: string;
  at: string;
  model_id: string;
  kind: 'default' | 'logistic';
  score: number;
  band: 'healthy' | 'neutral' | 'at_risk';
  probability: number | null;
  logit: number | null;
  intercept: number | null;
  contributions: HealthContribution[];
}

interface HealthModelEvaluation {
  accounts: number;
  churned: number;
  auc: number | null;
}

/** GET /api/v1/health-models (docs/health-lab.md): the fitted models, the active one, its activations. */
export interface HealthModels {
  active: string;
  models: {
    model_id: string;
    version: number;
    kind: string;
    created_at: string;
    created_by: string | null;
    active: boolean;
    metrics: {
      train: HealthModelEvaluation;
      test: HealthModelEvaluation | null;
      default_model: HealthModelEvaluation | null;
    };
  }[];
  activations: { model_id: string; activated_at: string; activated_by: string | null }[];
}
