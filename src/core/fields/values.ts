/**
 * Applying a client's `custom_fields_values` to the values stored on one record.
 *
 * Writes are partial: only the fields an entry names change. `values: null` clears a field,
 * `values: []` is refused (as Kommo does) so that an empty list is never mistaken for a clear.
 * Every error of the patch is collected; when there is any, nothing changes.
 */
import type { ErrorItem } from '../errors.js';
import type { FieldCatalog } from './catalog.js';
import {
  accept,
  errorsOf,
  isPlainObject,
  issue,
  reject,
  settle,
  unexpectedKeys,
  type Parsed,
} from './issues.js';
import type { EntityType, FieldDefinition, FieldType, FieldValue, ValueItem } from './model.js';
import { fieldTypeModule } from './registry.js';
import type { FieldTypeModule } from './type-module.js';

export interface ValuePatchInput {
  catalog: FieldCatalog;
  entityType: EntityType;
  current: readonly FieldValue[];
  patch: unknown;
  /** Path of the patch inside the request item; error paths start with it. */
  basePath?: string;
}

/** One entry of an accepted patch: the field it named and its normalised values, null for a clear. */
export interface PatchedEntry {
  index: number;
  fieldId: number;
  values: ValueItem[] | null;
}

/** A field whose stored values differ after the patch; null stands for "no value". */
export interface ValueChange {
  fieldId: number;
  before: ValueItem[] | null;
  after: ValueItem[] | null;
}

export interface ValuePatchResult {
  next: FieldValue[];
  changes: ValueChange[];
  entries: PatchedEntry[];
  errors: ErrorItem[];
}

const ENTRY_KEYS = ['field_id', 'field_code', 'values'];
/** Keys of the read model that clients echo back when they write what they read. */
const ECHOED_READ_KEYS = ['field_name', 'field_type', 'is_computed'];

export function applyValuePatch(input: ValuePatchInput): ValuePatchResult {
  const { catalog, entityType, current, patch, basePath = 'custom_fields_values' } = input;
  const refuse = (errors: ErrorItem[]): ValuePatchResult => ({ next: [...current], changes: [], entries: [], errors });
  if (!Array.isArray(patch)) return refuse([issue.invalidType(basePath, 'array')]);

  const errors: ErrorItem[] = [];
  const entries: PatchedEntry[] = [];
  const firstEntryOfField = new Set<number>();
  patch.forEach((rawEntry: unknown, index) => {
    const path = `${basePath}.${index}`;
    if (!isPlainObject(rawEntry)) {
      errors.push(issue.invalidType(path, 'object'));
      return;
    }
    errors.push(...unexpectedKeys(rawEntry, [...ENTRY_KEYS, ...ECHOED_READ_KEYS], path));
    const field = resolveField(catalog, entityType, rawEntry, path);
    const valuesMissing = rawEntry.values === undefined ? [issue.fieldMissing(`${path}.values`)] : [];
    if (!field.ok) {
      errors.push(...field.errors, ...valuesMissing);
      return;
    }
    const definition = field.value;
    if (firstEntryOfField.has(definition.id)) {
      errors.push(issue.duplicate(`${path}.${addressingKey(rawEntry)}`, 'This field is already set by an earlier entry.'));
    }
    firstEntryOfField.add(definition.id);
    if (valuesMissing.length > 0) {
      errors.push(...valuesMissing);
      return;
    }
    const values = parseFieldValues(definition, rawEntry.values, `${path}.values`);
    if (values.ok) entries.push({ index, fieldId: definition.id, values: values.value });
    else errors.push(...values.errors);
  });
  if (errors.length > 0) return refuse(errors);

  const next = mergeEntries(current, entries);
  return { next, changes: diffValues(current, next), entries, errors: [] };
}

/** The key the entry names its field by; `field_id` wins when both are given. */
function addressingKey(entry: Record<string, unknown>): 'field_id' | 'field_code' {
  return entry.field_id === undefined || entry.field_id === null ? 'field_code' : 'field_id';
}

/**
 * The field an entry names. When both `field_id` and `field_code` are given (clients echo both)
 * they must name the same field; a `field_code` of null means "no code", as on read.
 */
