// Sends what is due: webhook deliveries and queued e-mails, each retried on failure after 1 min, 5 min,
// 30 min, 2 h and 12 h, then given up. The server calls deliverDue periodically for each workspace.
//
// An attempt is claimed before it is made: one short write counts it and schedules the next attempt, so two
// overlapping calls never send the same row twice at once, and a crash mid-attempt is retried on schedule
// (receivers see at least one delivery; they deduplicate by the Fidelio-Delivery header). The network is never
// used inside a transaction.
import type { Row, Store } from '../store/store.js';
import type { Mailer } from '../surveys/mailer.js';
import { type PostOutcome, postToTarget } from './http-post.js';
import { SIGNATURE_HEADER, signWebhookBody } from './signature.js';
import { type LookupAll, resolveTarget, TargetRefused } from './target-guard.js';
import { timestampParam } from './webhooks.js';

/** After failed attempt n (from 1), the next waits RETRY_DELAYS_MS[n - 1]; after the last there is none. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Rows claimed per call, and attempts in flight at once. */
const BATCH = 100;
const PARALLEL = 8;
const MAX_ERROR_LENGTH = 500;

/** Runs `work` in one transaction on the workspace's writing connection. */
export type Write = <T>(work: (store: Store) => Promise<T>) => Promise<T>;

export interface DeliverOptions {
  /** Sends the queued e-mails; without one they wait in the outbox. */
  mailer?: Mailer | null;
  /** How writes reach the store (the server passes its commit queue); default: a transaction on `store`. */
  write?: Write;
  /** Resolves webhook hosts (tests inject one); default: the system's resolver. */
  lookup?: LookupAll;
  timeoutMs?: number;
}

export interface AttemptCounts {
  /** Accepted: a 2xx answer, or the SMTP server took the message. */
  sent: number;
  /** Failed attempts that will be retried. */
  failed: number;
  /** Failed last attempts: nothing more will be tried. */
  gaveUp: number;
}

export interface DeliveryCounts {
  webhooks: AttemptCounts;
  emails: AttemptCounts;
}

/**
 * Attempts every webhook delivery and (given a mailer) every e-mail due at `now`, up to 100 of each per call,
 * and records each outcome. Reads `store` to see whether anything is due, so an idle call writes nothing.
 */
export async function deliverDue(
  store: Store,
  now: Date,
  options: DeliverOptions = {},
): Promise<DeliveryCounts> {
  const write: Write = options.write ?? ((work) => store.transaction(() => work(store)));
  const mailer = options.mailer ?? null;
  const at = timestampParam(now);
  const [due] = await store.query(
    `SELECT (SELECT count(*) FROM webhook_deliveries d JOIN webhooks w ON w.webhook_id = d.webhook_id
             WHERE w.active AND d.delivered_at IS NULL AND d.next_attempt_at <= CAST($1 AS TIMESTAMP)) AS hooks,
            (SELECT count(*) FROM alert_emails
             WHERE sent_at IS NULL AND next_attempt_at <= CAST($1 AS TIMESTAMP)) AS mails`,
    [at],
  );
  const hooksDue = Number(due?.hooks) > 0;
  const mailsDue = mailer !== null && Number(due?.mails) > 0;
  if (!hooksDue && !mailsDue) return { webhooks: noCounts(), emails: noCounts() };

  const claimed = await write(async (w) => ({
    hooks: hooksDue
      ? await claim(
          w,
          'webhook_deliveries',
          'delivery_id',
          `SELECT d.delivery_id, d.event, d.payload, d.attempts, w.url, w.secret, w.allow_private
           FROM webhook_deliveries d JOIN webhooks w ON w.webhook_id = d.webhook_id
           WHERE w.active AND d.delivered_at IS NULL AND d.next_attempt_at <= CAST($1 AS TIMESTAMP)
           ORDER BY d.next_attempt_at, d.delivery_id LIMIT ${BATCH}`,
          now,
        )
      : [],
    mails: mailsDue
      ? await claim(
          w,
          'alert_emails',
          'email_id',
          `SELECT email_id, recipient, subject, text, html, attempts FROM alert_emails
           WHERE sent_at IS NULL AND next_attempt_at <= CAST($1 AS TIMESTAMP)
           ORDER BY next_attempt_at, email_id LIMIT ${BATCH}`,
          now,
        )
      : [],
  }));

  const [hookOutcomes, mailOutcomes] = await Promise.all([
    inParallel(claimed.hooks, (row) => attemptWebhook(row, now, options)),
    inParallel(claimed.mails, (row) => attemptEmail(row, mailer!)),
  ]);

  await write(async (w) => {
    for (const [i, row] of claimed.hooks.entries()) {
      const { status, error } = hookOutcomes[i]!;
      if (error === null) {
        await w.run(
          `UPDATE webhook_deliveries SET last_status = $2, last_error = NULL, next_attempt_at = NULL,
             delivered_at = CAST($3 AS TIMESTAMP) WHERE delivery_id = $1`,
          [row.delivery_id, status, at],
        );
      } else {
        await w.run(
          'UPDATE webhook_deliveries SET last_status = $2, last_error = $3 WHERE delivery_id = $1',
          [row.delivery_id, status, error],
        );
      }
    }
    for (const [i, row] of claimed.mails.entries()) {
      const { error } = mailOutcomes[i]!;
      if (error === null) {
        await w.run(
          `UPDATE alert_emails SET last_error = NULL, next_attempt_at = NULL, sent_at = CAST($2 AS TIMESTAMP)
           WHERE email_id = $1`,
          [row.email_id, at],
        );
      } else {
        await w.run('UPDATE alert_emails SET last_error = $2 WHERE email_id = $1', [row.email_id, error]);
      }
    }
  });
  return { webhooks: tally(claimed.hooks, hookOutcomes), emails: tally(claimed.mails, mailOutcomes) };
}

