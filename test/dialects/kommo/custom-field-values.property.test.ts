/**
 * Every field type end to end through HTTP: well-typed values are stored as the engine normalises
 * them, and ill-typed ones are refused with the right code and path while nothing is written.
 * The engine's own property tests (test/core/fields/types) cover the normalisation rules in depth;
 * these check that the wire, the store and the read model carry them unchanged.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../src/core/errors.js';
import type { FieldDefinition, FieldType } from '../../../src/core/fields/model.js';
import { FIELD_TYPES } from '../../../src/core/fields/model.js';
import { parseFieldValues } from '../../../src/core/fields/values.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { jsonExcept } from '../../core/fields/fixtures.js';

const RUNS = { numRuns: 25 };
const VALUES_PATH = 'custom_fields_values.0.values';

type Json = Record<string, unknown>;

interface TypeCase {
  entity: 'leads' | 'contacts';
  /** The definition beside name and type. */
  definition: Json;
  wellTyped: (field: FieldDefinition) => fc.Arbitrary<unknown[]>;
  /** One value item whose key `key` has the wrong JSON type, and the code that earns. */
  illTyped: fc.Arbitrary<{ item: Json; key: string; code: ErrorCode }>;
}

const nonBlank = fc.string({ minLength: 1, maxLength: 40 }).filter((text) => text.trim() !== '');
const one = (item: fc.Arbitrary<Json>) => item.map((value) => [value]);
const wrongValue = (keep: (value: unknown) => boolean, extra: Json = {}) =>
  jsonExcept(keep).map((value) => ({ item: { ...extra, value }, key: 'value', code: 'InvalidType' as const }));
const wrongKey = (key: string, keep: (value: unknown) => boolean, extra: Json = {}) =>
  jsonExcept(keep).map((value) => ({ item: { ...extra, [key]: value }, key, code: 'InvalidType' as const }));

const isText = (value: unknown) => typeof value === 'string' || typeof value === 'number';
const isNumber = (value: unknown) => typeof value === 'number';
const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

const text: TypeCase = {
  entity: 'leads',
  definition: {},
  wellTyped: () => one(nonBlank.map((value) => ({ value }))),
  illTyped: wrongValue(isText),
};
const decimal = fc
  .tuple(fc.integer({ min: -999_999, max: 999_999 }), fc.nat({ max: 99 }), fc.boolean())
  .map(([integer, fraction, asNumber]) => (asNumber ? integer : `${integer}.${String(fraction).padStart(2, '0')}`));
const numeric: TypeCase = { entity: 'leads', definition: {}, wellTyped: () => one(decimal.map((value) => ({ value }))), illTyped: wrongValue(isText) };
const instant = fc.oneof(
  fc.integer({ min: 0, max: 4_000_000_000 }),
  fc.date({ min: new Date(0), max: new Date('2099-12-31'), noInvalidDate: true }).map((date) => date.toISOString()),
);
const date: TypeCase = { entity: 'leads', definition: {}, wellTyped: () => one(instant.map((value) => ({ value }))), illTyped: wrongValue(isText) };
const pickOption = (field: FieldDefinition) =>
  fc.constantFrom(...(field.enums ?? [])).chain((option) =>
    fc.constantFrom<Json>({ enum_id: option.id }, { value: option.value }, ...(option.code ? [{ enum_code: option.code }] : [])),
  );
const choice: TypeCase = {
  entity: 'leads',
  definition: { enums: [{ value: 'Alpha', code: 'A' }, { value: 'Beta' }, { value: 'Gamma', code: 'G' }] },
  wellTyped: (field) => one(pickOption(field)),
  illTyped: wrongKey('enum_id', isNumber),
};
const structured = (entity: TypeCase['entity'], value: fc.Arbitrary<Json>): TypeCase => ({
  entity,
  definition: {},
  wellTyped: () => one(value.map((object) => ({ value: object }))),
  illTyped: wrongValue(isObject),
});

