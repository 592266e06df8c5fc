import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secondAccount, startTestApp, type TestApp } from '../../support/app.js';

const UNAUTHORIZED = {
  title: 'Unauthorized',
  type: 'https://httpstatus.es/401',
  status: 401,
  detail: 'Invalid user name or password',
};

describe('GET /api/v4/account', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('returns the demo account in Kommo\'s shape as hal+json', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/api/v4/account', headers: { ...test.auth, host: 'demo.local:3000' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/hal+json');
    const body = response.json() as Record<string, unknown>;
    expect(body).toEqual({
      id: 1,
      name: 'Demo',
      subdomain: 'demo',
      created_at: expect.any(Number),
      created_by: 0,
      updated_at: expect.any(Number),
      updated_by: 0,
      current_user_id: 1,
      country: 'US',
      currency: 'USD',
      currency_symbol: '$',
      customers_mode: 'disabled',
      is_unsorted_on: true,
      mobile_feature_version: 0,
      is_loss_reason_enabled: true,
      is_helpbot_enabled: false,
      is_technical_account: false,
      contact_name_display_order: 1,
      _links: { self: { href: 'http://demo.local:3000/api/v4/account' } },
    });
  });

  it('answers a missing token with the exact 401 problem document', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/api/v4/account' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body).toBe(JSON.stringify(UNAUTHORIZED));
  });

  it('answers a wrong token with the same 401', async () => {
    const response = await test.app.inject({
      method: 'GET',
      url: '/api/v4/account',
      headers: { authorization: 'Bearer not-a-real-token' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(UNAUTHORIZED);
  });

  it('refuses a revoked token', async () => {
    const other = await secondAccount(test, 'revoked-case');
    const [token] = await test.store.repos.tokens.list(other.account.id);
    await test.store.repos.tokens.revoke(other.account.id, token!.id, 1);
    const response = await test.app.inject({ method: 'GET', url: '/api/v4/account', headers: other.auth });
    expect(response.statusCode).toBe(401);
  });

  it('shows a second account\'s token its own account, never the first', async () => {
    const other = await secondAccount(test, 'second');
    const response = await test.app.inject({ method: 'GET', url: '/api/v4/account', headers: other.auth });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: other.account.id, subdomain: 'second' });
    expect(other.account.id).not.toBe(1);
  });

  it('records when a token was last used', async () => {
    await test.app.inject({ method: 'GET', url: '/api/v4/account', headers: test.auth });
    const [token] = await test.store.repos.tokens.list(1);
    expect(token!.lastUsedAt).toEqual(expect.any(Number));
  });
});
