/**
 * The custom-field model shared by the engine, the store and every dialect.
 * Value items use the engine's canonical keys (`value`, `enum_id`, `enum_code`, ...): they are
 * what is stored and what the type modules validate; dialects translate to and from them.
 */
export const ENTITY_TYPES = ['leads', 'contacts', 'companies', 'calls'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const FIELD_TYPES = [
  'text',
  'textarea',
  'numeric',
  'checkbox',
  'select',
  'multiselect',
  'radiobutton',
  'multitext',
  'date',
  'date_time',
  'birthday',
  'url',
  'streetaddress',
  'smart_address',
  'legal_entity',
  'monetary',
  'file',
  'tracking_data',
  'chained_list',
  'linked_entity',
  'category',
  'price',
  'items',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const REMIND_VALUES = ['never', 'day', 'week', 'month'] as const;
export type Remind = (typeof REMIND_VALUES)[number];

export interface StageRef {
  pipelineId: number;
  statusId: number;
}

export interface EnumOption {
  id: number;
  value: string;
  sort: number;
  code: string | null;
}

export interface NestedOption {
  id: number;
  parentId: number | null;
  value: string;
  sort: number;
}

export interface ChainedList {
  catalogId: number;
  parentCatalogId: number | null;
  title: string;
}

export interface FieldSettings {
  /** Longest accepted text value, in characters. */
  maxLength?: number;
  /** Most value items accepted by multi-valued types. */
  maxValues?: number;
  /** A numeric field that holds whole numbers only; fixed when the field is created. */
  wholeNumbers?: boolean;
  /** A numeric field whose values are ids of the account's users (whole numbers, checked on every write); fixed when the field is created. */
  userIds?: boolean;
}

export interface FieldDefinition {
  id: number;
  uuid: string;
  entityType: EntityType;
  name: string;
  code: string | null;
  type: FieldType;
  sort: number;
  groupId: string | null;
  description: string | null;
  isApiOnly: boolean;
  isEditable: boolean;
  isRequired: boolean;
  isPredefined: boolean;
  isDeletable: boolean;
  requiredStatuses: StageRef[];
  hiddenStatuses: StageRef[];
  enums: EnumOption[] | null;
  nested: NestedOption[] | null;
  remind: Remind | null;
  currency: string | null;
  chainedLists: ChainedList[] | null;
  trackingCallback: string | null;
  searchIn: string | null;
  settings: FieldSettings;
  /** The integration's own key for the field, to find it again by; it need not be unique. */
  externalId: string | null;
  createdAt: number;
  updatedAt: number;
}

/** One stored value item. Which keys are present depends on the field's type. */
export interface ValueItem {
  value?: string | number | boolean | Record<string, unknown>;
  enum_id?: number;
  enum_code?: string | null;
  catalog_id?: number;
  catalog_element_id?: number;
}

/** The stored values of one field on one record. A field without values is absent, never empty. */
export interface FieldValue {
  field_id: number;
  values: ValueItem[];
}

/**
 * A term derived from a value for filtering and search. The store indexes these so that a filter on
 * a custom field is an index lookup, never a scan of the records.
 */
export interface IndexTerm {
  fieldId: number;
  text: string | null;
  number: number | null;
  enumId: number | null;
}
