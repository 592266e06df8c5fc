import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { halListPieces } from '../../../src/dialects/kommo/hal-list.js';

describe('a HAL list document in pieces', () => {
  it('joins into exactly the text JSON.stringify writes for the whole document', () => {
    const envelope = { _page: 2, _links: { self: { href: 'http://x.test/api/v4/leads?page=2' } } };
    const items = [{ id: 1, name: 'Ü "quoted"' }, { id: 2, custom_fields_values: null }];
    const pieces = halListPieces(envelope, 'leads', items);
    expect(pieces).toEqual([
      '{"_page":2,"_links":{"self":{"href":"http://x.test/api/v4/leads?page=2"}},"_embedded":{"leads":[',
      '{"id":1,"name":"Ü \\"quoted\\""}',
      ',{"id":2,"custom_fields_values":null}',
      ']}}',
    ]);
    expect(pieces.join('')).toBe(JSON.stringify({ ...envelope, _embedded: { leads: items } }));
  });

  it('does so for any envelope, key and items', () => {
    const key = fc.string().filter((name) => name !== '_embedded' && name !== '__proto__');
    fc.assert(
      fc.property(
        fc.dictionary(key, fc.jsonValue(), { minKeys: 1 }),
        fc.string(),
        fc.array(fc.dictionary(fc.string().filter((name) => name !== '__proto__'), fc.jsonValue())),
        (envelope, listKey, items) => {
          expect(halListPieces(envelope, listKey, items).join('')).toBe(JSON.stringify({ ...envelope, _embedded: { [listKey]: items } }));
        },
      ),
    );
  });
});
