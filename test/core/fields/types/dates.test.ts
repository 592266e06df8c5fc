import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldType } from '../../../../src/core/fields/model.js';
import { parseRfc3339 } from '../../../../src/core/fields/types/dates.js';
import {
  assertAcceptsAndNormalises,
  assertRejects,
  definition,
  itemPath,
  onlyError,
  writeValues,
} from '../fixtures.js';

const LATEST = 253402300799;
const EARLIEST_BIRTHDAY = -62135596800;

const DATE_TYPES: { type: FieldType; earliest: number }[] = [
  { type: 'date', earliest: 0 },
  { type: 'date_time', earliest: 0 },
  { type: 'birthday', earliest: EARLIEST_BIRTHDAY },
];

const stored = (value: number) => [{ field_id: 1, values: [{ value }] }];

describe.each(DATE_TYPES)('$type values', ({ type, earliest }) => {
  const field = definition({ type });

  it('stores unix seconds as given', () => {
    expect(writeValues(field, [{ value: 1577836800 }]).next).toEqual(stored(1577836800));
  });

  it('converts an RFC 3339 date-time with an offset to unix seconds', () => {
    expect(writeValues(field, [{ value: '2020-01-01T03:00:00+03:00' }]).next).toEqual(stored(1577836800));
  });

  it('takes an RFC 3339 full-date as midnight UTC', () => {
    expect(writeValues(field, [{ value: '2020-01-01' }]).next).toEqual(stored(1577836800));
  });

  it('refuses a date that is not on the calendar as InvalidValue', () => {
    expect(onlyError(writeValues(field, [{ value: '2021-02-29T00:00:00Z' }]))).toEqual({
      code: 'InvalidValue',
      path: itemPath(0, 'value'),
      detail: 'This value should be a unix timestamp in seconds or an RFC 3339 date.',
    });
  });

  it('refuses a fractional number of seconds as InvalidValue', () => {
    expect(onlyError(writeValues(field, [{ value: 1.5 }])).code).toBe('InvalidValue');
  });

  it('refuses an object as InvalidType', () => {
    expect(onlyError(writeValues(field, [{ value: { seconds: 1 } }]))).toEqual({
      code: 'InvalidType',
      path: itemPath(0, 'value'),
      detail: 'This value should be of type int.',
    });
  });

  it('refuses an instant after year 9999 as OutOfRange', () => {
    expect(onlyError(writeValues(field, [{ value: LATEST + 1 }]))).toEqual({
      code: 'OutOfRange',
      path: itemPath(0, 'value'),
      detail: `This value should be between ${earliest} and ${LATEST}.`,
    });
  });

  it('accepts every timestamp in range, as seconds or as RFC 3339 text (property)', () => {
    assertAcceptsAndNormalises(
      field,
      fc.record({ seconds: fc.integer({ min: earliest, max: LATEST }), asText: fc.boolean() }).map(({ seconds, asText }) => ({
        values: [{ value: asText ? new Date(seconds * 1000).toISOString() : seconds }],
        expected: [{ value: seconds }],
      })),
    );
  });

  it('refuses text that is not an RFC 3339 date (property)', () => {
    assertRejects(
      field,
      fc
        .string()
        .filter((text) => parseRfc3339(text) === null)
        .map((value) => ({ values: [{ value }], code: 'InvalidValue', path: itemPath(0, 'value') })),
    );
  });

  it('refuses booleans, arrays and objects with InvalidType (property)', () => {
    assertRejects(
      field,
      fc
        .oneof(fc.boolean(), fc.array(fc.integer()), fc.object())
        .map((value) => ({ values: [{ value }], code: 'InvalidType', path: itemPath(0, 'value') })),
    );
  });
});

describe('dates before 1970', () => {
  it('accepts a birthday before 1970', () => {
    expect(writeValues(definition({ type: 'birthday' }), [{ value: '1950-06-15' }]).next).toEqual(stored(-616896000));
  });

  it('refuses a date before 1970 as OutOfRange', () => {
    expect(onlyError(writeValues(definition({ type: 'date' }), [{ value: -1 }])).code).toBe('OutOfRange');
  });
});