const CASES: Record<FieldType, TypeCase> = {
  text,
  textarea: text,
  streetaddress: text,
  tracking_data: text,
  numeric,
  price: numeric,
  monetary: { ...numeric, definition: { currency: 'USD' } },
  checkbox: {
    entity: 'leads',
    definition: {},
    wellTyped: () => one(fc.constantFrom<unknown>(true, false, 0, 1).map((value) => ({ value }))),
    illTyped: wrongValue((value) => typeof value === 'boolean' || typeof value === 'number'),
  },
  select: choice,
  radiobutton: choice,
  multiselect: {
    ...choice,
    wellTyped: (field) => fc.subarray(field.enums ?? [], { minLength: 1 }).map((options) => options.map((option) => ({ enum_id: option.id }))),
  },
  category: {
    entity: 'leads',
    definition: { nested: [{ value: 'Root', request_id: 'root' }, { value: 'Child', parent_request_id: 'root' }] },
    wellTyped: (field) =>
      one(fc.constantFrom(...(field.nested ?? [])).chain((option) => fc.constantFrom<Json>({ enum_id: option.id }, { value: option.value }))),
    illTyped: wrongKey('enum_id', isNumber),
  },
  multitext: {
    entity: 'contacts',
    definition: { enums: [{ value: 'Work', code: 'WORK' }, { value: 'Home', code: 'HOME' }] },
    wellTyped: () =>
      fc.array(
        fc.record({ value: fc.stringMatching(/^\+?[0-9][0-9 ]{2,14}$/), enum_code: fc.constantFrom('WORK', 'HOME') }, { requiredKeys: ['value'] }),
        { minLength: 1, maxLength: 3 },
      ),
    illTyped: wrongValue(isText, { enum_code: 'WORK' }),
  },
  date,
  date_time: date,
  birthday: { ...date, definition: { remind: 'day' } },
  url: {
    entity: 'leads',
    definition: {},
    wellTyped: () => one(fc.webUrl({ size: 'small' }).map((value) => ({ value }))),
    illTyped: wrongValue((value) => typeof value === 'string'),
  },
  smart_address: {
    entity: 'contacts',
    definition: {},
    wellTyped: () =>
      fc
        .uniqueArray(fc.constantFrom('address_line_1', 'address_line_2', 'city', 'state', 'zip', 'country'), { minLength: 1, maxLength: 6 })
        .chain((parts) => fc.tuple(...parts.map((part) => nonBlank.map((value) => ({ value, enum_code: part }))))),
    illTyped: wrongValue(isText, { enum_id: 3 }),
  },
  legal_entity: structured(
    'contacts',
    fc.record({ name: nonBlank, entity_type: fc.constantFrom(1, 2), vat_id: fc.string() }, { requiredKeys: ['name'] }),
  ),
  file: structured('leads', fc.record({ file_uuid: fc.uuid(), file_name: fc.string(), file_size: fc.nat() }, { requiredKeys: ['file_uuid'] })),
  linked_entity: {
    ...structured(
      'leads',
      fc.record(
        { entity_id: fc.integer({ min: 1, max: 1e9 }), entity_type: fc.constantFrom('contacts', 'companies', 'catalog_elements'), name: fc.string() },
        { requiredKeys: ['entity_id', 'entity_type'] },
      ),
    ),
    definition: { search_in: 'contacts' },
  },
  items: structured(
    'leads',
    fc.record(
      { quantity: fc.integer({ min: 0, max: 4000 }).map((count) => count / 4), unit_price: fc.integer({ min: 0, max: 1e6 }), sku: fc.string() },
      { requiredKeys: ['quantity', 'unit_price'] },
    ),
  ),
  chained_list: {
    entity: 'leads',
    definition: { chained_lists: [{ catalog_id: 11, parent_catalog_id: null, title: 'Make' }, { catalog_id: 12, parent_catalog_id: 11, title: 'Model' }] },
    wellTyped: () =>
      fc
        .uniqueArray(fc.constantFrom(11, 12), { minLength: 1, maxLength: 2 })
        .chain((catalogs) => fc.tuple(...catalogs.map((catalogId) => fc.integer({ min: 1, max: 1e9 }).map((element) => ({ catalog_id: catalogId, catalog_element_id: element }))))),
    illTyped: wrongKey('catalog_id', isNumber, { catalog_element_id: 5 }),
  },
};

