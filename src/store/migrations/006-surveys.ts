// Migration 6: the surveys Fidelio runs (issue 5): contacts, survey definitions, waves, invitations, answers,
// the fatigue audit, follow-ups and outgoing webhooks. JSON documents are stored as text (both engines read it).
//
// Anonymity: an answer of an anonymous survey keeps no contact, invitation or account; only `token_hash`, a
// one-way hash of the token the person received, which stops a second answer and cannot be joined to them.

export const sql = `
CREATE TABLE contacts (
  contact_id VARCHAR PRIMARY KEY,
  kind VARCHAR NOT NULL CHECK (kind IN ('customer', 'employee')),
  email VARCHAR,
  name VARCHAR,
  account_id VARCHAR,
  locale VARCHAR,
  team VARCHAR,
  unsubscribed_at TIMESTAMP
);

CREATE TABLE surveys (
  survey_id VARCHAR PRIMARY KEY,
  public_id VARCHAR NOT NULL UNIQUE,
  name VARCHAR NOT NULL,
  template VARCHAR NOT NULL,
  audience VARCHAR NOT NULL CHECK (audience IN ('customers', 'employees')),
  anonymous BOOLEAN NOT NULL,
  default_locale VARCHAR NOT NULL,
  questions VARCHAR NOT NULL,
  channels VARCHAR NOT NULL,
  audience_filter VARCHAR NOT NULL,
  schedule VARCHAR,
  reminders VARCHAR NOT NULL,
  status VARCHAR NOT NULL CHECK (status IN ('draft', 'active', 'paused', 'closed')),
  created_at TIMESTAMP NOT NULL,
  created_by VARCHAR,
  updated_at TIMESTAMP NOT NULL
);

CREATE TABLE survey_waves (
  wave_id VARCHAR PRIMARY KEY,
  survey_id VARCHAR NOT NULL,
  scheduled_for TIMESTAMP,
  started_at TIMESTAMP NOT NULL,
  closes_at TIMESTAMP,
  token_key VARCHAR,
  reminders_sent INTEGER NOT NULL DEFAULT 0,
  opened INTEGER NOT NULL DEFAULT 0,
  UNIQUE (survey_id, scheduled_for)
);

CREATE TABLE survey_invitations (
  invitation_id VARCHAR PRIMARY KEY,
  survey_id VARCHAR NOT NULL,
  wave_id VARCHAR,
  contact_id VARCHAR NOT NULL,
  channel VARCHAR NOT NULL,
  context VARCHAR,
  created_at TIMESTAMP NOT NULL,
  sent_at TIMESTAMP,
  opened_at TIMESTAMP,
  reminders_sent INTEGER NOT NULL DEFAULT 0,
  last_reminded_at TIMESTAMP,
  delivery_error VARCHAR
);

CREATE TABLE survey_answers (
  answer_id VARCHAR PRIMARY KEY,
  survey_id VARCHAR NOT NULL,
  wave_id VARCHAR,
  invitation_id VARCHAR UNIQUE,
  token_hash VARCHAR UNIQUE,
  channel VARCHAR NOT NULL,
  account_id VARCHAR,
  contact_id VARCHAR,
  team VARCHAR,
  locale VARCHAR NOT NULL,
  started_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL,
  completed_at TIMESTAMP,
  answers VARCHAR NOT NULL
);

CREATE TABLE survey_anonymous_marks (
  survey_id VARCHAR NOT NULL,
  fingerprint VARCHAR NOT NULL,
  day DATE NOT NULL,
  PRIMARY KEY (survey_id, fingerprint, day)
);

CREATE TABLE survey_fatigue_audit (
  decided_at TIMESTAMP NOT NULL,
  contact_id VARCHAR NOT NULL,
  survey_id VARCHAR NOT NULL,
  channel VARCHAR NOT NULL,
  asked BOOLEAN NOT NULL,
  reason VARCHAR NOT NULL
);

CREATE TABLE survey_settings (
  key VARCHAR PRIMARY KEY,
  value VARCHAR NOT NULL
);

CREATE TABLE followups (
  followup_id VARCHAR PRIMARY KEY,
  answer_id VARCHAR NOT NULL,
  survey_id VARCHAR NOT NULL,
  response_id VARCHAR NOT NULL UNIQUE,
  account_id VARCHAR,
  contact_id VARCHAR,
  reason VARCHAR NOT NULL CHECK (reason IN ('detractor', 'low_csat')),
  score INTEGER NOT NULL,
  comment VARCHAR,
  assignee VARCHAR,
  status VARCHAR NOT NULL CHECK (status IN ('open', 'in_progress', 'closed')),
  note VARCHAR,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);

CREATE TABLE webhooks (
  webhook_id VARCHAR PRIMARY KEY,
  url VARCHAR NOT NULL,
  secret VARCHAR NOT NULL,
  events VARCHAR NOT NULL,
  allow_private BOOLEAN NOT NULL,
  active BOOLEAN NOT NULL,
  created_at TIMESTAMP NOT NULL
);

CREATE TABLE webhook_deliveries (
  delivery_id VARCHAR PRIMARY KEY,
  webhook_id VARCHAR NOT NULL,
  event VARCHAR NOT NULL,
  payload VARCHAR NOT NULL,
  attempts INTEGER NOT NULL,
  last_status INTEGER,
  last_error VARCHAR,
  next_attempt_at TIMESTAMP,
  delivered_at TIMESTAMP,
  created_at TIMESTAMP NOT NULL
);
`;
