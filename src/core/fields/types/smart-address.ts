import { accept, errorsOf, issue, reject } from '../issues.js';
import { textTerm } from '../terms.js';
import type { FieldTypeModule } from '../type-module.js';
import { resolveChoice, type Choice } from './choice.js';
import { requiredText } from './item.js';

/** The parts of an address, fixed for every smart_address field; items name them like enum options. */
export const ADDRESS_PARTS: readonly Choice[] = [
  { id: 1, value: 'address_line_1', code: 'address_line_1' },
  { id: 2, value: 'address_line_2', code: 'address_line_2' },
  { id: 3, value: 'city', code: 'city' },
  { id: 4, value: 'state', code: 'state' },
  { id: 5, value: 'zip', code: 'zip' },
  { id: 6, value: 'country', code: 'country' },
];

const MAX_PART_LENGTH = 256;

export const smartAddressModule: FieldTypeModule<'smart_address'> = {
  definitionRules: () => ({ properties: {}, settings: [] }),
  validateDefinition: () => [],
  itemKeys: () => ['value', 'enum_id', 'enum_code'],
  maxItems: () => ADDRESS_PARTS.length,
  parseItem: (raw, _definition, path) => {
    const text = requiredText(raw, 'value', path, MAX_PART_LENGTH);
    const part = resolveChoice(raw, ADDRESS_PARTS, path, ['enum_id', 'enum_code']);
    const missingPart = part.ok && part.value === null ? [issue.fieldMissing(`${path}.enum_id`)] : [];
    if (!text.ok || !part.ok || part.value === null) return reject([...errorsOf(text, part), ...missingPart]);
    return accept({ value: text.value, enum_id: part.value.id, enum_code: part.value.code });
  },
  itemIdentity: (item) => String(item.enum_id),
  indexTerms: (item, definition) =>
    typeof item.value === 'string' ? [textTerm(definition.id, item.value, item.enum_id ?? null)] : [],
};
