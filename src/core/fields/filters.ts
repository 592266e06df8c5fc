/**
 * Filter values as the index holds them. A filter value is read the way a written value would be
 * (by the field type's own module), so "Regular", its enum id, "+1 (800) 555-0102" or an RFC 3339
 * date find exactly what writing them would have stored.
 */
import type { FieldDefinition, IndexTerm } from './model.js';
import { parseFieldValues } from './values.js';
import { fieldTypeModule } from './registry.js';

export interface FieldTermFilter {
  fieldId: number;
  /** Any of these enum ids, numbers or texts; all three empty matches nothing. */
  enumIds: number[];
  numbers: number[];
  texts: string[];
  range?: { from?: number; to?: number };
}

export interface FieldFilterInput {
  fieldId: number;
  values?: (string | number)[];
  range?: { from?: number; to?: number };
}

export function termFilter(definition: FieldDefinition | undefined, input: FieldFilterInput): FieldTermFilter {
  const filter: FieldTermFilter = { fieldId: input.fieldId, enumIds: [], numbers: [], texts: [], ...(input.range ? { range: input.range } : {}) };
  if (!definition || !input.values) return filter;
  for (const term of input.values.flatMap((value) => termsOf(definition, value))) {
    if (term.enumId !== null) filter.enumIds.push(term.enumId);
    else if (term.number !== null) filter.numbers.push(term.number);
    else if (term.text !== null) filter.texts.push(term.text);
  }
  return filter;
}

function termsOf(definition: FieldDefinition, value: string | number): IndexTerm[] {
  const module = fieldTypeModule(definition.type);
  const readings: unknown[] = [[{ value }]];
  if (typeof value === 'number' || /^\d+$/.test(value)) readings.push([{ enum_id: Number(value) }]);
  return readings.flatMap((raw) => {
    const parsed = parseFieldValues(definition, raw, '');
    return parsed.ok && parsed.value ? parsed.value.flatMap((item) => module.indexTerms(item, definition)) : [];
  });
}
