import { accept, issue, reject } from '../issues.js';
import { textTerm } from '../terms.js';
import type { FieldTypeModule, TypedDefinition } from '../type-module.js';
import { resolveChoice, type Choice, type ChoiceKey } from './choice.js';

type EnumeratedType = 'select' | 'multiselect' | 'radiobutton' | 'category';

const CHOICE_KEYS: Record<EnumeratedType, readonly ChoiceKey[]> = {
  select: ['enum_id', 'enum_code', 'value'],
  multiselect: ['enum_id', 'enum_code', 'value'],
  radiobutton: ['enum_id', 'enum_code', 'value'],
  category: ['enum_id', 'value'],
};

function choicesOf(definition: TypedDefinition<EnumeratedType>): Choice[] {
  return definition.type === 'category'
    ? (definition.nested ?? []).map(({ id, value }) => ({ id, value, code: null }))
    : (definition.enums ?? []).map(({ id, value, code }) => ({ id, value, code }));
}

export const enumeratedModule: FieldTypeModule<EnumeratedType> = {
  definitionRules: (type) => ({
    properties: type === 'category' ? { nested: 'required' } : { enums: 'required' },
    settings: [],
  }),
  validateDefinition: () => [],
  itemKeys: (type) => CHOICE_KEYS[type],
  maxItems: (definition) => (definition.type === 'multiselect' ? (definition.enums ?? []).length : 1),
  parseItem: (raw, definition, path) => {
    const chosen = resolveChoice(raw, choicesOf(definition), path, CHOICE_KEYS[definition.type]);
    if (!chosen.ok) return chosen;
    const option = chosen.value;
    if (option === null) return reject([issue.fieldMissing(`${path}.enum_id`)]);
    return accept(
      definition.type === 'category'
        ? { value: option.value, enum_id: option.id }
        : { value: option.value, enum_id: option.id, enum_code: option.code },
    );
  },
  itemIdentity: (item) => String(item.enum_id),
  indexTerms: (item, definition) =>
    typeof item.value === 'string' && item.enum_id !== undefined
      ? [textTerm(definition.id, item.value, item.enum_id)]
      : [],
};
