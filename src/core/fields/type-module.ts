/**
 * The contract every family of field types fulfils. The engine stays generic: it asks the module
 * of a field's type which definition properties it takes, how to read one value item and what to
 * index, and applies the rules common to all types itself.
 */
import type { ErrorItem } from '../errors.js';
import type { DefinitionDraft } from './draft.js';
import type { Parsed } from './issues.js';
import type { FieldDefinition, FieldSettings, FieldType, IndexTerm, ValueItem } from './model.js';

/** Definition properties that only some types take. */
export const TYPE_SPECIFIC_PROPERTIES = [
  'enums',
  'nested',
  'remind',
  'currency',
  'chainedLists',
  'trackingCallback',
  'searchIn',
] as const;
export type TypeSpecificProperty = (typeof TYPE_SPECIFIC_PROPERTIES)[number];

export type PropertyRule = 'required' | 'optional';

export interface DefinitionRules {
  /** Type-specific properties the type takes; sending any other one is `FieldNotExpected`. */
  properties: Partial<Record<TypeSpecificProperty, PropertyRule>>;
  /** Settings the type honours; any other one is `FieldNotExpected`. */
  settings: readonly (keyof FieldSettings)[];
}

export type ItemKey = keyof ValueItem;

export type TypedDefinition<T extends FieldType> = FieldDefinition & { readonly type: T };

/**
 * `T` appears only in parameter positions, so a module written for several types can serve as the
 * module of each one of them in the registry.
 */
export interface FieldTypeModule<T extends FieldType> {
  definitionRules: (type: T) => DefinitionRules;
  /** Checks the meaning of the type-specific properties this type takes; presence is checked by the engine. */
  validateDefinition: (draft: DefinitionDraft, type: T) => ErrorItem[];
  /** Keys a value item may carry; any other key is `FieldNotExpected`. */
  itemKeys: (type: T) => readonly ItemKey[];
  maxItems: (definition: TypedDefinition<T>) => number;
  /** Reads one value item that is already known to be an object with allowed keys only. */
  parseItem: (raw: Record<string, unknown>, definition: TypedDefinition<T>, path: string) => Parsed<ValueItem>;
  /** Items with the same identity may not appear twice in one field. */
  itemIdentity?: (item: ValueItem) => string;
  indexTerms: (item: ValueItem, definition: TypedDefinition<T>) => IndexTerm[];
}
