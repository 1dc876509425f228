// Random secrets and their stored form: only a SHA-256 digest of a high-entropy secret is ever kept.
import { createHash, randomBytes } from 'node:crypto';

export function newSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

export function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
