import { describe, expect, it } from 'vitest';
import { FieldCatalog } from '../../../src/core/fields/catalog.js';
import { definition } from './fixtures.js';

const leadSource = definition({ id: 1, type: 'text', code: 'SOURCE', sort: 20 });
const leadBudget = definition({ id: 2, type: 'numeric', sort: 10 });
const contactSource = definition({ id: 3, type: 'text', code: 'SOURCE', entityType: 'contacts' });
const catalog = FieldCatalog.of([leadSource, leadBudget, contactSource]);

describe('FieldCatalog', () => {
  it('finds a definition by id', () => {
    expect(catalog.get(3)).toBe(contactSource);
    expect(catalog.get(4)).toBeUndefined();
  });

  it('finds a definition by code within its entity type', () => {
    expect(catalog.getByCode('leads', 'SOURCE')).toBe(leadSource);
    expect(catalog.getByCode('contacts', 'SOURCE')).toBe(contactSource);
    expect(catalog.getByCode('companies', 'SOURCE')).toBeUndefined();
  });

  it('compares codes exactly', () => {
    expect(catalog.getByCode('leads', 'source')).toBeUndefined();
  });

  it('lists the fields of an entity type by sort, then id', () => {
    expect(catalog.forEntity('leads')).toEqual([leadBudget, leadSource]);
    expect(catalog.forEntity('calls')).toEqual([]);
  });
});
