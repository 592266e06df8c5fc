import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../support/app.js';

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

type Json = Record<string, unknown>;

async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
  const response = await test.app.inject({ method, url, headers: test.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: response.statusCode, body: response.body ? (JSON.parse(response.body) as Json) : null };
}

async function createField(entity: string, field: Json): Promise<Json & { id: number }> {
  const response = await call('POST', `/api/v4/${entity}/custom_fields`, [field]);
  if (response.status !== 200) throw new Error(`create failed: ${JSON.stringify(response.body)}`);
  return (response.body as { _embedded: { custom_fields: (Json & { id: number })[] } })._embedded.custom_fields[0]!;
}

async function createRecord(entity: string, record: Json): Promise<number> {
  const response = await call('POST', `/api/v4/${entity}`, [record]);
  if (response.status !== 200) throw new Error(`record create failed: ${JSON.stringify(response.body)}`);
  return ((response.body as { _embedded: Record<string, { id: number }[]> })._embedded[entity]![0]!).id;
}

async function valuesOf(entity: string, id: number): Promise<unknown> {
  return ((await call('GET', `/api/v4/${entity}/${id}`)).body as Json).custom_fields_values;
}

function oneError(code: string, path: string, detail: string) {
  return {
    title: 'Bad Request',
    type: 'https://httpstatus.es/400',
    status: 400,
    detail: 'Request validation failed',
    'validation-errors': [{ request_id: '0', errors: [{ code, path, detail }] }],
  };
}

async function valueEvents(fieldId: number) {
  const result = await sql<{ entity_type: string; entity_id: number; value_before: string; value_after: string }>`
    select entity_type, entity_id, value_before, value_after from events
    where account_id = 1 and type = ${`custom_field_${fieldId}_value_changed`} order by id`.execute(test.store.db);
  return result.rows.map((row) => ({ entity_type: row.entity_type, entity_id: Number(row.entity_id), value_before: JSON.parse(row.value_before) as unknown, value_after: JSON.parse(row.value_after) as unknown }));
}

