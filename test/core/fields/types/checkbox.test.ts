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

const field = definition({ type: 'checkbox' });

describe('checkbox values', () => {
  it('stores 1 as true and 0 as false', () => {
    expect(writeValues(field, [{ value: 1 }]).next).toEqual([{ field_id: 1, values: [{ value: true }] }]);
    expect(writeValues(field, [{ value: 0 }]).next).toEqual([{ field_id: 1, values: [{ value: false }] }]);
  });

  it('refuses the string "true" as InvalidType', () => {
    expect(onlyError(writeValues(field, [{ value: 'true' }]))).toEqual({
      code: 'InvalidType',
      path: itemPath(0, 'value'),
      detail: 'This value should be of type bool.',
    });
  });

  it('refuses a number other than 0 or 1 as InvalidValue', () => {
    expect(onlyError(writeValues(field, [{ value: 2 }]))).toEqual({
      code: 'InvalidValue',
      path: itemPath(0, 'value'),
      detail: 'This value should be true, false, 0 or 1.',
    });
  });

  it('refuses an enum_code as FieldNotExpected', () => {
    expect(onlyError(writeValues(field, [{ value: true, enum_code: 'X' }]))).toEqual({
      code: 'FieldNotExpected',
      path: itemPath(0, 'enum_code'),
      detail: 'This field was not expected.',
    });
  });

  it('accepts and normalises booleans and 0/1 (property)', () => {
    assertAcceptsAndNormalises(
      field,
      fc.constantFrom(true, false, 0, 1).map((value) => ({ values: [{ value }], expected: [{ value: value === true || value === 1 }] })),
    );
  });

  it('refuses every non-boolean, non-number value with InvalidType (property)', () => {
    assertRejects(
      field,
      jsonExcept((value) => typeof value === 'boolean' || typeof value === 'number').map((value) => ({
        values: [{ value }],
        code: 'InvalidType',
        path: itemPath(0, 'value'),
      })),
    );
  });
});
