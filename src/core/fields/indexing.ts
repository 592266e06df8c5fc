/** Index terms of a record's stored values, for the store's filter and search tables. */
import type { FieldCatalog } from './catalog.js';
import type { FieldValue, IndexTerm } from './model.js';
import { fieldTypeModule } from './registry.js';

/**
 * Values of fields missing from the catalog (deleted meanwhile) produce no terms. Plain loops rather than
 * `flatMap`, which cost five times as much here: a bulk load indexes ten million values.
 */
export function indexTerms(catalog: FieldCatalog, values: readonly FieldValue[]): IndexTerm[] {
  const terms: IndexTerm[] = [];
  for (const { field_id: fieldId, values: items } of values) {
    const definition = catalog.get(fieldId);
    if (definition === undefined) continue;
    const module = fieldTypeModule(definition.type);
    for (const item of items) for (const term of module.indexTerms(item, definition)) terms.push(term);
  }
  return terms;
}