let test: TestApp;
/** Per type: its field and the one record its values are written to. */
const subjects = new Map<FieldType, { field: FieldDefinition; entity: TypeCase['entity']; recordId: number }>();

async function call(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  const response = await test.app.inject({ method, url, headers: test.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: response.statusCode, body: response.body ? (JSON.parse(response.body) as Json) : null };
}

beforeAll(async () => {
  test = await startTestApp();
  for (const entity of ['leads', 'contacts'] as const) {
    const types = FIELD_TYPES.filter((type) => CASES[type].entity === entity);
    const created = await call('POST', `/api/v4/${entity}/custom_fields`, types.map((type) => ({ name: `${type} field`, type, ...CASES[type].definition })));
    if (created.status !== 200) throw new Error(`fields not created: ${JSON.stringify(created.body)}`);
    const records = await call('POST', `/api/v4/${entity}`, types.map((type) => ({ name: `${type} holder` })));
    const recordIds = (records.body as { _embedded: Record<string, { id: number }[]> })._embedded[entity]!.map((record) => record.id);
    const definitions = await test.store.repos.fields.list(1, entity);
    types.forEach((type, index) => {
      const field = definitions.find((definition) => definition.name === `${type} field`)!;
      subjects.set(type, { field, entity, recordId: recordIds[index]! });
    });
  }
});
afterAll(() => test.close());

async function storedRecord(type: FieldType) {
  const { entity, recordId } = subjects.get(type)!;
  return (await call('GET', `/api/v4/${entity}/${recordId}`)).body as Json;
}

describe.each(FIELD_TYPES.map((type) => ({ type })))('$type values over HTTP', ({ type }) => {
  it('stores well-typed values as the engine normalises them and reads them back so (property)', async () => {
    const { field, entity, recordId } = subjects.get(type)!;
    await fc.assert(
      fc.asyncProperty(CASES[type].wellTyped(field), async (values) => {
        const expected = parseFieldValues(field, values, VALUES_PATH);
        expect(expected).toMatchObject({ ok: true });
        const response = await call('PATCH', `/api/v4/${entity}`, [{ id: recordId, custom_fields_values: [{ field_id: field.id, values }] }]);
        expect(response.status).toBe(200);
        const stored = (await storedRecord(type)).custom_fields_values as Json[];
        expect(stored).toEqual([
          { field_id: field.id, field_name: field.name, field_code: null, field_type: type, values: expected.ok ? expected.value : null },
        ]);
      }),
      RUNS,
    );
  });

  it('refuses an ill-typed value with 400 at its path and writes nothing of the item (property)', async () => {
    const { field, entity, recordId } = subjects.get(type)!;
    await fc.assert(
      fc.asyncProperty(CASES[type].illTyped, async ({ item, key, code }) => {
        const before = await storedRecord(type);
        const response = await call('PATCH', `/api/v4/${entity}`, [
          { id: recordId, name: 'renamed by a refused write', custom_fields_values: [{ field_id: field.id, values: [item] }] },
        ]);
        expect(response.status).toBe(400);
        const errors = (response.body as { 'validation-errors': { errors: Json[] }[] })['validation-errors'][0]!.errors;
        expect(errors.map((error) => ({ code: error.code, path: error.path }))).toEqual([{ code, path: `${VALUES_PATH}.0.${key}` }]);
        expect(await storedRecord(type)).toEqual(before);
      }),
      RUNS,
    );
  });
});