/** When the attempt after failed attempt `attempts` is due; null after the last one. */
function nextAttemptAt(attempts: number, now: Date): Date | null {
  const delay = RETRY_DELAYS_MS[attempts - 1];
  return delay === undefined ? null : new Date(now.getTime() + delay);
}

/** Selects due rows and counts their attempt, scheduling the next one as if this one will fail. */
async function claim(store: Store, table: string, id: string, select: string, now: Date): Promise<Row[]> {
  const rows = await store.query(select, [timestampParam(now)]);
  for (const row of rows) {
    row.attempts = Number(row.attempts) + 1;
    const next = nextAttemptAt(row.attempts as number, now);
    await store.run(
      `UPDATE ${table} SET attempts = $2, next_attempt_at = CAST($3 AS TIMESTAMP) WHERE ${id} = $1`,
      [row[id], row.attempts, next && timestampParam(next)],
    );
  }
  return rows;
}

async function attemptWebhook(row: Row, now: Date, options: DeliverOptions): Promise<PostOutcome> {
  const payload = String(row.payload);
  let target: Awaited<ReturnType<typeof resolveTarget>>;
  try {
    // Checked again at every attempt: the host's DNS may have changed since the webhook was created.
    target = await resolveTarget(String(row.url), {
      allowPrivate: Boolean(row.allow_private),
      lookup: options.lookup,
    });
  } catch (error) {
    return { status: null, error: `${error instanceof TargetRefused ? 'refused: ' : ''}${messageOf(error)}` };
  }
  const outcome = await postToTarget(
    target,
    payload,
    {
      'content-type': 'application/json',
      'user-agent': 'Fidelio-Webhooks/1',
      'fidelio-event': String(row.event),
      'fidelio-delivery': String(row.delivery_id),
      [SIGNATURE_HEADER.toLowerCase()]: signWebhookBody(
        payload,
        String(row.secret),
        Math.floor(now.getTime() / 1000),
      ),
    },
    options.timeoutMs ?? WEBHOOK_TIMEOUT_MS,
  );
  return { status: outcome.status, error: outcome.error?.slice(0, MAX_ERROR_LENGTH) ?? null };
}

async function attemptEmail(row: Row, mailer: Mailer): Promise<PostOutcome> {
  try {
    await mailer.send({
      to: String(row.recipient),
      subject: String(row.subject),
      text: String(row.text),
      html: String(row.html),
    });
    return { status: null, error: null };
  } catch (error) {
    return { status: null, error: messageOf(error) };
  }
}

const messageOf = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH);

async function inParallel<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
  return results;
}

const noCounts = (): AttemptCounts => ({ sent: 0, failed: 0, gaveUp: 0 });

function tally(rows: readonly Row[], outcomes: readonly PostOutcome[]): AttemptCounts {
  const counts = noCounts();
  for (const [i, row] of rows.entries()) {
    if (outcomes[i]!.error === null) counts.sent += 1;
    else if (Number(row.attempts) >= MAX_ATTEMPTS) counts.gaveUp += 1;
    else counts.failed += 1;
  }
  return counts;
}
