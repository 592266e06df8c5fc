import { accept, issue } from '../issues.js';
import { textTerm } from '../terms.js';
import type { FieldTypeModule } from '../type-module.js';
import { requiredText } from './item.js';

type TextType = 'text' | 'textarea' | 'streetaddress' | 'tracking_data';

const DEFAULT_MAX_LENGTH: Record<TextType, number> = {
  text: 256,
  textarea: 4000,
  streetaddress: 256,
  tracking_data: 256,
};

export const textModule: FieldTypeModule<TextType> = {
  definitionRules: (type) => ({
    properties: type === 'tracking_data' ? { trackingCallback: 'optional' } : {},
    settings: ['maxLength'],
  }),
  validateDefinition: (draft) =>
    typeof draft.trackingCallback === 'string' && draft.trackingCallback.trim() === ''
      ? [issue.notBlank('tracking_callback')]
      : [],
  itemKeys: () => ['value'],
  maxItems: () => 1,
  parseItem: (raw, definition, path) => {
    const maxLength = definition.settings.maxLength ?? DEFAULT_MAX_LENGTH[definition.type];
    const text = requiredText(raw, 'value', path, maxLength);
    return text.ok ? accept({ value: text.value }) : text;
  },
  indexTerms: (item, definition) => (typeof item.value === 'string' ? [textTerm(definition.id, item.value)] : []),
};
