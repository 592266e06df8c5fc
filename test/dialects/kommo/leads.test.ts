import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secondAccount, startTestApp, type TestApp } from '../../support/app.js';
import { defineField, mainPipeline } from '../../support/fields.js';
import { validationErrors } from '../../support/kommo.js';
import { authenticate } from '../../../src/core/access/authenticate.js';
import { deleteRecords } from '../../../src/core/records/delete.js';

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

const HOST = { host: 'devteam.kommo.test' };

async function call(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  const response = await test.app.inject({ method, url, headers: { ...test.auth, ...HOST }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: response.statusCode, body: response.body ? (JSON.parse(response.body) as Record<string, unknown>) : null, type: response.headers['content-type'] };
}

async function lead(id: number) {
  return (await call('GET', `/api/v4/leads/${id}`)).body as Record<string, unknown>;
}

describe('seed 004: adding and updating leads', () => {
  it('adds the two example leads and answers with their ids and request ids', async () => {
    const pipeline = await mainPipeline(test);
    const sale = await defineField(test, 'leads', { name: 'Sale', type: 'checkbox' });
    const response = await call('POST', '/api/v4/leads', [
      {
        name: 'Example Lead 1',
        created_by: 1,
        price: 20000,
        status_id: pipeline.second,
        pipeline_id: pipeline.id,
        custom_fields_values: [{ field_id: sale.id, values: [{ value: true }] }],
      },
      { name: 'Example Lead 2', price: 10000 },
    ]);
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/hal+json');
    expect(response.body).toEqual({
      _links: { self: { href: 'http://devteam.kommo.test/api/v4/leads' } },
      _embedded: {
        leads: [
          { id: 1, request_id: '0', _links: { self: { href: 'http://devteam.kommo.test/api/v4/leads/1' } } },
          { id: 2, request_id: '1', _links: { self: { href: 'http://devteam.kommo.test/api/v4/leads/2' } } },
        ],
      },
    });
    expect(await lead(1)).toMatchObject({
      name: 'Example Lead 1',
      price: 20000,
      status_id: pipeline.second,
      pipeline_id: pipeline.id,
      created_by: 1,
      custom_fields_values: [{ field_id: sale.id, field_name: 'Sale', field_code: null, field_type: 'checkbox', values: [{ value: true }] }],
    });
  });

  it('updates the two example leads and answers with their ids and update times', async () => {
    const pipeline = await mainPipeline(test);
    const sale = await defineField(test, 'leads', { name: 'Sale', type: 'checkbox' });
    await call('POST', '/api/v4/leads', [{ name: 'a' }, { name: 'b' }]);
    const response = await call('PATCH', '/api/v4/leads', [
      { id: 2, name: 'Lead with Sam', price: 12000, status_id: pipeline.third, custom_fields_values: [{ field_id: sale.id, values: [{ value: true }] }] },
      { id: 1, price: 15000, pipeline_id: pipeline.id },
    ]);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      _links: { self: { href: 'http://devteam.kommo.test/api/v4/leads' } },
      _embedded: {
        leads: [
          { id: 2, updated_at: expect.any(Number), request_id: '0', _links: { self: { href: 'http://devteam.kommo.test/api/v4/leads/2' } } },
          { id: 1, updated_at: expect.any(Number), request_id: '1', _links: { self: { href: 'http://devteam.kommo.test/api/v4/leads/1' } } },
        ],
      },
    });
    expect(await lead(2)).toMatchObject({ name: 'Lead with Sam', price: 12000, status_id: pipeline.third });
    expect(await lead(1)).toMatchObject({ name: 'a', price: 15000 });
  });
});

