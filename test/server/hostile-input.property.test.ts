/**
 * Every route against input no client should send: any JSON body on the write routes, any bracket
 * query on the read routes. Whatever the route makes of it, the answer is a 2xx–4xx in the route's own
 * shape, never a 500. The dialects' own tests pin the exact errors; this walks every route at once, so
 * a route added later is covered too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminBasic } from '../support/basic-auth.js';

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const BITRIX_METHODS = [
  'crm.lead.add', 'crm.lead.update', 'crm.lead.get', 'crm.lead.list', 'crm.lead.delete', 'crm.lead.fields',
  'crm.lead.userfield.add', 'crm.lead.userfield.update', 'crm.lead.userfield.get', 'crm.lead.userfield.list', 'crm.lead.userfield.delete',
  'crm.contact.add', 'crm.contact.update', 'crm.company.add', 'crm.status.add', 'crm.status.update', 'crm.status.list',
  'crm.status.entity.items', 'crm.lead.contact.add', 'crm.lead.contact.delete', 'crm.lead.contact.items.get',
  'crm.lead.contact.items.set', 'crm.lead.contact.items.delete', 'crm.company.contact.add', 'crm.company.contact.items.set',
  'crm.contact.company.add', 'crm.contact.company.delete', 'crm.contact.company.items.set', 'batch', 'no.such.method',
];
const RUNS = { numRuns: 40, seed: 20261128 };

/** Keys the dialects read, so that some bodies get past the first check. */
const KEYS = [
  'id', 'name', 'price', 'status_id', 'pipeline_id', 'custom_fields_values', 'field_id', 'values', 'value', 'enum_id', 'enum_code',
  '_embedded', 'contacts', 'companies', 'tags', 'tags_to_add', 'responsible_user_id', 'created_at', 'type', 'enums', 'sort',
  'required_statuses', 'fields', 'FIELDS', 'TITLE', 'UF_CRM_1', 'PHONE', 'VALUE', 'VALUE_TYPE', 'cmd', 'halt', 'USER_TYPE_ID',
  'FIELD_NAME', 'LIST', 'MULTIPLE', 'call', 'custom_fields', 'call_id', 'from_number', 'to_number', 'setup_time', 'filter', 'order',
  'select', 'start', 'is_main', 'metadata', 'to_entity_id', 'to_entity_type', 'code', 'statuses', 'color', 'settings', 'whole_numbers', 'user_ids', 'login', 'email', 'password', 'rights', 'items', 'CONTACT_ID', 'IS_PRIMARY', 'SORT',
  'category', 'source', 'XML_ID', 'call_state', 'is_conference', 'result_type', 'created_by', 'updated_by', 'COMPANY_ID',
];
const leaf = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string(),
  fc.integer({ min: 1, max: 3000 }),
  // Whole numbers past what a bigint column or a JavaScript integer holds.
  fc.constantFrom(2 ** 53 + 2, 1e20, -1e20),
  fc.constantFrom('', '0', '-1', '1e309', 'Y', 'N', '2026-02-30', 'https://x', '+1 (800) 555-01-02', '__proto__', '\u0000', '\ud800'),
);
const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('json'), { maxLength: 4 }), fc.dictionary(fc.constantFrom(...KEYS), tie('json'), { maxKeys: 6 })),
}));
/** A PHP-style bracket query, as the Kommo and Bitrix24 clients write them, with any keys and values. */
const query = fc
  .array(
    fc.tuple(
      fc.array(fc.oneof(fc.constantFrom(...KEYS), fc.constantFrom('', '0', '1', 'from', 'to', '[', ']')), { minLength: 1, maxLength: 3 }),
      fc.oneof(fc.string(), fc.constantFrom('1', '-1', 'abc', '%', '%E0%A4%A', '1e309', '99999999999999999999')),
    ),
    { maxLength: 5 },
  )
  .map((pairs) => pairs.map(([[head, ...path], value]) => `${head}${path.map((part) => `[${part}]`).join('')}=${value}`).join('&'));
const pathId = fc.constantFrom('1', '2', '1000', '0', '-1', 'abc', '99999999999999999999');
const bitrixMethod = fc.tuple(fc.constantFrom(...BITRIX_METHODS), fc.constantFrom('', '.json')).map(([name, suffix]) => name + suffix);

/**
 * The route's path with its parameters filled: the demo admin's inbound webhook and a Bitrix24 method
 * name where the route takes them, ids elsewhere.
 */
const pathOf = (url: string, token: string) =>
  fc
    .tuple(bitrixMethod, pathId)
    .map(([method, id]) => url.replace(':userId', '1').replace(':secret', token).replace(':method', method).replace(/:[^/]+|\*/g, id));

describe('hostile input on every route', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
    await test.app.inject({ method: 'POST', url: '/api/v4/leads', headers: test.auth, payload: [{ name: 'Lead' }] });
    await test.app.inject({ method: 'POST', url: '/api/v4/contacts', headers: test.auth, payload: [{ name: 'Contact' }] });
  });
  afterAll(() => test.close());

  const routes = (keep: (method: string) => boolean) => test.app.routeTable.filter((route) => keep(route.method) && !route.url.startsWith('/docs'));
  /** Each dialect's own credentials for the demo admin, so that the input reaches the route's handler. */
  const credentials = (url: string) => (/^\/(api\/v2|v1|v2)\//.test(url) ? adminBasic(test) : url.startsWith('/rest/') ? {} : test.auth);
  const serverErrors = async (method: string, url: string, payload?: string): Promise<string[]> => {
    const response = await test.app.inject({
      method: method as 'POST',
      url,
      headers: { ...credentials(url), 'content-type': 'application/json' },
      ...(payload === undefined ? {} : { payload }),
    });
    return response.statusCode >= 500 ? [`${method} ${url} ${payload ?? ''} → ${response.statusCode} ${response.body.slice(0, 200)}`] : [];
  };

  it('answers any JSON body on a write route below 500', async () => {
    const failures: string[] = [];
    const writes = routes((method) => WRITE_METHODS.has(method));
    expect(writes.length).toBeGreaterThan(40);
    for (const route of writes) {
      await fc.assert(
        fc.asyncProperty(json, pathOf(route.url, test.token), async (body, path) => {
          failures.push(...(await serverErrors(route.method, path, JSON.stringify(body))));
        }),
        RUNS,
      );
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('answers any bracket query on a read route below 500', async () => {
    const failures: string[] = [];
    const reads = routes((method) => method === 'GET');
    expect(reads.length).toBeGreaterThan(30);
    for (const route of reads) {
      await fc.assert(
        fc.asyncProperty(query, pathOf(route.url, test.token), async (search, path) => {
          failures.push(...(await serverErrors('GET', `${path}?${search}`)));
        }),
        RUNS,
      );
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
