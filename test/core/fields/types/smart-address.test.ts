import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADDRESS_PARTS } from '../../../../src/core/fields/types/smart-address.js';
import {
  assertAcceptsAndNormalises,
  assertRejects,
  definition,
  itemPath,
  onlyError,
  writeValues,
} from '../fixtures.js';

const field = definition({ type: 'smart_address' });

describe('smart_address values', () => {
  it('stores each part with its fixed id and code', () => {
    expect(
      writeValues(field, [
        { value: '940 Mission Rd', enum_id: 1 },
        { value: 'San Francisco', enum_code: 'city' },
      ]).next[0]?.values,
    ).toEqual([
      { value: '940 Mission Rd', enum_id: 1, enum_code: 'address_line_1' },
      { value: 'San Francisco', enum_id: 3, enum_code: 'city' },
    ]);
  });

  it('refuses an item that names no part as FieldMissing at enum_id', () => {
    expect(onlyError(writeValues(field, [{ value: 'Main St' }]))).toEqual({
      code: 'FieldMissing',
      path: itemPath(0, 'enum_id'),
      detail: 'This field is missing.',
    });
  });

  it('refuses part 7 at the enum_id', () => {
    expect(onlyError(writeValues(field, [{ value: 'x', enum_id: 7 }])).path).toBe(itemPath(0, 'enum_id'));
  });

  it('refuses the same part twice as Duplicate', () => {
    expect(onlyError(writeValues(field, [{ value: 'a', enum_id: 3 }, { value: 'b', enum_code: 'city' }]))).toEqual({
      code: 'Duplicate',
      path: itemPath(1),
      detail: 'This collection should contain only unique elements.',
    });
  });

  it('accepts any set of distinct parts (property)', () => {
    assertAcceptsAndNormalises(
      field,
      fc
        .shuffledSubarray([...ADDRESS_PARTS], { minLength: 1 })
        .chain((parts) =>
          fc.tuple(
            fc.constant(parts),
            fc.array(fc.string({ minLength: 1, maxLength: 30 }).filter((text) => text.trim() !== ''), {
              minLength: parts.length,
              maxLength: parts.length,
            }),
          ),
        )
        .map(([parts, texts]) => ({
          values: parts.map((part, index) => ({ value: texts[index], enum_code: part.code })),
          expected: parts.map((part, index) => ({ value: texts[index], enum_id: part.id, enum_code: part.code })),
        })),
    );
  });

  it('refuses part ids outside 1-6 (property)', () => {
    assertRejects(
      field,
      fc
        .integer()
        .filter((id) => id < 1 || id > 6)
        .map((id) => ({ values: [{ value: 'x', enum_id: id }], code: 'NotSupportedChoice', path: itemPath(0, 'enum_id') })),
    );
  });
});
