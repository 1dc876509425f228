// Webhook signatures, as Stripe makes them: `Fidelio-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
// "<t>.<body>" keyed with the webhook's secret. The receiver recomputes it and refuses an old t (replays).
import { createHmac, randomBytes } from 'node:crypto';

export const SIGNATURE_HEADER = 'Fidelio-Signature';

/** A new webhook secret, shown once when the webhook is created. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The Fidelio-Signature value of `body` sent at `timestamp` (Unix seconds). */
export function signWebhookBody(body: string, secret: string, timestamp: number): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}
