// Migration 4: what the Stripe webhook has seen — event ids (a redelivery is recognised), every subscription
// state (an account's MRR is re-derived from all of them, so arrival order does not matter), and customers.

export const sql = `
CREATE TABLE stripe_events (
  event_id VARCHAR PRIMARY KEY,
  type VARCHAR NOT NULL,
  received_at TIMESTAMP NOT NULL
);

CREATE TABLE stripe_subscription_states (
  event_id VARCHAR PRIMARY KEY,
  customer_id VARCHAR NOT NULL,
  state VARCHAR NOT NULL
);

CREATE TABLE stripe_customers (
  customer_id VARCHAR PRIMARY KEY,
  seen_at TIMESTAMP NOT NULL
);
`;
