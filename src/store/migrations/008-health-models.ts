// Migration 8: the health model lab (issue 6 §2). Every fitted model is kept with its config, coefficients
// and metrics; which model is active is the latest activation, and every activation is kept (who, when).

export const sql = `
CREATE TABLE health_models (
  model_id VARCHAR PRIMARY KEY,
  version INTEGER NOT NULL,
  kind VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL,
  created_by VARCHAR,
  config VARCHAR NOT NULL,
  coefficients VARCHAR NOT NULL,
  metrics VARCHAR NOT NULL
);

CREATE TABLE health_model_activations (
  activated_at TIMESTAMP NOT NULL,
  model_id VARCHAR NOT NULL,
  activated_by VARCHAR
);
`;
