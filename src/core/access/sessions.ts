import type { Repositories } from '../ports.js';
import type { User } from '../accounts/model.js';
import { digestsEqual, generateTokenSecret, hashTokenSecret } from './tokens.js';
import { hashPassword, verifyPassword } from './passwords.js';

/** A signed-in browser stays signed in for a working week. */
export const SESSION_LIFETIME = 7 * 24 * 60 * 60;

export interface SignIn {
  subdomain: string;
  login: string;
  password: string;
}

/**
 * Checks a user's password and opens a session, whose secret goes into a cookie. A wrong account,
 * login or password are indistinguishable to the caller.
 */
export async function signIn(repos: Repositories, input: SignIn, now: number): Promise<{ user: User; sessionSecret: string } | null> {
  const account = await repos.accounts.findBySubdomain(input.subdomain);
  const found = account ? await repos.users.findByLogin(account.id, input.login) : null;
  // Hash even when there is no such user or password, so timing does not tell which logins exist.
  const valid = await verifyPassword(input.password, found?.passwordHash ?? (await decoyHash()));
  if (!found || !valid || !found.user.isActive) return null;
  const sessionSecret = generateTokenSecret();
  await repos.tokens.create(
    found.user.accountId,
    { userId: found.user.id, name: 'session', kind: 'session', tokenHash: hashTokenSecret(sessionSecret), expiresAt: now + SESSION_LIFETIME },
    now,
  );
  return { user: found.user, sessionSecret };
}

let decoy: Promise<string> | undefined;

function decoyHash(): Promise<string> {
  decoy ??= hashPassword(generateTokenSecret());
  return decoy;
}

export interface Session {
  user: User;
  tokenId: number;
}

export async function resumeSession(repos: Repositories, sessionSecret: string, now: number): Promise<Session | null> {
  const digest = hashTokenSecret(sessionSecret);
  const token = await repos.tokens.findByHash(digest);
  if (!token || !digestsEqual(token.tokenHash, digest) || token.kind !== 'session') return null;
  if (token.revokedAt !== null || (token.expiresAt !== null && token.expiresAt <= now)) return null;
  const user = await repos.users.get(token.accountId, token.userId);
  return user && user.isActive ? { user, tokenId: token.id } : null;
}

/** A form's anti-forgery token, derived from the session so nothing more needs storing. */
export function csrfTokenFor(sessionSecret: string): string {
  return hashTokenSecret(`csrf:${sessionSecret}`);
}

export function isCsrfTokenValid(sessionSecret: string, candidate: string): boolean {
  return /^[0-9a-f]{64}$/.test(candidate) && digestsEqual(csrfTokenFor(sessionSecret), candidate);
}
