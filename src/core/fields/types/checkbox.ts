import { accept, issue, reject, type Parsed } from '../issues.js';
import { numberTerm } from '../terms.js';
import type { FieldTypeModule } from '../type-module.js';
import { scalarItem } from './item.js';

/** Booleans, and 0/1 because form-encoded and older clients send flags as digits. */
function parseFlag(raw: unknown, path: string): Parsed<boolean> {
  if (typeof raw === 'boolean') return accept(raw);
  if (raw === 0 || raw === 1) return accept(raw === 1);
  if (typeof raw === 'number') return reject([issue.invalidValue(path, 'This value should be true, false, 0 or 1.')]);
  return reject([issue.invalidType(path, 'bool')]);
}

export const checkboxModule: FieldTypeModule<'checkbox'> = {
  definitionRules: () => ({ properties: {}, settings: [] }),
  validateDefinition: () => [],
  itemKeys: () => ['value'],
  maxItems: () => 1,
  parseItem: (raw, _definition, path) => scalarItem(raw, path, parseFlag),
  indexTerms: (item, definition) =>
    typeof item.value === 'boolean' ? [numberTerm(definition.id, item.value ? 1 : 0)] : [],
};
