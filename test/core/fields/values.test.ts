import { describe, expect, it } from 'vitest';
import { FieldCatalog } from '../../../src/core/fields/catalog.js';
import type { FieldValue } from '../../../src/core/fields/model.js';
import { applyValuePatch, parseFieldValues } from '../../../src/core/fields/values.js';
import { definition } from './fixtures.js';

const budget = definition({ id: 1, type: 'numeric', name: 'Budget' });
const source = definition({ id: 2, type: 'text', name: 'Source', code: 'SOURCE' });
const kind = definition({
  id: 3,
  type: 'select',
  name: 'Kind',
  enums: [{ id: 30, value: 'New', sort: 1, code: null }],
});
const contactNote = definition({ id: 4, type: 'text', entityType: 'contacts' });
const catalog = FieldCatalog.of([budget, source, kind, contactNote]);

const stored: FieldValue[] = [
  { field_id: 1, values: [{ value: '100' }] },
  { field_id: 2, values: [{ value: 'web' }] },
];

function patchLead(patch: unknown, current: FieldValue[] = stored) {
  return applyValuePatch({ catalog, entityType: 'leads', current, patch });
}

describe('applyValuePatch envelope', () => {
  it('refuses a patch that is not an array at the base path', () => {
    expect(patchLead({ field_id: 1 }).errors).toEqual([
      { code: 'InvalidType', path: 'custom_fields_values', detail: 'This value should be of type array.' },
    ]);
  });

  it('prefixes error paths with the given base path', () => {
    const result = applyValuePatch({ catalog, entityType: 'leads', current: [], patch: [{}], basePath: '_embedded.cf' });
    expect(result.errors[0]?.path).toBe('_embedded.cf.0.field_id');
  });

  it('refuses an entry that is not an object', () => {
    expect(patchLead([7]).errors).toEqual([
      { code: 'InvalidType', path: 'custom_fields_values.0', detail: 'This value should be of type object.' },
    ]);
  });

  it('refuses an entry naming no field as FieldMissing at field_id', () => {
    expect(patchLead([{ values: [{ value: 1 }] }]).errors).toEqual([
      { code: 'FieldMissing', path: 'custom_fields_values.0.field_id', detail: 'This field is missing.' },
    ]);
  });

  it('refuses an unknown field_id as NotSupportedChoice', () => {
    expect(patchLead([{ field_id: 99, values: [{ value: 1 }] }]).errors).toEqual([
      {
        code: 'NotSupportedChoice',
        path: 'custom_fields_values.0.field_id',
        detail: 'The value you selected is not a valid choice.',
      },
    ]);
  });

  it('refuses a field of another entity type as NotSupportedChoice', () => {
    expect(patchLead([{ field_id: 4, values: [{ value: 'x' }] }]).errors[0]?.path).toBe('custom_fields_values.0.field_id');
  });

  it('refuses a non-integer field_id as InvalidType', () => {
    expect(patchLead([{ field_id: '1', values: [{ value: 1 }] }]).errors).toEqual([
      { code: 'InvalidType', path: 'custom_fields_values.0.field_id', detail: 'This value should be of type int.' },
    ]);
  });

  it('finds a field by field_code', () => {
    expect(patchLead([{ field_code: 'SOURCE', values: [{ value: 'ads' }] }]).next).toEqual([
      stored[0],
      { field_id: 2, values: [{ value: 'ads' }] },
    ]);
  });

  it('refuses an unknown field_code at the field_code', () => {
    expect(patchLead([{ field_code: 'NOPE', values: [{ value: 'x' }] }]).errors[0]?.path).toBe(
      'custom_fields_values.0.field_code',
    );
  });

  it('refuses a field_code that names another field than field_id', () => {
    expect(patchLead([{ field_id: 1, field_code: 'SOURCE', values: [{ value: 1 }] }]).errors[0]?.path).toBe(
      'custom_fields_values.0.field_code',
    );
  });

  it('accepts the read-model keys clients echo', () => {
    const echoed = { field_id: 1, field_name: 'Budget', field_code: null, field_type: 'numeric', is_computed: false };
    expect(patchLead([{ ...echoed, values: [{ value: 5 }] }]).errors).toEqual([]);
  });

  it('refuses an unknown entry key as FieldNotExpected', () => {
    expect(patchLead([{ field_id: 1, value: 5, values: [{ value: 5 }] }]).errors).toEqual([
      { code: 'FieldNotExpected', path: 'custom_fields_values.0.value', detail: 'This field was not expected.' },
    ]);
  });

  it('refuses an entry without values as FieldMissing', () => {
    expect(patchLead([{ field_id: 1 }]).errors).toEqual([
      { code: 'FieldMissing', path: 'custom_fields_values.0.values', detail: 'This field is missing.' },
    ]);
  });

  it('refuses an empty values list as TooFew', () => {
    expect(patchLead([{ field_id: 1, values: [] }]).errors).toEqual([
      {
        code: 'TooFew',
        path: 'custom_fields_values.0.values',
        detail: 'This collection should contain 1 element or more.',
      },
    ]);
  });

  it('refuses values that are not a list as InvalidType', () => {
    expect(patchLead([{ field_id: 1, values: { value: 5 } }]).errors).toEqual([
      { code: 'InvalidType', path: 'custom_fields_values.0.values', detail: 'This value should be of type array.' },
    ]);
  });

  it('refuses a value item that is not an object', () => {
    expect(patchLead([{ field_id: 1, values: [5] }]).errors).toEqual([
      { code: 'InvalidType', path: 'custom_fields_values.0.values.0', detail: 'This value should be of type object.' },
    ]);
  });

  it('refuses the same field twice as Duplicate at the later entry', () => {
    const result = patchLead([
      { field_id: 2, values: [{ value: 'a' }] },
      { field_code: 'SOURCE', values: [{ value: 'b' }] },
    ]);
    expect(result.errors).toEqual([
      {
        code: 'Duplicate',
        path: 'custom_fields_values.1.field_code',
        detail: 'This field is already set by an earlier entry.',
      },
    ]);
  });
});

