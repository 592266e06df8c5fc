import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uniformRights } from '../../../src/core/access/rights.js';
import { updateRecords } from '../../../src/core/records/write.js';
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

async function miarec(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, auth: Record<string, string> = adminBasic(test)) {
  const response = await jsonRequest(test, method, url, payload, auth);
  return { ...response, body: response.body as Json | null };
}

async function createField(field: Json): Promise<Json> {
  const response = await miarec('POST', '/api/v2/custom_fields.json', { custom_field: field });
  if (response.status !== 201) throw new Error(`field create failed: ${JSON.stringify(response.body)}`);
  return response.body!.custom_field as Json;
}

async function createCall(call: Json = {}): Promise<Json> {
  const response = await miarec('POST', '/api/v2/calls.json', { call: { from_number: '102', to_number: '101', ...call } });
  if (response.status !== 201) throw new Error(`call create failed: ${JSON.stringify(response.body)}`);
  return response.body!.call as Json;
}

/** The two fields of MiaRec's own examples. */
async function seedFields() {
  const payment = await createField({ name: 'Payment status', type: 'string', str_max_len: 10, enable: true, editable: true });
  const callType = await createField({ name: 'Call type', type: 'option', options: ['Collection call', 'Sales call'], enable: true, editable: true });
  return { payment: payment.field_id as string, callType: callType.field_id as string };
}

function valuesOf(call: Json): Record<string, unknown> {
  return Object.fromEntries((call.custom_fields as { name: string; value: unknown }[]).map((field) => [field.name, field.value]));
}

