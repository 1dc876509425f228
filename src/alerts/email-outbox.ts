// The e-mail outbox: notices are written in the transaction that produced them (so none is lost or sent for
// a rolled-back change) and sent after commit by deliverDue, with the webhooks' retry schedule.
import { randomBytes } from 'node:crypto';
import type { Store } from '../store/store.js';
import type { MailMessage } from '../surveys/mailer.js';
import { timestampParam } from './webhooks.js';

/** Queues `message` (its headers are not kept), due at once. */
export async function queueEmail(store: Store, message: MailMessage, now: Date): Promise<void> {
  await store.run(
    `INSERT INTO alert_emails (email_id, recipient, subject, text, html, attempts, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, 0, CAST($6 AS TIMESTAMP), CAST($6 AS TIMESTAMP))`,
    [
      `eml_${randomBytes(9).toString('hex')}`,
      message.to,
      message.subject,
      message.text,
      message.html,
      timestampParam(now),
    ],
  );
}
