import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldType } from '../../../../src/core/fields/model.js';
import {
  assertAcceptsAndNormalises,
  assertRejects,
  definition,
  itemPath,
  jsonExcept,
  onlyError,
  writeValues,
} from '../fixtures.js';

const TEXT_TYPES: { type: FieldType; maxLength: number }[] = [
  { type: 'text', maxLength: 256 },
  { type: 'textarea', maxLength: 4000 },
  { type: 'streetaddress', maxLength: 256 },
  { type: 'tracking_data', maxLength: 256 },
];

const nonBlankText = (maxLength: number) =>
  fc.string({ minLength: 1, maxLength: Math.min(maxLength, 300), unit: 'grapheme' }).filter((text) => text.trim() !== '' && [...text].length <= maxLength);

describe.each(TEXT_TYPES)('$type values', ({ type, maxLength }) => {
  const field = definition({ type });

  it('stores a string as given', () => {
    expect(writeValues(field, [{ value: '  Acme Ltd ' }]).next).toEqual([{ field_id: 1, values: [{ value: '  Acme Ltd ' }] }]);
  });

  it('coerces a number to its decimal text', () => {
    expect(writeValues(field, [{ value: 94080 }]).next).toEqual([{ field_id: 1, values: [{ value: '94080' }] }]);
  });

  it(`accepts ${maxLength} characters and refuses one more`, () => {
    expect(writeValues(field, [{ value: 'x'.repeat(maxLength) }]).errors).toEqual([]);
    expect(onlyError(writeValues(field, [{ value: 'x'.repeat(maxLength + 1) }]))).toEqual({
      code: 'TooLong',
      path: itemPath(0, 'value'),
      detail: `This value is too long. It should have ${maxLength} characters or less.`,
    });
  });

  it('refuses a blank string as NotBlank', () => {
    expect(onlyError(writeValues(field, [{ value: '   ' }]))).toEqual({
      code: 'NotBlank',
      path: itemPath(0, 'value'),
      detail: 'This value should not be blank.',
    });
  });

  it('refuses a second item', () => {
    expect(onlyError(writeValues(field, [{ value: 'a' }, { value: 'b' }]))).toEqual({
      code: 'TooMany',
      path: 'custom_fields_values.0.values',
      detail: 'This collection should contain 1 element or less.',
    });
  });

  it('accepts and normalises any non-blank text (property)', () => {
    assertAcceptsAndNormalises(
      field,
      nonBlankText(maxLength).map((text) => ({ values: [{ value: text }], expected: [{ value: text }] })),
    );
  });

  it('refuses every non-text, non-number value with InvalidType at the value (property)', () => {
    assertRejects(
      field,
      jsonExcept((value) => typeof value === 'string' || typeof value === 'number').map((value) => ({
        values: [{ value }],
        code: 'InvalidType',
        path: itemPath(0, 'value'),
      })),
    );
  });
});

describe('text length settings', () => {
  it('honours settings.maxLength', () => {
    const field = definition({ type: 'text', settings: { maxLength: 3 } });
    expect(onlyError(writeValues(field, [{ value: 'abcd' }])).code).toBe('TooLong');
  });

  it('counts an emoji as one character', () => {
    const field = definition({ type: 'text', settings: { maxLength: 2 } });
    expect(writeValues(field, [{ value: '😀😀' }]).errors).toEqual([]);
  });
});
