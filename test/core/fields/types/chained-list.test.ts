import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertAcceptsAndNormalises,
  assertRejects,
  definition,
  itemPath,
  jsonExcept,
  onlyError,
  writeValues,
} from '../fixtures.js';

const CATALOGS = [9929, 9931, 9940, 9941, 9942, 9943];
const field = definition({
  type: 'chained_list',
  chainedLists: CATALOGS.map((catalogId, index) => ({
    catalogId,
    parentCatalogId: index === 0 ? null : (CATALOGS[index - 1] ?? null),
    title: `Level ${index}`,
  })),
});

describe('chained_list values', () => {
  it('stores catalog and element ids without a value', () => {
    expect(writeValues(field, [{ catalog_id: 9929, catalog_element_id: 12235 }]).next[0]?.values).toEqual([
      { catalog_id: 9929, catalog_element_id: 12235 },
    ]);
  });

  it('refuses a value key as FieldNotExpected', () => {
    expect(onlyError(writeValues(field, [{ catalog_id: 9929, catalog_element_id: 1, value: 'x' }]))).toEqual({
      code: 'FieldNotExpected',
      path: itemPath(0, 'value'),
      detail: 'This field was not expected.',
    });
  });

  it('refuses a catalog that is not in the chain', () => {
    expect(onlyError(writeValues(field, [{ catalog_id: 1, catalog_element_id: 1 }])).path).toBe(itemPath(0, 'catalog_id'));
  });

  it('refuses six elements as TooMany', () => {
    const items = CATALOGS.map((catalogId) => ({ catalog_id: catalogId, catalog_element_id: 1 }));
    expect(onlyError(writeValues(field, items))).toEqual({
      code: 'TooMany',
      path: 'custom_fields_values.0.values',
      detail: 'This collection should contain 5 elements or less.',
    });
  });

  it('accepts one element per catalog, up to five (property)', () => {
    assertAcceptsAndNormalises(
      field,
      fc
        .shuffledSubarray(CATALOGS, { minLength: 1, maxLength: 5 })
        .chain((catalogs) =>
          fc.tuple(...catalogs.map((catalogId) => fc.integer({ min: 1 }).map((element) => ({ catalog_id: catalogId, catalog_element_id: element })))),
        )
        .map((items) => ({ values: items, expected: items })),
    );
  });

  it('refuses non-integer element ids with InvalidType (property)', () => {
    assertRejects(
      field,
      jsonExcept((value) => Number.isInteger(value)).map((element) => ({
        values: [{ catalog_id: 9929, catalog_element_id: element }],
        code: 'InvalidType',
        path: itemPath(0, 'catalog_element_id'),
      })),
    );
  });
});
