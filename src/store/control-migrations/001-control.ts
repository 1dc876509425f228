// Control migration 1: workspaces, people, their access, and the secrets that prove it (only hashes are kept).

export const sql = `
CREATE TABLE workspaces (
  id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL UNIQUE,
  schema_name VARCHAR NOT NULL UNIQUE,
  is_demo BOOLEAN NOT NULL,
  stripe_secret VARCHAR,
  created_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
  id VARCHAR PRIMARY KEY,
  email VARCHAR NOT NULL UNIQUE,
  password_hash VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL
);

CREATE TABLE memberships (
  user_id VARCHAR NOT NULL,
  workspace_id VARCHAR NOT NULL,
  role VARCHAR NOT NULL,
  PRIMARY KEY (user_id, workspace_id)
);

CREATE TABLE api_keys (
  id VARCHAR PRIMARY KEY,
  workspace_id VARCHAR NOT NULL,
  secret_hash VARCHAR NOT NULL,
  scopes VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL,
  revoked_at TIMESTAMP
);

CREATE TABLE sessions (
  token_hash VARCHAR PRIMARY KEY,
  user_id VARCHAR NOT NULL,
  workspace_id VARCHAR NOT NULL,
  csrf_token VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL,
  expires_at TIMESTAMP NOT NULL
);

-- Every store has this workspace; its data is the main schema, where CLI imports land by default.
INSERT INTO workspaces VALUES ('000000000000', 'default', 'main', false, NULL, now());
`;
