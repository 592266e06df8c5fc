import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser } from '../../support/access.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { adminBasic, userBasic, jsonRequest } from '../../support/basic-auth.js';

type Json = Record<string, unknown>;

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

async function miarec(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, auth: Record<string, string> = adminBasic(test)) {
  const response = await jsonRequest(test, method, url, payload, auth);
  return { ...response, body: response.body as Json | null };
}

const CALL_TYPE = { name: 'Call type', type: 'option', options: ['Collection call', 'Sales call'], enable: true, editable: true, description: 'Why they called' };

describe('/api/v2/custom_fields', () => {
  it('creates, reads, lists, changes and deletes call fields in MiaRec shape', async () => {
    const created = await miarec('POST', '/api/v2/custom_fields.json', { custom_field: CALL_TYPE });
    expect(created.status).toBe(201);
    const field = created.body!.custom_field as Json;
    expect(field).toEqual({
      field_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      enable: true,
      tenant_id: null,
      name: 'Call type',
      is_global: false,
      description: 'Why they called',
      type: 'option',
      display_as: 'default',
      str_max_len: null,
      editable: true,
      search_options: [],
      options: ['Collection call', 'Sales call'],
      ai_assist: false,
    });
    const id = field.field_id as string;
    const notes = await miarec('POST', '/api/v2/custom_fields.json', { custom_field: { name: 'Notes', type: 'string', str_max_len: 1024, enable: true } });
    expect(notes.body!.custom_field).toMatchObject({ type: 'string', str_max_len: 1024, editable: true, options: [] });

    expect((await miarec('GET', `/api/v2/custom_fields/${id}.json`)).body).toEqual({ custom_field: field });
    const list = await miarec('GET', '/api/v2/custom_fields.json');
    expect(list.body).toEqual({ custom_fields: [field, notes.body!.custom_field], next_url: null, total: 2 });
    const searched = await miarec('GET', '/api/v2/custom_fields.json?search_term=note');
    expect((searched.body!.custom_fields as Json[]).map((one) => one.name)).toEqual(['Notes']);

    const changed = await miarec('PUT', `/api/v2/custom_fields/${id}.json`, { custom_field: { options: ['Sales call', 'Support call'], editable: false, description: '' } });
    expect(changed.status).toBe(200);
    expect(changed.body!.custom_field).toMatchObject({ options: ['Sales call', 'Support call'], editable: false, description: '' });

    const removed = await miarec('DELETE', `/api/v2/custom_fields/${id}.json`);
    expect(removed.status).toBe(200);
    expect((await miarec('GET', `/api/v2/custom_fields/${id}.json`)).status).toBe(404);
  });

  it('keeps a call value when its option survives an options change, and deletes values with the field', async () => {
    const field = (await miarec('POST', '/api/v2/custom_fields.json', { custom_field: CALL_TYPE })).body!.custom_field as Json;
    const call = (await miarec('POST', '/api/v2/calls.json', { call: { from_number: '1', to_number: '2', custom_fields: [{ name: 'Call type', value: 'Sales call' }] } })).body!.call as Json;
    await miarec('PUT', `/api/v2/custom_fields/${field.field_id as string}.json`, { custom_field: { options: ['Sales call', 'Support call'] } });
    const read = await miarec('GET', `/api/v2/calls/${call.call_id as string}.json`);
    expect((read.body!.call as Json).custom_fields).toEqual([{ field_id: field.field_id, name: 'Call type', value: 'Sales call' }]);

    await miarec('DELETE', `/api/v2/custom_fields/${field.field_id as string}.json`);
    const [stored] = await test.store.repos.records.list(1, 'calls', { names: [call.call_id as string], order: [{ field: 'id', direction: 'asc' }], offset: 0, limit: 1 });
    expect(stored!.customFields).toEqual([]);
  });

  it('refuses invalid definitions with a detail per property', async () => {
    await miarec('POST', '/api/v2/custom_fields.json', { custom_field: CALL_TYPE });
    const response = await miarec('POST', '/api/v2/custom_fields.json', { custom_field: { name: 'Call type', type: 'number', enable: 'yes' } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: 'InvalidRecord',
      description: 'Record Validation errors',
      details: { name: 'A custom field with this name already exists', type: 'Value is not one of the allowed options', enable: 'Value has an invalid type' },
    });
    const long = await miarec('POST', '/api/v2/custom_fields.json', { custom_field: { name: 'x'.repeat(65), type: 'string', enable: true } });
    expect(long.body!.details).toEqual({ name: 'Value is too long' });
    const noWrapper = await miarec('POST', '/api/v2/custom_fields.json', { name: 'Bare' });
    expect(noWrapper.body!.details).toEqual({ custom_field: 'Value is required' });
    const field = (await miarec('GET', '/api/v2/custom_fields.json')).body!.custom_fields as Json[];
    const typeChange = await miarec('PUT', `/api/v2/custom_fields/${field[0]!.field_id as string}.json`, { custom_field: { type: 'string' } });
    expect(typeChange.body!.details).toEqual({ type: 'Value cannot be changed' });
  });

  it('lets only administrators change definitions, and anyone signed in read them', async () => {
    const user = await createUser(test, { login: 'agent' });
    const refused = await miarec('POST', '/api/v2/custom_fields.json', { custom_field: CALL_TYPE }, userBasic(user));
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ error: 'Forbidden', description: 'Access is denied: Only administrators can manage custom fields' });
    expect((await miarec('GET', '/api/v2/custom_fields.json', undefined, userBasic(user))).status).toBe(200);
  });

  it('answers 404 for an unknown field and for an unknown path', async () => {
    const missing = await miarec('PUT', '/api/v2/custom_fields/00000000-0000-4000-8000-000000000000.json', { custom_field: { name: 'x' } });
    expect(missing.status).toBe(404);
    expect(missing.body!.error).toBe('NotFound');
    expect((await miarec('GET', '/api/v2/nothing.json')).body).toEqual({ error: 'NotFound', description: 'The requested resource could not be found' });
  });
});
