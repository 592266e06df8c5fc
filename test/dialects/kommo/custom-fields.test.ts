import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../support/app.js';
import { createUser } from '../../support/access.js';
import { mainPipeline } from '../../support/fields.js';

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

const HOST = { host: 'devteam.kommo.test' };
const BASE = 'http://devteam.kommo.test/api/v4';

type Json = Record<string, unknown>;

async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, auth = test.auth) {
  const response = await test.app.inject({ method, url, headers: { ...auth, ...HOST }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: response.statusCode, body: response.body ? (JSON.parse(response.body) as Json) : null, type: response.headers['content-type'] };
}

async function createFields(entity: string, fields: Json[]): Promise<Json[]> {
  const response = await call('POST', `/api/v4/${entity}/custom_fields`, fields);
  if (response.status !== 200) throw new Error(`create failed: ${JSON.stringify(response.body)}`);
  return (response.body as { _embedded: { custom_fields: Json[] } })._embedded.custom_fields;
}

function problem(status: number, title: string, detail: string) {
  return { title, type: `https://httpstatus.es/${status}`, status, detail };
}

function validationErrors(items: { request_id: string; errors: { code: string; path: string; detail?: unknown }[] }[]) {
  return {
    ...problem(400, 'Bad Request', 'Request validation failed'),
    'validation-errors': items.map((item) => ({
      request_id: item.request_id,
      errors: item.errors.map((error) => ({ detail: expect.any(String), ...error })),
    })),
  };
}

async function storedEvents(type: string) {
  const result = await sql<{ type: string; entity_type: string; entity_id: number; value_before: string; value_after: string }>`
    select type, entity_type, entity_id, value_before, value_after from events where account_id = 1 and type = ${type} order by id`.execute(test.store.db);
  return result.rows.map((row) => ({ ...row, entity_id: Number(row.entity_id), value_before: JSON.parse(row.value_before) as unknown, value_after: JSON.parse(row.value_after) as unknown }));
}

describe('POST /api/v4/{entity}/custom_fields', () => {
  it('creates a select field and answers with the full object in Kommo\'s shape', async () => {
    const response = await call('POST', '/api/v4/leads/custom_fields', [
      { name: 'Client Type', type: 'select', enums: [{ value: 'New', sort: 500 }, { value: 'Regular', sort: 500, code: 'REG' }] },
    ]);
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/hal+json');
    const [field] = (response.body as { _embedded: { custom_fields: Json[] } })._embedded.custom_fields;
    const id = field!.id as number;
    expect(response.body).toEqual({
      _total_items: 1,
      _embedded: {
        custom_fields: [
          {
            id,
            name: 'Client Type',
            type: 'select',
            account_id: 1,
            code: null,
            sort: 500,
            is_api_only: false,
            enums: [
              { id: expect.any(Number), value: 'New', sort: 500 },
              { id: expect.any(Number), value: 'Regular', sort: 500, code: 'REG' },
            ],
            group_id: null,
            required_statuses: [],
            is_deletable: true,
            is_predefined: false,
            entity_type: 'leads',
            tracking_callback: null,
            remind: null,
            triggers: [],
            currency: null,
            hidden_statuses: [],
            chained_lists: null,
            request_id: '0',
            _links: { self: { href: `${BASE}/leads/custom_fields/${id}` } },
          },
        ],
      },
    });
  });

  it('keeps settings.whole_numbers on a numeric field, and refuses a fraction in a lead\'s value', async () => {
    const [seats] = await createFields('leads', [{ name: 'Seats', type: 'numeric', settings: { whole_numbers: true } }]);
    expect(seats).toMatchObject({ type: 'numeric', settings: { whole_numbers: true } });
    const response = await call('POST', '/api/v4/leads', [{ name: 'Half a seat', custom_fields_values: [{ field_id: seats!.id, values: [{ value: '2.5' }] }] }]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      validationErrors([{ request_id: '0', errors: [{ code: 'InvalidValue', path: 'custom_fields_values.0.values.0.value', detail: 'This value should be a whole number.' }] }]),
    );
  });

  it('keeps settings.user_ids on a numeric field: a lead\'s value must name a user of the account', async () => {
    const [manager] = await createFields('leads', [{ name: 'Account manager', type: 'numeric', settings: { user_ids: true } }]);
    expect(manager).toMatchObject({ type: 'numeric', settings: { user_ids: true } });
    const refused = await call('POST', '/api/v4/leads', [{ name: 'Nobody manages', custom_fields_values: [{ field_id: manager!.id, values: [{ value: 999 }] }] }]);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual(
      validationErrors([{ request_id: '0', errors: [{ code: 'NotSupportedChoice', path: 'custom_fields_values.0.values.0.value', detail: 'There is no user with id 999 in this account.' }] }]),
    );
    const added = await call('POST', '/api/v4/leads', [{ name: 'Admin manages', custom_fields_values: [{ field_id: manager!.id, values: [{ value: 1 }] }] }]);
    expect(added.status).toBe(200);
  });

  it('echoes the client\'s request_id on each created field', async () => {
    const created = await createFields('contacts', [
      { name: 'Nickname', type: 'text', request_id: 'first' },
      { name: 'Score', type: 'numeric', request_id: 'second' },
    ]);
    expect(created.map((field) => [field.name, field.request_id, field.entity_type])).toEqual([
      ['Nickname', 'first', 'contacts'],
      ['Score', 'second', 'contacts'],
    ]);
  });

  it('creates nothing when one item of the batch is invalid, and names that item by its request_id', async () => {
    const response = await call('POST', '/api/v4/leads/custom_fields', [
      { name: 'Fine', type: 'text', request_id: 'ok' },
      { name: 'Amount', type: 'monetary', request_id: 'no-currency' },
    ]);
    expect(response.status).toBe(400);
    expect(response.type).toBe('application/problem+json');
    expect(response.body).toEqual(validationErrors([{ request_id: 'no-currency', errors: [{ code: 'FieldMissing', path: 'currency', detail: 'This field is missing.' }] }]));
    expect((await call('GET', '/api/v4/leads/custom_fields')).status).toBe(204);
  });

  it('names every failing item, with read errors and meaning errors alike', async () => {
    const response = await call('POST', '/api/v4/leads/custom_fields', [
      { name: 42, type: 'text' },
      { name: 'Fine', type: 'text' },
      { name: 'Mystery', type: 'hologram', colour: 'red' },
    ]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      validationErrors([
        { request_id: '0', errors: [{ code: 'InvalidType', path: 'name', detail: 'This value should be of type string.' }] },
        { request_id: '2', errors: [{ code: 'FieldNotExpected', path: 'colour', detail: 'This field was not expected.' }] },
      ]),
    );
  });

  it('refuses a type it does not know as NotSupportedChoice at type', async () => {
    const response = await call('POST', '/api/v4/leads/custom_fields', [{ name: 'Mystery', type: 'hologram' }]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationErrors([{ request_id: '0', errors: [{ code: 'NotSupportedChoice', path: 'type' }] }]));
  });

  it('refuses a code used twice in one batch, naming the later item', async () => {
    const response = await call('POST', '/api/v4/leads/custom_fields', [
      { name: 'A', type: 'text', code: 'SAME' },
      { name: 'B', type: 'text', code: 'SAME' },
    ]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationErrors([{ request_id: '1', errors: [{ code: 'Duplicate', path: 'code', detail: 'A field with this code already exists.' }] }]));
  });

  it('refuses a code an existing field of the entity type already has', async () => {
    await createFields('leads', [{ name: 'A', type: 'text', code: 'SOURCE' }]);
    const response = await call('POST', '/api/v4/leads/custom_fields', [{ name: 'B', type: 'text', code: 'SOURCE' }]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationErrors([{ request_id: '0', errors: [{ code: 'Duplicate', path: 'code' }] }]));
  });

  it('allows the same code on another entity type', async () => {
    await createFields('leads', [{ name: 'A', type: 'text', code: 'SOURCE' }]);
    expect((await call('POST', '/api/v4/contacts/custom_fields', [{ name: 'B', type: 'text', code: 'SOURCE' }])).status).toBe(200);
  });

  it('refuses a stage gate on a stage that does not exist', async () => {
    const pipeline = await mainPipeline(test);
    const response = await call('POST', '/api/v4/leads/custom_fields', [
      { name: 'Gate', type: 'text', required_statuses: [{ pipeline_id: pipeline.id, status_id: 999_999 }] },
    ]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationErrors([{ request_id: '0', errors: [{ code: 'NotSupportedChoice', path: 'required_statuses.0.status_id' }] }]));
  });

  it('refuses a group_id that names no group', async () => {
    const response = await call('POST', '/api/v4/leads/custom_fields', [{ name: 'Grouped', type: 'text', group_id: 'leads_404' }]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationErrors([{ request_id: '0', errors: [{ code: 'NotSupportedChoice', path: 'group_id' }] }]));
  });

  it('refuses an id on create as FieldNotExpected', async () => {
    const response = await call('POST', '/api/v4/leads/custom_fields', [{ id: 5, name: 'A', type: 'text' }]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationErrors([{ request_id: '0', errors: [{ code: 'FieldNotExpected', path: 'id' }] }]));
  });

  it('answers 251 items with 422 Limit 250 per page', async () => {
    const items = Array.from({ length: 251 }, (_unused, index) => ({ name: `Field ${index}`, type: 'text' }));
    const response = await call('POST', '/api/v4/leads/custom_fields', items);
    expect(response.status).toBe(422);
    expect(response.body).toEqual(problem(422, 'Unprocessable Entity', 'Limit 250 per page'));
  });

  it('accepts exactly 250 items', async () => {
    const items = Array.from({ length: 250 }, (_unused, index) => ({ name: `Field ${index}`, type: 'text' }));
    const response = await call('POST', '/api/v4/leads/custom_fields', items);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ _total_items: 250 });
  });

  it('answers an object body on the collection with 405', async () => {
    const response = await call('POST', '/api/v4/leads/custom_fields', { name: 'A', type: 'text' });
    expect(response.status).toBe(405);
    expect(response.body).toEqual(problem(405, 'Method Not Allowed', 'Method Not Allowed'));
  });

  it('refuses a user who is not an administrator with 403', async () => {
    const user = await createUser(test, { login: 'manager' });
    const response = await call('POST', '/api/v4/leads/custom_fields', [{ name: 'A', type: 'text' }], user.auth);
    expect(response.status).toBe(403);
    expect(response.type).toBe('application/problem+json');
    expect(response.body).toEqual(problem(403, 'Forbidden', 'Only administrators can manage custom fields'));
  });

  it('lets a user who is not an administrator read the fields', async () => {
    await createFields('leads', [{ name: 'A', type: 'text' }]);
    const user = await createUser(test, { login: 'reader' });
    expect((await call('GET', '/api/v4/leads/custom_fields', undefined, user.auth)).status).toBe(200);
  });

  it('records a custom_field_added event per created field', async () => {
    const [field] = await createFields('leads', [{ name: 'Source', type: 'text', code: 'SRC' }]);
    expect(await storedEvents('custom_field_added')).toEqual([
      {
        type: 'custom_field_added',
        entity_type: 'custom_field',
        entity_id: field!.id,
        value_before: [],
        value_after: [{ custom_field: expect.objectContaining({ id: field!.id, name: 'Source', code: 'SRC', type: 'text', entityType: 'leads' }) }],
      },
    ]);
  });
});

