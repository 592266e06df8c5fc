import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldCatalog } from '../../../../src/core/fields/catalog.js';
import { indexTerms } from '../../../../src/core/fields/indexing.js';
import {
  assertAcceptsAndNormalises,
  assertRejects,
  definition,
  itemPath,
  jsonExcept,
  onlyError,
  writeValues,
} from '../fixtures.js';

const legalEntity = definition({ type: 'legal_entity' });
const file = definition({ type: 'file' });
const linkedEntity = definition({ type: 'linked_entity' });
const lineItems = definition({ type: 'items' });

const FILE_UUID = '3b45c8a8-4f6c-4b7e-9d39-3a8e2f4e9b10';

describe('legal_entity values', () => {
  it('stores the object without null keys', () => {
    expect(
      writeValues(legalEntity, [{ value: { name: 'The Origin Lab', entity_type: 1, vat_id: '123', kpp: null } }]).next[0]
        ?.values,
    ).toEqual([{ value: { name: 'The Origin Lab', entity_type: 1, vat_id: '123' } }]);
  });

  it('refuses a missing name as FieldMissing', () => {
    expect(onlyError(writeValues(legalEntity, [{ value: { vat_id: '123' } }]))).toEqual({
      code: 'FieldMissing',
      path: itemPath(0, 'value.name'),
      detail: 'This field is missing.',
    });
  });

  it('refuses a key the reference does not list as FieldNotExpected', () => {
    expect(onlyError(writeValues(legalEntity, [{ value: { name: 'A', iban: 'X' } }]))).toEqual({
      code: 'FieldNotExpected',
      path: itemPath(0, 'value.iban'),
      detail: 'This field was not expected.',
    });
  });

  it('refuses an entity_type other than 1 or 2', () => {
    expect(onlyError(writeValues(legalEntity, [{ value: { name: 'A', entity_type: 3 } }])).path).toBe(
      itemPath(0, 'value.entity_type'),
    );
  });

  it('indexes the name and the VAT id as text', () => {
    const values = writeValues(legalEntity, [{ value: { name: 'Acme', vat_id: 'GB123' } }]).next;
    expect(indexTerms(FieldCatalog.of([legalEntity]), values).map((term) => term.text)).toEqual(['acme', 'gb123']);
  });

  it('accepts well-formed entities (property)', () => {
    assertAcceptsAndNormalises(
      legalEntity,
      fc
        .record(
          {
            name: fc.string({ minLength: 1 }).filter((name) => name.trim() !== ''),
            entity_type: fc.constantFrom(1, 2),
            vat_id: fc.string(),
            address: fc.string(),
          },
          { requiredKeys: ['name'] },
        )
        .map((entity) => ({ values: [{ value: entity }], expected: [{ value: entity }] })),
    );
  });

  it('refuses a value that is not an object with InvalidType (property)', () => {
    assertRejects(
      legalEntity,
      jsonExcept((value) => typeof value === 'object' && value !== null && !Array.isArray(value)).map((value) => ({
        values: [{ value }],
        code: 'InvalidType',
        path: itemPath(0, 'value'),
      })),
    );
  });
});

describe('file values', () => {
  it('refuses a file_uuid that is not a UUID as InvalidValue', () => {
    expect(onlyError(writeValues(file, [{ value: { file_uuid: 'abc' } }]))).toEqual({
      code: 'InvalidValue',
      path: itemPath(0, 'value.file_uuid'),
      detail: 'This is not a valid UUID.',
    });
  });

  it('refuses a second file as TooMany', () => {
    const one = { value: { file_uuid: FILE_UUID } };
    expect(onlyError(writeValues(file, [one, one])).code).toBe('TooMany');
  });

  it('accepts files described by uuid, name and size (property)', () => {
    assertAcceptsAndNormalises(
      file,
      fc
        .record(
          { file_uuid: fc.uuid(), version_uuid: fc.uuid(), file_name: fc.string(), file_size: fc.nat() },
          { requiredKeys: ['file_uuid'] },
        )
        .map((described) => ({ values: [{ value: described }], expected: [{ value: described }] })),
    );
  });

  it('refuses a negative file_size with OutOfRange (property)', () => {
    assertRejects(
      file,
      fc.integer({ max: -1 }).map((size) => ({
        values: [{ value: { file_uuid: FILE_UUID, file_size: size } }],
        code: 'OutOfRange',
        path: itemPath(0, 'value.file_size'),
      })),
    );
  });
});

describe('linked_entity values', () => {
  it('refuses a missing entity_type as FieldMissing', () => {
    expect(onlyError(writeValues(linkedEntity, [{ value: { entity_id: 5 } }]))).toEqual({
      code: 'FieldMissing',
      path: itemPath(0, 'value.entity_type'),
      detail: 'This field is missing.',
    });
  });

  it('accepts links to contacts, companies and catalog elements (property)', () => {
    assertAcceptsAndNormalises(
      linkedEntity,
      fc
        .record(
          {
            name: fc.string(),
            entity_id: fc.integer({ min: 1 }),
            entity_type: fc.constantFrom('contacts', 'companies', 'catalog_elements'),
            catalog_id: fc.integer({ min: 1 }),
          },
          { requiredKeys: ['entity_id', 'entity_type'] },
        )
        .map((link) => ({ values: [{ value: link }], expected: [{ value: link }] })),
    );
  });

  it('refuses entity types outside the list with NotSupportedChoice (property)', () => {
    assertRejects(
      linkedEntity,
      fc
        .string()
        .filter((type) => !['contacts', 'companies', 'catalog_elements'].includes(type))
        .map((type) => ({
          values: [{ value: { entity_id: 1, entity_type: type } }],
          code: 'NotSupportedChoice',
          path: itemPath(0, 'value.entity_type'),
        })),
    );
  });
});

describe('items values', () => {
  it('drops computed keys echoed from a read', () => {
    expect(
      writeValues(lineItems, [{ value: { quantity: 2, unit_price: 10, total_sum: 20 } }]).next[0]?.values,
    ).toEqual([{ value: { quantity: 2, unit_price: 10 } }]);
  });

  it('refuses a discount without a type as FieldMissing at the nested path', () => {
    expect(onlyError(writeValues(lineItems, [{ value: { quantity: 1, unit_price: 1, discount: { value: 5 } } }])).path).toBe(
      itemPath(0, 'value.discount.type'),
    );
  });

  it('accepts line items with discounts (property)', () => {
    assertAcceptsAndNormalises(
      lineItems,
      fc
        .array(
          fc.record(
            {
              sku: fc.string(),
              quantity: fc.double({ noNaN: true, noDefaultInfinity: true }),
              unit_price: fc.double({ noNaN: true, noDefaultInfinity: true }),
              discount: fc.record({ type: fc.constantFrom('amount', 'percentage'), value: fc.integer() }),
            },
            { requiredKeys: ['quantity', 'unit_price'] },
          ),
          { minLength: 1, maxLength: 5 },
        )
        .map((lines) => ({ values: lines.map((value) => ({ value })), expected: lines.map((value) => ({ value })) })),
    );
  });

  it('refuses a non-numeric quantity with InvalidType (property)', () => {
    assertRejects(
      lineItems,
      jsonExcept((value) => typeof value === 'number').filter((value) => value !== null).map((quantity) => ({
        values: [{ value: { quantity, unit_price: 1 } }],
        code: 'InvalidType',
        path: itemPath(0, 'value.quantity'),
      })),
    );
  });
});