describe('reading leads', () => {
  it('answers a missing lead with 204 and an empty body', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/api/v4/leads/999', headers: test.auth });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
  });

  it('refuses an id larger than any it hands out with 400 at params.id, on either store', async () => {
    const response = await call('GET', '/api/v4/leads/99999999999999999999');
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      validationErrors({ request_id: '0', errors: [{ code: 'InvalidType', path: 'params.id', detail: 'This value must be <= 9007199254740991.' }] }),
    );
  });

  it('answers an empty list with 204 and an empty body', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/api/v4/leads', headers: test.auth });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
  });

  it('renders the whole lead model', async () => {
    const pipeline = await mainPipeline(test);
    await call('POST', '/api/v4/leads', [{ name: 'Model', price: 5, created_at: 1_600_000_000, _embedded: { tags: [{ name: 'vip' }] } }]);
    const body = await lead(1);
    expect(body).toEqual({
      id: 1,
      name: 'Model',
      price: 5,
      responsible_user_id: 1,
      group_id: 0,
      status_id: pipeline.first,
      pipeline_id: pipeline.id,
      loss_reason_id: null,
      created_by: 1,
      updated_by: 1,
      created_at: 1_600_000_000,
      updated_at: expect.any(Number),
      closed_at: null,
      closest_task_at: null,
      is_deleted: false,
      custom_fields_values: null,
      score: null,
      account_id: 1,
      labor_cost: null,
      is_price_computed: false,
      _links: { self: { href: 'http://devteam.kommo.test/api/v4/leads/1' } },
      _embedded: { tags: [{ id: expect.any(Number), name: 'vip', color: null }], companies: [] },
    });
  });

  it('pages through a list with HAL links until the last page', async () => {
    await call('POST', '/api/v4/leads', Array.from({ length: 5 }, (_, index) => ({ name: `Lead ${index + 1}` })));
    const first = await call('GET', '/api/v4/leads?limit=2');
    expect(first.body?._page).toBe(1);
    expect(first.body?._links).toEqual({
      self: { href: 'http://devteam.kommo.test/api/v4/leads?limit=2&page=1' },
      next: { href: 'http://devteam.kommo.test/api/v4/leads?limit=2&page=2' },
    });
    const names: string[] = [];
    let url: string | undefined = '/api/v4/leads?limit=2';
    while (url) {
      const page = await call('GET', url);
      const embedded = (page.body?._embedded as { leads: { name: string }[] }).leads;
      names.push(...embedded.map((item) => item.name));
      const next = (page.body?._links as { next?: { href: string } }).next?.href;
      url = next ? next.replace('http://devteam.kommo.test', '') : undefined;
    }
    expect(names).toEqual(['Lead 1', 'Lead 2', 'Lead 3', 'Lead 4', 'Lead 5']);
    const last = await call('GET', '/api/v4/leads?limit=2&page=3');
    expect(last.body?._links).toEqual({
      self: { href: 'http://devteam.kommo.test/api/v4/leads?limit=2&page=3' },
      prev: { href: 'http://devteam.kommo.test/api/v4/leads?limit=2&page=2' },
    });
    expect((await call('GET', '/api/v4/leads?limit=2&page=4')).status).toBe(204);
  });

  it('refuses a limit above 250', async () => {
    expect((await call('GET', '/api/v4/leads?limit=251')).status).toBe(400);
  });
});

