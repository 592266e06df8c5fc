import { randomUUID } from 'node:crypto';
import type { Repositories } from '../ports.js';
import { digestsEqual, generateTokenSecret, hashTokenSecret, type StoredToken } from './tokens.js';
import type { Integration, NewIntegration, StoredIntegration } from './oauth-model.js';

/** Kommo's lifetimes: a code for 20 minutes, an access token for 24 hours, a refresh token for 3 months. */
export const AUTHORIZATION_CODE_LIFETIME = 20 * 60;
export const ACCESS_TOKEN_LIFETIME = 24 * 60 * 60;
export const REFRESH_TOKEN_LIFETIME = 90 * 24 * 60 * 60;

/**
 * Why a grant was refused. The dialect decides the status and the wording of each; `revoked` is a
 * refresh token that was consumed, revoked or has expired.
 */
export type OAuthFailure = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'revoked';

export class OAuthError extends Error {
  constructor(
    readonly failure: OAuthFailure,
    readonly hint: string,
  ) {
    super(hint);
    this.name = 'OAuthError';
  }
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  serverTime: number;
}

/** What a client sends to the token endpoint, whichever grant it asks for. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  redirectUri: string | undefined;
}

export function isRedirectUri(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hash === '';
  } catch {
    return false;
  }
}

/** Registers an integration; its client secret is returned this once and only its digest is kept. */
export async function registerIntegration(
  repos: Repositories,
  accountId: number,
  input: NewIntegration,
  now: number,
): Promise<{ integration: Integration; clientSecret: string }> {
  const clientSecret = generateTokenSecret();
  const integration = await repos.integrations.create(
    accountId,
    { ...input, clientId: randomUUID(), secretHash: hashTokenSecret(clientSecret) },
    now,
  );
  return { integration, clientSecret };
}

/** Revokes an integration and every token granted to it. */
export async function revokeIntegration(repos: Repositories, accountId: number, integrationId: number, now: number): Promise<boolean> {
  const revoked = await repos.integrations.revoke(accountId, integrationId, now);
  if (revoked) await repos.tokens.revokeByIntegration(accountId, integrationId, now);
  return revoked;
}

/** The account's integrations that have not been revoked. */
export async function activeIntegrations(repos: Repositories, accountId: number): Promise<Integration[]> {
  return (await repos.integrations.list(accountId)).filter((integration) => integration.revokedAt === null);
}

/** One active integration of the account, or null when it is unknown or revoked. */
export async function activeIntegration(repos: Repositories, accountId: number, integrationId: number): Promise<Integration | null> {
  const integration = await repos.integrations.get(accountId, integrationId);
  return integration && integration.revokedAt === null ? integration : null;
}

/** An active integration by its public client id, or null. */
export async function findActiveIntegration(repos: Repositories, clientId: string): Promise<Integration | null> {
  const integration = await repos.integrations.findByClientId(clientId);
  return integration && integration.revokedAt === null ? withoutSecret(integration) : null;
}

/** The code a user's consent produces; the integration exchanges it for tokens within 20 minutes. */
export async function issueAuthorizationCode(repos: Repositories, integration: Integration, userId: number, now: number): Promise<string> {
  const code = generateTokenSecret();
  await repos.authorizationCodes.create(
    integration.accountId,
    { integrationId: integration.id, userId, codeHash: hashTokenSecret(code), expiresAt: now + AUTHORIZATION_CODE_LIFETIME },
    now,
  );
  return code;
}

/** The `authorization_code` grant: a code is good once, for its integration, before it expires. */
export async function exchangeAuthorizationCode(
  repos: Repositories,
  client: ClientCredentials,
  code: string,
  now: number,
): Promise<TokenPair> {
  const integration = await authenticateClient(repos, client);
  const stored = await repos.authorizationCodes.findByHash(integration.accountId, hashTokenSecret(code));
  if (!stored || stored.integrationId !== integration.id) throw new OAuthError('invalid_grant', 'Cannot decrypt the authorization code');
  if (stored.expiresAt <= now) throw new OAuthError('invalid_grant', 'Authorization code has expired');
  if (stored.usedAt !== null || !(await repos.authorizationCodes.markUsed(integration.accountId, stored.id, now))) {
    throw new OAuthError('invalid_grant', 'Authorization code has been revoked');
  }
  await assertUserActive(repos, integration.accountId, stored.userId);
  return issueTokenPair(repos, integration, stored.userId, null, now);
}