describe('PUT /api/v2/calls/{id}.json (seed 001)', () => {
  it('sets values by field_id and answers 200 with the call after the update', async () => {
    const { payment, callType } = await seedFields();
    const call = await createCall();
    const response = await miarec('PUT', `/api/v2/calls/${call.call_id as string}.json`, {
      call: { custom_fields: [{ field_id: payment, value: 'Unknown' }, { field_id: callType, value: 'Sales call' }] },
    });
    expect(response.status).toBe(200);
    const updated = response.body!.call as Json;
    expect(updated.call_id).toBe(call.call_id);
    expect(updated.custom_fields).toEqual([
      { field_id: payment, name: 'Payment status', value: 'Unknown' },
      { field_id: callType, name: 'Call type', value: 'Sales call' },
    ]);
  });

  it('sets values by name', async () => {
    await seedFields();
    const call = await createCall();
    const response = await miarec('PUT', `/api/v2/calls/${call.call_id as string}.json`, {
      call: { custom_fields: [{ name: 'Payment status', value: 'Unknown' }, { name: 'Call type', value: 'Sales call' }] },
    });
    expect(response.status).toBe(200);
    expect(valuesOf(response.body!.call as Json)).toEqual({ 'Payment status': 'Unknown', 'Call type': 'Sales call' });
  });

  it('ignores name when field_id is given too', async () => {
    const { payment } = await seedFields();
    const call = await createCall();
    const response = await miarec('PUT', `/api/v2/calls/${call.call_id as string}.json`, {
      call: { custom_fields: [{ field_id: payment, name: 'Call type', value: 'Paid' }] },
    });
    expect(response.status).toBe(200);
    expect(valuesOf(response.body!.call as Json)).toEqual({ 'Payment status': 'Paid', 'Call type': null });
  });

  it('changes only the listed fields', async () => {
    const { payment, callType } = await seedFields();
    const call = await createCall({ custom_fields: [{ field_id: payment, value: 'Paid' }, { field_id: callType, value: 'Collection call' }] });
    const response = await miarec('PUT', `/api/v2/calls/${call.call_id as string}.json`, { call: { custom_fields: [{ field_id: callType, value: 'Sales call' }] } });
    expect(valuesOf(response.body!.call as Json)).toEqual({ 'Payment status': 'Paid', 'Call type': 'Sales call' });
  });

  it.each([null, ''])('clears a value sent as %j', async (cleared) => {
    const { payment, callType } = await seedFields();
    const call = await createCall({ custom_fields: [{ field_id: payment, value: 'Paid' }, { field_id: callType, value: 'Sales call' }] });
    const response = await miarec('PUT', `/api/v2/calls/${call.call_id as string}.json`, {
      call: { custom_fields: [{ field_id: payment, name: 'Payment status', value: cleared }] },
    });
    expect(response.status).toBe(200);
    expect(valuesOf(response.body!.call as Json)).toEqual({ 'Payment status': null, 'Call type': 'Sales call' });
    const [stored] = await test.store.repos.records.list(1, 'calls', { names: [call.call_id as string], order: [{ field: 'id', direction: 'asc' }], offset: 0, limit: 1 });
    expect(stored!.customFields).toHaveLength(1);
  });

  it('answers 403 when the user lacks the Edit right on calls', async () => {
    const { payment } = await seedFields();
    const call = await createCall();
    const rights = uniformRights('all');
    rights.calls.edit = 'none';
    const viewer = await createUser(test, { login: 'viewer', rights });
    const response = await miarec('PUT', `/api/v2/calls/${call.call_id as string}.json`, { call: { custom_fields: [{ field_id: payment, value: 'Paid' }] } }, userBasic(viewer));
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ error: 'Forbidden', description: 'Access is denied: You have no right to edit calls' });
  });

  it('answers 403 when the field is not editable', async () => {
    const locked = await createField({ name: 'Locked', type: 'string', enable: true, editable: false });
    const call = await createCall();
    const response = await miarec('PUT', `/api/v2/calls/${call.call_id as string}.json`, { call: { custom_fields: [{ field_id: locked.field_id, value: 'x' }] } });
    expect(response.status).toBe(403);
    expect(response.body!.error).toBe('Forbidden');
  });

  it('answers 400 InvalidRecord with a detail per bad item', async () => {
    const { payment, callType } = await seedFields();
    const call = await createCall();
    const tooLong = await miarec('PUT', `/api/v2/calls/${call.call_id as string}.json`, { call: { custom_fields: [{ field_id: payment, value: 'Far too long a value' }] } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.headers['content-type']).toMatch(/^application\/json/);
    expect(tooLong.body).toEqual({ error: 'InvalidRecord', description: 'Record Validation errors', details: { 'custom_fields.0.value': 'Value is too long' } });

    await createField({ name: 'Notes', type: 'string', enable: true });
    const several = await miarec('PUT', `/api/v2/calls/${call.call_id as string}.json`, {
      call: { custom_fields: [{ name: 'Notes', value: 'Fine' }, { field_id: payment, value: 'Far too long a value' }, { field_id: callType, value: 'Cold call' }] },
    });
    expect(several.body).toEqual({
      error: 'InvalidRecord',
      description: 'Record Validation errors',
      details: { 'custom_fields.1.value': 'Value is too long', 'custom_fields.2.value': 'Value is not one of the allowed options' },
    });
    const unchanged = await miarec('GET', `/api/v2/calls/${call.call_id as string}.json`);
    expect(valuesOf(unchanged.body!.call as Json)).toEqual({ 'Payment status': null, 'Call type': null, Notes: null });
  });

  it('answers 400 for fields that do not exist, named by id or by name', async () => {
    await seedFields();
    const call = await createCall();
    const response = await miarec('PUT', `/api/v2/calls/${call.call_id as string}.json`, {
      call: { custom_fields: [{ field_id: '00000000-0000-4000-8000-000000000000', value: 'x' }, { name: 'Nope', value: 'x' }, { value: 'x' }] },
    });
    expect(response.status).toBe(400);
    expect(response.body!.details).toEqual({
      'custom_fields.0.field_id': 'Custom field not found',
      'custom_fields.1.name': 'Custom field not found',
      'custom_fields.2.field_id': 'Value is required',
    });
  });

  it('answers 400 for a body without a call object', async () => {
    const call = await createCall();
    const response = await miarec('PUT', `/api/v2/calls/${call.call_id as string}.json`, { custom_fields: [] });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'InvalidRecord', description: 'Record Validation errors', details: { call: 'Value is required' } });
  });

  it('answers 404 for an unknown call', async () => {
    const response = await miarec('PUT', '/api/v2/calls/e03f497d-0000-4000-8000-000000000000.json', { call: { custom_fields: [] } });
    expect(response.status).toBe(404);
    expect(response.body!.error).toBe('NotFound');
    expect((await miarec('GET', '/api/v2/calls/e03f497d-0000-4000-8000-000000000000.json')).status).toBe(404);
  });

  it('answers 401 without credentials or with wrong ones', async () => {
    const call = await createCall();
    for (const auth of [{}, basicAuth('admin', 'wrong-token-0123456789'), basicAuth('someone', test.token), { authorization: `Bearer ${test.token}` }]) {
      const response = await miarec('PUT', `/api/v2/calls/${call.call_id as string}.json`, { call: { custom_fields: [] } }, auth);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: 'Unauthorized', description: 'Missing or invalid credentials' });
      expect(response.headers['www-authenticate']).toBe('Basic realm="MiaRec"');
    }
  });

  it('accepts the login in any letter case, as logins are told apart', async () => {
    const call = await createCall();
    const response = await miarec('GET', `/api/v2/calls/${call.call_id as string}.json`, undefined, basicAuth('ADMIN', test.token));
    expect(response.status).toBe(200);
  });
});