describe('filters', () => {
  beforeEach(async () => {
    const pipeline = await mainPipeline(test);
    const budget = await defineField(test, 'leads', { name: 'Budget', type: 'numeric' });
    const kind = await defineField(test, 'leads', { name: 'Kind', type: 'select', enums: [{ value: 'New' }, { value: 'Regular' }] });
    expect([budget.id, kind.id]).toEqual([5, 6]);
    await call('POST', '/api/v4/leads', [
      { name: 'Alpha', price: 100, created_at: 1000, custom_fields_values: [{ field_id: 5, values: [{ value: 10 }] }, { field_id: 6, values: [{ value: 'New' }] }] },
      { name: 'Beta', price: 200, created_at: 2000, status_id: pipeline.second, custom_fields_values: [{ field_id: 5, values: [{ value: 20 }] }, { field_id: 6, values: [{ value: 'Regular' }] }] },
      { name: 'Gamma', price: 300, created_at: 3000, status_id: 142, custom_fields_values: [{ field_id: 5, values: [{ value: 30 }] }] },
    ]);
  });

  async function names(query: string) {
    const response = await call('GET', `/api/v4/leads?${query}`);
    if (response.status === 204) return [];
    return (response.body?._embedded as { leads: { name: string }[] }).leads.map((item) => item.name);
  }

  it('filters by one id and by many', async () => {
    expect(await names('filter[id]=2')).toEqual(['Beta']);
    expect(await names('filter[id][]=1&filter[id][]=3')).toEqual(['Alpha', 'Gamma']);
  });

  /** The status and validation errors of a list request that must be refused. */
  async function refusal(query: string) {
    const response = await call('GET', `/api/v4/leads?${query}`);
    return { status: response.status, errors: response.body?.['validation-errors'] };
  }

  it('refuses an id filter past the largest safe integer at its own path', async () => {
    expect(await refusal('filter[id][]=2&filter[id][]=99999999999999999999')).toEqual({
      status: 400,
      errors: [{ request_id: '0', errors: [{ code: 'InvalidType', path: 'filter.id.1', detail: 'This value should be of type int.' }] }],
    });
  });

  it('reads a fractional or enormous price bound as the whole prices it admits', async () => {
    expect(await names('filter[price][from]=199.5')).toEqual(['Beta', 'Gamma']);
    expect(await names('filter[price][to]=200.5')).toEqual(['Alpha', 'Beta']);
    expect(await names('filter[price][to]=1e20')).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(await names('filter[price][from]=1e20')).toEqual([]);
  });

  it('refuses a page past 2147483647 with 400', async () => {
    expect(await refusal('page=2147483648')).toEqual({
      status: 400,
      errors: [{ request_id: '0', errors: [{ code: 'InvalidType', path: 'querystring.page', detail: 'This value must be <= 2147483647.' }] }],
    });
  });

  it('filters by name', async () => {
    expect(await names('filter[name]=Gamma')).toEqual(['Gamma']);
  });

  it('filters by price and created_at ranges', async () => {
    expect(await names('filter[price][from]=150&filter[price][to]=300')).toEqual(['Beta', 'Gamma']);
    expect(await names('filter[created_at][from]=1500&filter[created_at][to]=2500')).toEqual(['Beta']);
  });

  it('filters by closed_at once a lead is closed', async () => {
    expect(await names('filter[closed_at][from]=1')).toEqual(['Gamma']);
  });

  it('filters by responsible user and pipeline', async () => {
    const pipeline = await mainPipeline(test);
    expect(await names('filter[responsible_user_id]=1')).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(await names(`filter[pipeline_id][]=${pipeline.id}`)).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(await names('filter[responsible_user_id]=2')).toEqual([]);
  });

  it('orders by every order key in turn, then by id', async () => {
    await call('POST', '/api/v4/leads', [{ name: 'Delta', created_at: 3000 }]);
    expect(await names('order[created_at]=desc&order[id]=desc')).toEqual(['Delta', 'Gamma', 'Beta', 'Alpha']);
    expect(await names('order[created_at]=desc&order[id]=asc')).toEqual(['Gamma', 'Delta', 'Beta', 'Alpha']);
  });

  it('filters by the user who created and who last changed a lead', async () => {
    await call('POST', '/api/v4/leads', [{ name: 'By the robot', created_by: 0, updated_by: 0 }]);
    expect(await names('filter[created_by]=0')).toEqual(['By the robot']);
    expect(await names('filter[created_by][]=1')).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(await names('filter[updated_by][]=0&filter[updated_by][]=1')).toEqual(['Alpha', 'Beta', 'Gamma', 'By the robot']);
    expect(await names('filter[updated_by]=0')).toEqual(['By the robot']);
  });

  it('filters by statuses given as pipeline and stage pairs', async () => {
    const pipeline = await mainPipeline(test);
    expect(await names(`filter[statuses][0][pipeline_id]=${pipeline.id}&filter[statuses][0][status_id]=${pipeline.second}&filter[statuses][1][pipeline_id]=${pipeline.id}&filter[statuses][1][status_id]=142`)).toEqual([
      'Beta',
      'Gamma',
    ]);
  });

  it('filters by a custom field value, by enum and by range', async () => {
    expect(await names('filter[custom_fields_values][6][]=New')).toEqual(['Alpha']);
    const kind = (await test.store.repos.fields.list(1)).find((field) => field.id === 6)!;
    const regular = kind.enums!.find((option) => option.value === 'Regular')!.id;
    expect(await names(`filter[custom_fields_values][6][]=${regular}`)).toEqual(['Beta']);
    expect(await names('filter[custom_fields_values][5][from]=15&filter[custom_fields_values][5][to]=30')).toEqual(['Beta', 'Gamma']);
  });

  it('searches names and filled fields with query', async () => {
    expect(await names('query=gam')).toEqual(['Gamma']);
    expect(await names('query=regular')).toEqual(['Beta']);
  });

  it('orders by created_at descending', async () => {
    expect(await names('order[created_at]=desc')).toEqual(['Gamma', 'Beta', 'Alpha']);
  });

  it('refuses an unknown filter with its path', async () => {
    const response = await call('GET', '/api/v4/leads?filter[colour]=red');
    expect(response.status).toBe(400);
    expect(response.body?.['validation-errors']).toEqual([{ request_id: '0', errors: [{ code: 'FieldNotExpected', path: 'filter.colour', detail: 'This field was not expected.' }] }]);
  });
});

