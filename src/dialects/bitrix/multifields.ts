/**
 * PHONE, EMAIL, WEB and IM: Bitrix24's multi-value fields, held as the engine's multitext fields with
 * those codes. Contacts and companies have PHONE and EMAIL from the start; every other one is created
 * the first time a write names it (see `ensureFields`).
 *
 * Writes are a patch, as in Bitrix24: an item with `ID` edits that value, an item without one is
 * appended, an item with `ID` and `DELETE: "Y"`, an empty or absent `VALUE` removes it; values not
 * named stay. A bare string (`"PHONE": "+1…"`) is one item to append. Appending a value the field
 * already holds changes nothing, so a retried request does not duplicate it.
 *
 * Item ids: the engine keeps no id per value, so an item's `ID` is its position, offset by the field
 * id (`fieldId * 1000 + position`) so that the ids of a record's PHONE and EMAIL never collide.
 * Ids are read and resolved against the stored values of the same record; after a value is removed
 * the later ones move up, so read the ids again before the next change.
 */
import type { DefinitionDraft } from '../../core/fields/draft.js';
import type { FieldDefinition, ValueItem } from '../../core/fields/model.js';
import { isEmptyValue, isObject, readFlag, wholeNumber } from './wire.js';
import { listOf } from '../../server/query-string.js';

export const MULTIFIELD_CODES = ['PHONE', 'EMAIL', 'WEB', 'IM'] as const;
export type MultifieldCode = (typeof MULTIFIELD_CODES)[number];

/** Bitrix24's VALUE_TYPE lists; the first is what an item without one gets. */
const VALUE_TYPES: Record<MultifieldCode, readonly string[]> = {
  PHONE: ['WORK', 'MOBILE', 'FAX', 'HOME', 'PAGER', 'MAILING', 'OTHER'],
  EMAIL: ['WORK', 'HOME', 'MAILING', 'OTHER'],
  WEB: ['WORK', 'HOME', 'FACEBOOK', 'VK', 'LIVEJOURNAL', 'TWITTER', 'OTHER'],
  IM: ['TELEGRAM', 'VK', 'SKYPE', 'VIBER', 'BITRIX24', 'OPENLINE', 'IMOL', 'ICQ', 'MSN', 'JABBER', 'OTHER'],
};

const TITLES: Record<MultifieldCode, string> = { PHONE: 'Phone', EMAIL: 'E-mail', WEB: 'Website', IM: 'Messenger' };

/**
 * The predefined contact and company PHONE and EMAIL carry Kommo's kinds; these are the Bitrix24
 * VALUE_TYPEs they stand for. A VALUE_TYPE a field lacks is stored as its OTHER kind.
 */
const KIND_ALIASES: Record<string, string> = { MOB: 'MOBILE', WORKDD: 'WORK', PRIV: 'HOME' };

export function isMultifieldCode(key: string): key is MultifieldCode {
  return (MULTIFIELD_CODES as readonly string[]).includes(key);
}

export function multifieldTitle(code: MultifieldCode): string {
  return TITLES[code];
}

/** The definitions to create for multifields a write names and the entity lacks. */
export function multifieldDraft(code: MultifieldCode): DefinitionDraft {
  return {
    name: TITLES[code],
    type: 'multitext',
    code,
    sort: 4 + MULTIFIELD_CODES.indexOf(code),
    enums: VALUE_TYPES[code].map((valueType, index) => ({ value: valueType, code: valueType, sort: index + 1 })),
  };
}

function itemId(definition: FieldDefinition, position: number): number {
  return definition.id * 1000 + position + 1;
}

function valueTypeOf(code: MultifieldCode, item: ValueItem): string {
  const kind = item.enum_code ?? '';
  const valueType = KIND_ALIASES[kind] ?? kind;
  return VALUE_TYPES[code].includes(valueType) ? valueType : 'OTHER';
}

export interface MultifieldItem {
  ID: string;
  VALUE_TYPE: string;
  VALUE: string;
  TYPE_ID: MultifieldCode;
}

export function renderMultifield(code: MultifieldCode, definition: FieldDefinition, items: readonly ValueItem[]): MultifieldItem[] {
  return items.map((item, position) => ({
    ID: String(itemId(definition, position)),
    VALUE_TYPE: valueTypeOf(code, item),
    VALUE: String(item.value ?? ''),
    TYPE_ID: code,
  }));
}

export type MultifieldPatch =
  | { ok: true; changed: false }
  | { ok: true; changed: true; items: Record<string, unknown>[] | null; sent: unknown[] }
  | { ok: false; messages: string[] };

/** Applies a Bitrix24 multifield write to the values the record holds. */
export function patchMultifield(code: MultifieldCode, definition: FieldDefinition, current: readonly ValueItem[], raw: unknown): MultifieldPatch {
  const messages: string[] = [];
  const next: { value: string; enumId: number | undefined }[] = current.map((item) => ({ value: String(item.value ?? ''), enumId: item.enum_id }));
  const removed = new Set<number>();
  const kindOf = (valueType: unknown, index: number): number | undefined => {
    if (valueType === undefined || valueType === '') return undefined;
    const wanted = String(valueType).toUpperCase();
    if (!VALUE_TYPES[code].includes(wanted)) {
      messages.push(`${code}[${index}].VALUE_TYPE: '${String(valueType)}' is not one of ${VALUE_TYPES[code].join(', ')}.`);
      return undefined;
    }
    const options = definition.enums ?? [];
    const option = options.find((candidate) => (KIND_ALIASES[candidate.code ?? ''] ?? candidate.code) === wanted) ?? options.find((candidate) => candidate.code === 'OTHER');
    return option?.id;
  };

  const items = typeof raw === 'string' || typeof raw === 'number' ? [{ VALUE: raw }] : listOf(raw);
  items.forEach((rawItem, index) => {
    const item = isObject(rawItem) ? rawItem : { VALUE: rawItem };
    const value = item.VALUE === undefined || item.VALUE === null ? '' : String(item.VALUE).trim();
    const enumId = kindOf(item.VALUE_TYPE, index);
    if (item.ID !== undefined && item.ID !== '') {
      const position = (wholeNumber(item.ID) ?? 0) - definition.id * 1000 - 1;
      if (position < 0 || position >= current.length) {
        messages.push(`${code}[${index}].ID: ${JSON.stringify(item.ID)} is not the ID of a ${code} value of this record; read the record for the current IDs, or leave ID out to add a value.`);
        return;
      }
      if (readFlag(item.DELETE) === true || value === '') removed.add(position);
      else next[position] = { value, enumId: enumId ?? next[position]?.enumId };
      return;
    }
    if (value === '' || next.some((existing) => existing.value === value)) return;
    next.push({ value, enumId });
  });
  if (messages.length > 0) return { ok: false, messages };

  const kept = next.filter((_item, position) => !removed.has(position));
  const unchanged =
    kept.length === current.length && kept.every((item, position) => item.value === String(current[position]?.value ?? '') && item.enumId === current[position]?.enum_id);
  if (unchanged) return { ok: true, changed: false };
  const patched = kept.map((item) => (item.enumId === undefined ? { value: item.value } : { value: item.value, enum_id: item.enumId }));
  return { ok: true, changed: true, items: patched.length > 0 ? patched : null, sent: kept.map((item) => item.value) };
}

/** The multifield codes a Bitrix24 `fields` object names. */
export function namedMultifields(fields: Record<string, unknown>): MultifieldCode[] {
  return MULTIFIELD_CODES.filter((code) => !isEmptyValue(fields[code]));
}
