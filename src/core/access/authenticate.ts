import type { Repositories } from '../ports.js';
import type { Principal } from './principal.js';
import { BEARER_TOKEN_KINDS, digestsEqual, hashTokenSecret } from './tokens.js';

/**
 * One user credential, as each dialect carries it: a Kommo bearer token, the secret of a Bitrix24
 * inbound webhook (bound to its user id), or the password of HTTP Basic auth (bound to the login, in any letter case).
 */
export type Credential =
  | { kind: 'bearer'; secret: string }
  | { kind: 'webhook'; userId: number; secret: string }
  | { kind: 'basic'; login: string; secret: string };

/** Recording every use would turn each read into a write; a minute's precision is enough. */
const LAST_USED_PRECISION_SECONDS = 60;

export async function authenticate(repos: Repositories, credential: Credential, now: number): Promise<Principal | null> {
  const digest = hashTokenSecret(credential.secret);
  const found = await repos.tokens.findCredential(digest);
  if (!found || !digestsEqual(found.token.tokenHash, digest)) return null;
  const { token, user } = found;
  if (token.revokedAt !== null || (token.expiresAt !== null && token.expiresAt <= now)) return null;
  if (!BEARER_TOKEN_KINDS.includes(token.kind)) return null;
  if (!user.isActive) return null;
  if (credential.kind === 'webhook' && credential.userId !== user.id) return null;
  if (credential.kind === 'basic' && credential.login.toLowerCase() !== user.login.toLowerCase()) return null;

  if (token.lastUsedAt === null || now - token.lastUsedAt >= LAST_USED_PRECISION_SECONDS) {
    await repos.tokens.touch(token.accountId, token.id, now);
  }
  return { accountId: user.accountId, userId: user.id, role: user.role, rights: user.rights, tokenId: token.id };
}