describe('calls', () => {
  it('creates a call and reads it back with MiaRec times', async () => {
    const created = await miarec('POST', '/api/v2/calls.json', {
      call: {
        call_id: 'E03F497D-1111-4000-8000-000000000001',
        protocol_call_direction: 2,
        from_number: '+1 (555) 010-0199',
        to_number: '101',
        setup_time: '2013-10-12T16:32:22-0800',
        connect_time: '2013-10-12T16:32:30-08:00',
        disconnect_time: '2013-10-13T00:35:30Z',
        recording_url: 'https://recordings.example.test/1.wav',
      },
    });
    expect(created.status).toBe(201);
    const call = created.body!.call as Json;
    expect(call).toEqual({
      call_id: 'e03f497d-1111-4000-8000-000000000001',
      protocol_call_direction: 2,
      from_number: '+1 (555) 010-0199',
      to_number: '101',
      setup_time: '2013-10-13T00:32:22+0000',
      connect_time: '2013-10-13T00:32:30+0000',
      disconnect_time: '2013-10-13T00:35:30+0000',
      duration: 180,
      recording_url: 'https://recordings.example.test/1.wav',
      call_state: null,
      parent_call_id: null,
      interaction_id: null,
      protocol_call_id: null,
      is_conference: null,
      recorder_id: null,
      user_id: '1',
      contact_id: null,
      lead_id: null,
      custom_fields: [],
    });
    const read = await miarec('GET', '/api/v2/calls/e03f497d-1111-4000-8000-000000000001.json');
    expect(read.body).toEqual({ call });
  });

  it('keeps the recorder\'s own call attributes and reads them back', async () => {
    const attributes = {
      call_state: 6,
      parent_call_id: 'e03f497d-1111-4000-8000-000000000009',
      interaction_id: 'interaction-42',
      protocol_call_id: '3c26f1a2@10.0.0.5',
      is_conference: false,
      recorder_id: 'b1946ac9-2222-4000-8000-000000000001',
    };
    const call = await createCall(attributes);
    expect(call).toMatchObject(attributes);
    expect((await miarec('GET', `/api/v2/calls/${call.call_id as string}.json`)).body).toMatchObject({ call: attributes });
  });

  it('refuses a call key it would not keep, and a call_state that is not a number', async () => {
    const response = await miarec('POST', '/api/v2/calls.json', { call: { from_number: '1', to_number: '2', participants: [], call_state: 'done' } });
    expect(response.status).toBe(400);
    expect(response.body!.details).toEqual({ participants: 'This field was not expected', call_state: 'Value has an invalid type' });
  });

  it("writes times in the account's time zone as +HHMM", async () => {
    await test.store.db.updateTable('accounts').set({ timezone: 'Asia/Singapore' }).where('id', '=', 1).execute();
    const call = await createCall({ setup_time: '2014-06-10T05:45:51Z' });
    expect(call.setup_time).toBe('2014-06-10T13:45:51+0800');
  });

  it('refuses an invalid call with every error', async () => {
    const response = await miarec('POST', '/api/v2/calls.json', { call: { call_id: 'nope', to_number: 5, setup_time: 'yesterday' } });
    expect(response.status).toBe(400);
    expect(response.body!.details).toEqual({
      call_id: 'This value should be a UUID',
      from_number: 'Value is required',
      to_number: 'Value has an invalid type',
      setup_time: 'This value should be a time such as 2014-06-10T13:45:51+0800',
    });
    const duplicate = await createCall();
    const again = await miarec('POST', '/api/v2/calls.json', { call: { call_id: duplicate.call_id, from_number: '1', to_number: '2' } });
    expect(again.body!.details).toEqual({ call_id: 'A call with this call_id already exists' });
  });

  it('records one call when several requests race with the same call_id, and refuses the others as duplicates', async () => {
    const callId = '3a7f1c2e-5b6d-4e8f-9a0b-1c2d3e4f5a6b';
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => miarec('POST', '/api/v2/calls.json', { call: { call_id: callId, from_number: '1', to_number: '2' } })),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([201, 400, 400, 400, 400, 400]);
    for (const refused of responses.filter((response) => response.status === 400)) {
      expect(refused.body).toEqual({ error: 'InvalidRecord', description: 'Record Validation errors', details: { call_id: 'A call with this call_id already exists' } });
    }
    const listed = await miarec('GET', '/api/v2/calls.json');
    expect((listed.body!.calls as Json[]).map((call) => call.call_id)).toEqual([callId]);
  });

  it('links a call to the contact whose phone matches its numbers, and to that contact’s lead', async () => {
    const contact = await kommo(test, 'POST', '/api/v4/contacts', [
      { name: 'Jane Caller', custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+1 (555) 010-0199', enum_code: 'WORK' }] }] },
    ]);
    const contactId = (contact.body as { _embedded: { contacts: { id: number }[] } })._embedded.contacts[0]!.id;
    const lead = await kommo(test, 'POST', '/api/v4/leads', [{ name: 'Deal', _embedded: { contacts: [{ id: contactId }] } }]);
    const leadId = (lead.body as { _embedded: { leads: { id: number }[] } })._embedded.leads[0]!.id;

    const call = await createCall({ from_number: '15550100199', to_number: '101' });
    expect(call).toMatchObject({ contact_id: contactId, lead_id: leadId });
    const unmatched = await createCall({ from_number: '999', to_number: '101' });
    expect(unmatched).toMatchObject({ contact_id: null, lead_id: null });
  });

  it('reads back through MiaRec a value written through the core, and the other way round', async () => {
    const { payment, callType } = await seedFields();
    const call = await createCall();
    const [record] = await test.store.repos.records.list(1, 'calls', { names: [call.call_id as string], order: [{ field: 'id', direction: 'asc' }], offset: 0, limit: 1 });
    const definitions = await test.store.repos.fields.list(1, 'calls');
    const byUuid = (uuid: string) => definitions.find((definition) => definition.uuid === uuid)!;
    const principal = { accountId: 1, userId: 1, role: 'admin' as const, rights: uniformRights('all'), tokenId: 1 };
    await updateRecords({ store: test.store, principal, clock: () => 1_700_000_000 }, 'calls', [
      { id: record!.id, customFieldsValues: [{ field_id: byUuid(callType).id, values: [{ enum_code: null, value: 'Collection call' }] }] },
    ]);
    const read = await miarec('GET', `/api/v2/calls/${call.call_id as string}.json`);
    expect(valuesOf(read.body!.call as Json)).toEqual({ 'Payment status': null, 'Call type': 'Collection call' });

    await miarec('PUT', `/api/v2/calls/${call.call_id as string}.json`, { call: { custom_fields: [{ name: 'Payment status', value: 'Paid' }] } });
    const [stored] = await test.store.repos.records.getMany(1, 'calls', [record!.id]);
    const collection = byUuid(callType).enums!.find((option) => option.value === 'Collection call')!;
    expect(stored!.customFields).toEqual([
      { field_id: byUuid(callType).id, values: [{ value: 'Collection call', enum_id: collection.id, enum_code: null }] },
      { field_id: byUuid(payment).id, values: [{ value: 'Paid' }] },
    ]);
  });
});

