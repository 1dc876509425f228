import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDbStore } from '../store/duckdb-store.js';
import {
  anonymousNonce,
  anonymousToken,
  ensureTokenSecret,
  newTokenKey,
  nonceOf,
  personalToken,
  tokenHash,
  tokenSecret,
  verifyToken,
} from './tokens.js';

const secret = Buffer.alloc(32, 7);
const otherSecret = Buffer.alloc(32, 8);

/** The token with one character of part `part` changed. */
function altered(token: string, part: number): string {
  const parts = token.split('.');
  const text = parts[part]!;
  parts[part] = (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
  return parts.join('.');
}

describe('personal tokens', () => {
  it('name their invitation and carry a 22-character MAC', () => {
    const token = personalToken(secret, 'inv_0123abcd');
    expect(token).toMatch(/^inv_0123abcd\.[A-Za-z0-9_-]{22}$/);
    expect(verifyToken(secret, token)).toEqual({ kind: 'personal', invitationId: 'inv_0123abcd' });
  });

  it('are refused when altered, signed by another workspace, or malformed', () => {
    const token = personalToken(secret, 'inv_0123abcd');
    expect(verifyToken(secret, altered(token, 0))).toBeNull();
    expect(verifyToken(secret, altered(token, 1))).toBeNull();
    expect(verifyToken(otherSecret, token)).toBeNull();
    // The MAC of one invitation does not open another.
    expect(verifyToken(secret, `inv_other.${token.split('.')[1]}`)).toBeNull();
    for (const bad of ['', 'inv_1', 'inv_1.', `${token}.`, `${token}x`, 'a.b.c.d', '../etc.passwd']) {
      expect(verifyToken(secret, bad)).toBeNull();
    }
  });
});

describe('anonymous tokens', () => {
  const key = newTokenKey();

  it('are the same for a contact within a wave (reminders recompute them) and differ between contacts', () => {
    const first = anonymousToken(secret, 'wav_1', key, 'emp-1');
    expect(anonymousToken(secret, 'wav_1', key, 'emp-1')).toBe(first);
    expect(anonymousToken(secret, 'wav_1', key, 'emp-2')).not.toBe(first);
    expect(verifyToken(secret, first)).toEqual({ kind: 'anonymous', waveId: 'wav_1' });
    expect(nonceOf(first)).toBe(anonymousNonce(key, 'emp-1'));
  });

  it('carry nothing of the contact: without the wave key the nonce cannot be recomputed', () => {
    const token = anonymousToken(secret, 'wav_1', key, 'emp-1');
    expect(token).not.toContain('emp-1');
    // Another key (a new wave, or a guess) gives another nonce for the same contact.
    expect(anonymousNonce(newTokenKey(), 'emp-1')).not.toBe(nonceOf(token));
  });

  it('are refused when the nonce, the wave or the MAC is changed', () => {
    const token = anonymousToken(secret, 'wav_1', key, 'emp-1');
    for (const part of [0, 1, 2]) expect(verifyToken(secret, altered(token, part))).toBeNull();
    expect(verifyToken(otherSecret, token)).toBeNull();
  });

  it('are kept only as their SHA-256 digest', () => {
    const token = anonymousToken(secret, 'wav_1', key, 'emp-1');
    expect(tokenHash(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(tokenHash(token)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the workspace secret', () => {
  const stores: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const store of stores) await store.close();
  });

  it('is created on first use and then stays the same', async () => {
    const store = await openDuckDbStore(':memory:');
    stores.push(store);
    expect(await tokenSecret(store)).toBeNull();
    const created = await ensureTokenSecret(store);
    expect(created).toHaveLength(32);
    expect(await ensureTokenSecret(store)).toEqual(created);
    expect(await tokenSecret(store)).toEqual(created);
  });
});
