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

const field = definition({ type: 'url' });
const NOT_A_URL = { code: 'InvalidValue', path: itemPath(0, 'value'), detail: 'This value is not a valid URL.' };

describe('url values', () => {
  it('stores an absolute https URL without surrounding whitespace', () => {
    expect(writeValues(field, [{ value: ' https://example.com/a?b=1 ' }]).next[0]?.values).toEqual([
      { value: 'https://example.com/a?b=1' },
    ]);
  });

  it('refuses a relative URL', () => {
    expect(onlyError(writeValues(field, [{ value: '/pricing' }]))).toEqual(NOT_A_URL);
  });

  it('refuses a protocol other than http or https', () => {
    expect(onlyError(writeValues(field, [{ value: 'javascript:alert(1)' }]))).toEqual(NOT_A_URL);
  });

  it('refuses more than 2048 characters as TooLong', () => {
    expect(onlyError(writeValues(field, [{ value: `https://example.com/${'a'.repeat(2048)}` }])).code).toBe('TooLong');
  });

  it('accepts web URLs (property)', () => {
    assertAcceptsAndNormalises(
      field,
      fc
        .webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true })
        .filter((url) => url.length <= 2048)
        .map((url) => ({ values: [{ value: url }], expected: [{ value: url }] })),
    );
  });

  it('refuses non-string values with InvalidType (property)', () => {
    assertRejects(
      field,
      jsonExcept((value) => typeof value === 'string').map((value) => ({
        values: [{ value }],
        code: 'InvalidType',
        path: itemPath(0, 'value'),
      })),
    );
  });

  it('refuses words without a scheme with InvalidValue (property)', () => {
    assertRejects(
      field,
      fc.stringMatching(/^[a-z][a-z0-9.-]{0,20}$/).map((value) => ({
        values: [{ value }],
        code: 'InvalidValue',
        path: itemPath(0, 'value'),
      })),
    );
  });
});
