import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secondAccount, startTestApp, type TestApp } from '../../support/app.js';
import { consent, createIntegration, createUser, grantTokens, signInCookie, type TestIntegration } from '../../support/access.js';

const START = 1_750_000_000;
const REVOKED = {
  hint: 'Token has been revoked',
  title: 'Invalid request',
  type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
  status: 401,
  detail: 'Some parameters are missing from the request or are invalid',
};

describe('Kommo OAuth 2.0', () => {
  let test: TestApp;
  let now = START;
  let integration: TestIntegration;
  let session: { cookie: string };
  let userId: number;

  beforeAll(async () => {
    test = await startTestApp({ clock: () => now });
    const user = await createUser(test, { login: 'grantor' });
    userId = user.user.id;
    integration = await createIntegration(test);
    session = await signInCookie(test, 'demo', 'grantor', user.password);
  });
  afterAll(() => test.close());

  const exchange = (payload: Record<string, string>) =>
    test.app.inject({ method: 'POST', url: '/oauth2/access_token', payload });
  const codeGrant = (code: string) =>
    exchange({ client_id: integration.clientId, client_secret: integration.clientSecret, grant_type: 'authorization_code', code, redirect_uri: integration.redirectUri });
  const refreshGrant = (refreshToken: string) =>
    exchange({ client_id: integration.clientId, client_secret: integration.clientSecret, grant_type: 'refresh_token', refresh_token: refreshToken, redirect_uri: integration.redirectUri });
  const account = (accessToken: string) =>
    test.app.inject({ method: 'GET', url: '/api/v4/account', headers: { authorization: `Bearer ${accessToken}` } });

  it('sends a visitor without a session from the consent page to sign-in, and back afterwards', async () => {
    const url = `/oauth?client_id=${integration.clientId}&state=xyz`;
    const response = await test.app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/oauth/login?${new URLSearchParams({ return_to: url, account: 'demo' }).toString()}`);
  });

  it('answers the consent page for an unknown client_id with 400', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/oauth?client_id=nope&state=1', headers: session });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('No active integration has this client_id.');
  });

  it('shows a signed-in user the consent page naming the integration, unframeable', async () => {
    const response = await test.app.inject({ method: 'GET', url: `/oauth?client_id=${integration.clientId}&state=1`, headers: session });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.body).toContain('Allow Test integration?');
  });

  it('redirects an approval to the redirect_uri with code, state, referer and client_id', async () => {
    const params = await consent(test, session, integration.clientId, 'allow', 'my-state');
    expect([...params.keys()]).toEqual(['code', 'state', 'referer', 'client_id']);
    expect(params.get('code')).toMatch(/^[\w-]{43}$/);
    expect(params.get('state')).toBe('my-state');
    expect(params.get('referer')).toBe('demo.localhost:80');
    expect(params.get('client_id')).toBe(integration.clientId);
  });

  it('redirects a decline with error=access_denied, client_id and state', async () => {
    const params = await consent(test, session, integration.clientId, 'deny', 'my-state');
    expect(params.toString()).toBe(new URLSearchParams({ error: 'access_denied', client_id: integration.clientId, state: 'my-state' }).toString());
  });

  it('refuses a consent form without the session\'s anti-forgery token', async () => {
    const response = await test.app.inject({
      method: 'POST',
      url: '/oauth',
      headers: { ...session, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ client_id: integration.clientId, state: 's', csrf: '0'.repeat(64), decision: 'allow' }).toString(),
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers.location).toBeUndefined();
  });

  it('refuses consent by a user of another account', async () => {
    const other = await secondAccount(test, 'oauth-other');
    const stranger = await createUser(test, { login: 'stranger', accountId: other.account.id });
    const strangerSession = await signInCookie(test, 'oauth-other', 'stranger', stranger.password);
    const response = await test.app.inject({ method: 'GET', url: `/oauth?client_id=${integration.clientId}&state=1`, headers: strangerSession });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('This integration belongs to another account.');
  });

  it('exchanges a code for Kommo\'s token answer', async () => {
    const code = (await consent(test, session, integration.clientId)).get('code') ?? '';
    const response = await codeGrant(code);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({
      token_type: 'Bearer',
      expires_in: 86400,
      server_time: now,
      access_token: expect.stringMatching(/^[\w-]{43}$/),
      refresh_token: expect.stringMatching(/^[\w-]{43}$/),
    });
  });

  it('accepts the token request as an urlencoded form too', async () => {
    const code = (await consent(test, session, integration.clientId)).get('code') ?? '';
    const response = await test.app.inject({
      method: 'POST',
      url: '/oauth2/access_token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        client_id: integration.clientId,
        client_secret: integration.clientSecret,
        grant_type: 'authorization_code',
        code,
        redirect_uri: integration.redirectUri,
      }).toString(),
    });
    expect(response.statusCode).toBe(200);
  });

  it('lets an access token call the API as the user who approved', async () => {
    const tokens = await grantTokens(test, integration, session);
    const response = await account(tokens.access_token);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: 1, current_user_id: userId });
  });

  it('refuses a code used twice', async () => {
    const code = (await consent(test, session, integration.clientId)).get('code') ?? '';
    await codeGrant(code);
    const response = await codeGrant(code);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json()).toMatchObject({ hint: 'Authorization code has been revoked', status: 400 });
  });

  it('accepts a code until its 20 minutes are over', async () => {
    const code = (await consent(test, session, integration.clientId)).get('code') ?? '';
    now += 20 * 60 - 1;
    try {
      expect((await codeGrant(code)).statusCode).toBe(200);
    } finally {
      now = START;
    }
  });

  it('refuses a code after 20 minutes', async () => {
    const code = (await consent(test, session, integration.clientId)).get('code') ?? '';
    now += 20 * 60;
    try {
      const response = await codeGrant(code);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ hint: 'Authorization code has expired' });
    } finally {
      now = START;
    }
  });

  it('refuses a wrong client secret with 401', async () => {
    const code = (await consent(test, session, integration.clientId)).get('code') ?? '';
    const response = await exchange({ client_id: integration.clientId, client_secret: 'wrong', grant_type: 'authorization_code', code });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ hint: 'Client authentication failed', status: 401 });
  });

  it('refuses a redirect_uri other than the integration\'s', async () => {
    const code = (await consent(test, session, integration.clientId)).get('code') ?? '';
    const response = await exchange({
      client_id: integration.clientId,
      client_secret: integration.clientSecret,
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'https://evil.example.test/',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ hint: 'The redirect_uri does not match the integration' });
  });

  it('refuses an unknown grant type with 400', async () => {
    const response = await exchange({ client_id: integration.clientId, client_secret: integration.clientSecret, grant_type: 'password' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ hint: 'Check the "grant_type" parameter' });
  });

  it('lets an access token expire after 24 hours', async () => {
    const tokens = await grantTokens(test, integration, session);
    now += 86400;
    try {
      expect((await account(tokens.access_token)).statusCode).toBe(401);
    } finally {
      now = START;
    }
  });

  it('does not accept a refresh token as a bearer credential', async () => {
    const tokens = await grantTokens(test, integration, session);
    expect((await account(tokens.refresh_token)).statusCode).toBe(401);
  });

  it('rotates the refresh token on use and issues a working access token', async () => {
    const first = await grantTokens(test, integration, session);
    const response = await refreshGrant(first.refresh_token);
    expect(response.statusCode).toBe(200);
    const second = response.json() as { access_token: string; refresh_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await account(second.access_token)).statusCode).toBe(200);
  });

  it('keeps the previous refresh token valid until the new one has been used', async () => {
    const first = await grantTokens(test, integration, session);
    await refreshGrant(first.refresh_token);
    const repeated = await refreshGrant(first.refresh_token);
    expect(repeated.statusCode).toBe(200);
  });

  it('answers a consumed refresh token with Kommo\'s 401 "Token has been revoked"', async () => {
    const first = await grantTokens(test, integration, session);
    const second = (await refreshGrant(first.refresh_token)).json() as { refresh_token: string };
    expect((await refreshGrant(second.refresh_token)).statusCode).toBe(200);
    const response = await refreshGrant(first.refresh_token);
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body).toBe(JSON.stringify(REVOKED));
  });

  it('refuses a refresh token after three months', async () => {
    const tokens = await grantTokens(test, integration, session);
    now += 90 * 86400;
    try {
      const response = await refreshGrant(tokens.refresh_token);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ hint: 'Token has expired' });
    } finally {
      now = START;
    }
  });

  it('revokes every token of an integration when the integration is revoked', async () => {
    const doomed = await createIntegration(test);
    const tokens = await grantTokens(test, doomed, session);
    const deleted = await test.app.inject({ method: 'DELETE', url: `/api/v4/integrations/${doomed.id}`, headers: test.auth });
    expect(deleted.statusCode).toBe(204);
    expect((await account(tokens.access_token)).statusCode).toBe(401);
    const refreshed = await exchange({
      client_id: doomed.clientId,
      client_secret: doomed.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect(refreshed.statusCode).toBe(401);
  });
});
