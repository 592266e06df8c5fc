import { accept, errorsOf, reject } from '../issues.js';
import { phoneDigits, textTerm } from '../terms.js';
import type { FieldTypeModule } from '../type-module.js';
import { resolveChoice } from './choice.js';
import { requiredText } from './item.js';

const DEFAULT_MAX_LENGTH = 256;
const DEFAULT_MAX_VALUES = 20;

/** Phone numbers are indexed by their digits so that any written format finds them. */
const PHONE_CODE = 'PHONE';

export const multitextModule: FieldTypeModule<'multitext'> = {
  definitionRules: () => ({ properties: { enums: 'required' }, settings: ['maxLength', 'maxValues'] }),
  validateDefinition: () => [],
  itemKeys: () => ['value', 'enum_id', 'enum_code'],
  maxItems: (definition) => definition.settings.maxValues ?? DEFAULT_MAX_VALUES,
  parseItem: (raw, definition, path) => {
    const options = definition.enums ?? [];
    const text = requiredText(raw, 'value', path, definition.settings.maxLength ?? DEFAULT_MAX_LENGTH);
    const chosen = resolveChoice(raw, options, path, ['enum_id', 'enum_code']);
    if (!text.ok || !chosen.ok) return reject(errorsOf(text, chosen));
    // An item without a kind gets the field's first kind (WORK for the predefined PHONE and EMAIL).
    const kind = chosen.value ?? options[0];
    return accept(
      kind === undefined
        ? { value: text.value }
        : { value: text.value, enum_id: kind.id, enum_code: kind.code },
    );
  },
  indexTerms: (item, definition) => {
    if (typeof item.value !== 'string') return [];
    const digits = phoneDigits(item.value);
    const text = definition.code === PHONE_CODE && digits !== '' ? digits : item.value;
    return [textTerm(definition.id, text, item.enum_id ?? null)];
  },
};