describe('GET /api/v2/calls.json', () => {
  it('pages with limit and start, with next_url and total only on the last page', async () => {
    for (let minute = 0; minute < 5; minute++) await createCall({ setup_time: `2024-01-01T10:0${minute}:00Z` });
    const first = await miarec('GET', '/api/v2/calls.json?limit=2&sort_order=asc');
    expect(first.status).toBe(200);
    expect((first.body!.calls as Json[]).map((call) => call.setup_time)).toEqual(['2024-01-01T10:00:00+0000', '2024-01-01T10:01:00+0000']);
    expect(first.body!.next_url).toBe('/api/v2/calls.json?limit=2&sort_order=asc&start=2');
    expect(first.body).not.toHaveProperty('total');
    const last = await miarec('GET', '/api/v2/calls.json?limit=2&sort_order=asc&start=4');
    expect(last.body).toEqual({ calls: [expect.objectContaining({ setup_time: '2024-01-01T10:04:00+0000' })], next_url: null, total: 5 });
    const tooMany = await miarec('GET', '/api/v2/calls.json?limit=1001');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body!.details).toEqual({ limit: 'Value is out of range' });
  });

  it('finds a call by either of its numbers, written in any format', async () => {
    await createCall({ from_number: '+1 (800) 555-0102', to_number: '7001' });
    await createCall({ from_number: '+44 20 7946 0000', to_number: '7002' });
    const found = async (term: string) =>
      ((await miarec('GET', `/api/v2/calls.json?search_term=${encodeURIComponent(term)}`)).body!.calls as Json[]).map((call) => call.to_number);
    expect(await found('18005550102')).toEqual(['7001']);
    expect(await found('7002')).toEqual(['7002']);
  });

  it('filters by daterange, user_id and search_term', async () => {
    const agent = await createUser(test, { login: 'agent' });
    const { payment } = await seedFields();
    await createCall({ setup_time: '2024-01-01T10:00:00Z', custom_fields: [{ field_id: payment, value: 'Refund' }] });
    await createCall({ setup_time: '2024-01-02T23:59:59Z', user_id: agent.user.id });
    await createCall({ setup_time: '2024-01-03T00:00:00Z' });
    const count = async (query: string) => ((await miarec('GET', `/api/v2/calls.json?${query}`)).body!.calls as Json[]).length;
    expect(await count('daterange=2024/01/01-2024/01/02')).toBe(2);
    expect(await count('daterange=2024/01/03-2024/01/03')).toBe(1);
    expect(await count(`user_id=${agent.user.id}`)).toBe(1);
    expect(await count('search_term=refund')).toBe(1);
    const bad = await miarec('GET', '/api/v2/calls.json?daterange=yesterday');
    expect(bad.status).toBe(400);
  });

  it('refuses a group filter rather than answering every call', async () => {
    const response = await miarec('GET', '/api/v2/calls.json?group_id=e03f497d-0000-4000-8000-000000000000');
    expect(response).toMatchObject({ status: 400, body: { error: 'InvalidRecord', details: { group_id: 'Groups are not modelled here; filter by user_id' } } });
  });
});

describe('over a listening port', () => {
  it('serves MiaRec requests with Basic credentials', async () => {
    const { payment } = await seedFields();
    const call = await createCall();
    const address = await test.app.listen({ port: 0, host: '127.0.0.1' });
    const headers = { ...adminBasic(test), 'content-type': 'application/json', accept: 'application/json' };
    const put = await fetch(`${address}/api/v2/calls/${call.call_id as string}.json`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ call: { custom_fields: [{ field_id: payment, value: 'Unknown' }] } }),
    });
    expect(put.status).toBe(200);
    expect(valuesOf(((await put.json()) as { call: Json }).call)).toEqual({ 'Payment status': 'Unknown', 'Call type': null });
    const unauthorised = await fetch(`${address}/api/v2/calls.json`);
    expect(unauthorised.status).toBe(401);
  });
});
