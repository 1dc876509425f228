// Migration 5: a target per KPI of the workspace (the dashboard's "are we on target"), set by admins.

export const sql = `
CREATE TABLE kpi_targets (
  kpi VARCHAR PRIMARY KEY,
  op VARCHAR NOT NULL CHECK (op IN ('>=', '<=')),
  value DOUBLE NOT NULL,
  updated_at TIMESTAMP NOT NULL,
  updated_by VARCHAR
);
`;
