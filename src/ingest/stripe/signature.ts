// Verifies the `Stripe-Signature` header of a webhook request (HMAC-SHA256 over `${t}.${body}`).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { FidelioError } from '../../domain/errors.js';

/** Stripe's default tolerance: a signed timestamp older than this many seconds is a possible replay. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * How far in the future a signed timestamp may lie. Stripe signs at sending time, so a timestamp ahead
 * of our clock is only clock skew; 5 s absorbs an NTP-synchronised clock, more suggests a forged or
 * mis-set clock.
 */
export const FUTURE_SKEW_SECONDS = 5;

const SIGNATURE_HEX = /^[0-9a-f]{64}$/i;

interface ParsedHeader {
  timestamp: number;
  v1: string[];
}

function reject(code: string, message: string): never {
  throw new FidelioError('unauthorized', code, message);
}

function parseHeader(header: string): ParsedHeader {
  let timestamp: number | null = null;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0)
      reject('stripe_signature_malformed', `Stripe-Signature part "${part.trim()}" is not key=value`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d+$/.test(value))
        reject('stripe_signature_malformed', 'Stripe-Signature t= is not a unix time');
      timestamp = Number(value);
    } else if (key === 'v1') {
      v1.push(value);
    }
    // v0 (test-mode legacy scheme) and unknown schemes are ignored, as Stripe's own libraries do.
  }
  if (timestamp === null) reject('stripe_signature_malformed', 'Stripe-Signature has no t= timestamp');
  return { timestamp, v1 };
}

function expectedSignature(rawBody: string | Buffer, secret: string, timestamp: number): Buffer {
  // The body is hashed as received: a Buffer is never decoded, so no byte can change on the way.
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/**
 * Throws FidelioError('unauthorized') unless `header` carries a v1 signature of `rawBody` made with
 * `secret` at a time within `toleranceSeconds` before `now` (and at most FUTURE_SKEW_SECONDS after it).
 * `rawBody` must be the request body exactly as received, before any JSON parsing.
 * @example verifyStripeSignature(body, req.headers['stripe-signature'], workspace.stripeSecret);
 */
export function verifyStripeSignature(
  rawBody: string | Buffer,
  header: string | undefined,
  secret: string,
  now: Date = new Date(),
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): void {
  // An empty key would accept signatures anyone can compute: fail closed.
  if (secret === '') reject('stripe_secret_missing', 'no Stripe webhook signing secret is configured');
  if (header === undefined || header.trim() === '') {
    reject('stripe_signature_missing', 'the Stripe-Signature header is missing');
  }
  const { timestamp, v1 } = parseHeader(header);
  if (v1.length === 0) reject('stripe_signature_no_v1', 'Stripe-Signature has no v1= signature');
  const expected = expectedSignature(rawBody, secret, timestamp);
  const matches = v1.some(
    (candidate) => SIGNATURE_HEX.test(candidate) && timingSafeEqual(Buffer.from(candidate, 'hex'), expected),
  );
  if (!matches) {
    reject(
      'stripe_signature_mismatch',
      'no v1 signature matches the body and the signing secret (wrong secret, or a body changed in transit)',
    );
  }
  const age = Math.floor(now.getTime() / 1000) - timestamp;
  if (age > toleranceSeconds) {
    reject(
      'stripe_signature_expired',
      `the signed timestamp is ${age} s old, more than ${toleranceSeconds} s`,
    );
  }
  if (-age > FUTURE_SKEW_SECONDS) {
    reject(
      'stripe_signature_future',
      `the signed timestamp is ${-age} s in the future, more than ${FUTURE_SKEW_SECONDS} s of clock skew`,
    );
  }
}

/**
 * The `Stripe-Signature` header value Stripe would send for `rawBody` signed at `timestamp` (unix seconds).
 * For tests and the benchmark.
 * @example signStripePayload('{"id":"evt_1"}', 'whsec_test', 1745433962) // 't=1745433962,v1=…'
 */
export function signStripePayload(rawBody: string | Buffer, secret: string, timestamp: number): string {
  return `t=${timestamp},v1=${expectedSignature(rawBody, secret, timestamp).toString('hex')}`;
}