describe('writing leads', () => {
  it('answers a single object sent to the batch endpoint with 405', async () => {
    const response = await call('PATCH', '/api/v4/leads', { id: 1, name: 'x' });
    expect(response.status).toBe(405);
    expect(response.body).toEqual({ title: 'Method Not Allowed', type: 'https://httpstatus.es/405', status: 405, detail: 'Method Not Allowed' });
  });

  it('answers an array sent to the single-lead endpoint with 405', async () => {
    await call('POST', '/api/v4/leads', [{ name: 'x' }]);
    expect((await call('PATCH', '/api/v4/leads/1', [{ name: 'y' }])).status).toBe(405);
  });

  it('updates one lead through PATCH /leads/{id}', async () => {
    await call('POST', '/api/v4/leads', [{ name: 'x' }]);
    const response = await call('PATCH', '/api/v4/leads/1', { name: 'renamed' });
    expect(response.body).toEqual({ id: 1, updated_at: expect.any(Number), _links: { self: { href: 'http://devteam.kommo.test/api/v4/leads/1' } } });
    expect((await lead(1)).name).toBe('renamed');
  });

  it('refuses a misspelt key instead of dropping it', async () => {
    const response = await call('POST', '/api/v4/leads', [{ name: 'x', staus_id: 142 }]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      'validation-errors': [{ request_id: '0', errors: [{ code: 'FieldNotExpected', path: 'staus_id', detail: 'This field was not expected.' }] }],
      title: 'Bad Request',
      type: 'https://httpstatus.es/400',
      status: 400,
      detail: 'Request validation failed',
    });
  });

  it('accepts a lead sent back exactly as it was read', async () => {
    await call('POST', '/api/v4/leads', [{ name: 'x' }]);
    const read = await lead(1);
    const response = await call('PATCH', '/api/v4/leads', [{ ...read, name: 'echoed' }]);
    expect(response.status).toBe(200);
    expect((await lead(1)).name).toBe('echoed');
  });

  it('writes nothing when one item of a batch is invalid, and names every failing item', async () => {
    const response = await call('POST', '/api/v4/leads', [{ name: 'good' }, { name: 5 }, { name: 'also good', price: 'cheap', request_id: 'mine' }]);
    expect(response.status).toBe(400);
    expect(response.body?.['validation-errors']).toEqual([
      { request_id: '1', errors: [{ code: 'InvalidType', path: 'name', detail: 'This value should be of type string.' }] },
      { request_id: 'mine', errors: [{ code: 'InvalidType', path: 'price', detail: 'This value should be of type int.' }] },
    ]);
    expect((await call('GET', '/api/v4/leads')).status).toBe(204);
  });

  it('writes nothing when a custom field value fails deep inside a batch', async () => {
    const url = await defineField(test, 'leads', { name: 'Site', type: 'url' });
    const response = await call('POST', '/api/v4/leads', [{ name: 'ok' }, { name: 'bad', custom_fields_values: [{ field_id: url.id, values: [{ value: 'not a url' }] }] }]);
    expect(response.status).toBe(400);
    expect(response.body?.['validation-errors']).toEqual([
      { request_id: '1', errors: [{ code: 'InvalidValue', path: 'custom_fields_values.0.values.0.value', detail: expect.any(String) }] },
    ]);
    expect((await call('GET', '/api/v4/leads')).status).toBe(204);
  });

  it('answers more than 250 leads with 422', async () => {
    const response = await call('POST', '/api/v4/leads', Array.from({ length: 251 }, () => ({ name: 'x' })));
    expect(response.status).toBe(422);
    expect(response.body).toEqual({ title: 'Unprocessable Entity', type: 'https://httpstatus.es/422', status: 422, detail: 'Limit 250 per page' });
  });

  it('echoes a client request_id', async () => {
    const response = await call('POST', '/api/v4/leads', [{ name: 'x', request_id: 'abc' }]);
    expect((response.body?._embedded as { leads: { request_id: string }[] }).leads[0]!.request_id).toBe('abc');
  });
});

