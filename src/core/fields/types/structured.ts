/**
 * Types whose value is one JSON object with a fixed set of keys. Each type is described by a
 * schema table; the reader is shared.
 */
import type { ErrorItem } from '../../errors.js';
import { accept, isBlank, isPlainObject, issue, reject, settle, unexpectedKeys, type Parsed } from '../issues.js';
import type { IndexTerm } from '../model.js';
import { numberTerm, textTerm } from '../terms.js';
import type { FieldTypeModule } from '../type-module.js';
import { requiredKey } from './item.js';

type StructuredType = 'legal_entity' | 'file' | 'linked_entity' | 'items';

type PropertyKind =
  | { kind: 'string' }
  | { kind: 'integer'; min: number }
  | { kind: 'number' }
  | { kind: 'uuid' }
  | { kind: 'choice'; options: readonly (string | number)[] }
  | { kind: 'object'; schema: ObjectSchema }
  /** Free-form JSON object owned by the client. */
  | { kind: 'json' }
  /** Computed by the server and shown on read; accepted when echoed, never stored from input. */
  | { kind: 'computed' };

interface ObjectSchema {
  properties: Readonly<Record<string, PropertyKind>>;
  required: readonly string[];
}

interface StructuredSpec {
  schema: ObjectSchema;
  /** Keys whose text or number is indexed for filtering and search. */
  indexed: readonly string[];
  /** Most items one field holds when the definition does not set `maxValues`, or null when fixed at one. */
  defaultMaxValues: number | null;
}

const STRING = { kind: 'string' } as const;
const NUMBER = { kind: 'number' } as const;
const ID = { kind: 'integer', min: 1 } as const;
const COMPUTED = { kind: 'computed' } as const;

const SPECS: Record<StructuredType, StructuredSpec> = {
  legal_entity: {
    schema: {
      required: ['name'],
      properties: {
        name: STRING,
        entity_type: { kind: 'choice', options: [1, 2] },
        vat_id: STRING,
        tax_registration_reason_code: STRING,
        address: STRING,
        real_address: STRING,
        kpp: STRING,
        bank_code: STRING,
        bank_account_number: STRING,
        director: STRING,
        external_uid: STRING,
        unp: STRING,
        bin: STRING,
        egrpou: STRING,
        mfo: STRING,
        oked: STRING,
      },
    },
    indexed: ['name', 'vat_id'],
    defaultMaxValues: 20,
  },
  file: {
    schema: {
      required: ['file_uuid'],
      properties: {
        file_uuid: { kind: 'uuid' },
        version_uuid: { kind: 'uuid' },
        file_name: STRING,
        file_size: { kind: 'integer', min: 0 },
      },
    },
    indexed: ['file_name'],
    defaultMaxValues: null,
  },
  linked_entity: {
    schema: {
      required: ['entity_id', 'entity_type'],
      properties: {
        name: STRING,
        entity_id: ID,
        entity_type: { kind: 'choice', options: ['contacts', 'companies', 'catalog_elements'] },
        catalog_id: ID,
      },
    },
    indexed: ['entity_id', 'name'],
    defaultMaxValues: null,
  },
  items: {
    schema: {
      required: ['quantity', 'unit_price'],
      properties: {
        sku: STRING,
        description: STRING,
        unit_price: NUMBER,
        quantity: NUMBER,
        unit_type: STRING,
        discount: {
          kind: 'object',
          schema: {
            required: ['type', 'value'],
            properties: { type: { kind: 'choice', options: ['amount', 'percentage'] }, value: NUMBER },
          },
        },
        vat_rate_id: ID,
        vat_rate_value: NUMBER,
        external_uid: STRING,
        product_id: ID,
        bonus_points_per_purchase: NUMBER,
        metadata: { kind: 'json' },
        is_discount_recalculated: COMPUTED,
        is_total_sum_recalculated: COMPUTED,
        total_sum: COMPUTED,
      },
    },
    indexed: ['sku', 'description', 'product_id'],
    defaultMaxValues: 100,
  },
};

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseProperty(kind: PropertyKind, raw: unknown, path: string): Parsed<unknown> {
  switch (kind.kind) {
    case 'string':
      return typeof raw === 'string' ? accept(raw) : reject([issue.invalidType(path, 'string')]);
    case 'integer':
      if (typeof raw !== 'number' || !Number.isInteger(raw)) return reject([issue.invalidType(path, 'int')]);
      return raw >= kind.min ? accept(raw) : reject([issue.outOfRange(path, kind.min, Number.MAX_SAFE_INTEGER)]);
    case 'number':
      return typeof raw === 'number' && Number.isFinite(raw) ? accept(raw) : reject([issue.invalidType(path, 'number')]);
    case 'uuid':
      if (typeof raw !== 'string') return reject([issue.invalidType(path, 'string')]);
      return UUID_PATTERN.test(raw) ? accept(raw) : reject([issue.invalidValue(path, 'This is not a valid UUID.')]);
    case 'choice':
      return kind.options.some((option) => option === raw) ? accept(raw) : reject([issue.notSupportedChoice(path)]);
    case 'object':
      return parseObject(kind.schema, raw, path);
    case 'json':
      return isPlainObject(raw) ? accept(raw) : reject([issue.invalidType(path, 'object')]);
    case 'computed':
      return accept(undefined);
  }
}