function resolveField(
  catalog: FieldCatalog,
  entityType: EntityType,
  entry: Record<string, unknown>,
  path: string,
): Parsed<FieldDefinition> {
  const { field_id: id, field_code: code } = entry;
  const idPath = `${path}.field_id`;
  const codePath = `${path}.field_code`;
  if (code !== undefined && code !== null && typeof code !== 'string') {
    return reject([issue.invalidType(codePath, 'string')]);
  }
  const givenCode = typeof code === 'string' ? code : null;
  if (id === undefined || id === null) {
    if (givenCode === null) return reject([issue.fieldMissing(idPath)]);
    const byCode = catalog.getByCode(entityType, givenCode);
    return byCode ? accept(byCode) : reject([issue.notSupportedChoice(codePath)]);
  }
  if (typeof id !== 'number' || !Number.isInteger(id)) return reject([issue.invalidType(idPath, 'int')]);
  const byId = catalog.get(id);
  if (byId === undefined || byId.entityType !== entityType) return reject([issue.notSupportedChoice(idPath)]);
  if (givenCode !== null && byId.code !== givenCode) return reject([issue.notSupportedChoice(codePath)]);
  return accept(byId);
}

/**
 * The normalised values of one field from the client's `values`, or null for a clear.
 * Exported for dialects that receive values outside a `custom_fields_values` list.
 */
export function parseFieldValues(definition: FieldDefinition, raw: unknown, path: string): Parsed<ValueItem[] | null> {
  if (raw === null) return accept(null);
  if (!Array.isArray(raw)) return reject([issue.invalidType(path, 'array')]);
  if (raw.length === 0) return reject([issue.tooFew(path, 1)]);
  const module = fieldTypeModule(definition.type);
  const maxItems = module.maxItems(definition);
  const errors: ErrorItem[] = raw.length > maxItems ? [issue.tooMany(path, maxItems)] : [];
  const items = raw.map((rawItem: unknown, index) => parseValueItem(module, definition, rawItem, `${path}.${index}`));
  errors.push(...errorsOf(...items));
  const accepted = items.flatMap((item) => (item.ok ? [item.value] : []));
  if (errors.length === 0 && module.itemIdentity) errors.push(...duplicateItems(accepted, module.itemIdentity, path));
  return settle(errors, () => accepted);
}

function parseValueItem(
  module: FieldTypeModule<FieldType>,
  definition: FieldDefinition,
  raw: unknown,
  path: string,
): Parsed<ValueItem> {
  if (!isPlainObject(raw)) return reject([issue.invalidType(path, 'object')]);
  const unexpected = unexpectedKeys(raw, module.itemKeys(definition.type), path);
  const item = module.parseItem(raw, definition, path);
  return unexpected.length > 0 ? reject([...unexpected, ...errorsOf(item)]) : item;
}

function duplicateItems(items: readonly ValueItem[], identity: (item: ValueItem) => string, path: string): ErrorItem[] {
  const seen = new Set<string>();
  return items.flatMap((item, index) => {
    const key = identity(item);
    if (!seen.has(key)) {
      seen.add(key);
      return [];
    }
    return [issue.duplicate(`${path}.${index}`, 'This collection should contain only unique elements.')];
  });
}

/** Stored order is kept; a field set for the first time goes after the others, in patch order. */
function mergeEntries(current: readonly FieldValue[], entries: readonly PatchedEntry[]): FieldValue[] {
  const patched = new Map(entries.map((entry) => [entry.fieldId, entry.values]));
  const kept = current.flatMap((value): FieldValue[] => {
    if (!patched.has(value.field_id)) return [value];
    const values = patched.get(value.field_id);
    return values ? [{ field_id: value.field_id, values }] : [];
  });
  const stored = new Set(current.map((value) => value.field_id));
  const added = entries.flatMap((entry): FieldValue[] =>
    entry.values !== null && !stored.has(entry.fieldId) ? [{ field_id: entry.fieldId, values: entry.values }] : [],
  );
  return [...kept, ...added];
}

function diffValues(before: readonly FieldValue[], after: readonly FieldValue[]): ValueChange[] {
  const beforeById = new Map(before.map((value) => [value.field_id, value.values]));
  const afterById = new Map(after.map((value) => [value.field_id, value.values]));
  const fieldIds = [...new Set([...beforeById.keys(), ...afterById.keys()])];
  return fieldIds.flatMap((fieldId) => {
    const previous = beforeById.get(fieldId) ?? null;
    const next = afterById.get(fieldId) ?? null;
    return sameJson(previous, next) ? [] : [{ fieldId, before: previous, after: next }];
  });
}

/** Structural equality of JSON data, blind to key order because stores may reorder object keys. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a).filter((key) => a[key] !== undefined);
  const otherKeys = Object.keys(b).filter((key) => b[key] !== undefined);
  return keys.length === otherKeys.length && keys.every((key) => sameJson(a[key], b[key]));
}
