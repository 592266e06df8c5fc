import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { createUser, signInCookie } from '../../support/access.js';
import { uniformRights } from '../../../src/core/access/rights.js';

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

const HOST = { host: 'demo.local' };
const ALL = { view: 'A', edit: 'A', add: 'A', delete: 'A', export: 'A' };

async function addUsers(body: unknown, auth = test.auth) {
  const response = await test.app.inject({ method: 'POST', url: '/api/v4/users', headers: { ...auth, ...HOST }, payload: body as object });
  return { status: response.statusCode, type: response.headers['content-type'], body: response.json() as Record<string, unknown> };
}

async function userCount(): Promise<number> {
  return (await test.store.repos.users.list(1)).length;
}

function validationErrors(items: { request_id: string; errors: { code: string; path: string; detail: string }[] }[]) {
  return { 'validation-errors': items, title: 'Bad Request', type: 'https://httpstatus.es/400', status: 400, detail: 'Request validation failed' };
}

describe('POST /api/v4/users', () => {
  it('adds a user with the rights sent, who then signs in with their email and password', async () => {
    const answer = await addUsers([
      { name: 'Maria', email: 'maria@example.test', password: 'correct-horse-battery', rights: { leads: { view: 'M', edit: 'M', delete: 'D' }, contacts: { add: 'D' } }, request_id: 'm1' },
    ]);
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('application/hal+json');
    const [maria] = (answer.body._embedded as { users: { id: number }[] }).users;
    expect(answer.body).toEqual({
      _total_items: 1,
      _embedded: {
        users: [
          {
            id: maria!.id,
            name: 'Maria',
            email: 'maria@example.test',
            lang: 'en',
            rights: {
              leads: { view: 'M', edit: 'M', add: 'A', delete: 'D', export: 'M' },
              contacts: { view: 'A', edit: 'A', add: 'D', delete: 'A', export: 'A' },
              companies: ALL,
              tasks: { edit: 'A', delete: 'A' },
              mail_access: false,
              catalog_access: false,
              status_rights: [],
              is_admin: false,
              is_free: false,
              is_active: true,
              group_id: null,
              role_id: null,
            },
            _links: { self: { href: `http://demo.local/api/v4/users/${maria!.id}` } },
            request_id: 'm1',
          },
        ],
      },
    });
    await expect(signInCookie(test, 'demo', 'maria@example.test', 'correct-horse-battery')).resolves.toHaveProperty('cookie');
  });

  it('makes an administrator of a user sent with rights.is_admin', async () => {
    const answer = await addUsers([{ name: 'Root', email: 'root@example.test', password: 'correct-horse-battery', rights: { is_admin: true } }]);
    const [root] = (answer.body._embedded as { users: { id: number; rights: { is_admin: boolean } }[] }).users;
    expect(root!.rights.is_admin).toBe(true);
    expect((await test.store.repos.users.get(1, root!.id))?.role).toBe('admin');
  });

  it('adds none when one user is invalid, and names every problem of each by its request_id', async () => {
    const answer = await addUsers([
      { name: 'Fine', email: 'fine@example.test', password: 'correct-horse-battery' },
      { name: ' ', email: 'not-an-address', password: 'short', request_id: 'bad' },
      { name: 'Twin', email: 'FINE@example.test', password: 'correct-horse-battery' },
      { name: 'Admin twin', email: 'admin', password: 'correct-horse-battery' },
    ]);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(
      validationErrors([
        {
          request_id: 'bad',
          errors: [
            { code: 'NotBlank', path: 'name', detail: 'This value should not be blank.' },
            { code: 'InvalidValue', path: 'email', detail: 'This value is not a valid email address.' },
            { code: 'InvalidValue', path: 'password', detail: 'This value is not a valid password: a password needs at least 8 characters.' },
          ],
        },
        { request_id: '2', errors: [{ code: 'Duplicate', path: 'email', detail: 'A user of this account already signs in with this login.' }] },
        {
          request_id: '3',
          errors: [
            { code: 'InvalidValue', path: 'email', detail: 'This value is not a valid email address.' },
            { code: 'Duplicate', path: 'email', detail: 'A user of this account already signs in with this login.' },
          ],
        },
      ]),
    );
    expect(await userCount()).toBe(1);
  });

  it('refuses rights Fieldwork cannot keep instead of dropping them: free or inactive users, groups, roles, stage rights', async () => {
    const rights = { is_free: true, is_active: false, group_id: 3, role_id: 4, status_rights: [{ entity_type: 'leads', pipeline_id: 1, status_id: 2, rights: { view: 'A' } }] };
    const answer = await addUsers([{ name: 'Free', email: 'free@example.test', password: 'correct-horse-battery', rights }]);
    expect(answer.body).toEqual(
      validationErrors([
        {
          request_id: '0',
          errors: [
            { code: 'InvalidValue', path: 'rights.is_free', detail: 'Fieldwork has no free users; send false or leave it out.' },
            { code: 'InvalidValue', path: 'rights.is_active', detail: 'Fieldwork has no way to add a user who cannot sign in yet; send true or leave it out.' },
            { code: 'InvalidValue', path: 'rights.group_id', detail: 'Fieldwork has no user groups; send null or leave it out.' },
            { code: 'InvalidValue', path: 'rights.role_id', detail: 'Fieldwork has no roles; send null or leave it out.' },
            { code: 'InvalidValue', path: 'rights.status_rights', detail: 'Fieldwork has no rights per stage; send [] or leave it out.' },
          ],
        },
      ]),
    );
    expect(await userCount()).toBe(1);
  });

  it('takes back the rights GET shows for a user', async () => {
    const shown = await test.app.inject({ method: 'GET', url: '/api/v4/users/1', headers: test.auth });
    const { rights } = shown.json() as { rights: Record<string, unknown> };
    const answer = await addUsers([{ name: 'Copy', email: 'copy@example.test', password: 'correct-horse-battery', rights }]);
    expect(answer.status).toBe(200);
    expect((answer.body._embedded as { users: { rights: unknown }[] }).users[0]!.rights).toEqual(rights);
  });

  it('refuses more than ten users with 422', async () => {
    const users = Array.from({ length: 11 }, (_, index) => ({ name: `U${index}`, email: `u${index}@example.test`, password: 'correct-horse-battery' }));
    const answer = await addUsers(users);
    expect(answer).toEqual({
      status: 422,
      type: 'application/problem+json',
      body: { title: 'Unprocessable Entity', type: 'https://httpstatus.es/422', status: 422, detail: 'Limit 10 per page' },
    });
  });

  it('refuses a user who is not an administrator with 403, whatever else is wrong with the request', async () => {
    const manager = await createUser(test, { login: 'manager', rights: uniformRights('all') });
    const answer = await addUsers([{ name: 'X', email: 'x@example.test', password: 'correct-horse-battery', rights: { is_free: true } }], manager.auth);
    expect(answer).toEqual({
      status: 403,
      type: 'application/problem+json',
      body: { title: 'Forbidden', type: 'https://httpstatus.es/403', status: 403, detail: 'Only administrators can add users' },
    });
  });
});
