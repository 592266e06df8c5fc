import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { createIntegration, createUser } from '../../support/access.js';
import { hashTokenSecret } from '../../../src/core/access/tokens.js';

describe('Kommo integrations', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('creates an integration and shows its client secret once', async () => {
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/v4/integrations',
      headers: test.auth,
      payload: { name: 'Shop', redirect_uri: 'https://shop.example.test/oauth' },
    });
    expect(response.statusCode).toBe(201);
    const body = response.json() as Record<string, unknown>;
    expect(body).toEqual({
      id: expect.any(Number),
      client_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      client_secret: expect.stringMatching(/^[\w-]{43}$/),
      name: 'Shop',
      redirect_uri: 'https://shop.example.test/oauth',
      created_by: 1,
      created_at: expect.any(Number),
      _links: { self: { href: `http://localhost:80/api/v4/integrations/${String(body.id)}` } },
    });
    const again = await test.app.inject({ method: 'GET', url: `/api/v4/integrations/${String(body.id)}`, headers: test.auth });
    expect(again.json()).not.toHaveProperty('client_secret');
  });

  it('stores only the digest of the client secret', async () => {
    const integration = await createIntegration(test);
    const row = await test.store.db.selectFrom('integrations').selectAll().where('id', '=', integration.id).executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(hashTokenSecret(integration.clientSecret));
    expect(JSON.stringify(row)).not.toContain(integration.clientSecret);
  });

  it('refuses a redirect_uri that is not an http(s) URL', async () => {
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/v4/integrations',
      headers: test.auth,
      payload: { name: 'Bad', redirect_uri: 'javascript:alert(1)' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      'validation-errors': [{ request_id: '0', errors: [{ code: 'InvalidValue', path: 'redirect_uri' }] }],
    });
  });

  it('lets only administrators manage integrations', async () => {
    const user = await createUser(test, { login: 'not-admin' });
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/v4/integrations',
      headers: user.auth,
      payload: { name: 'Sneaky', redirect_uri: 'https://x.example.test/' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ detail: 'Only administrators can manage integrations' });
  });

  it('lists active integrations and drops revoked ones', async () => {
    const kept = await createIntegration(test);
    const revoked = await createIntegration(test);
    await test.app.inject({ method: 'DELETE', url: `/api/v4/integrations/${revoked.id}`, headers: test.auth });
    const response = await test.app.inject({ method: 'GET', url: '/api/v4/integrations', headers: test.auth });
    const ids = (response.json() as { _embedded: { integrations: { id: number }[] } })._embedded.integrations.map((item) => item.id);
    expect(ids).toContain(kept.id);
    expect(ids).not.toContain(revoked.id);
  });

  it('answers revoking an unknown integration with 404', async () => {
    const response = await test.app.inject({ method: 'DELETE', url: '/api/v4/integrations/999999', headers: test.auth });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ detail: 'Integration not found' });
  });
});
