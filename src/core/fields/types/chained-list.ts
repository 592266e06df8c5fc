import type { ErrorItem } from '../../errors.js';
import { accept, errorsOf, isBlank, issue, reject } from '../issues.js';
import { numberTerm } from '../terms.js';
import type { FieldTypeModule } from '../type-module.js';
import type { DefinitionDraft } from '../draft.js';
import { parseInteger, requiredInteger } from './item.js';

/** A chain is at most five catalogs deep, and a value picks one element per catalog. */
const MAX_LEVELS = 5;

function chainErrors(draft: DefinitionDraft): ErrorItem[] {
  const chain = draft.chainedLists ?? [];
  const errors: ErrorItem[] = chain.length > MAX_LEVELS ? [issue.tooMany('chained_lists', MAX_LEVELS)] : [];
  chain.forEach((level, index) => {
    const path = `chained_lists.${index}`;
    const earlier = chain.slice(0, index).map((previous) => previous.catalogId);
    const catalogId = parseInteger(level.catalogId, `${path}.catalog_id`, 1, Number.MAX_SAFE_INTEGER);
    errors.push(...errorsOf(catalogId));
    if (catalogId.ok && earlier.includes(catalogId.value)) errors.push(issue.duplicate(`${path}.catalog_id`));
    // A parent must come earlier, which also rules out cycles.
    if (level.parentCatalogId != null && !earlier.includes(level.parentCatalogId)) {
      errors.push(issue.notSupportedChoice(`${path}.parent_catalog_id`));
    }
    if (isBlank(level.title)) errors.push(issue.notBlank(`${path}.title`));
  });
  return errors;
}

export const chainedListModule: FieldTypeModule<'chained_list'> = {
  definitionRules: () => ({ properties: { chainedLists: 'optional' }, settings: [] }),
  validateDefinition: chainErrors,
  itemKeys: () => ['catalog_id', 'catalog_element_id'],
  maxItems: () => MAX_LEVELS,
  parseItem: (raw, definition, path) => {
    const catalogId = requiredInteger(raw, 'catalog_id', path, 1, Number.MAX_SAFE_INTEGER);
    const elementId = requiredInteger(raw, 'catalog_element_id', path, 1, Number.MAX_SAFE_INTEGER);
    if (!catalogId.ok || !elementId.ok) return reject(errorsOf(catalogId, elementId));
    const chain = definition.chainedLists ?? [];
    if (chain.length > 0 && !chain.some((level) => level.catalogId === catalogId.value)) {
      return reject([issue.notSupportedChoice(`${path}.catalog_id`)]);
    }
    return accept({ catalog_id: catalogId.value, catalog_element_id: elementId.value });
  },
  itemIdentity: (item) => String(item.catalog_id),
  indexTerms: (item, definition) =>
    item.catalog_element_id === undefined ? [] : [numberTerm(definition.id, item.catalog_element_id)],
};