describe('applyValuePatch semantics', () => {
  it('keeps the fields the patch does not name', () => {
    expect(patchLead([{ field_id: 1, values: [{ value: 7 }] }]).next).toEqual([
      { field_id: 1, values: [{ value: '7' }] },
      stored[1],
    ]);
  });

  it('clears a field with values null and reports the change', () => {
    const result = patchLead([{ field_id: 2, values: null }]);
    expect(result.next).toEqual([stored[0]]);
    expect(result.changes).toEqual([{ fieldId: 2, before: [{ value: 'web' }], after: null }]);
  });

  it('appends a field set for the first time after the stored ones', () => {
    const result = patchLead([{ field_id: 3, values: [{ value: 'New' }] }]);
    expect(result.next.map((value) => value.field_id)).toEqual([1, 2, 3]);
    expect(result.changes).toEqual([
      { fieldId: 3, before: null, after: [{ value: 'New', enum_id: 30, enum_code: null }] },
    ]);
  });

  it('reports no change when the values are rewritten as they are, whatever the key order', () => {
    const current: FieldValue[] = [{ field_id: 3, values: [{ enum_code: null, enum_id: 30, value: 'New' }] }];
    expect(patchLead([{ field_id: 3, values: [{ enum_id: 30 }] }], current).changes).toEqual([]);
  });

  it('returns the accepted entries with their positions', () => {
    expect(patchLead([{ field_id: 2, values: null }, { field_id: 1, values: [{ value: 1 }] }]).entries).toEqual([
      { index: 0, fieldId: 2, values: null },
      { index: 1, fieldId: 1, values: [{ value: '1' }] },
    ]);
  });

  it('collects the errors of every entry and changes nothing', () => {
    const result = patchLead([
      { field_id: 1, values: [{ value: 'abc' }] },
      { field_id: 2, values: null },
      { field_id: 3, values: [{ enum_id: 31 }] },
    ]);
    expect(result.errors.map((error) => error.path)).toEqual([
      'custom_fields_values.0.values.0.value',
      'custom_fields_values.2.values.0.enum_id',
    ]);
    expect(result.next).toEqual(stored);
    expect(result.changes).toEqual([]);
    expect(result.entries).toEqual([]);
  });
});

describe('parseFieldValues', () => {
  it('reads values for one field outside a custom_fields_values list', () => {
    expect(parseFieldValues(budget, [{ value: '2.50' }], 'budget')).toEqual({ ok: true, value: [{ value: '2.5' }] });
  });
});
