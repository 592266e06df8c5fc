import { accept, characterCount, isBlank, issue, reject, type Parsed } from '../issues.js';
import { textTerm } from '../terms.js';
import type { FieldTypeModule } from '../type-module.js';
import { scalarItem } from './item.js';

const MAX_URL_LENGTH = 2048;
const WEB_PROTOCOLS = ['http:', 'https:'];

/** An absolute http(s) URL, kept as the client wrote it apart from surrounding whitespace. */
function parseWebUrl(raw: unknown, path: string): Parsed<string> {
  if (typeof raw !== 'string') return reject([issue.invalidType(path, 'string')]);
  const text = raw.trim();
  if (isBlank(text)) return reject([issue.notBlank(path)]);
  if (characterCount(text) > MAX_URL_LENGTH) return reject([issue.tooLong(path, MAX_URL_LENGTH)]);
  if (!URL.canParse(text) || !WEB_PROTOCOLS.includes(new URL(text).protocol)) {
    return reject([issue.invalidValue(path, 'This value is not a valid URL.')]);
  }
  return accept(text);
}

export const urlModule: FieldTypeModule<'url'> = {
  definitionRules: () => ({ properties: {}, settings: [] }),
  validateDefinition: () => [],
  itemKeys: () => ['value'],
  maxItems: () => 1,
  parseItem: (raw, _definition, path) => scalarItem(raw, path, parseWebUrl),
  indexTerms: (item, definition) => (typeof item.value === 'string' ? [textTerm(definition.id, item.value)] : []),
};
