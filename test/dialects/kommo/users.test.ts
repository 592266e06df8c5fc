import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secondAccount, startTestApp, type TestApp } from '../../support/app.js';
import { createUser, type TestUser } from '../../support/access.js';
import { uniformRights } from '../../../src/core/access/rights.js';

const LEAD_LETTERS = { view: 'M', edit: 'M', add: 'A', delete: 'D', export: 'M' };

describe('Kommo users', () => {
  let test: TestApp;
  let manager: TestUser;
  beforeAll(async () => {
    test = await startTestApp();
    manager = await createUser(test, {
      login: 'manager',
      rights: { ...uniformRights('none'), leads: { view: 'own', edit: 'own', add: 'all', delete: 'none' } },
    });
  });
  afterAll(() => test.close());

  it('lists the account\'s users to an administrator in Kommo\'s shape', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/api/v4/users', headers: { ...test.auth, host: 'demo.local' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/hal+json');
    expect(response.json()).toMatchObject({
      _total_items: 2,
      _page: 1,
      _page_count: 1,
      _links: { self: { href: 'http://demo.local/api/v4/users?page=1&limit=50' } },
      _embedded: { users: [{ id: 1, name: 'Administrator' }, { id: manager.user.id, name: 'manager' }] },
    });
  });

  it('answers a user who is not an administrator with a 403 problem', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/api/v4/users', headers: manager.auth });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json()).toEqual({ title: 'Forbidden', type: 'https://httpstatus.es/403', status: 403, detail: 'Only administrators can list users' });
  });

  it('writes rights as letters: A all, M own, D denied', async () => {
    const response = await test.app.inject({ method: 'GET', url: `/api/v4/users/${manager.user.id}`, headers: manager.auth });
    expect(response.statusCode).toBe(200);
    const body = response.json() as { rights: Record<string, unknown> };
    expect(body.rights).toMatchObject({
      leads: LEAD_LETTERS,
      contacts: { view: 'D', edit: 'D', add: 'D', delete: 'D', export: 'D' },
      is_admin: false,
      is_active: true,
    });
  });

  it('shows an administrator with every right, whatever is stored', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/api/v4/users/1', headers: test.auth });
    expect(response.json()).toMatchObject({
      id: 1,
      email: 'admin@demo.local',
      lang: 'en',
      rights: { leads: { view: 'A', edit: 'A', add: 'A', delete: 'A', export: 'A' }, is_admin: true },
      _links: { self: { href: 'http://localhost:80/api/v4/users/1' } },
    });
  });

  it('answers a user of another account with 404, as if it did not exist', async () => {
    const other = await secondAccount(test, 'users-other');
    const response = await test.app.inject({ method: 'GET', url: `/api/v4/users/${other.admin.id}`, headers: test.auth });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ detail: 'User not found' });
  });

  it('pages the list and answers a page past the end with 204', async () => {
    const first = await test.app.inject({ method: 'GET', url: '/api/v4/users?limit=1', headers: test.auth });
    expect(first.json()).toMatchObject({ _page_count: 2, _links: { next: { href: 'http://localhost:80/api/v4/users?page=2&limit=1' } } });
    const past = await test.app.inject({ method: 'GET', url: '/api/v4/users?page=9', headers: test.auth });
    expect(past.statusCode).toBe(204);
    expect(past.body).toBe('');
  });
});
