/** Index terms of a record's stored values, for the store's filter and search tables. */
import type { FieldCatalog } from './catalog.js';
import type { FieldValue, IndexTerm } from './model.js';
import { fieldTypeModule } from './registry.js';

/** Values of fields missing from the catalog (deleted meanwhile) produce no terms. */
export function indexTerms(catalog: FieldCatalog, values: readonly FieldValue[]): IndexTerm[] {
  return values.flatMap(({ field_id: fieldId, values: items }) => {
    const definition = catalog.get(fieldId);
    if (definition === undefined) return [];
    const module = fieldTypeModule(definition.type);
    return items.flatMap((item) => module.indexTerms(item, definition));
  });
}
