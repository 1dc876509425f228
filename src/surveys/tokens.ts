// The tokens in survey links: personal tokens name an invitation; anonymous employee tokens name only a wave and
// a nonce no one can tie to the person once the wave has closed. Both are signed with the workspace's secret.
//
// Personal token:  `<invitation_id>.<mac>`, mac = base64url(HMAC-SHA256(secret, invitation_id))[0, 22)
// Anonymous token: `<wave_id>.<nonce>.<mac>`, nonce = base64url(HMAC-SHA256(wave.token_key, contact_id))[0, 22),
//                  mac = base64url(HMAC-SHA256(secret, `<wave_id>.<nonce>`))[0, 22)
// An anonymous answer keeps only sha256(token) (see docs/surveys.md, "Channels and the respondent page", for the
// threat model: what someone holding the database learns during a wave and after it).
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Store } from '../store/store.js';
import { sameSecret } from '../tenancy/tokens.js';

/** 22 base64url characters: 132 bits of the HMAC. */
const MAC_LENGTH = 22;
const SECRET_KEY = 'token_secret';
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAC = /^[A-Za-z0-9_-]{22}$/;

/** What a token names once its signature checks. */
export type TokenClaim = { kind: 'personal'; invitationId: string } | { kind: 'anonymous'; waveId: string };

function mac(key: Buffer | string, message: string): string {
  return createHmac('sha256', key).update(message).digest('base64url').slice(0, MAC_LENGTH);
}

/** The workspace's signing secret, created (32 random bytes) on first use; call it where writes are allowed. */
export async function ensureTokenSecret(store: Store): Promise<Buffer> {
  const known = await tokenSecret(store);
  if (known) return known;
  await store.run('INSERT INTO survey_settings (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    SECRET_KEY,
    randomBytes(32).toString('base64url'),
  ]);
  return (await tokenSecret(store))!;
}

/** The workspace's signing secret, or null before the first invitation (then no token can be valid). */
export async function tokenSecret(store: Store): Promise<Buffer | null> {
  const rows = await store.query<{ value: string }>('SELECT value FROM survey_settings WHERE key = $1', [
    SECRET_KEY,
  ]);
  return rows[0] ? Buffer.from(rows[0].value, 'base64url') : null;
}

/** @example personalToken(secret, 'inv_3f2a…') // 'inv_3f2a….Xk2…' */
export function personalToken(secret: Buffer, invitationId: string): string {
  return `${invitationId}.${mac(secret, invitationId)}`;
}

/** A new random wave token key (kept in survey_waves.token_key while the wave is open). */
export function newTokenKey(): string {
  return randomBytes(32).toString('base64url');
}

/** The nonce of a contact in a wave: the same for every reminder of the wave, unguessable without the key. */
export function anonymousNonce(tokenKey: string, contactId: string): string {
  return mac(tokenKey, contactId);
}

/** @example anonymousToken(secret, 'wav_1b…', key, 'emp-7') // 'wav_1b….<nonce>.<mac>' */
export function anonymousToken(secret: Buffer, waveId: string, tokenKey: string, contactId: string): string {
  const signed = `${waveId}.${anonymousNonce(tokenKey, contactId)}`;
  return `${signed}.${mac(secret, signed)}`;
}

/** What a token names, or null when it is malformed or its signature does not check (compared in constant time). */
export function verifyToken(secret: Buffer, token: string): TokenClaim | null {
  const parts = token.split('.');
  if (parts.length === 2) {
    const [invitationId, sent] = parts as [string, string];
    if (!ID.test(invitationId) || !MAC.test(sent)) return null;
    return sameSecret(sent, mac(secret, invitationId)) ? { kind: 'personal', invitationId } : null;
  }
  if (parts.length === 3) {
    const [waveId, nonce, sent] = parts as [string, string, string];
    if (!ID.test(waveId) || !MAC.test(nonce) || !MAC.test(sent)) return null;
    return sameSecret(sent, mac(secret, `${waveId}.${nonce}`)) ? { kind: 'anonymous', waveId } : null;
  }
  return null;
}

/** The nonce part of an anonymous token (verify it first). */
export function nonceOf(token: string): string {
  return token.split('.')[1] ?? '';
}

/** What an anonymous answer keeps of its token: sha256 hex, which cannot be turned back into the token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
