import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser } from '../../support/access.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { adminBasic, basicAuth, userBasic, jsonRequest } from '../../support/basic-auth.js';
import { kommo } from '../../support/kommo.js';

type Json = Record<string, unknown>;

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

function envoke(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, auth: Record<string, string> = adminBasic(test)) {
  return jsonRequest(test, method, url, payload, auth);
}

async function createField(field: Json): Promise<Json> {
  const response = await envoke('POST', '/v2/customfields', field);
  if (response.status !== 200) throw new Error(`create failed: ${JSON.stringify(response.body)}`);
  return (response.body as { result_data: Json }).result_data;
}

function failure(...errors: string[]) {
  return { success: false, result_text: "Validation failed, see 'result_data' -> 'errors'", result_data: { errors } };
}

async function kommoContact(fieldValues: Json[] = []): Promise<number> {
  const response = await kommo(test, 'POST', '/api/v4/contacts', [{ name: 'Jane', custom_fields_values: fieldValues }]);
  return (response.body as { _embedded: { contacts: { id: number }[] } })._embedded.contacts[0]!.id;
}

async function kommoValues(contactId: number): Promise<unknown> {
  const response = await kommo(test, 'GET', `/api/v4/contacts/${contactId}`);
  return (response.body as { custom_fields_values: unknown }).custom_fields_values;
}

