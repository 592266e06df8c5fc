/**
 * Bitrix24 user-field types over the engine's field types, both ways, and the values of each.
 *
 * | USER_TYPE_ID | engine type | read back as |
 * |---|---|---|
 * | string, crm_status | text | string |
 * | integer | numeric with whole numbers only (`wholeNumbers`) | integer |
 * | employee | numeric holding user ids (`userIds`) | employee |
 * | double | numeric | double |
 * | boolean | checkbox | boolean |
 * | date / datetime | date / date_time | date / datetime |
 * | enumeration | select (multiselect with MULTIPLE=Y) | enumeration |
 * | url | url | url |
 * | money | monetary (currency from SETTINGS.CURRENCY, default USD) | money |
 * | address | streetaddress | address |
 * | file | file | file |
 *
 * The engine keeps no Bitrix24 type, so the merged rows read back as one type.
 */
import type { FieldDefinition, FieldSettings, FieldType, ValueItem } from '../../core/fields/model.js';
import { flag, isEmptyValue, isObject, isoDate, isoDateTime, readFlag, rfc3339Of, wholeNumber } from './wire.js';
import { listOf } from '../../server/query-string.js';

export const USER_TYPE_IDS = ['string', 'integer', 'double', 'boolean', 'date', 'datetime', 'enumeration', 'url', 'money', 'address', 'file', 'employee', 'crm_status'] as const;
export type UserTypeId = (typeof USER_TYPE_IDS)[number];

export const DEFAULT_CURRENCY = 'USD';

/** The engine type that holds a Bitrix24 user field; only enumerations may be multiple. */
export function engineTypeOf(userType: UserTypeId, multiple: boolean): FieldType {
  switch (userType) {
    case 'string':
    case 'crm_status':
      return 'text';
    case 'integer':
    case 'double':
    case 'employee':
      return 'numeric';
    case 'boolean':
      return 'checkbox';
    case 'date':
      return 'date';
    case 'datetime':
      return 'date_time';
    case 'enumeration':
      return multiple ? 'multiselect' : 'select';
    case 'url':
      return 'url';
    case 'money':
      return 'monetary';
    case 'address':
      return 'streetaddress';
    case 'file':
      return 'file';
  }
}

/** The engine settings that make a field behave as the Bitrix24 type: an integer field refuses fractions, an employee field ids that name no user. */
export function engineSettingsOf(userType: UserTypeId): FieldSettings {
  if (userType === 'integer') return { wholeNumbers: true };
  return userType === 'employee' ? { userIds: true } : {};
}

const USER_TYPE_OF: Partial<Record<FieldType, UserTypeId>> = {
  text: 'string',
  textarea: 'string',
  tracking_data: 'string',
  numeric: 'double',
  price: 'double',
  checkbox: 'boolean',
  date: 'date',
  birthday: 'date',
  date_time: 'datetime',
  select: 'enumeration',
  multiselect: 'enumeration',
  radiobutton: 'enumeration',
  url: 'url',
  monetary: 'money',
  streetaddress: 'address',
  smart_address: 'address',
  file: 'file',
};

/** The USER_TYPE_ID a field reads as; engine types Bitrix24 has no counterpart for read as strings. */
export function userTypeOf(definition: FieldDefinition): UserTypeId {
  if (definition.type === 'numeric' && definition.settings.userIds === true) return 'employee';
  if (definition.type === 'numeric' && definition.settings.wholeNumbers === true) return 'integer';
  return USER_TYPE_OF[definition.type] ?? 'string';
}

export function isMultiple(definition: FieldDefinition): boolean {
  return definition.type === 'multiselect';
}

/** A user-field value decoded for the engine: its value items (null clears the field) and what was sent for each. */
export type DecodedValue = { ok: true; items: Record<string, unknown>[] | null; sent: unknown[] } | { ok: false; message: string };

/**
 * Reads a user-field value as Bitrix24 clients send it — JSON-typed, or all strings from a form or a
 * query string — into engine value items. The engine validates the items; this only reshapes.
 */
export function decodeUserValue(definition: FieldDefinition, key: string, raw: unknown): DecodedValue {
  if (isEmptyValue(raw)) return { ok: true, items: null, sent: [] };
  const userType = userTypeOf(definition);
  if (userType === 'file') {
    return { ok: false, message: `Field '${definition.name}' (${key}): file values cannot be written through the Bitrix24 dialect; attach files through the Kommo API.` };
  }
  const sent = isMultiple(definition) ? listOf(raw).filter((value) => !isEmptyValue(value)) : [raw];
  if (sent.length === 0) return { ok: true, items: null, sent };
  const items = sent.map((value) => decodeItem(definition, userType, value));
  return { ok: true, items, sent };
}

function decodeItem(definition: FieldDefinition, userType: UserTypeId, raw: unknown): Record<string, unknown> {
  switch (userType) {
    case 'enumeration':
      // An id; anything else goes to the engine as is and is refused there with the list of ids.
      return { enum_id: wholeNumber(raw) ?? raw };
    case 'boolean':
      return { value: readFlag(raw) ?? raw };
    case 'date':
    case 'datetime':
      return { value: typeof raw === 'string' ? rfc3339Of(raw) : raw };
    case 'money':
      return { value: typeof raw === 'string' ? moneyAmount(raw, definition) : raw };
    case 'string':
    case 'address':
      return { value: typeof raw === 'number' ? String(raw) : raw };
    default:
      return { value: raw };
  }
}

/** `"300|USD"` → `"300"`; the currency must be the field's, since the engine keeps one per field. */
function moneyAmount(text: string, definition: FieldDefinition): string {
  const [amount = '', currency] = text.split('|');
  return currency === undefined || currency.trim().toUpperCase() === (definition.currency ?? DEFAULT_CURRENCY) ? amount.trim() : text;
}

/** A stored value as Bitrix24 returns it: ids and numbers as strings, `Y`/`N`, ISO dates, `""` for an unset date. */
export function renderUserValue(definition: FieldDefinition, items: readonly ValueItem[] | undefined): unknown {
  const userType = userTypeOf(definition);
  const rendered = (items ?? []).map((item) => renderItem(definition, userType, item));
  if (isMultiple(definition)) return rendered;
  if (rendered.length > 0) return rendered[0];
  return userType === 'date' || userType === 'datetime' ? '' : null;
}

function renderItem(definition: FieldDefinition, userType: UserTypeId, item: ValueItem): unknown {
  switch (userType) {
    case 'enumeration':
      return item.enum_id === undefined ? null : String(item.enum_id);
    case 'boolean':
      return flag(item.value === true);
    case 'date':
      return typeof item.value === 'number' ? isoDate(item.value) : '';
    case 'datetime':
      return typeof item.value === 'number' ? isoDateTime(item.value) : '';
    case 'money':
      return `${String(item.value)}|${definition.currency ?? DEFAULT_CURRENCY}`;
    case 'file':
      return isObject(item.value) ? item.value : null;
    default:
      return item.value === undefined ? null : String(item.value);
  }
}
