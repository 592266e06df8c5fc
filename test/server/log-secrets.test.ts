import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN, startTestApp, type TestApp } from '../support/app.js';
import { createIntegration, createUser, grantTokens, signInCookie } from '../support/access.js';
import { loggerOptions } from '../../src/server/logging.js';

describe('logs', () => {
  let test: TestApp;
  let log = '';
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        log += chunk.toString();
        done();
      },
    });
    test = await startTestApp({ logger: { ...loggerOptions('trace'), stream } });
  });
  afterAll(() => test.close());

  it('never contain tokens, passwords, client secrets, codes or session cookies', async () => {
    const user = await createUser(test, { login: 'logged' });
    const session = await signInCookie(test, 'demo', 'logged', user.password);
    const integration = await createIntegration(test);
    const tokens = await grantTokens(test, integration, session);
    const refreshed = await test.app.inject({
      method: 'POST',
      url: '/oauth2/access_token',
      payload: { client_id: integration.clientId, client_secret: integration.clientSecret, grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
    });
    await test.app.inject({ method: 'GET', url: '/api/v4/account', headers: { authorization: `Bearer ${tokens.access_token}` } });
    await test.app.inject({ method: 'GET', url: '/api/v4/account', headers: { authorization: 'Bearer wrong-but-secret-guess' } });
    await test.app.inject({
      method: 'POST',
      url: '/oauth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'account=demo&login=logged&password=a-wrong-password-typed',
    });

    const secrets = [
      DEMO_TOKEN,
      user.password,
      'a-wrong-password-typed',
      'wrong-but-secret-guess',
      session.cookie.split('=')[1] ?? '',
      integration.clientSecret,
      tokens.access_token,
      tokens.refresh_token,
      (refreshed.json() as { refresh_token: string }).refresh_token,
      user.auth.authorization.slice('Bearer '.length),
    ];
    expect(log).toContain('incoming request');
    expect(secrets.filter((secret) => log.includes(secret))).toEqual([]);
  });
});