describe('PATCH /v2/customfields/{ID} (seed 002)', () => {
  let id: string;
  beforeEach(async () => {
    id = (await createField({ name: 'phone_number', field_type: 'text', description: 'Old' })).id as string;
  });

  it("updates a field's description", async () => {
    const response = await envoke('PATCH', `/v2/customfields/${id}`, { description: 'Customer primary mobile number' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      success: true,
      result_text: 'Updated',
      result_data: { id, name: 'phone_number', description: 'Customer primary mobile number', field_type: 'text' },
    });
  });

  it('renames a field', async () => {
    const response = await envoke('PATCH', `/v2/customfields/${id}`, { name: 'mobile_number' });
    expect(response.body).toEqual({ success: true, result_text: 'Updated', result_data: { id, name: 'mobile_number', description: 'Old', field_type: 'text' } });
  });

  it('updates both name and description', async () => {
    const response = await envoke('PATCH', `/v2/customfields/${id}`, { name: 'mobile_number', description: 'Customer primary mobile number' });
    expect(response.body).toEqual({
      success: true,
      result_text: 'Updated',
      result_data: { id, name: 'mobile_number', description: 'Customer primary mobile number', field_type: 'text' },
    });
  });

  it('clears the description with ""', async () => {
    const response = await envoke('PATCH', `/v2/customfields/${id}`, { description: '' });
    expect((response.body as { result_data: Json }).result_data.description).toBe('');
    expect(await envoke('GET', `/v2/customfields/${id}`)).toMatchObject({ body: { id, name: 'phone_number', description: '', field_type: 'text' } });
  });

  it('accepts an id in the body that matches the URL', async () => {
    const response = await envoke('PATCH', `/v2/customfields/${id}`, { id, description: 'Same' });
    expect(response.status).toBe(200);
  });

  it.each([
    ['no body', undefined, 'Request body may not be empty'],
    ['a body naming nothing to change', {}, "At least one of 'name' or 'description' must be provided"],
    ['field_type', { field_type: 'note' }, "The field 'field_type' cannot be changed after creation"],
    ['a name with spaces', { name: 'mobile number' }, 'Only alphanumeric and underscore characters are permitted in the name field'],
    ['a name with special characters', { name: 'mobile-number!' }, 'Only alphanumeric and underscore characters are permitted in the name field'],
  ])('refuses %s', async (_case, payload, message) => {
    const response = await envoke('PATCH', `/v2/customfields/${id}`, payload);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(failure(message));
  });

  it('refuses an empty JSON body', async () => {
    const response = await test.app.inject({ method: 'PATCH', url: `/v2/customfields/${id}`, headers: { ...adminBasic(test), 'content-type': 'application/json' }, payload: '' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(failure('Request body may not be empty'));
  });

  it('refuses a name another field has', async () => {
    await createField({ name: 'mobile_number', field_type: 'text' });
    const response = await envoke('PATCH', `/v2/customfields/${id}`, { name: 'mobile_number' });
    expect(response.body).toEqual(failure("A custom field named 'mobile_number' already exists"));
  });

  it('refuses an unknown id', async () => {
    const response = await envoke('PATCH', '/v2/customfields/4242', { name: 'mobile_number' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(failure("Item with id '4242' not found"));
  });

  it('refuses a body id that differs from the URL', async () => {
    const response = await envoke('PATCH', `/v2/customfields/${id}`, { id: '43', name: 'mobile_number' });
    expect(response.body).toEqual(failure(`Provided 'id': ${id} does not match 'id' in request body (43)`));
  });

  it('reports every error at once and changes nothing', async () => {
    const response = await envoke('PATCH', `/v2/customfields/${id}`, { id: 43, field_type: 'url', name: 'bad name' });
    expect(response.body).toEqual(
      failure(
        `Provided 'id': ${id} does not match 'id' in request body (43)`,
        "The field 'field_type' cannot be changed after creation",
        'Only alphanumeric and underscore characters are permitted in the name field',
      ),
    );
    expect((await envoke('GET', `/v2/customfields/${id}`)).body).toMatchObject({ name: 'phone_number' });
  });
});

describe('/v2/customfields', () => {
  it('creates fields of each type and lists them as a bare array sorted by name', async () => {
    const created = await envoke('POST', '/v2/customfields', { name: 'widget_name', field_type: 'text', description: 'Model' });
    expect(created.body).toEqual({ success: true, result_text: 'Created', result_data: { id: expect.any(String), name: 'widget_name', description: 'Model', field_type: 'text' } });
    await createField({ name: 'Notes', field_type: 'note' });
    await createField({ name: 'birthday_2', field_type: 'date' });
    await createField({ name: 'homepage', field_type: 'url' });
    const list = await envoke('GET', '/v2/customfields');
    expect(list.status).toBe(200);
    expect((list.body as Json[]).map((field) => [field.name, field.field_type, field.description])).toEqual([
      ['Notes', 'note', ''],
      ['birthday_2', 'date', ''],
      ['homepage', 'url', ''],
      ['widget_name', 'text', 'Model'],
    ]);
    expect((list.body as Json[])[0]).toEqual({ id: expect.any(String), name: 'Notes', description: '', field_type: 'note' });
    const filtered = await envoke('GET', '/v2/customfields?filter[field_type]=url');
    expect((filtered.body as Json[]).map((field) => field.name)).toEqual(['homepage']);
    const paged = await envoke('GET', '/v2/customfields?limit=2&skip=1&sort[name]=desc');
    expect((paged.body as Json[]).map((field) => field.name)).toEqual(['homepage', 'birthday_2']);
  });

  it('shapes the list with fields or result_type=kvp, which may ask for more than 100', async () => {
    const homepage = await createField({ name: 'homepage', field_type: 'url' });
    const widget = await createField({ name: 'widget_name', field_type: 'text' });
    expect((await envoke('GET', '/v2/customfields?result_type=kvp')).body).toEqual({ [String(homepage.id)]: 'homepage', [String(widget.id)]: 'widget_name' });
    expect((await envoke('GET', '/v2/customfields?fields=name,field_type&limit=500')).body).toEqual([
      { name: 'homepage', field_type: 'url' },
      { name: 'widget_name', field_type: 'text' },
    ]);
    expect((await envoke('GET', '/v2/customfields?limit=500')).body).toEqual(failure("'limit' may be at most 100, unless 'fields' or 'result_type' is given"));
  });

  it('refuses a filter, sort or projection it cannot apply, rather than ignoring it', async () => {
    expect((await envoke('GET', '/v2/customfields?filter[colour]=red&sort[id]=asc&fields=name,colour')).body).toEqual(
      failure(
        "Cannot filter by 'colour'; filter by id, name, field_type, description",
        "Cannot sort by 'id'; sort by name, field_type",
        "Unknown field 'colour' in 'fields'; choose from id, name, field_type, description",
      ),
    );
  });

  it('answers [] when there are no fields', async () => {
    expect((await envoke('GET', '/v2/customfields')).body).toEqual([]);
  });

  it('refuses invalid fields with every message', async () => {
    expect((await envoke('POST', '/v2/customfields', {})).body).toEqual(failure("The field 'name' is required", 'field_type is required'));
    expect((await envoke('POST', '/v2/customfields', { name: 'a b', field_type: 'number' })).body).toEqual(
      failure('Only alphanumeric and underscore characters are permitted in the name field', "Invalid 'field_type'; allowed values are: text, note, date, url"),
    );
    await createField({ name: 'widget_name', field_type: 'text' });
    expect((await envoke('POST', '/v2/customfields', { name: 'widget_name', field_type: 'note' })).body).toEqual(failure("A custom field named 'widget_name' already exists"));
    expect((await envoke('POST', '/v2/customfields')).body).toEqual(failure('Request body may not be empty'));
  });

  it('deletes a field and its value on every contact', async () => {
    const field = await createField({ name: 'widget_name', field_type: 'text' });
    const fieldId = Number(field.id);
    const first = await kommoContact([{ field_id: fieldId, values: [{ value: 'Gold' }] }]);
    const second = await kommoContact([{ field_id: fieldId, values: [{ value: 'Silver' }] }]);
    const removed = await envoke('DELETE', `/v2/customfields/${field.id as string}`);
    expect(removed.body).toEqual({ success: true, result_text: 'Deleted', result_data: [] });
    expect(await kommoValues(first)).toBeNull();
    expect(await kommoValues(second)).toBeNull();
    expect((await envoke('DELETE', `/v2/customfields/${field.id as string}`)).body).toEqual(failure(`Item with id '${field.id as string}' not found`));
    expect((await envoke('GET', `/v2/customfields/${field.id as string}`)).body).toEqual(failure(`Item with id '${field.id as string}' not found`));
  });

  it('does not show or touch the predefined contact fields', async () => {
    const phone = (await test.store.repos.fields.list(1, 'contacts')).find((definition) => definition.code === 'PHONE')!;
    expect((await envoke('DELETE', `/v2/customfields/${phone.id}`)).body).toEqual(failure(`Item with id '${phone.id}' not found`));
  });

  it('lets only administrators change fields', async () => {
    const user = await createUser(test, { login: 'agent' });
    const response = await envoke('POST', '/v2/customfields', { name: 'x', field_type: 'text' }, userBasic(user));
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ success: false, result_text: 'Forbidden', result_data: { errors: ['Only administrators can manage custom fields'] } });
  });

  it('answers 401 without valid Basic credentials', async () => {
    for (const auth of [{}, basicAuth('admin', 'not-the-token-000000')]) {
      const response = await envoke('GET', '/v2/customfields', undefined, auth);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ success: false, result_text: 'Authentication failed', result_data: { errors: ['Invalid API ID or API key'] } });
    }
  });
});

