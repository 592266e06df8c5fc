import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EnumOption, FieldType, NestedOption } from '../../../../src/core/fields/model.js';
import {
  assertAcceptsAndNormalises,
  assertRejects,
  definition,
  itemPath,
  onlyError,
  writeValues,
} from '../fixtures.js';

const ENUMS: EnumOption[] = [
  { id: 10, value: 'New', sort: 1, code: 'NEW' },
  { id: 11, value: 'Regular', sort: 2, code: null },
  { id: 12, value: '44', sort: 3, code: 'FORTY_FOUR' },
];

const storedOption = ({ id, value, code }: EnumOption) => ({ value, enum_id: id, enum_code: code });

/** One way of naming an option that a client may use, alone or echoed with the others. */
const naming = (option: EnumOption) =>
  fc.constantFrom<Record<string, unknown>[]>(
    [{ enum_id: option.id }],
    [{ value: option.value }],
    ...(option.code ? [[{ enum_code: option.code }]] : []),
    [{ value: option.value, enum_id: option.id, enum_code: option.code }],
  );

describe.each<FieldType>(['select', 'radiobutton', 'multiselect'])('%s values', (type) => {
  const field = definition({ type, enums: ENUMS });

  it('stores the option named by enum_id with its text and code', () => {
    expect(writeValues(field, [{ enum_id: 11 }]).next).toEqual([
      { field_id: 1, values: [{ value: 'Regular', enum_id: 11, enum_code: null }] },
    ]);
  });

  it('finds an option by enum_code', () => {
    expect(writeValues(field, [{ enum_code: 'NEW' }]).next[0]?.values).toEqual([storedOption(ENUMS[0]!)]);
  });

  it('finds an option by its exact text, also when sent as a number', () => {
    expect(writeValues(field, [{ value: 44 }]).next[0]?.values).toEqual([storedOption(ENUMS[2]!)]);
  });

  it('refuses an unknown enum_id at the enum_id', () => {
    expect(onlyError(writeValues(field, [{ enum_id: 99 }]))).toEqual({
      code: 'NotSupportedChoice',
      path: itemPath(0, 'enum_id'),
      detail: 'The value you selected is not a valid choice.',
    });
  });

  it('refuses text that matches no option exactly at the value', () => {
    expect(onlyError(writeValues(field, [{ value: 'new' }]))).toEqual({
      code: 'NotSupportedChoice',
      path: itemPath(0, 'value'),
      detail: 'The value you selected is not a valid choice.',
    });
  });

  it('refuses a value that contradicts the enum_id at the value', () => {
    expect(onlyError(writeValues(field, [{ enum_id: 10, value: 'Regular' }])).path).toBe(itemPath(0, 'value'));
  });

  it('refuses an item naming no option as FieldMissing at enum_id', () => {
    expect(onlyError(writeValues(field, [{ enum_code: null }]))).toEqual({
      code: 'FieldMissing',
      path: itemPath(0, 'enum_id'),
      detail: 'This field is missing.',
    });
  });

  it('accepts every way of naming an option (property)', () => {
    assertAcceptsAndNormalises(
      field,
      fc
        .constantFrom(...ENUMS)
        .chain((option) => naming(option).map((values) => ({ values, expected: [storedOption(option)] }))),
    );
  });

  it('refuses enum ids that are not options (property)', () => {
    assertRejects(
      field,
      fc
        .integer()
        .filter((id) => !ENUMS.some((option) => option.id === id))
        .map((id) => ({ values: [{ enum_id: id }], code: 'NotSupportedChoice', path: itemPath(0, 'enum_id') })),
    );
  });

  it('refuses a non-integer enum_id with InvalidType (property)', () => {
    assertRejects(
      field,
      fc
        .oneof(fc.string(), fc.boolean(), fc.double().filter((n) => !Number.isInteger(n)), fc.constant({}))
        .map((id) => ({ values: [{ enum_id: id }], code: 'InvalidType', path: itemPath(0, 'enum_id') })),
    );
  });
});

describe.each<FieldType>(['select', 'radiobutton'])('%s cardinality', (type) => {
  it('refuses two items as TooMany', () => {
    const field = definition({ type, enums: ENUMS });
    expect(onlyError(writeValues(field, [{ enum_id: 10 }, { enum_id: 11 }]))).toEqual({
      code: 'TooMany',
      path: 'custom_fields_values.0.values',
      detail: 'This collection should contain 1 element or less.',
    });
  });
});

describe('multiselect values', () => {
  const field = definition({ type: 'multiselect', enums: ENUMS });

  it('stores several options in the order given', () => {
    expect(writeValues(field, [{ enum_id: 12 }, { value: 'New' }]).next[0]?.values).toEqual([
      storedOption(ENUMS[2]!),
      storedOption(ENUMS[0]!),
    ]);
  });

  it('refuses the same option twice as Duplicate at the second item', () => {
    expect(onlyError(writeValues(field, [{ enum_id: 10 }, { enum_code: 'NEW' }]))).toEqual({
      code: 'Duplicate',
      path: itemPath(1),
      detail: 'This collection should contain only unique elements.',
    });
  });

  it('refuses more items than there are options as TooMany', () => {
    const items = [{ enum_id: 10 }, { enum_id: 11 }, { enum_id: 12 }, { enum_id: 10 }];
    expect(writeValues(field, items).errors[0]).toEqual({
      code: 'TooMany',
      path: 'custom_fields_values.0.values',
      detail: 'This collection should contain 3 elements or less.',
    });
  });

  it('accepts any selection of distinct options (property)', () => {
    assertAcceptsAndNormalises(
      field,
      fc.shuffledSubarray(ENUMS, { minLength: 1 }).map((options) => ({
        values: options.map((option) => ({ enum_id: option.id })),
        expected: options.map(storedOption),
      })),
    );
  });
});

describe('category values', () => {
  const nested: NestedOption[] = [
    { id: 20, parentId: null, value: 'Hardware', sort: 1 },
    { id: 21, parentId: 20, value: 'Other', sort: 2 },
    { id: 22, parentId: null, value: 'Software', sort: 3 },
    { id: 23, parentId: 22, value: 'Other', sort: 4 },
  ];
  const field = definition({ type: 'category', nested });

  it('stores the nested option named by enum_id without an enum_code', () => {
    expect(writeValues(field, [{ enum_id: 23 }]).next[0]?.values).toEqual([{ value: 'Other', enum_id: 23 }]);
  });

  it('refuses text shared by several options, which must be named by enum_id', () => {
    expect(onlyError(writeValues(field, [{ value: 'Other' }])).path).toBe(itemPath(0, 'value'));
  });

  it('refuses an enum_code as FieldNotExpected', () => {
    expect(onlyError(writeValues(field, [{ enum_id: 20, enum_code: 'X' }]))).toEqual({
      code: 'FieldNotExpected',
      path: itemPath(0, 'enum_code'),
      detail: 'This field was not expected.',
    });
  });

  it('accepts any nested option by id (property)', () => {
    assertAcceptsAndNormalises(
      field,
      fc.constantFrom(...nested).map((option) => ({
        values: [{ enum_id: option.id }],
        expected: [{ value: option.value, enum_id: option.id }],
      })),
    );
  });

  it('refuses unknown option ids (property)', () => {
    assertRejects(
      field,
      fc
        .integer()
        .filter((id) => !nested.some((option) => option.id === id))
        .map((id) => ({ values: [{ enum_id: id }], code: 'NotSupportedChoice', path: itemPath(0, 'enum_id') })),
    );
  });
});
