// Stripe webhook signatures: what is accepted, and the code each rejection carries.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FidelioError } from '../../domain/errors.js';
import { signStripePayload, verifyStripeSignature } from './signature.js';

const SECRET = 'whsec_test_secret';
const BODY = '{"id":"evt_1","type":"customer.created"}';
const T = 1_745_433_962; // 2025-04-23T18:46:02Z
const NOW = new Date(T * 1000);

function rejection(run: () => void): { kind: string; code: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof FidelioError) return { kind: error.kind, code: error.code };
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('verifyStripeSignature', () => {
  it('accepts a body signed with the secret at the current time', () => {
    expect(() => verifyStripeSignature(BODY, signStripePayload(BODY, SECRET, T), SECRET, NOW)).not.toThrow();
  });

  it('computes the signature Stripe documents: hex HMAC-SHA256 of "<t>.<body>"', () => {
    const hex = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    expect(signStripePayload(BODY, SECRET, T)).toBe(`t=${T},v1=${hex}`);
  });

  it('accepts a Buffer body byte for byte, even when it is not valid UTF-8', () => {
    const body = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    expect(() => verifyStripeSignature(body, signStripePayload(body, SECRET, T), SECRET, NOW)).not.toThrow();
  });

  it('accepts when any one of several v1 signatures matches (secret rotation), ignoring v0', () => {
    const good = signStripePayload(BODY, SECRET, T).split(',')[1];
    const header = `t=${T},v1=${'0'.repeat(64)},v0=abc,${good}`;
    expect(() => verifyStripeSignature(BODY, header, SECRET, NOW)).not.toThrow();
  });

  it('rejects a tampered body', () => {
    const header = signStripePayload(BODY, SECRET, T);
    expect(rejection(() => verifyStripeSignature(`${BODY} `, header, SECRET, NOW))).toEqual({
      kind: 'unauthorized',
      code: 'stripe_signature_mismatch',
    });
  });

  it('rejects a signature made with another secret', () => {
    const header = signStripePayload(BODY, 'whsec_other', T);
    expect(rejection(() => verifyStripeSignature(BODY, header, SECRET, NOW)).code).toBe(
      'stripe_signature_mismatch',
    );
  });

  it('rejects a timestamp changed after signing (it is part of the signed payload)', () => {
    const header = signStripePayload(BODY, SECRET, T).replace(`t=${T}`, `t=${T + 1}`);
    expect(rejection(() => verifyStripeSignature(BODY, header, SECRET, NOW)).code).toBe(
      'stripe_signature_mismatch',
    );
  });

  it('accepts a timestamp exactly 300 s old and rejects one 301 s old', () => {
    const header = signStripePayload(BODY, SECRET, T - 300);
    expect(() => verifyStripeSignature(BODY, header, SECRET, NOW)).not.toThrow();
    const old = signStripePayload(BODY, SECRET, T - 301);
    expect(rejection(() => verifyStripeSignature(BODY, old, SECRET, NOW)).code).toBe(
      'stripe_signature_expired',
    );
  });

  it('honours a custom tolerance', () => {
    const header = signStripePayload(BODY, SECRET, T - 61);
    expect(rejection(() => verifyStripeSignature(BODY, header, SECRET, NOW, 60)).code).toBe(
      'stripe_signature_expired',
    );
  });

  it('allows 5 s of clock skew into the future and rejects 6 s', () => {
    expect(() =>
      verifyStripeSignature(BODY, signStripePayload(BODY, SECRET, T + 5), SECRET, NOW),
    ).not.toThrow();
    const ahead = signStripePayload(BODY, SECRET, T + 6);
    expect(rejection(() => verifyStripeSignature(BODY, ahead, SECRET, NOW)).code).toBe(
      'stripe_signature_future',
    );
  });

  it.each([
    [undefined, 'stripe_signature_missing'],
    ['', 'stripe_signature_missing'],
    ['garbage', 'stripe_signature_malformed'],
    [`v1=${'a'.repeat(64)}`, 'stripe_signature_malformed'],
    [`t=soon,v1=${'a'.repeat(64)}`, 'stripe_signature_malformed'],
    [`t=${T}`, 'stripe_signature_no_v1'],
    [`t=${T},v0=${'a'.repeat(64)}`, 'stripe_signature_no_v1'],
    [`t=${T},v1=not-hex`, 'stripe_signature_mismatch'],
  ])('rejects the header %j with %s', (header, code) => {
    expect(rejection(() => verifyStripeSignature(BODY, header, SECRET, NOW))).toEqual({
      kind: 'unauthorized',
      code,
    });
  });

  it('fails closed when no secret is configured, even for a header signed with the empty secret', () => {
    const header = signStripePayload(BODY, '', T);
    expect(rejection(() => verifyStripeSignature(BODY, header, '', NOW)).code).toBe('stripe_secret_missing');
  });
});
