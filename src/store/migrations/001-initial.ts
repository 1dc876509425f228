// Migration 1: the raw tables of KPI-SPEC §2 and the rollups the report reads instead of raw events.
// Timestamps are TIMESTAMP holding UTC; money is DECIMAL(18,4), so sums are exact and the same on every run;
// no indexes on event tables (DuckDB scans, and keys are checked in bulk).

export const sql = `
CREATE TABLE store_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

CREATE TABLE accounts (
  account_id VARCHAR PRIMARY KEY,
  created_at TIMESTAMP NOT NULL,
  name VARCHAR,
  segment VARCHAR,
  country VARCHAR
);

-- Extra columns of accounts.csv, usable with --segment-by.
CREATE TABLE account_attributes (
  account_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  value VARCHAR,
  PRIMARY KEY (account_id, name)
);

CREATE TABLE mrr_changes (
  account_id VARCHAR NOT NULL,
  effective_at TIMESTAMP NOT NULL,
  mrr DECIMAL(18, 4) NOT NULL,
  currency VARCHAR,
  event_id VARCHAR
);

CREATE TABLE cancellations (
  account_id VARCHAR NOT NULL,
  requested_at TIMESTAMP NOT NULL,
  ends_at TIMESTAMP NOT NULL
);

CREATE TABLE payments (
  payment_id VARCHAR NOT NULL,
  account_id VARCHAR NOT NULL,
  paid_at TIMESTAMP NOT NULL,
  amount DECIMAL(18, 4) NOT NULL,
  kind VARCHAR NOT NULL,
  currency VARCHAR
);

CREATE TABLE costs (
  account_id VARCHAR,
  incurred_at TIMESTAMP NOT NULL,
  amount DECIMAL(18, 4) NOT NULL,
  kind VARCHAR NOT NULL
);

CREATE TABLE renewals (
  account_id VARCHAR NOT NULL,
  due_at TIMESTAMP NOT NULL,
  outcome VARCHAR NOT NULL
);

CREATE TABLE responses (
  response_id VARCHAR NOT NULL,
  submitted_at TIMESTAMP NOT NULL,
  metric VARCHAR NOT NULL,
  score INTEGER NOT NULL,
  account_id VARCHAR,
  respondent_id VARCHAR,
  scale INTEGER,
  comment VARCHAR,
  locale VARCHAR,
  team VARCHAR
);

CREATE TABLE tickets (
  ticket_id VARCHAR NOT NULL,
  opened_at TIMESTAMP NOT NULL,
  account_id VARCHAR,
  resolved_at TIMESTAMP,
  contacts INTEGER NOT NULL,
  channel VARCHAR,
  abandoned BOOLEAN
);

CREATE TABLE usage_events (
  account_id VARCHAR NOT NULL,
  occurred_at TIMESTAMP NOT NULL,
  event VARCHAR NOT NULL,
  user_id VARCHAR
);

-- Rollup: every MRR change as a movement of KPI-SPEC §3, with what the report needs to place it in any
-- period without grouping by account: its neighbours' times and the time of the account's previous
-- movement of the same kind.
CREATE TABLE mrr_movements (
  account_id VARCHAR NOT NULL,
  effective_at TIMESTAMP NOT NULL,
  old_mrr DECIMAL(18, 4) NOT NULL,
  new_mrr DECIMAL(18, 4) NOT NULL,
  prev_at TIMESTAMP,
  next_at TIMESTAMP,
  movement VARCHAR NOT NULL,
  prev_same_at TIMESTAMP
);

-- Rollup: each account's first occurrence of each usage event at or after its creation (TTFV).
CREATE TABLE account_first_events (
  account_id VARCHAR NOT NULL,
  event VARCHAR NOT NULL,
  first_at TIMESTAMP NOT NULL
);

-- Rollup: usage events per account and UTC day (health score usage component).
CREATE TABLE usage_daily (
  account_id VARCHAR NOT NULL,
  day DATE NOT NULL,
  events BIGINT NOT NULL
);
`;