describe('stages', () => {
  it('puts a lead without a stage into the first working stage of the main pipeline', async () => {
    const pipeline = await mainPipeline(test);
    await call('POST', '/api/v4/leads', [{ name: 'x' }]);
    expect(await lead(1)).toMatchObject({ pipeline_id: pipeline.id, status_id: pipeline.first });
  });

  it('refuses a stage of another pipeline with NotSupportedChoice at status_id', async () => {
    const response = await call('POST', '/api/v4/leads', [{ name: 'x', status_id: 987654 }]);
    expect(response.body?.['validation-errors']).toEqual([
      { request_id: '0', errors: [{ code: 'NotSupportedChoice', path: 'status_id', detail: 'The value you selected is not a valid choice.' }] },
    ]);
  });

  it('sets closed_at when a lead enters 142 and clears it when it reopens', async () => {
    const pipeline = await mainPipeline(test);
    await call('POST', '/api/v4/leads', [{ name: 'x' }]);
    await call('PATCH', '/api/v4/leads', [{ id: 1, status_id: 142 }]);
    expect((await lead(1)).closed_at).toEqual(expect.any(Number));
    await call('PATCH', '/api/v4/leads', [{ id: 1, status_id: pipeline.second }]);
    expect((await lead(1)).closed_at).toBeNull();
  });

  it('keeps a lead out of a gated stage until its required field is filled, naming the field', async () => {
    const pipeline = await mainPipeline(test);
    const reason = await defineField(test, 'leads', { name: 'Reason', type: 'text', requiredStatuses: [{ pipelineId: pipeline.id, statusId: 143 }] });
    await call('POST', '/api/v4/leads', [{ name: 'x' }]);
    const refused = await call('PATCH', '/api/v4/leads', [{ id: 1, status_id: 143 }]);
    expect(refused.status).toBe(400);
    expect(refused.body?.['validation-errors']).toEqual([
      {
        request_id: '0',
        errors: [{ code: 'RequiredForStage', path: 'status_id', detail: `Field "Reason" (id ${reason.id}) must be filled on the lead to enter stage 143 of pipeline ${pipeline.id}` }],
      },
    ]);
    expect((await lead(1)).status_id).toBe(pipeline.first);
    const accepted = await call('PATCH', '/api/v4/leads', [{ id: 1, status_id: 143, custom_fields_values: [{ field_id: reason.id, values: [{ value: 'price' }] }] }]);
    expect(accepted.status).toBe(200);
  });

  it('gates a stage on a contact field: a linked contact must hold it', async () => {
    const pipeline = await mainPipeline(test);
    const passport = await defineField(test, 'contacts', { name: 'Passport', type: 'text', requiredStatuses: [{ pipelineId: pipeline.id, statusId: 142 }] });
    await call('POST', '/api/v4/contacts', [{ name: 'Without' }, { name: 'With', custom_fields_values: [{ field_id: passport.id, values: [{ value: 'AB123' }] }] }]);
    await call('POST', '/api/v4/leads', [{ name: 'Deal', _embedded: { contacts: [{ id: 1 }] } }]);
    const refused = await call('PATCH', '/api/v4/leads', [{ id: 3, status_id: 142 }]);
    expect(refused.body?.['validation-errors']).toEqual([
      {
        request_id: '0',
        errors: [{ code: 'RequiredForStage', path: 'status_id', detail: `Field "Passport" (id ${passport.id}) must be filled on a linked contact to enter stage 142 of pipeline ${pipeline.id}` }],
      },
    ]);
    const accepted = await call('PATCH', '/api/v4/leads', [{ id: 3, status_id: 142, _embedded: { contacts: [{ id: 2 }] } }]);
    expect(accepted.status).toBe(200);
  });

  it('lets a lead enter a gated stage when the stored value is already there', async () => {
    const pipeline = await mainPipeline(test);
    const reason = await defineField(test, 'leads', { name: 'Reason', type: 'text', requiredStatuses: [{ pipelineId: pipeline.id, statusId: 143 }] });
    await call('POST', '/api/v4/leads', [{ name: 'x', custom_fields_values: [{ field_id: reason.id, values: [{ value: 'stored' }] }] }]);
    expect((await call('PATCH', '/api/v4/leads', [{ id: 1, status_id: 143 }])).status).toBe(200);
  });

  it('requires an always-required field on create but not on an update that leaves it out', async () => {
    const field = await defineField(test, 'leads', { name: 'Source', type: 'text', isRequired: true });
    const refused = await call('POST', '/api/v4/leads', [{ name: 'x' }]);
    expect(refused.body?.['validation-errors']).toEqual([
      { request_id: '0', errors: [{ code: 'Required', path: 'custom_fields_values', detail: `Field "Source" (id ${field.id}) is required` }] },
    ]);
    await call('POST', '/api/v4/leads', [{ name: 'x', custom_fields_values: [{ field_id: field.id, values: [{ value: 'web' }] }] }]);
    expect((await call('PATCH', '/api/v4/leads', [{ id: 1, name: 'y' }])).status).toBe(200);
    const cleared = await call('PATCH', '/api/v4/leads', [{ id: 1, custom_fields_values: [{ field_id: field.id, values: null }] }]);
    expect(cleared.status).toBe(400);
  });
});

describe('tags', () => {
  async function tagNames(id: number) {
    return ((await lead(id))._embedded as { tags: { name: string }[] }).tags.map((tag) => tag.name);
  }

  it('replaces the tag set with _embedded.tags and clears it with null', async () => {
    await call('POST', '/api/v4/leads', [{ name: 'x', _embedded: { tags: [{ name: 'a' }, { name: 'b' }] } }]);
    await call('PATCH', '/api/v4/leads', [{ id: 1, _embedded: { tags: [{ name: 'c' }] } }]);
    expect(await tagNames(1)).toEqual(['c']);
    await call('PATCH', '/api/v4/leads', [{ id: 1, _embedded: { tags: null } }]);
    expect(await tagNames(1)).toEqual([]);
  });

  it('adds and deletes only the named tags with tags_to_add and tags_to_delete', async () => {
    await call('POST', '/api/v4/leads', [{ name: 'x', _embedded: { tags: [{ name: 'a' }, { name: 'b' }] } }]);
    await call('PATCH', '/api/v4/leads', [{ id: 1, tags_to_add: [{ name: 'c' }], tags_to_delete: [{ name: 'a' }] }]);
    expect(await tagNames(1)).toEqual(['b', 'c']);
  });
});

