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

const NUMERIC_TYPES: { type: FieldType; fractionDigits: number }[] = [
  { type: 'numeric', fractionDigits: 6 },
  { type: 'monetary', fractionDigits: 2 },
  { type: 'price', fractionDigits: 6 },
];

const stored = (value: string) => [{ field_id: 1, values: [{ value }] }];

/** A decimal written with optional sign, leading zeros and trailing zeros, with its canonical form. */
const decimal = (fractionDigits: number) =>
  fc
    .record({
      negative: fc.boolean(),
      integer: fc.bigInt({ min: 0n, max: 999_999_999_999_999n }),
      fraction: fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: fractionDigits }),
      leadingZeros: fc.nat({ max: 3 }),
      trailingZeros: fc.nat({ max: 3 }),
    })
    .map(({ negative, integer, fraction, leadingZeros, trailingZeros }) => {
      const fractionText = fraction + '0'.repeat(fraction === '' ? 0 : trailingZeros);
      const written = `${negative ? '-' : ''}${'0'.repeat(leadingZeros)}${integer}${fractionText ? `.${fractionText}` : ''}`;
      const significantFraction = fraction.replace(/0+$/, '');
      const magnitude = significantFraction ? `${integer}.${significantFraction}` : `${integer}`;
      return { written, canonical: negative && magnitude !== '0' ? `-${magnitude}` : magnitude };
    });

describe.each(NUMERIC_TYPES)('$type values', ({ type, fractionDigits }) => {
  const field = definition({ type, currency: type === 'monetary' ? 'USD' : null });

  it('normalises a numeric string to its canonical decimal', () => {
    expect(writeValues(field, [{ value: '001.50' }]).next).toEqual(stored('1.5'));
  });

  it('normalises a JSON number to a decimal string without exponent', () => {
    expect(writeValues(field, [{ value: 1e14 }]).next).toEqual(stored('100000000000000'));
  });

  it('turns minus zero into zero', () => {
    expect(writeValues(field, [{ value: '-0.00' }]).next).toEqual(stored('0'));
  });

  it(`refuses more than ${fractionDigits} decimal places as InvalidValue`, () => {
    expect(onlyError(writeValues(field, [{ value: `1.${'1'.repeat(fractionDigits + 1)}` }]))).toEqual({
      code: 'InvalidValue',
      path: itemPath(0, 'value'),
      detail: `This value should have at most ${fractionDigits} decimal places.`,
    });
  });

  it('refuses an absolute value of 1e15 or more as OutOfRange', () => {
    expect(onlyError(writeValues(field, [{ value: '1000000000000000' }]))).toEqual({
      code: 'OutOfRange',
      path: itemPath(0, 'value'),
      detail: 'This value should be between -1000000000000000 and 1000000000000000.',
    });
  });

  it('refuses text that is not a number as InvalidValue', () => {
    expect(onlyError(writeValues(field, [{ value: '12abc' }]))).toEqual({
      code: 'InvalidValue',
      path: itemPath(0, 'value'),
      detail: 'This value should be a number.',
    });
  });

  it('accepts and normalises decimal strings and their numbers (property)', () => {
    assertAcceptsAndNormalises(
      field,
      decimal(fractionDigits).map(({ written, canonical }) => ({
        values: [{ value: written }],
        expected: [{ value: canonical }],
      })),
    );
  });

  it('accepts safe integers given as JSON numbers (property)', () => {
    assertAcceptsAndNormalises(
      field,
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map((value) => ({
        values: [{ value }],
        expected: [{ value: String(value) }],
      })),
    );
  });

  it('refuses non-numeric JSON types with InvalidType (property)', () => {
    assertRejects(
      field,
      jsonExcept((value) => typeof value === 'string' || typeof value === 'number').map((value) => ({
        values: [{ value }],
        code: 'InvalidType',
        path: itemPath(0, 'value'),
      })),
    );
  });

  it('refuses non-numeric strings with InvalidValue (property)', () => {
    assertRejects(
      field,
      fc
        .string()
        .filter((text) => !/^[+-]?\d+(\.\d+)?$/.test(text))
        .map((value) => ({ values: [{ value }], code: 'InvalidValue', path: itemPath(0, 'value') })),
    );
  });
});

describe('whole-number numeric values', () => {
  const field = definition({ type: 'numeric', settings: { wholeNumbers: true } });

  it('refuses a fraction as InvalidValue', () => {
    expect(onlyError(writeValues(field, [{ value: '5.5' }]))).toEqual({
      code: 'InvalidValue',
      path: itemPath(0, 'value'),
      detail: 'This value should be a whole number.',
    });
  });

  it('accepts a whole number written with a zero fraction, as the whole number', () => {
    expect(writeValues(field, [{ value: '7.000' }]).next).toEqual(stored('7'));
  });

  it('accepts and normalises whole decimals (property)', () => {
    assertAcceptsAndNormalises(
      field,
      decimal(0).map(({ written, canonical }) => ({ values: [{ value: written }], expected: [{ value: canonical }] })),
    );
  });

  it('refuses every decimal with a significant fraction (property)', () => {
    assertRejects(
      field,
      decimal(6)
        .filter(({ canonical }) => canonical.includes('.'))
        .map(({ written }) => ({ values: [{ value: written }], code: 'InvalidValue', path: itemPath(0, 'value') })),
    );
  });
});

describe('numeric values that hold user ids', () => {
  const field = definition({ type: 'numeric', settings: { userIds: true } });

  it('refuses a fraction as InvalidValue, since no user id has one', () => {
    expect(onlyError(writeValues(field, [{ value: 1.5 }]))).toEqual({
      code: 'InvalidValue',
      path: itemPath(0, 'value'),
      detail: 'This value should be a whole number.',
    });
  });
});