describe('contact values through /v1/contacts and Kommo', () => {
  it('reads through Kommo a value written through Envoke, and the other way round', async () => {
    const widget = await createField({ name: 'widget_name', field_type: 'text' });
    const renewal = await createField({ name: 'renewal', field_type: 'date' });
    const contactId = await kommoContact();

    const written = await envoke('PATCH', `/v1/contacts/${contactId}`, { custom_fields: { widget_name: 'Gold Deluxe Model 5X33', renewal: '2025-03-01' } });
    expect(written.status).toBe(200);
    expect(written.body).toMatchObject({ success: true, result_data: { id: contactId, custom_fields: { widget_name: 'Gold Deluxe Model 5X33', renewal: '2025-03-01' } } });
    expect(await kommoValues(contactId)).toEqual([
      expect.objectContaining({ field_id: Number(widget.id), values: [{ value: 'Gold Deluxe Model 5X33' }] }),
      expect.objectContaining({ field_id: Number(renewal.id), values: [{ value: 1740787200 }] }),
    ]);

    await kommo(test, 'PATCH', `/api/v4/contacts/${contactId}`, { custom_fields_values: [{ field_id: Number(widget.id), values: [{ value: 'Silver' }] }] });
    expect((await envoke('GET', `/v1/contacts/${contactId}`)).body).toEqual({
      id: contactId,
      email: '',
      first_name: '',
      last_name: '',
      custom_fields: { renewal: '2025-03-01', widget_name: 'Silver' },
    });

    await envoke('PATCH', `/v1/contacts/${contactId}`, { custom_fields: { widget_name: '' } });
    expect(await kommoValues(contactId)).toEqual([expect.objectContaining({ field_id: Number(renewal.id) })]);
  });

  it('sets the contact\'s email as the first of its EMAIL values, keeping the others', async () => {
    const contactId = await kommoContact([{ field_code: 'EMAIL', values: [{ value: 'old@example.test', enum_code: 'PRIV' }, { value: 'desk@example.test', enum_code: 'WORK' }] }]);
    const written = await envoke('PATCH', `/v1/contacts/${contactId}`, { email: 'new@example.test', first_name: 'Jane' });
    expect(written.body).toMatchObject({ success: true, result_data: { email: 'new@example.test', first_name: 'Jane' } });
    expect(await kommoValues(contactId)).toEqual([
      expect.objectContaining({
        field_code: 'EMAIL',
        values: [
          { value: 'new@example.test', enum_id: expect.any(Number) as number, enum_code: 'PRIV' },
          { value: 'desk@example.test', enum_id: expect.any(Number) as number, enum_code: 'WORK' },
        ],
      }),
    ]);
    expect((await envoke('PATCH', `/v1/contacts/${contactId}`, { email: '' })).body).toEqual(failure("The field 'email' must be a non-empty string"));
  });

  it('takes back a contact as it was read, and refuses the properties it does not keep by name', async () => {
    const contactId = await kommoContact();
    const read = (await envoke('GET', `/v1/contacts/${contactId}`)).body as Json;
    expect((await envoke('PATCH', `/v1/contacts/${contactId}`, { ...read, email: 'jane@example.test' })).status).toBe(200);
    expect((await envoke('PATCH', `/v1/contacts/${contactId}`, { title: 'CEO', phone: '555' })).body).toEqual(
      failure("The field 'title' is not kept here; send first_name, last_name, email or custom_fields", "The field 'phone' is not kept here; send first_name, last_name, email or custom_fields"),
    );
    expect((await envoke('PATCH', `/v1/contacts/${contactId}`, { id: contactId + 1, first_name: 'Jo' })).body).toEqual(
      failure(`Provided 'id': ${contactId} does not match 'id' in request body (${contactId + 1})`),
    );
  });

  it('refuses unknown field names and invalid values, naming the field', async () => {
    await createField({ name: 'homepage', field_type: 'url' });
    const contactId = await kommoContact();
    expect((await envoke('PATCH', `/v1/contacts/${contactId}`, { custom_fields: { nope: 'x' } })).body).toEqual(failure("Unknown custom field 'nope'"));
    expect((await envoke('PATCH', `/v1/contacts/${contactId}`, { custom_fields: { homepage: 'not a url' } })).body).toEqual(
      failure("The field 'custom_fields.homepage' is invalid: This value is not a valid URL."),
    );
    expect((await envoke('PATCH', '/v1/contacts/999999', { custom_fields: { homepage: 'https://example.test' } })).body).toEqual(failure("Item with id '999999' not found"));
  });

  it('answers a contact id past the largest safe integer as one it does not have', async () => {
    const response = await envoke('GET', '/v1/contacts/99999999999999999999');
    expect(response.status).toBe(400);
    expect(response.body).toEqual(failure("Item with id '99999999999999999999' not found"));
  });
});

describe('over a listening port', () => {
  it('serves Envoke requests with Basic credentials', async () => {
    const address = await test.app.listen({ port: 0, host: '127.0.0.1' });
    const headers = { ...adminBasic(test), 'content-type': 'application/json' };
    const created = await fetch(`${address}/v2/customfields`, { method: 'POST', headers, body: JSON.stringify({ name: 'phone_number', field_type: 'text' }) });
    const id = ((await created.json()) as { result_data: { id: string } }).result_data.id;
    const patched = await fetch(`${address}/v2/customfields/${id}`, { method: 'PATCH', headers, body: JSON.stringify({ field_type: 'url' }) });
    expect(patched.status).toBe(400);
    expect(await patched.json()).toEqual(failure("The field 'field_type' cannot be changed after creation"));
  });
});
