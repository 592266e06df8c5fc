import { hashPassword } from '../../src/core/access/passwords.js';
import { uniformRights, type Rights } from '../../src/core/access/rights.js';
import { generateTokenSecret, hashTokenSecret } from '../../src/core/access/tokens.js';
import type { User } from '../../src/core/accounts/model.js';
import type { TestApp } from './app.js';

export interface TestUser {
  user: User;
  password: string;
  auth: { authorization: string };
}

/** A user with a password and an API token, in the demo account unless told otherwise. */
export async function createUser(
  test: TestApp,
  options: { login: string; role?: 'admin' | 'user'; rights?: Rights; accountId?: number },
): Promise<TestUser> {
  const accountId = options.accountId ?? 1;
  const now = Math.floor(Date.now() / 1000);
  const user = await test.store.repos.users.create(
    accountId,
    {
      name: options.login,
      email: `${options.login}@example.test`,
      login: options.login,
      role: options.role ?? 'user',
      rights: options.rights ?? uniformRights('all'),
    },
    now,
  );
  const password = `pw-${options.login}-correct-horse`;
  await test.store.repos.users.setPasswordHash(accountId, user.id, await hashPassword(password), now);
  const secret = generateTokenSecret();
  await test.store.repos.tokens.create(
    accountId,
    { userId: user.id, name: 'test', kind: 'api', tokenHash: hashTokenSecret(secret), expiresAt: null },
    now,
  );
  return { user, password, auth: { authorization: `Bearer ${secret}` } };
}

/** Signs in through the form and returns the session cookie as a `cookie` header. */
export async function signInCookie(test: TestApp, subdomain: string, login: string, password: string): Promise<{ cookie: string }> {
  const response = await test.app.inject({
    method: 'POST',
    url: '/oauth/login',
    payload: new URLSearchParams({ account: subdomain, login, password, return_to: '/oauth/login' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const cookie = response.cookies.find((candidate) => candidate.name === 'fieldwork_session');
  if (response.statusCode !== 303 || !cookie) throw new Error(`sign-in failed with ${response.statusCode}: ${response.body}`);
  return { cookie: `fieldwork_session=${cookie.value}` };
}

export interface TestIntegration {
  id: number;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export async function createIntegration(test: TestApp, auth = test.auth, redirectUri = 'https://integration.example.test/callback'): Promise<TestIntegration> {
  const response = await test.app.inject({
    method: 'POST',
    url: '/api/v4/integrations',
    headers: auth,
    payload: { name: 'Test integration', redirect_uri: redirectUri },
  });
  if (response.statusCode !== 201) throw new Error(`integration create failed with ${response.statusCode}: ${response.body}`);
  const body = response.json() as { id: number; client_id: string; client_secret: string };
  return { id: body.id, clientId: body.client_id, clientSecret: body.client_secret, redirectUri };
}

/** Runs the consent flow as a signed-in user and returns the redirect's query parameters. */
export async function consent(
  test: TestApp,
  session: { cookie: string },
  clientId: string,
  decision: 'allow' | 'deny' = 'allow',
  state = 'state-123',
): Promise<URLSearchParams> {
  const page = await test.app.inject({ method: 'GET', url: `/oauth?client_id=${clientId}&state=${state}`, headers: session });
  const csrf = /name="csrf" value="([0-9a-f]{64})"/.exec(page.body)?.[1];
  if (page.statusCode !== 200 || !csrf) throw new Error(`consent page failed with ${page.statusCode}: ${page.body}`);
  const response = await test.app.inject({
    method: 'POST',
    url: '/oauth',
    headers: { ...session, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ client_id: clientId, state, csrf, decision }).toString(),
  });
  if (response.statusCode !== 303) throw new Error(`consent failed with ${response.statusCode}: ${response.body}`);
  return new URL(String(response.headers.location)).searchParams;
}

/** The whole grant: an integration of the demo account approved by its admin, exchanged for tokens. */
export async function grantTokens(test: TestApp, integration: TestIntegration, session: { cookie: string }) {
  const code = (await consent(test, session, integration.clientId)).get('code') ?? '';
  const response = await test.app.inject({
    method: 'POST',
    url: '/oauth2/access_token',
    payload: {
      client_id: integration.clientId,
      client_secret: integration.clientSecret,
      grant_type: 'authorization_code',
      code,
      redirect_uri: integration.redirectUri,
    },
  });
  if (response.statusCode !== 200) throw new Error(`token exchange failed with ${response.statusCode}: ${response.body}`);
  return response.json() as { access_token: string; refresh_token: string };
}
