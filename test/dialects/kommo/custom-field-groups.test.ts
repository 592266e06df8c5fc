import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { createUser } from '../../support/access.js';

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

const HOST = { host: 'devteam.kommo.test' };
const BASE = 'http://devteam.kommo.test/api/v4';
const GROUPS = '/api/v4/leads/custom_fields/groups';

type Json = Record<string, unknown>;

async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, auth = test.auth) {
  const response = await test.app.inject({ method, url, headers: { ...auth, ...HOST }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: response.statusCode, body: response.body ? (JSON.parse(response.body) as Json) : null, type: response.headers['content-type'] };
}

async function createField(name: string, extra: Json = {}): Promise<number> {
  const response = await call('POST', '/api/v4/leads/custom_fields', [{ name, type: 'text', ...extra }]);
  return ((response.body as { _embedded: { custom_fields: Json[] } })._embedded.custom_fields[0]!.id) as number;
}

async function createGroup(group: Json): Promise<Json> {
  const response = await call('POST', GROUPS, [group]);
  if (response.status !== 201) throw new Error(`group create failed: ${JSON.stringify(response.body)}`);
  return (response.body as { _embedded: { custom_field_groups: Json[] } })._embedded.custom_field_groups[0]!;
}

async function groupOfField(fieldId: number): Promise<unknown> {
  return ((await call('GET', `/api/v4/leads/custom_fields/${fieldId}`)).body as Json).group_id;
}

function validationErrors(errors: { code: string; path: string }[], requestId = '0') {
  return {
    title: 'Bad Request',
    type: 'https://httpstatus.es/400',
    status: 400,
    detail: 'Request validation failed',
    'validation-errors': [{ request_id: requestId, errors: errors.map((error) => ({ ...error, detail: expect.any(String) })) }],
  };
}

describe('custom field groups', () => {
  it('lists the predefined default group holding the fields of no group', async () => {
    const response = await call('GET', '/api/v4/contacts/custom_fields/groups');
    const fieldIds = (await test.store.repos.fields.list(1, 'contacts')).map((field) => field.id);
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/hal+json');
    expect(response.body).toEqual({
      _total_items: 1,
      _embedded: {
        custom_field_groups: [
          {
            id: 'default',
            name: 'Main',
            is_predefined: true,
            type: 'custom_field_group',
            fields: fieldIds,
            entity_type: 'contacts',
            sort: 0,
            _links: { self: { href: `${BASE}/contacts/custom_fields/groups/default` } },
          },
        ],
      },
    });
  });

  it('creates a group with a string id and answers 201 with the wrapped list', async () => {
    const response = await call('POST', GROUPS, [{ name: 'Field group', sort: 10, request_id: 'g' }]);
    expect(response.status).toBe(201);
    const group = (response.body as { _embedded: { custom_field_groups: Json[] } })._embedded.custom_field_groups[0]!;
    expect(group.id).toMatch(/^leads_\d+$/);
    expect(response.body).toEqual({
      _total_items: 1,
      _embedded: {
        custom_field_groups: [
          {
            id: group.id,
            name: 'Field group',
            is_predefined: false,
            type: 'custom_field_group',
            fields: [],
            entity_type: 'leads',
            sort: 10,
            request_id: 'g',
            _links: { self: { href: `${BASE}/leads/custom_fields/groups/${String(group.id)}` } },
          },
        ],
      },
    });
  });

  it('moves the fields a new group names into it', async () => {
    const field = await createField('Budget');
    const group = await createGroup({ name: 'Money', fields: [field] });
    expect(group.fields).toEqual([field]);
    expect(await groupOfField(field)).toBe(group.id);
  });

  it('renames a group and moves fields into it with PATCH /groups/{id}', async () => {
    const field = await createField('Budget');
    const group = await createGroup({ name: 'Money' });
    const response = await call('PATCH', `${GROUPS}/${String(group.id)}`, { name: 'Finance', sort: 7, fields: [field] });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: group.id, name: 'Finance', sort: 7, fields: [field] });
    expect(await groupOfField(field)).toBe(group.id);
  });

  it('updates several groups with a batch PATCH naming each by id', async () => {
    const first = await createGroup({ name: 'One' });
    const second = await createGroup({ name: 'Two' });
    const response = await call('PATCH', GROUPS, [
      { id: first.id, name: 'First' },
      { id: second.id, sort: 99 },
    ]);
    expect(response.status).toBe(200);
    expect((response.body as { _embedded: { custom_field_groups: Json[] } })._embedded.custom_field_groups.map((group) => [group.name, group.sort])).toEqual([
      ['First', 500],
      ['Two', 99],
    ]);
  });

  it('puts a field sent to group_id "default" back into the predefined group', async () => {
    const group = await createGroup({ name: 'Money' });
    const field = await createField('Budget', { group_id: group.id });
    await call('PATCH', `/api/v4/leads/custom_fields/${field}`, { group_id: 'default' });
    expect(await groupOfField(field)).toBeNull();
  });

  it('deletes a group with 204 and returns its fields to the default group', async () => {
    const field = await createField('Budget');
    const group = await createGroup({ name: 'Money', fields: [field] });
    const response = await call('DELETE', `${GROUPS}/${String(group.id)}`);
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
    expect(await groupOfField(field)).toBeNull();
    expect((await call('GET', `${GROUPS}/${String(group.id)}`)).status).toBe(404);
  });

  it('refuses to delete the predefined default group', async () => {
    const response = await call('DELETE', `${GROUPS}/default`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationErrors([{ code: 'NotDeletable', path: 'id' }]));
  });

  it('refuses to rename the predefined default group as Immutable', async () => {
    const response = await call('PATCH', `${GROUPS}/default`, { name: 'Other' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationErrors([{ code: 'Immutable', path: 'name' }]));
  });

  it('answers an unknown group id with 404', async () => {
    const response = await call('GET', `${GROUPS}/leads_404`);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ title: 'Not Found', type: 'https://httpstatus.es/404', status: 404, detail: 'Field group leads_404 not found' });
  });

  it('refuses a group without a name as FieldMissing', async () => {
    const response = await call('POST', GROUPS, [{ sort: 1 }]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationErrors([{ code: 'FieldMissing', path: 'name' }]));
  });

  it('refuses a field id of no lead field as NotSupportedChoice at fields.N', async () => {
    const response = await call('POST', GROUPS, [{ name: 'Money', fields: [987654] }]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationErrors([{ code: 'NotSupportedChoice', path: 'fields.0' }]));
  });

  it('refuses a user who is not an administrator with 403', async () => {
    const user = await createUser(test, { login: 'manager' });
    expect((await call('POST', GROUPS, [{ name: 'Money' }], user.auth)).status).toBe(403);
  });
});