/**
 * Required keys must be present, and required texts non-blank; optional keys may be null, which (like computed
 * keys) leaves them out of the stored object so that re-reading a stored value gives it back.
 */
function parseObject(schema: ObjectSchema, raw: unknown, path: string): Parsed<Record<string, unknown>> {
  if (!isPlainObject(raw)) return reject([issue.invalidType(path, 'object')]);
  const errors: ErrorItem[] = unexpectedKeys(raw, Object.keys(schema.properties), path);
  const parsed: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(schema.properties)) {
    const keyPath = `${path}.${key}`;
    const isRequired = schema.required.includes(key);
    const present = isRequired ? requiredKey(raw, key, path) : accept(raw[key]);
    if (!present.ok) {
      errors.push(...present.errors);
      continue;
    }
    if (present.value === undefined || present.value === null) continue;
    if (isRequired && kind.kind === 'string' && typeof present.value === 'string' && isBlank(present.value)) {
      errors.push(issue.notBlank(keyPath));
      continue;
    }
    const value = parseProperty(kind, present.value, keyPath);
    if (!value.ok) errors.push(...value.errors);
    else if (value.value !== undefined) parsed[key] = value.value;
  }
  return settle(errors, () => parsed);
}

function indexTermsOf(object: Record<string, unknown>, indexed: readonly string[], fieldId: number): IndexTerm[] {
  return indexed.flatMap((key) => {
    const value = object[key];
    if (typeof value === 'string' && !isBlank(value)) return [textTerm(fieldId, value)];
    if (typeof value === 'number') return [numberTerm(fieldId, value)];
    return [];
  });
}

export const structuredModule: FieldTypeModule<StructuredType> = {
  definitionRules: (type) => ({
    properties: type === 'linked_entity' ? { searchIn: 'optional' } : {},
    settings: SPECS[type].defaultMaxValues === null ? [] : ['maxValues'],
  }),
  validateDefinition: (draft) =>
    typeof draft.searchIn === 'string' && !/^(contacts|companies|contacts_and_companies|[1-9]\d*)$/.test(draft.searchIn)
      ? [issue.notSupportedChoice('search_in')]
      : [],
  itemKeys: () => ['value'],
  maxItems: (definition) => definition.settings.maxValues ?? SPECS[definition.type].defaultMaxValues ?? 1,
  parseItem: (raw, definition, path) => {
    const value = requiredKey(raw, 'value', path);
    if (!value.ok) return value;
    const object = parseObject(SPECS[definition.type].schema, value.value, `${path}.value`);
    return object.ok ? accept({ value: object.value }) : object;
  },
  indexTerms: (item, definition) =>
    isPlainObject(item.value) ? indexTermsOf(item.value, SPECS[definition.type].indexed, definition.id) : [],
};
