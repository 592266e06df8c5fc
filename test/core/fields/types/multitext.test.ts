import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldCatalog } from '../../../../src/core/fields/catalog.js';
import { indexTerms } from '../../../../src/core/fields/indexing.js';
import type { EnumOption } from '../../../../src/core/fields/model.js';
import {
  assertAcceptsAndNormalises,
  assertRejects,
  definition,
  itemPath,
  jsonExcept,
  onlyError,
  writeValues,
} from '../fixtures.js';

const KINDS: EnumOption[] = [
  { id: 30, value: 'WORK', sort: 1, code: 'WORK' },
  { id: 31, value: 'MOB', sort: 2, code: 'MOB' },
  { id: 32, value: 'HOME', sort: 3, code: 'HOME' },
];
const phone = definition({ type: 'multitext', entityType: 'contacts', code: 'PHONE', enums: KINDS });
const email = definition({ id: 2, type: 'multitext', entityType: 'contacts', code: 'EMAIL', enums: KINDS });

describe('multitext values', () => {
  it('gives an item without a kind the first kind (WORK)', () => {
    expect(writeValues(phone, [{ value: '+1 555 0100' }]).next[0]?.values).toEqual([
      { value: '+1 555 0100', enum_id: 30, enum_code: 'WORK' },
    ]);
  });

  it('takes the kind from enum_code or enum_id', () => {
    expect(writeValues(phone, [{ value: 'a', enum_code: 'MOB' }, { value: 'b', enum_id: 32 }]).next[0]?.values).toEqual([
      { value: 'a', enum_id: 31, enum_code: 'MOB' },
      { value: 'b', enum_id: 32, enum_code: 'HOME' },
    ]);
  });

  it('refuses an unknown enum_code at the enum_code', () => {
    expect(onlyError(writeValues(phone, [{ value: 'a', enum_code: 'FAX' }]))).toEqual({
      code: 'NotSupportedChoice',
      path: itemPath(0, 'enum_code'),
      detail: 'The value you selected is not a valid choice.',
    });
  });

  it('refuses more items than settings.maxValues', () => {
    const limited = definition({ type: 'multitext', enums: KINDS, settings: { maxValues: 1 } });
    expect(onlyError(writeValues(limited, [{ value: 'a' }, { value: 'b' }])).code).toBe('TooMany');
  });

  it('refuses 21 items by default', () => {
    const items = Array.from({ length: 21 }, (_, index) => ({ value: `x${index}` }));
    expect(onlyError(writeValues(phone, items)).code).toBe('TooMany');
  });

  it('collects the errors of every item', () => {
    expect(writeValues(phone, [{ value: '' }, { value: 'ok', enum_id: 99 }]).errors.map((error) => error.path)).toEqual([
      itemPath(0, 'value'),
      itemPath(1, 'enum_id'),
    ]);
  });

  it('indexes a PHONE by its digits so any written format finds it', () => {
    const values = writeValues(phone, [{ value: '+1 (555) 010-99', enum_code: 'MOB' }]).next;
    expect(indexTerms(FieldCatalog.of([phone]), values)).toEqual([{ fieldId: 1, text: '155501099', number: null, enumId: 31 }]);
  });

  it('indexes other multitext fields by lower-cased text', () => {
    const values = writeValues(email, [{ value: 'Ann@Example.COM' }]).next;
    expect(indexTerms(FieldCatalog.of([email]), values)).toEqual([
      { fieldId: 2, text: 'ann@example.com', number: null, enumId: 30 },
    ]);
  });

  it('accepts texts with any kind (property)', () => {
    assertAcceptsAndNormalises(
      phone,
      fc
        .array(
          fc.record({
            text: fc.string({ minLength: 1, maxLength: 40 }).filter((text) => text.trim() !== ''),
            kind: fc.option(fc.constantFrom(...KINDS), { nil: undefined }),
            by: fc.constantFrom('enum_id', 'enum_code'),
          }),
          { minLength: 1, maxLength: 5 },
        )
        .map((items) => ({
          values: items.map(({ text, kind, by }) =>
            kind === undefined ? { value: text } : { value: text, [by]: by === 'enum_id' ? kind.id : kind.code },
          ),
          expected: items.map(({ text, kind = KINDS[0]! }) => ({ value: text, enum_id: kind.id, enum_code: kind.code })),
        })),
    );
  });

  it('refuses non-text values with InvalidType (property)', () => {
    assertRejects(
      phone,
      jsonExcept((value) => typeof value === 'string' || typeof value === 'number').map((value) => ({
        values: [{ value, enum_code: 'WORK' }],
        code: 'InvalidType',
        path: itemPath(0, 'value'),
      })),
    );
  });
});