/**
 * The `refresh_token` grant rotates: each use issues a new pair. The used token stays valid until
 * its successor is used once, so a client that lost the answer to a refresh can simply repeat it;
 * using the successor revokes it, and a token used again after that is refused as revoked.
 */
export async function refreshTokenPair(
  repos: Repositories,
  client: ClientCredentials,
  refreshToken: string,
  now: number,
): Promise<TokenPair> {
  const integration = await authenticateClient(repos, client);
  const digest = hashTokenSecret(refreshToken);
  const stored = await repos.tokens.findByHash(digest);
  if (!stored || !digestsEqual(stored.tokenHash, digest) || !isRefreshTokenOf(stored, integration)) {
    throw new OAuthError('revoked', 'Token has been revoked');
  }
  if (stored.revokedAt !== null) throw new OAuthError('revoked', 'Token has been revoked');
  if (stored.expiresAt !== null && stored.expiresAt <= now) throw new OAuthError('revoked', 'Token has expired');
  await assertUserActive(repos, integration.accountId, stored.userId);
  if (stored.rotatedFromId !== null) await repos.tokens.revoke(integration.accountId, stored.rotatedFromId, now);
  // A repeated refresh replaces the successor an earlier attempt issued: one live chain per grant.
  await repos.tokens.revokeSuccessors(integration.accountId, stored.id, now);
  return issueTokenPair(repos, integration, stored.userId, stored.id, now);
}

function isRefreshTokenOf(token: StoredToken, integration: Integration): boolean {
  return token.kind === 'oauth_refresh' && token.accountId === integration.accountId && token.integrationId === integration.id;
}

async function authenticateClient(repos: Repositories, client: ClientCredentials): Promise<Integration> {
  const integration = await repos.integrations.findByClientId(client.clientId);
  if (!integration || integration.revokedAt !== null || !digestsEqual(integration.secretHash, hashTokenSecret(client.clientSecret))) {
    throw new OAuthError('invalid_client', 'Client authentication failed');
  }
  if (client.redirectUri !== undefined && client.redirectUri !== integration.redirectUri) {
    throw new OAuthError('invalid_request', 'The redirect_uri does not match the integration');
  }
  return withoutSecret(integration);
}

async function assertUserActive(repos: Repositories, accountId: number, userId: number): Promise<void> {
  const user = await repos.users.get(accountId, userId);
  if (!user || !user.isActive) throw new OAuthError('invalid_grant', 'The user who granted access is no longer active');
}

async function issueTokenPair(
  repos: Repositories,
  integration: Integration,
  userId: number,
  rotatedFromId: number | null,
  now: number,
): Promise<TokenPair> {
  const accessToken = generateTokenSecret();
  const refreshToken = generateTokenSecret();
  const common = { userId, name: integration.name, integrationId: integration.id };
  await repos.tokens.create(
    integration.accountId,
    { ...common, kind: 'oauth_access', tokenHash: hashTokenSecret(accessToken), expiresAt: now + ACCESS_TOKEN_LIFETIME },
    now,
  );
  await repos.tokens.create(
    integration.accountId,
    { ...common, kind: 'oauth_refresh', tokenHash: hashTokenSecret(refreshToken), expiresAt: now + REFRESH_TOKEN_LIFETIME, rotatedFromId },
    now,
  );
  return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_LIFETIME, serverTime: now };
}

export function withoutSecret({ secretHash: _secret, ...integration }: StoredIntegration): Integration {
  return integration;
}
