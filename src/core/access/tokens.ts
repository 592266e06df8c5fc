import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API tokens are random secrets; only their SHA-256 digest is stored. A fast digest is right here
 * (unlike for passwords) because the secret has 256 bits of entropy and cannot be guessed offline.
 */
export function generateTokenSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two digests in constant time, so response timing never reveals how much of a token matched. */
export function digestsEqual(left: string, right: string): boolean {
  const a = Buffer.from(left, 'hex');
  const b = Buffer.from(right, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `session` is a signed-in browser's cookie; only `api` and `oauth_access` authenticate API calls. */
export type TokenKind = 'api' | 'oauth_access' | 'oauth_refresh' | 'session';

export const BEARER_TOKEN_KINDS: readonly TokenKind[] = ['api', 'oauth_access'];

export interface ApiToken {
  id: number;
  accountId: number;
  userId: number;
  name: string;
  kind: TokenKind;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
  /** The integration an OAuth token was granted to. */
  integrationId: number | null;
  /** The refresh token this one replaced; it stays valid until this one is first used. */
  rotatedFromId: number | null;
}

export interface StoredToken extends ApiToken {
  tokenHash: string;
}
