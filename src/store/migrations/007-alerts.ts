// Migration 7: outgoing notifications (issue 5, "close the loop"). E-mails wait in an outbox written in the
// same transaction as what they announce, and go out after commit with retries, as webhook deliveries do.

export const sql = `
CREATE TABLE alert_emails (
  email_id VARCHAR PRIMARY KEY,
  recipient VARCHAR NOT NULL,
  subject VARCHAR NOT NULL,
  text VARCHAR NOT NULL,
  html VARCHAR NOT NULL,
  attempts INTEGER NOT NULL,
  last_error VARCHAR,
  next_attempt_at TIMESTAMP,
  sent_at TIMESTAMP,
  created_at TIMESTAMP NOT NULL
);
`;