describe('GET /api/v4/{entity}/custom_fields', () => {
  it('answers 204 with no body when the entity type has no fields', async () => {
    const response = await call('GET', '/api/v4/leads/custom_fields');
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('lists the predefined PHONE and EMAIL fields of contacts', async () => {
    const response = await call('GET', '/api/v4/contacts/custom_fields');
    expect(response.status).toBe(200);
    const fields = (response.body as { _embedded: { custom_fields: Json[] } })._embedded.custom_fields;
    expect(fields.map((field) => [field.code, field.type, field.is_predefined, field.is_deletable])).toEqual([
      ['PHONE', 'multitext', true, false],
      ['EMAIL', 'multitext', true, false],
    ]);
    expect((fields[0]!.enums as Json[]).map((option) => option.code)).toEqual(['WORK', 'WORKDD', 'MOB', 'FAX', 'HOME', 'OTHER']);
  });

  it('pages with _total_items, _page_count and next/prev links', async () => {
    await createFields('leads', Array.from({ length: 5 }, (_unused, index) => ({ name: `F${index}`, type: 'text', sort: index })));
    const response = await call('GET', '/api/v4/leads/custom_fields?page=2&limit=2');
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/hal+json');
    const body = response.body as Json & { _embedded: { custom_fields: Json[] } };
    expect({ ...body, _embedded: body._embedded.custom_fields.map((field) => field.name) }).toEqual({
      _total_items: 5,
      _page: 2,
      _page_count: 3,
      _links: {
        self: { href: `${BASE}/leads/custom_fields?page=2&limit=2` },
        next: { href: `${BASE}/leads/custom_fields?page=3&limit=2` },
        prev: { href: `${BASE}/leads/custom_fields?page=1&limit=2` },
      },
      _embedded: ['F2', 'F3'],
    });
  });

  it('answers a page past the end with 204', async () => {
    await createFields('leads', [{ name: 'Only', type: 'text' }]);
    expect((await call('GET', '/api/v4/leads/custom_fields?page=2')).status).toBe(204);
  });

  it('filters by type with filter[type][]', async () => {
    await createFields('leads', [
      { name: 'Text', type: 'text' },
      { name: 'Number', type: 'numeric' },
      { name: 'Flag', type: 'checkbox' },
    ]);
    const response = await call('GET', '/api/v4/leads/custom_fields?filter[type][]=numeric&filter[type][]=checkbox');
    expect((response.body as { _embedded: { custom_fields: Json[] } })._embedded.custom_fields.map((field) => field.name)).toEqual(['Number', 'Flag']);
  });

  it('orders by id descending with order[id]=desc', async () => {
    await createFields('leads', [
      { name: 'First', type: 'text', sort: 1 },
      { name: 'Second', type: 'text', sort: 2 },
    ]);
    const response = await call('GET', '/api/v4/leads/custom_fields?order[id]=desc');
    expect((response.body as { _embedded: { custom_fields: Json[] } })._embedded.custom_fields.map((field) => field.name)).toEqual(['Second', 'First']);
  });

  it('refuses an unknown type filter as NotSupportedChoice', async () => {
    const response = await call('GET', '/api/v4/leads/custom_fields?filter[type][]=hologram');
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationErrors([{ request_id: '0', errors: [{ code: 'NotSupportedChoice', path: 'filter.type.0' }] }]));
  });

  it('refuses a limit over 250 with 400', async () => {
    expect((await call('GET', '/api/v4/leads/custom_fields?limit=251')).status).toBe(400);
  });
});

describe('GET /api/v4/{entity}/custom_fields/{id}', () => {
  it('answers with the field object unwrapped', async () => {
    const [field] = await createFields('leads', [{ name: 'DOB', type: 'birthday', remind: 'day' }]);
    const response = await call('GET', `/api/v4/leads/custom_fields/${field!.id}`);
    expect(response.status).toBe(200);
    const { request_id: _requestId, ...read } = field!;
    expect(response.body).toEqual(read);
  });

  it('answers an unknown id with a 404 problem', async () => {
    const response = await call('GET', '/api/v4/leads/custom_fields/987654');
    expect(response.status).toBe(404);
    expect(response.body).toEqual(problem(404, 'Not Found', 'Custom field 987654 not found'));
  });

  it('answers the id of another entity type\'s field with 404', async () => {
    const [field] = await createFields('contacts', [{ name: 'A', type: 'text' }]);
    expect((await call('GET', `/api/v4/leads/custom_fields/${field!.id}`)).status).toBe(404);
  });
});

describe('PATCH /api/v4/{entity}/custom_fields', () => {
  it('round-trips seed 000\'s request body: every property it sends is stored', async () => {
    const pipelines = (await call('GET', '/api/v4/leads/pipelines')).body as { _embedded: { pipelines: { id: number; _embedded: { statuses: { id: number }[] } }[] } };
    const demo = pipelines._embedded.pipelines[0]!;
    const pipeline = { id: demo.id, second: demo._embedded.statuses[2]!.id };
    const group = (await call('POST', '/api/v4/leads/custom_fields/groups', [{ name: 'Details', sort: 3 }])).body as { _embedded: { custom_field_groups: Json[] } };
    const groupId = group._embedded.custom_field_groups[0]!.id as string;
    const [select, birthday, category] = await createFields('leads', [
      { name: 'Client type', type: 'select', enums: [{ value: 'New', sort: 1 }, { value: 'Regular', sort: 2 }] },
      { name: 'Birthday', type: 'birthday' },
      { name: 'Category', type: 'category', nested: [{ value: 'Root', sort: 1 }] },
    ]);
    const keptEnum = (select!.enums as Json[])[1]!.id as number;
    const root = (category!.nested as Json[])[0]!.id as number;

    const body = [
      {
        id: select!.id,
        name: 'Customer type',
        code: 'CUSTOMER_TYPE',
        sort: 10,
        group_id: groupId,
        is_api_only: true,
        required_statuses: [{ status_id: pipeline.second, pipeline_id: pipeline.id }],
        enums: [
          { id: keptEnum, value: 'Returning', sort: '1' },
          { value: 'Partner', sort: '2' },
        ],
      },
      { id: birthday!.id, name: 'Date of birth', sort: 20, remind: 'week', required_statuses: null },
      {
        id: category!.id,
        nested: [
          { id: root, parent_id: null, value: 'Products', sort: 1 },
          { value: 'Hardware', sort: 2, parent_id: root, request_id: 'hw' },
          { value: 'Laptops', sort: 3, parent_request_id: 'hw' },
        ],
      },
    ];
    const response = await call('PATCH', '/api/v4/leads/custom_fields', body);
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/hal+json');

    const read = async (id: unknown) => (await call('GET', `/api/v4/leads/custom_fields/${String(id)}`)).body as Json;
    const selectAfter = await read(select!.id);
    expect(selectAfter).toMatchObject({
      name: 'Customer type',
      code: 'CUSTOMER_TYPE',
      sort: 10,
      group_id: groupId,
      is_api_only: true,
      required_statuses: [{ status_id: pipeline.second, pipeline_id: pipeline.id }],
      enums: [
        { id: keptEnum, value: 'Returning', sort: 1 },
        { id: expect.any(Number), value: 'Partner', sort: 2 },
      ],
    });
    expect(await read(birthday!.id)).toMatchObject({ name: 'Date of birth', sort: 20, remind: 'week', required_statuses: [] });
    const nested = (await read(category!.id)).nested as Json[];
    const hardware = nested[1]!.id;
    expect(nested).toEqual([
      { id: root, parent_id: null, value: 'Products', sort: 1 },
      { id: expect.any(Number), parent_id: root, value: 'Hardware', sort: 2 },
      { id: expect.any(Number), parent_id: hardware, value: 'Laptops', sort: 3 },
    ]);
    // The answer shows what GET shows, plus the request ids.
    expect((response.body as { _embedded: { custom_fields: Json[] } })._embedded.custom_fields[0]).toEqual({ ...selectAfter, request_id: '0' });
  });

  it('answers an item without id with FieldMissing at id', async () => {
    const response = await call('PATCH', '/api/v4/leads/custom_fields', [{ name: 'No id' }]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationErrors([{ request_id: '0', errors: [{ code: 'FieldMissing', path: 'id', detail: 'This field is missing.' }] }]));
  });

  it('answers an id of no field of the entity type with NotFound at id', async () => {
    const response = await call('PATCH', '/api/v4/leads/custom_fields', [{ id: 424242, name: 'Ghost' }]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationErrors([{ request_id: '0', errors: [{ code: 'NotFound', path: 'id' }] }]));
  });

  it('refuses a change of type as Immutable', async () => {
    const [field] = await createFields('leads', [{ name: 'A', type: 'text' }]);
    const response = await call('PATCH', '/api/v4/leads/custom_fields', [{ id: field!.id, type: 'numeric' }]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationErrors([{ request_id: '0', errors: [{ code: 'Immutable', path: 'type' }] }]));
  });

  it('lets two fields swap their codes in one batch', async () => {
    const [a, b] = await createFields('leads', [
      { name: 'A', type: 'text', code: 'ALPHA' },
      { name: 'B', type: 'text', code: 'BETA' },
    ]);
    const response = await call('PATCH', '/api/v4/leads/custom_fields', [
      { id: a!.id, code: 'BETA' },
      { id: b!.id, code: 'ALPHA' },
    ]);
    expect(response.status).toBe(200);
    expect((response.body as { _embedded: { custom_fields: Json[] } })._embedded.custom_fields.map((field) => field.code)).toEqual(['BETA', 'ALPHA']);
  });

  it('changes nothing when one item of the batch is invalid', async () => {
    const [a, b] = await createFields('leads', [
      { name: 'A', type: 'text' },
      { name: 'B', type: 'text' },
    ]);
    const response = await call('PATCH', '/api/v4/leads/custom_fields', [
      { id: a!.id, name: 'Renamed' },
      { id: b!.id, name: '   ', request_id: 'blank' },
    ]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationErrors([{ request_id: 'blank', errors: [{ code: 'NotBlank', path: 'name' }] }]));
    expect((await call('GET', `/api/v4/leads/custom_fields/${String(a!.id)}`)).body).toMatchObject({ name: 'A' });
  });

  it('takes back what GET gave: a read object PATCHed unchanged is accepted', async () => {
    const [field] = await createFields('leads', [{ name: 'Kind', type: 'select', enums: [{ value: 'X' }] }]);
    const { request_id: _requestId, ...read } = field!;
    const response = await call('PATCH', '/api/v4/leads/custom_fields', [read]);
    expect(response.status).toBe(200);
    expect((response.body as { _embedded: { custom_fields: Json[] } })._embedded.custom_fields[0]).toEqual({ ...read, request_id: '0' });
  });

  it('records a custom_field_updated event with the changed properties only', async () => {
    const [field] = await createFields('leads', [{ name: 'A', type: 'text', sort: 5 }]);
    await call('PATCH', '/api/v4/leads/custom_fields', [{ id: field!.id, name: 'B', sort: 5 }]);
    expect(await storedEvents('custom_field_updated')).toEqual([
      {
        type: 'custom_field_updated',
        entity_type: 'custom_field',
        entity_id: field!.id,
        value_before: [{ custom_field: { id: field!.id, name: 'A' } }],
        value_after: [{ custom_field: { id: field!.id, name: 'B' } }],
      },
    ]);
  });

  it('answers 251 items with 422', async () => {
    const items = Array.from({ length: 251 }, (_unused, index) => ({ id: index + 1, name: 'x' }));
    expect((await call('PATCH', '/api/v4/leads/custom_fields', items)).status).toBe(422);
  });
});

describe('PATCH /api/v4/{entity}/custom_fields/{id}', () => {
  it('changes one field and answers with its object', async () => {
    const [field] = await createFields('leads', [{ name: 'Amount', type: 'monetary', currency: 'USD' }]);
    const response = await call('PATCH', `/api/v4/leads/custom_fields/${String(field!.id)}`, { currency: 'EUR', name: 'Amount (EUR)' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: field!.id, name: 'Amount (EUR)', currency: 'EUR', type: 'monetary' });
  });

  it('answers an array body with 405', async () => {
    const [field] = await createFields('leads', [{ name: 'A', type: 'text' }]);
    const response = await call('PATCH', `/api/v4/leads/custom_fields/${String(field!.id)}`, [{ name: 'B' }]);
    expect(response.status).toBe(405);
    expect(response.body).toEqual(problem(405, 'Method Not Allowed', 'Method Not Allowed'));
  });

  it('answers an unknown id with 404', async () => {
    expect((await call('PATCH', '/api/v4/leads/custom_fields/987654', { name: 'B' })).status).toBe(404);
  });

  it('refuses a user who is not an administrator with 403', async () => {
    const [field] = await createFields('leads', [{ name: 'A', type: 'text' }]);
    const user = await createUser(test, { login: 'manager' });
    expect((await call('PATCH', `/api/v4/leads/custom_fields/${String(field!.id)}`, { name: 'B' }, user.auth)).status).toBe(403);
  });
});

describe('DELETE /api/v4/{entity}/custom_fields/{id}', () => {
  it('deletes the field and answers 204 with an empty body', async () => {
    const [field] = await createFields('leads', [{ name: 'A', type: 'text' }]);
    const response = await call('DELETE', `/api/v4/leads/custom_fields/${String(field!.id)}`);
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
    expect((await call('GET', `/api/v4/leads/custom_fields/${String(field!.id)}`)).status).toBe(404);
    expect(await storedEvents('custom_field_deleted')).toMatchObject([{ entity_id: field!.id, value_after: [] }]);
  });

  it('refuses to delete the predefined PHONE field', async () => {
    const fields = (await call('GET', '/api/v4/contacts/custom_fields')).body as { _embedded: { custom_fields: Json[] } };
    const phone = fields._embedded.custom_fields.find((field) => field.code === 'PHONE')!;
    const response = await call('DELETE', `/api/v4/contacts/custom_fields/${String(phone.id)}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationErrors([{ request_id: '0', errors: [{ code: 'NotDeletable', path: 'id' }] }]));
    expect((await call('GET', `/api/v4/contacts/custom_fields/${String(phone.id)}`)).status).toBe(200);
  });

  it('answers an unknown id with 404', async () => {
    expect((await call('DELETE', '/api/v4/leads/custom_fields/987654')).status).toBe(404);
  });
});