describe('events', () => {
  it('records additions, stage changes and custom field changes with values before and after', async () => {
    const pipeline = await mainPipeline(test);
    const note = await defineField(test, 'leads', { name: 'Note', type: 'text' });
    await call('POST', '/api/v4/leads', [{ name: 'x', custom_fields_values: [{ field_id: note.id, values: [{ value: 'one' }] }] }]);
    await call('PATCH', '/api/v4/leads', [{ id: 1, status_id: pipeline.second, custom_fields_values: [{ field_id: note.id, values: [{ value: 'two' }] }] }]);
    const response = await call('GET', '/api/v4/events?filter[entity][]=lead&filter[entity_id][]=1');
    const events = (response.body?._embedded as { events: { type: string; value_before: unknown; value_after: unknown }[] }).events;
    const byType = Object.fromEntries(events.map((event) => [event.type, event]));
    expect(Object.keys(byType).sort()).toEqual(['custom_field_' + note.id + '_value_changed', 'lead_added', 'lead_status_changed'].sort());
    expect(byType.lead_status_changed).toMatchObject({
      value_before: [{ lead_status: { id: pipeline.first, pipeline_id: pipeline.id } }],
      value_after: [{ lead_status: { id: pipeline.second, pipeline_id: pipeline.id } }],
    });
    expect(events.filter((event) => event.type === `custom_field_${note.id}_value_changed`).map((event) => [event.value_before, event.value_after])).toEqual([
      [
        [{ custom_field_value: { field_id: note.id, field_type: 'text', enum_id: null, text: 'one' } }],
        [{ custom_field_value: { field_id: note.id, field_type: 'text', enum_id: null, text: 'two' } }],
      ],
      [[], [{ custom_field_value: { field_id: note.id, field_type: 'text', enum_id: null, text: 'one' } }]],
    ]);
  });

  it('filters events by type', async () => {
    await call('POST', '/api/v4/leads', [{ name: 'x' }]);
    await call('PATCH', '/api/v4/leads', [{ id: 1, name: 'y' }]);
    const response = await call('GET', '/api/v4/events?filter[type][]=name_field_changed');
    expect((response.body?._embedded as { events: { type: string }[] }).events.map((event) => event.type)).toEqual(['name_field_changed']);
  });

  it('serves each event at its _links.self, and a missing one with 204', async () => {
    await call('POST', '/api/v4/leads', [{ name: 'x' }]);
    const listed = (await call('GET', '/api/v4/events')).body?._embedded as { events: { _links: { self: { href: string } } }[] };
    const [added] = listed.events;
    const response = await call('GET', new URL(added!._links.self.href).pathname);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(added);
    expect((await call('GET', '/api/v4/events/987654')).status).toBe(204);
    expect((await call('GET', '/api/v4/events/not-an-id')).status).toBe(204);
  });

  it('writes no event when the write fails', async () => {
    await call('POST', '/api/v4/leads', [{ name: 'x' }, { name: 1 }]);
    expect((await call('GET', '/api/v4/events')).status).toBe(204);
  });
});

