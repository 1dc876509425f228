// Outgoing webhooks in the store: subscriptions (URL, events, secret) and one delivery row per event and
// subscription, written in the transaction that produced the event and sent later by deliverDue.
import { randomBytes } from 'node:crypto';
import type { Row, Store } from '../store/store.js';
import { newWebhookSecret } from './signature.js';

export const WEBHOOK_EVENTS = ['followup.created'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface Webhook {
  webhook_id: string;
  url: string;
  events: WebhookEvent[];
  allow_private: boolean;
  created_at: string;
}

/** `delivered`; `pending` (another attempt is scheduled); `failed` (every attempt failed). */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  delivery_id: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
  created_at: string;
}

/** A timestamp as a bound parameter (read with CAST(… AS TIMESTAMP), as UTC). */
export const timestampParam = (instant: Date) => instant.toISOString().replace('T', ' ').replace('Z', '');

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : null);

function webhookOf(row: Row): Webhook {
  return {
    webhook_id: String(row.webhook_id),
    url: String(row.url),
    events: JSON.parse(String(row.events)) as WebhookEvent[],
    allow_private: Boolean(row.allow_private),
    created_at: iso(row.created_at)!,
  };
}

/**
 * Stores a webhook and returns it with its new secret (shown only this once). The URL must have been checked
 * with resolveTarget first; deliveries check it again, as its DNS may change.
 */
export async function createWebhook(
  store: Store,
  input: { url: string; events: readonly WebhookEvent[]; allow_private: boolean },
  now: Date,
): Promise<Webhook & { secret: string }> {
  const webhook: Webhook = {
    webhook_id: `whk_${randomBytes(6).toString('hex')}`,
    url: input.url,
    events: [...new Set(input.events)],
    allow_private: input.allow_private,
    created_at: now.toISOString(),
  };
  const secret = newWebhookSecret();
  await store.run(
    `INSERT INTO webhooks (webhook_id, url, secret, events, allow_private, active, created_at)
     VALUES ($1, $2, $3, $4, $5, true, CAST($6 AS TIMESTAMP))`,
    [
      webhook.webhook_id,
      webhook.url,
      secret,
      JSON.stringify(webhook.events),
      webhook.allow_private,
      timestampParam(now),
    ],
  );
  return { ...webhook, secret };
}

/** The active webhooks, oldest first; never their secrets. */
export async function listWebhooks(store: Store): Promise<Webhook[]> {
  const rows = await store.query(
    'SELECT webhook_id, url, events, allow_private, created_at FROM webhooks WHERE active ORDER BY created_at, webhook_id',
  );
  return rows.map(webhookOf);
}

/** Deletes a webhook and its deliveries (sent or not); false when there is no such webhook. */
export async function deleteWebhook(store: Store, webhookId: string): Promise<boolean> {
  const found = await store.query('SELECT 1 FROM webhooks WHERE webhook_id = $1 AND active', [webhookId]);
  if (found.length === 0) return false;
  await store.run('DELETE FROM webhook_deliveries WHERE webhook_id = $1', [webhookId]);
  await store.run('DELETE FROM webhooks WHERE webhook_id = $1', [webhookId]);
  return true;
}

/** A webhook's deliveries, newest first; null when there is no such webhook. */
export async function listDeliveries(
  store: Store,
  webhookId: string,
  page: { limit: number; offset: number },
): Promise<{ items: WebhookDelivery[]; total: number } | null> {
  const found = await store.query('SELECT 1 FROM webhooks WHERE webhook_id = $1 AND active', [webhookId]);
  if (found.length === 0) return null;
  const [count] = await store.query('SELECT count(*) AS n FROM webhook_deliveries WHERE webhook_id = $1', [
    webhookId,
  ]);
  const rows = await store.query(
    `SELECT delivery_id, event, attempts, last_status, last_error, next_attempt_at, delivered_at, created_at
     FROM webhook_deliveries WHERE webhook_id = $1
     ORDER BY created_at DESC, delivery_id LIMIT $2 OFFSET $3`,
    [webhookId, page.limit, page.offset],
  );
  const items = rows.map((row) => {
    const delivered = iso(row.delivered_at);
    const next = iso(row.next_attempt_at);
    return {
      delivery_id: String(row.delivery_id),
      event: String(row.event),
      status: delivered ? 'delivered' : next ? 'pending' : 'failed',
      attempts: Number(row.attempts),
      last_status: row.last_status === null ? null : Number(row.last_status),
      last_error: row.last_error === null ? null : String(row.last_error),
      next_attempt_at: next,
      delivered_at: delivered,
      created_at: iso(row.created_at)!,
    } satisfies WebhookDelivery;
  });
  return { items, total: Number(count?.n ?? 0) };
}

/**
 * Queues `event` for every active webhook subscribed to it, due at once; call it inside the transaction that
 * makes the event true. The body each receiver gets: {id, type, created_at, data}. Returns how many.
 */
export async function enqueueEvent(
  store: Store,
  event: WebhookEvent,
  data: unknown,
  now: Date,
): Promise<number> {
  const hooks = (await store.query('SELECT webhook_id, events FROM webhooks WHERE active')).filter((row) =>
    (JSON.parse(String(row.events)) as string[]).includes(event),
  );
  for (const hook of hooks) {
    const id = `evt_${randomBytes(9).toString('hex')}`;
    const payload = JSON.stringify({ id, type: event, created_at: now.toISOString(), data });
    await store.run(
      `INSERT INTO webhook_deliveries (delivery_id, webhook_id, event, payload, attempts, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, 0, CAST($5 AS TIMESTAMP), CAST($5 AS TIMESTAMP))`,
      [id, String(hook.webhook_id), event, payload, timestampParam(now)],
    );
  }
  return hooks.length;
}
