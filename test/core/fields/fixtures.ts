import fc from 'fast-check';
import { expect } from 'vitest';
import type { ErrorCode, ErrorItem } from '../../../src/core/errors.js';
import { FieldCatalog } from '../../../src/core/fields/catalog.js';
import type { IdSource } from '../../../src/core/fields/definitions.js';
import type { FieldDefinition, FieldType, FieldValue, ValueItem } from '../../../src/core/fields/model.js';
import { applyValuePatch, type ValuePatchResult } from '../../../src/core/fields/values.js';

export const PROPERTY_RUNS = { numRuns: 200 };

export function definition(overrides: Partial<FieldDefinition> & { type: FieldType }): FieldDefinition {
  return {
    id: 1,
    uuid: '00000000-0000-4000-8000-000000000001',
    entityType: 'leads',
    name: 'Field',
    code: null,
    sort: 500,
    groupId: null,
    description: null,
    isApiOnly: false,
    isEditable: true,
    isRequired: false,
    isPredefined: false,
    isDeletable: true,
    requiredStatuses: [],
    hiddenStatuses: [],
    enums: null,
    nested: null,
    remind: null,
    currency: null,
    chainedLists: null,
    trackingCallback: null,
    searchIn: null,
    settings: {},
    externalId: null,
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

export function counter(start = 1000): IdSource {
  let last = start - 1;
  return { next: () => (last += 1) };
}

/** Writes `values` into the one field `field` of a record currently holding `current`. */
export function writeValues(field: FieldDefinition, values: unknown, current: FieldValue[] = []): ValuePatchResult {
  return applyValuePatch({
    catalog: FieldCatalog.of([field]),
    entityType: field.entityType,
    current,
    patch: [{ field_id: field.id, values }],
  });
}

/** The path of key `key` of item `index` of the only entry written by `writeValues`. */
export function itemPath(index: number, key?: string): string {
  return ['custom_fields_values.0.values', index, key].filter((part) => part !== undefined).join('.');
}

export function onlyError(result: ValuePatchResult): ErrorItem {
  expect(result.errors).toHaveLength(1);
  const [error] = result.errors;
  if (error === undefined) throw new Error('no error');
  return error;
}

/**
 * Well-typed input is accepted as `expected`, and normalising is idempotent: writing the stored
 * items again gives the same items and no change.
 */
export function assertAcceptsAndNormalises(
  field: FieldDefinition,
  cases: fc.Arbitrary<{ values: unknown[]; expected: ValueItem[] }>,
): void {
  fc.assert(
    fc.property(cases, ({ values, expected }) => {
      const first = writeValues(field, values);
      expect(first.errors).toEqual([]);
      expect(first.next).toEqual([{ field_id: field.id, values: expected }]);
      const second = writeValues(field, first.next[0]?.values, first.next);
      expect(second.errors).toEqual([]);
      expect(second.next).toEqual(first.next);
      expect(second.changes).toEqual([]);
    }),
    PROPERTY_RUNS,
  );
}

/** Ill-typed input yields exactly `code` at `path` and leaves the stored values alone. */
export function assertRejects(
  field: FieldDefinition,
  cases: fc.Arbitrary<{ values: unknown; code: ErrorCode; path: string }>,
): void {
  const current: FieldValue[] = [{ field_id: 999, values: [{ value: 'kept' }] }];
  fc.assert(
    fc.property(cases, ({ values, code, path }) => {
      const result = writeValues(field, values, current);
      expect(result.errors.map(({ code: c, path: p }) => ({ code: c, path: p }))).toEqual([{ code, path }]);
      expect(result.next).toEqual(current);
      expect(result.changes).toEqual([]);
    }),
    PROPERTY_RUNS,
  );
}

/** Any JSON value that is not of the kinds `keep` accepts. */
export function jsonExcept(keep: (value: unknown) => boolean): fc.Arbitrary<unknown> {
  return fc
    .oneof(
      fc.boolean(),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string(),
      fc.constant([]),
      fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
    )
    .filter((value) => !keep(value));
}