describe('custom_fields_values through the lead, contact and company routes', () => {
  it('clears a field sent with values: null', async () => {
    const field = await createField('leads', { name: 'Source', type: 'text' });
    const lead = await createRecord('leads', { name: 'L', custom_fields_values: [{ field_id: field.id, values: [{ value: 'web' }] }] });
    const response = await call('PATCH', '/api/v4/leads', [{ id: lead, custom_fields_values: [{ field_id: field.id, values: null }] }]);
    expect(response.status).toBe(200);
    expect(await valuesOf('leads', lead)).toBeNull();
  });

  it('refuses values: [] as TooFew at custom_fields_values.0.values and keeps the value', async () => {
    const field = await createField('leads', { name: 'Source', type: 'text' });
    const lead = await createRecord('leads', { name: 'L', custom_fields_values: [{ field_id: field.id, values: [{ value: 'web' }] }] });
    const response = await call('PATCH', '/api/v4/leads', [{ id: lead, custom_fields_values: [{ field_id: field.id, values: [] }] }]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(oneError('TooFew', 'custom_fields_values.0.values', 'This collection should contain 1 element or more.'));
    expect(await valuesOf('leads', lead)).toMatchObject([{ field_id: field.id, values: [{ value: 'web' }] }]);
  });

  it('addresses a field by its code with field_code', async () => {
    const field = await createField('contacts', { name: 'Position', type: 'text', code: 'POSITION' });
    const contact = await createRecord('contacts', { name: 'C', custom_fields_values: [{ field_code: 'POSITION', values: [{ value: 'CTO' }] }] });
    expect(await valuesOf('contacts', contact)).toEqual([
      { field_id: field.id, field_name: 'Position', field_code: 'POSITION', field_type: 'text', values: [{ value: 'CTO' }] },
    ]);
  });

  it('refuses a field of another entity type as NotSupportedChoice at field_id', async () => {
    const companyField = await createField('companies', { name: 'Industry', type: 'text' });
    const response = await call('POST', '/api/v4/leads', [{ name: 'L', custom_fields_values: [{ field_id: companyField.id, values: [{ value: 'x' }] }] }]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(oneError('NotSupportedChoice', 'custom_fields_values.0.field_id', 'The value you selected is not a valid choice.'));
  });

  it('writes a predefined PHONE by field_code with enum_code and reads it back with its option', async () => {
    const phone = ((await call('GET', '/api/v4/contacts/custom_fields')).body as { _embedded: { custom_fields: (Json & { id: number; enums: Json[] })[] } })
      ._embedded.custom_fields.find((field) => field.code === 'PHONE')!;
    const mobile = phone.enums.find((option) => option.code === 'MOB')!;
    const contact = await createRecord('contacts', { name: 'C', custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+1 555 0100', enum_code: 'MOB' }] }] });
    expect(await valuesOf('contacts', contact)).toEqual([
      { field_id: phone.id, field_name: 'Phone', field_code: 'PHONE', field_type: 'multitext', values: [{ value: '+1 555 0100', enum_id: mobile.id, enum_code: 'MOB' }] },
    ]);
  });
});

describe('an option removed while records use it', () => {
  async function selectWithTwoOptions() {
    const field = await createField('leads', { name: 'Tier', type: 'select', enums: [{ value: 'Gold' }, { value: 'Silver' }] });
    const [gold, silver] = (field.enums as { id: number }[]).map((option) => option.id);
    return { field, gold: gold!, silver: silver! };
  }

  it('drops the value from the records holding it and keeps the others', async () => {
    const { field, gold, silver } = await selectWithTwoOptions();
    const goldLead = await createRecord('leads', { name: 'G', custom_fields_values: [{ field_id: field.id, values: [{ enum_id: gold }] }] });
    const silverLead = await createRecord('leads', { name: 'S', custom_fields_values: [{ field_id: field.id, values: [{ enum_id: silver }] }] });
    const response = await call('PATCH', '/api/v4/leads/custom_fields', [{ id: field.id, enums: [{ id: silver, value: 'Silver' }] }]);
    expect(response.status).toBe(200);
    expect(await valuesOf('leads', goldLead)).toBeNull();
    expect(await valuesOf('leads', silverLead)).toMatchObject([{ field_id: field.id, values: [{ value: 'Silver', enum_id: silver }] }]);
  });

  it('records the drop as a value change of the record', async () => {
    const { field, gold, silver } = await selectWithTwoOptions();
    const goldLead = await createRecord('leads', { name: 'G', custom_fields_values: [{ field_id: field.id, values: [{ enum_id: gold }] }] });
    await call('PATCH', '/api/v4/leads/custom_fields', [{ id: field.id, enums: [{ id: silver, value: 'Silver' }] }]);
    const events = await valueEvents(field.id);
    expect(events.at(-1)).toEqual({
      entity_type: 'lead',
      entity_id: goldLead,
      value_before: [{ custom_field_value: { field_id: field.id, field_type: 'select', enum_id: gold, text: 'Gold' } }],
      value_after: [],
    });
  });

  it('takes the dropped option out of the filter index', async () => {
    const { field, gold, silver } = await selectWithTwoOptions();
    await createRecord('leads', { name: 'G', custom_fields_values: [{ field_id: field.id, values: [{ enum_id: gold }] }] });
    await call('PATCH', '/api/v4/leads/custom_fields', [{ id: field.id, enums: [{ id: silver, value: 'Silver' }] }]);
    expect((await call('GET', `/api/v4/leads?filter[custom_fields_values][${field.id}][]=${gold}`)).status).toBe(204);
  });

  it('keeps the other chosen options of a multiselect', async () => {
    const field = await createField('leads', { name: 'Tags', type: 'multiselect', enums: [{ value: 'A' }, { value: 'B' }] });
    const [a, b] = (field.enums as { id: number }[]).map((option) => option.id);
    const lead = await createRecord('leads', { name: 'L', custom_fields_values: [{ field_id: field.id, values: [{ enum_id: a }, { enum_id: b }] }] });
    await call('PATCH', `/api/v4/leads/custom_fields/${field.id}`, { enums: [{ id: b, value: 'B' }] });
    expect(await valuesOf('leads', lead)).toMatchObject([{ field_id: field.id, values: [{ value: 'B', enum_id: b }] }]);
  });
});

describe('a deleted field', () => {
  it('leaves no values on the records that held it, and records each removal', async () => {
    const field = await createField('companies', { name: 'Industry', type: 'text' });
    const kept = await createField('companies', { name: 'Size', type: 'numeric' });
    const company = await createRecord('companies', {
      name: 'Acme',
      custom_fields_values: [{ field_id: field.id, values: [{ value: 'Retail' }] }, { field_id: kept.id, values: [{ value: 12 }] }],
    });
    expect((await call('DELETE', `/api/v4/companies/custom_fields/${field.id}`)).status).toBe(204);
    expect(await valuesOf('companies', company)).toEqual([
      { field_id: kept.id, field_name: 'Size', field_code: null, field_type: 'numeric', values: [{ value: '12' }] },
    ]);
    expect((await valueEvents(field.id)).at(-1)).toMatchObject({ entity_type: 'company', entity_id: company, value_after: [] });
  });
});
