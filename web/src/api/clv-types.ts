// The answers of the predictive CLV routes (GET /api/v1/clv, GET /api/v1/accounts/{id}/clv; docs/clv.md).
import type { Page } from './types';

export interface ClvModel {
  bgnbd: { r: number; alpha: number; a: number; b: number; log_likelihood: number; accounts: number };
  gamma_gamma: { p: number; q: number; gamma: number; log_likelihood: number | null; repeat_buyers: number };
}

/** Set instead of the model when too few accounts bought on more than one day to fit it. */
export interface ClvNotEnoughData {
  code: 'too_few_repeat_buyers';
  message: string;
  repeat_buyers: number;
  minimum: number;
}

export interface ClvSettings {
  /** when the fit answered was made (it reflects the data as of then) */
  computed_at: string;
  /** true when the data changed since computed_at: the server refits in the background */
  stale: boolean;
  calibration_end: string;
  horizon_months: number;
  discount_monthly: number;
  time_unit: 'week' | 'day';
  gross_margin: number;
  currency: string | null;
  not_enough_data: ClvNotEnoughData | null;
}

export interface ClvRow {
  account_id: string;
  name: string | null;
  segment: string | null;
  frequency: number;
  recency: number;
  T: number;
  p_alive: number | null;
  expected_purchases: number | null;
  expected_spend: number | null;
  clv: number | null;
}

export interface ClvSummary {
  accounts: number;
  total_clv: number;
  mean_clv: number | null;
  without_clv: number;
  expected_purchases: number;
  likely_lost: number;
  likely_lost_share: number | null;
}

export interface ClvList extends ClvSettings, Page<ClvRow> {
  model: ClvModel | null;
  segment: string | null;
  summary: ClvSummary | null;
  deciles: { decile: number; accounts: number; clv: number; share: number | null }[];
  sort: string;
}

export interface AccountClv extends ClvSettings {
  model: ClvModel | null;
  /** null only when the models cannot be fitted */
  account: ClvRow | null;
}
