import { describe, expect, it } from 'vitest';
import { FieldCatalog } from '../../../src/core/fields/catalog.js';
import { indexTerms } from '../../../src/core/fields/indexing.js';
import { definition } from './fixtures.js';

const name = definition({ id: 1, type: 'text' });
const budget = definition({ id: 2, type: 'numeric' });
const kind = definition({ id: 3, type: 'multiselect', enums: [{ id: 30, value: 'VIP', sort: 1, code: null }] });
const closing = definition({ id: 4, type: 'date' });
const paid = definition({ id: 5, type: 'checkbox' });
const catalog = FieldCatalog.of([name, budget, kind, closing, paid]);

describe('indexTerms', () => {
  it('derives one term per stored item, typed by the field', () => {
    expect(
      indexTerms(catalog, [
        { field_id: 1, values: [{ value: 'Big Deal' }] },
        { field_id: 2, values: [{ value: '-12.5' }] },
        { field_id: 3, values: [{ value: 'VIP', enum_id: 30, enum_code: null }] },
        { field_id: 4, values: [{ value: 1577836800 }] },
        { field_id: 5, values: [{ value: true }] },
      ]),
    ).toEqual([
      { fieldId: 1, text: 'big deal', number: null, enumId: null },
      { fieldId: 2, text: null, number: -12.5, enumId: null },
      { fieldId: 3, text: 'vip', number: null, enumId: 30 },
      { fieldId: 4, text: null, number: 1577836800, enumId: null },
      { fieldId: 5, text: null, number: 1, enumId: null },
    ]);
  });

  it('skips values of fields no longer defined', () => {
    expect(indexTerms(catalog, [{ field_id: 99, values: [{ value: 'x' }] }])).toEqual([]);
  });
});
