// Migration 2: each active account's health components at every UTC month start, kept current by import,
// so that monthly reports read them instead of recomputing windows over raw facts.

export const sql = `
CREATE TABLE health_snapshots (
  account_id VARCHAR NOT NULL,
  snapshot_at TIMESTAMP NOT NULL,
  usage_trend DOUBLE NOT NULL,
  satisfaction DOUBLE NOT NULL,
  support_load DOUBLE NOT NULL,
  revenue_trend DOUBLE NOT NULL,
  pending_cancellation DOUBLE NOT NULL
);
`;
