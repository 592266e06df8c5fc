/**
 * Envoke custom fields are the engine's contact fields of four types: `text`, `note` (textarea),
 * `date` and `url`. Predefined fields (PHONE, EMAIL) are contact properties in Envoke, not custom
 * fields, so they are not shown.
 */
import type { FieldDefinition, FieldType } from '../../core/fields/model.js';
import { FIELD_TYPE_VALUES } from './errors.js';

export type EnvokeFieldType = (typeof FIELD_TYPE_VALUES)[number];

export const ENGINE_TYPES: Record<EnvokeFieldType, FieldType> = { text: 'text', note: 'textarea', date: 'date', url: 'url' };

export interface EnvokeField {
  id: string;
  name: string;
  description: string;
  field_type: EnvokeFieldType;
}

export function envokeTypeOf(type: FieldType): EnvokeFieldType | undefined {
  return FIELD_TYPE_VALUES.find((envokeType) => ENGINE_TYPES[envokeType] === type);
}

/** The contact definitions Envoke shows, in its default order: by name. */
export function envokeFields(definitions: readonly FieldDefinition[]): FieldDefinition[] {
  return definitions
    .filter((definition) => definition.entityType === 'contacts' && !definition.isPredefined && envokeTypeOf(definition.type) !== undefined)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
}

export function renderField(definition: FieldDefinition): EnvokeField {
  return {
    id: String(definition.id),
    name: definition.name,
    description: definition.description ?? '',
    field_type: envokeTypeOf(definition.type) ?? 'text',
  };
}