describe('contacts', () => {
  it('renders the whole contact model, keys in the documented order', async () => {
    await call('POST', '/api/v4/contacts', [{ first_name: 'Ada', last_name: 'Lovelace', created_at: 1_600_000_000 }]);
    const response = await call('GET', '/api/v4/contacts/1');
    expect(response.body).toEqual({
      id: 1,
      name: 'Ada Lovelace',
      first_name: 'Ada',
      last_name: 'Lovelace',
      responsible_user_id: 1,
      group_id: 0,
      created_by: 1,
      updated_by: 1,
      created_at: 1_600_000_000,
      updated_at: expect.any(Number),
      closest_task_at: null,
      is_deleted: false,
      is_unsorted: false,
      custom_fields_values: null,
      account_id: 1,
      _links: { self: { href: 'http://devteam.kommo.test/api/v4/contacts/1' } },
      _embedded: { tags: [], companies: [] },
    });
    expect(Object.keys(response.body!)).toEqual([
      'id', 'name', 'first_name', 'last_name', 'responsible_user_id', 'group_id', 'created_by', 'updated_by', 'created_at', 'updated_at',
      'closest_task_at', 'is_deleted', 'is_unsorted', 'custom_fields_values', 'account_id', '_links', '_embedded',
    ]);
  });

  it('renders the whole company model, keys in the documented order', async () => {
    await call('POST', '/api/v4/companies', [{ name: 'Analytical Engines', created_at: 1_600_000_000 }]);
    const response = await call('GET', '/api/v4/companies/1');
    expect(response.body).toEqual({
      id: 1,
      name: 'Analytical Engines',
      responsible_user_id: 1,
      group_id: 0,
      created_by: 1,
      updated_by: 1,
      created_at: 1_600_000_000,
      updated_at: expect.any(Number),
      closest_task_at: null,
      is_deleted: false,
      custom_fields_values: null,
      account_id: 1,
      _links: { self: { href: 'http://devteam.kommo.test/api/v4/companies/1' } },
      _embedded: { tags: [] },
    });
    expect(Object.keys(response.body!)).toEqual([
      'id', 'name', 'responsible_user_id', 'group_id', 'created_by', 'updated_by', 'created_at', 'updated_at',
      'closest_task_at', 'is_deleted', 'custom_fields_values', 'account_id', '_links', '_embedded',
    ]);
  });

  it('builds a contact name from first and last name and finds it by phone in any format', async () => {
    await call('POST', '/api/v4/contacts', [
      { first_name: 'Ada', last_name: 'Lovelace', custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+1 (800) 555-01-02', enum_code: 'MOB' }] }] },
    ]);
    const found = await call('GET', '/api/v4/contacts?query=18005550102');
    const contacts = (found.body?._embedded as { contacts: Record<string, unknown>[] }).contacts;
    expect(contacts.map((contact) => [contact.name, contact.first_name, contact.last_name])).toEqual([['Ada Lovelace', 'Ada', 'Lovelace']]);
    expect(((await call('GET', '/api/v4/contacts?query=800-555-0102')).body?._embedded as { contacts: unknown[] }).contacts).toHaveLength(1);
  });

  it('links a lead to a main contact and shows it with with=contacts', async () => {
    await call('POST', '/api/v4/contacts', [{ name: 'Ada' }]);
    await call('POST', '/api/v4/leads', [{ name: 'Deal', _embedded: { contacts: [{ id: 1, is_main: true }] } }]);
    const body = (await call('GET', '/api/v4/leads/2?with=contacts')).body!;
    expect((body._embedded as { contacts: unknown[] }).contacts).toEqual([
      { id: 1, is_main: true, _links: { self: { href: 'http://devteam.kommo.test/api/v4/contacts/1' } } },
    ]);
  });

  it('keeps one main contact: a new main contact makes the old one plain', async () => {
    await call('POST', '/api/v4/contacts', [{ name: 'Ada' }, { name: 'Grace' }]);
    await call('POST', '/api/v4/leads', [{ name: 'Deal', _embedded: { contacts: [{ id: 1, is_main: true }] } }]);
    await call('PATCH', '/api/v4/leads/3', { _embedded: { contacts: [{ id: 2, is_main: true }] } });
    const body = (await call('GET', '/api/v4/leads/3?with=contacts')).body!;
    expect((body._embedded as { contacts: { id: number; is_main: boolean }[] }).contacts.map((contact) => [contact.id, contact.is_main])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('refuses a link to a contact that does not exist', async () => {
    const response = await call('POST', '/api/v4/leads', [{ name: 'Deal', _embedded: { contacts: [{ id: 77 }] } }]);
    expect(response.body?.['validation-errors']).toEqual([
      { request_id: '0', errors: [{ code: 'NotSupportedChoice', path: '_embedded.contacts.0.id', detail: 'The value you selected is not a valid choice.' }] },
    ]);
  });

  it('refuses a link to a deleted contact as to one that does not exist', async () => {
    await call('POST', '/api/v4/contacts', [{ name: 'Ada' }]);
    const principal = (await authenticate(test.store.repos, { kind: 'bearer', secret: test.token }, 1))!;
    await deleteRecords({ store: test.store, principal, clock: () => 1 }, 'contacts', [1]);
    const response = await call('POST', '/api/v4/leads', [{ name: 'Deal', _embedded: { contacts: [{ id: 1 }] } }]);
    expect(response.status).toBe(400);
    expect(response.body?.['validation-errors']).toEqual([
      { request_id: '0', errors: [{ code: 'NotSupportedChoice', path: '_embedded.contacts.0.id', detail: 'The value you selected is not a valid choice.' }] },
    ]);
  });
});

describe('complex add', () => {
  const seedLead = (requestId: string, name: string) => ({
    name,
    price: 2222,
    _embedded: {
      contacts: [
        {
          first_name: 'Adam',
          created_at: 1668784888,
          responsible_user_id: 1,
          custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '0965423364', enum_code: 'WORK' }] }],
          updated_by: 0,
        },
      ],
      companies: [{ name: 'Kommo' }],
    },
    created_at: 1668784001,
    responsible_user_id: 1,
    request_id: requestId,
  });

  it('adds a lead with a new contact and company, linked together', async () => {
    const response = await call('POST', '/api/v4/leads/complex', [seedLead('1', 'New lead 1')]);
    expect(response.status).toBe(200);
    expect(response.body).toEqual([{ id: 3, contact_id: 2, company_id: 1, request_id: ['1'], merged: false }]);
    const contact = (await call('GET', '/api/v4/contacts/2')).body!;
    expect((contact._embedded as { companies: { id: number }[] }).companies.map((company) => company.id)).toEqual([1]);
  });

  it('merges a duplicate by phone into the existing contact and its open lead', async () => {
    await call('POST', '/api/v4/leads/complex', [seedLead('1', 'New lead 1')]);
    const response = await call('POST', '/api/v4/leads/complex', [seedLead('2', 'Renamed lead')]);
    expect(response.body).toEqual([{ id: 3, contact_id: 2, company_id: 4, request_id: ['2'], merged: true }]);
    expect((await lead(3)).name).toBe('Renamed lead');
  });

  it('puts a lead sent with metadata in its pipeline\'s incoming leads, whatever stage it names', async () => {
    const pipeline = await mainPipeline(test);
    const item = seedLead('1', 'From the site form');
    const metadata = { category: 'forms', form_id: 'contact-us', form_name: 'Contact us', form_sent_at: 1668784000 };
    const response = await call('POST', '/api/v4/leads/complex', [{ ...item, status_id: pipeline.second, _embedded: { ...item._embedded, metadata } }]);
    expect(response.status).toBe(200);
    expect(await lead(3)).toMatchObject({ status_id: pipeline.incoming, pipeline_id: pipeline.id });
  });

  it('leaves the open lead where it is when an incoming lead merges into it', async () => {
    const pipeline = await mainPipeline(test);
    await call('POST', '/api/v4/leads/complex', [{ ...seedLead('1', 'Open'), status_id: pipeline.second }]);
    const item = seedLead('2', 'Called again');
    await call('POST', '/api/v4/leads/complex', [{ ...item, _embedded: { ...item._embedded, metadata: { category: 'sip', from: '0965423364' } } }]);
    expect(await lead(3)).toMatchObject({ name: 'Called again', status_id: pipeline.second });
  });

  it('refuses metadata of an unknown category, and a lead source, rather than dropping them', async () => {
    const item = seedLead('1', 'x');
    const response = await call('POST', '/api/v4/leads/complex', [{ ...item, _embedded: { ...item._embedded, metadata: { category: 'chat' }, source: { external_id: 7 } } }]);
    expect(response.status).toBe(400);
    expect(response.body?.['validation-errors']).toEqual([
      {
        request_id: '1',
        errors: [
          { code: 'NotSupportedChoice', path: '_embedded.metadata.category', detail: 'The value you selected is not a valid choice.' },
          { code: 'FieldNotExpected', path: '_embedded.source', detail: 'Lead sources are not modelled here; send the lead without _embedded.source.' },
        ],
      },
    ]);
  });

  it('refuses two contacts on one complex lead', async () => {
    const item = seedLead('1', 'x');
    const response = await call('POST', '/api/v4/leads/complex', [{ ...item, _embedded: { contacts: [{ name: 'a' }, { name: 'b' }] } }]);
    expect(response.body?.['validation-errors']).toEqual([
      { request_id: '1', errors: [{ code: 'TooMany', path: '_embedded.contacts', detail: 'A complex lead takes at most one of contacts.' }] },
    ]);
  });

  it('names the embedded contact in the path of its errors', async () => {
    const item = seedLead('1', 'x');
    const response = await call('POST', '/api/v4/leads/complex', [{ ...item, _embedded: { contacts: [{ first_name: 7 }] } }]);
    expect(response.body?.['validation-errors']).toEqual([
      { request_id: '1', errors: [{ code: 'InvalidType', path: '_embedded.contacts.0.first_name', detail: 'This value should be of type string.' }] },
    ]);
  });
});

describe('tenancy', () => {
  it('never shows or changes one account\'s leads to another account\'s token', async () => {
    await call('POST', '/api/v4/leads', [{ name: 'mine' }]);
    const other = await secondAccount(test);
    const read = await test.app.inject({ method: 'GET', url: '/api/v4/leads/1', headers: other.auth });
    expect(read.statusCode).toBe(204);
    const list = await test.app.inject({ method: 'GET', url: '/api/v4/leads', headers: other.auth });
    expect(list.statusCode).toBe(204);
    const write = await test.app.inject({ method: 'PATCH', url: '/api/v4/leads', headers: other.auth, payload: [{ id: 1, name: 'stolen' }] });
    expect(write.statusCode).toBe(400);
    expect((await lead(1)).name).toBe('mine');
  });
});

describe('deleted leads', () => {
  it('lists only deleted leads with with=only_deleted, and leaves them out otherwise', async () => {
    await call('POST', '/api/v4/leads', [{ name: 'kept' }, { name: 'gone' }]);
    const principal = (await authenticate(test.store.repos, { kind: 'bearer', secret: test.token }, 1))!;
    await deleteRecords({ store: test.store, principal, clock: () => 1 }, 'leads', [2]);
    const names = async (query: string) => ((await call('GET', `/api/v4/leads${query}`)).body?._embedded as { leads: { name: string; is_deleted: boolean }[] }).leads;
    expect((await names('')).map((item) => item.name)).toEqual(['kept']);
    expect((await names('?with=only_deleted')).map((item) => [item.name, item.is_deleted])).toEqual([['gone', true]]);
  });
});
