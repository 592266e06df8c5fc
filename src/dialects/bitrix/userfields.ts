/**
 * `crm.lead.userfield.*` (and the contact and company twins): Bitrix24 user fields are the engine's
 * custom fields whose code is the `UF_CRM_…` name. Written through the custom-fields service, so the
 * same all-or-nothing validation and admin rule apply as in every dialect.
 *
 * - `FIELD_NAME` is normalised as Bitrix24 does: upper-cased, `UF_`/`UF_CRM_` stripped, `UF_CRM_` prepended.
 * - `EDIT_FORM_LABEL` (or `LIST_COLUMN_LABEL`, `LIST_FILTER_LABEL`, `LABEL`; a string or a language map)
 *   is the field's name; labels read back as `{"en": name}`.
 * - `MANDATORY` is `isRequired`; `SORT` the sort; `MULTIPLE` only for enumerations (multiselect).
 * - `LIST` items are the options, their `ID`s the option ids; on update an item with `ID` edits it, one
 *   without is added, `DEL: "Y"` removes it and items not sent stay. `XML_ID` is the option's code.
 *   `DEF` (a default item) is not kept: the engine has no default values.
 * - `SETTINGS.CURRENCY` is a money field's currency; other settings are accepted and not kept.
 */
import type { DefinitionDraft, EnumDraft } from '../../core/fields/draft.js';
import type { EnumOption, FieldDefinition } from '../../core/fields/model.js';
import { createDefinitions, definitionsOf, deleteDefinition, getDefinition, updateDefinitionFrom } from '../../core/fields/service.js';
import { DomainError } from '../../core/errors.js';
import { BitrixError, bitrixErrors, withNaming } from './errors.js';
import { fieldsParam, idParam, param, type MethodCall, type MethodOutcome, type MethodTable } from './methods.js';
import { singular, userFields } from './record-codec.js';
import { USER_FIELD_PREFIX, type BitrixEntity } from './record-fields.js';
import { DEFAULT_CURRENCY, engineSettingsOf, engineTypeOf, isMultiple, USER_TYPE_IDS, userTypeOf, type UserTypeId } from './user-types.js';
import { flag, isObject, readFlag, wholeNumber } from './wire.js';
import { listOf } from '../../server/query-string.js';

const MAX_FIELD_NAME_LENGTH = 50;
const ENTITY_IDS: Record<BitrixEntity, string> = { leads: 'CRM_LEAD', contacts: 'CRM_CONTACT', companies: 'CRM_COMPANY' };
const LABEL_KEYS = ['EDIT_FORM_LABEL', 'LIST_COLUMN_LABEL', 'LIST_FILTER_LABEL', 'LABEL'] as const;
const NAMING = { kind: 'userfield' } as const;

export function userFieldMethods(entity: BitrixEntity): MethodTable {
  const prefix = `crm.${singular(entity)}.userfield`;
  return {
    [`${prefix}.add`]: (call) => add(entity, call),
    [`${prefix}.update`]: (call) => update(entity, call),
    [`${prefix}.get`]: async (call) => ({ result: renderUserField(await find(entity, call), null) }),
    [`${prefix}.list`]: (call) => list(entity, call),
    [`${prefix}.delete`]: async (call) => {
      const definition = await find(entity, call);
      await withNaming(NAMING, () => deleteDefinition(call.context, entity, definition.id));
      return { result: true };
    },
  };
}

async function find(entity: BitrixEntity, call: MethodCall): Promise<FieldDefinition> {
  const id = idParam(call.params);
  try {
    const definition = await getDefinition(call.context.store, call.context.principal, entity, id);
    if (!definition.code?.startsWith(USER_FIELD_PREFIX)) throw bitrixErrors.entityNotFound(id);
    return definition;
  } catch (error) {
    throw error instanceof DomainError && error.kind === 'not_found' ? bitrixErrors.entityNotFound(id) : error;
  }
}

async function add(entity: BitrixEntity, call: MethodCall): Promise<MethodOutcome> {
  const fields = fieldsParam(call.params);
  if (fields.FIELD_NAME === undefined || fields.FIELD_NAME === '') throw bitrixErrors.definitionFieldMissing('FIELD_NAME');
  if (fields.USER_TYPE_ID === undefined || fields.USER_TYPE_ID === '') throw bitrixErrors.definitionFieldMissing('USER_TYPE_ID');
  const fieldName = normaliseFieldName(String(fields.FIELD_NAME));
  const userType = USER_TYPE_IDS.find((known) => known === String(fields.USER_TYPE_ID));
  if (userType === undefined) throw new BitrixError(400, 'ERROR_CORE', `Invalid custom type specified: '${String(fields.USER_TYPE_ID)}'; use one of ${USER_TYPE_IDS.join(', ')}.`);
  const multiple = readFlag(fields.MULTIPLE) ?? false;
  if (multiple && userType !== 'enumeration') {
    throw new BitrixError(400, 'ERROR_CORE', `MULTIPLE: only enumeration fields can hold several values in Fieldwork; send MULTIPLE N for a ${userType} field.`);
  }
  const draft: DefinitionDraft = {
    ...commonDraft(fields),
    name: labelOf(fields) ?? fieldName,
    type: engineTypeOf(userType, multiple),
    settings: engineSettingsOf(userType),
    code: fieldName,
    ...(userType === 'money' ? { currency: currencyOf(fields) ?? DEFAULT_CURRENCY } : {}),
    ...(userType === 'enumeration' ? { enums: mergeListItems([], fields.LIST) } : {}),
  };
  const [written] = await withNaming(NAMING, () => createDefinitions(call.context, entity, [{ requestId: '0', draft, readErrors: [] }]));
  return { result: written!.definition.id };
}

async function update(entity: BitrixEntity, call: MethodCall): Promise<MethodOutcome> {
  const fields = fieldsParam(call.params);
  const { id } = await find(entity, call);
  const label = labelOf(fields);
  const currency = currencyOf(fields);
  // LIST items edit the options the field has, so they are merged with them inside the update.
  const draftFrom = (current: FieldDefinition): DefinitionDraft => ({
    ...commonDraft(fields),
    ...(label === undefined ? {} : { name: label }),
    ...(currency !== undefined && current.type === 'monetary' ? { currency } : {}),
    ...(fields.LIST !== undefined && current.enums !== null ? { enums: mergeListItems(current.enums, fields.LIST) } : {}),
  });
  await withNaming(NAMING, () => updateDefinitionFrom(call.context, entity, id, (current) => ({ requestId: '0', draft: draftFrom(current), readErrors: [] })));
  return { result: true };
}

async function list(entity: BitrixEntity, call: MethodCall): Promise<MethodOutcome> {
  const filter = isObject(param(call.params, 'filter')) ? (param(call.params, 'filter') as Record<string, unknown>) : {};
  const order = isObject(param(call.params, 'order')) ? (param(call.params, 'order') as Record<string, unknown>) : {};
  const lang = typeof filter.LANG === 'string' ? filter.LANG : null;
  const rendered = userFields(await definitionsOf(call.context.store, call.context.principal, entity)).map((definition) =>
    renderUserField(definition, lang),
  );
  const matching = rendered.filter((row) =>
    Object.entries(filter).every(([key, wanted]) => key === 'LANG' || String(row[key as keyof UserFieldRow] ?? '') === String(wanted)),
  );
  const [orderKey = 'SORT', direction = 'ASC'] = Object.entries(order)[0] ?? [];
  const sign = String(direction).toUpperCase() === 'DESC' ? -1 : 1;
  const numeric = orderKey === 'ID' || orderKey === 'SORT';
  const value = (row: UserFieldRow) => row[orderKey as keyof UserFieldRow] ?? '';
  matching.sort((a, b) =>
    sign * (numeric ? Number(value(a)) - Number(value(b)) : String(value(a)).localeCompare(String(value(b)))) || Number(a.ID) - Number(b.ID),
  );
  return { result: matching, total: matching.length };
}

/** `UF_CRM_` is always prepended: `note` and `UF_NOTE` both become `UF_CRM_NOTE`. */
function normaliseFieldName(raw: string): string {
  const upper = raw.trim().toUpperCase();
  const bare = upper.startsWith(USER_FIELD_PREFIX) ? upper.slice(USER_FIELD_PREFIX.length) : upper.startsWith('UF_') ? upper.slice(3) : upper;
  const name = `${USER_FIELD_PREFIX}${bare}`;
  if (!/^[A-Z0-9_]+$/.test(bare)) {
    throw new BitrixError(400, 'ERROR_CORE', `Field name contains invalid characters: '${raw}'. Use only Latin letters, digits and underscores.`);
  }
  if (name.length > MAX_FIELD_NAME_LENGTH) {
    throw new BitrixError(400, 'ERROR_CORE', `Field name is too long (more than ${MAX_FIELD_NAME_LENGTH} characters): '${name}'.`);
  }
  return name;
}

function commonDraft(fields: Record<string, unknown>): DefinitionDraft {
  const mandatory = readFlag(fields.MANDATORY);
  const sort = wholeNumber(fields.SORT);
  return {
    ...(mandatory === null ? {} : { isRequired: mandatory }),
    ...(sort === null ? {} : { sort }),
    ...(fields.XML_ID === undefined ? {} : { externalId: externalIdOf(fields.XML_ID) }),
  };
}

/** `""` or null clears it; a number is its text; anything else goes to the engine, which refuses it by type. */
function externalIdOf(raw: unknown): string | null {
  if (raw === null || raw === '') return null;
  return typeof raw === 'number' ? String(raw) : (raw as string);
}

/** The first label given, in English when it is a language map, else in its first language. */
function labelOf(fields: Record<string, unknown>): string | undefined {
  for (const key of LABEL_KEYS) {
    const label = fields[key];
    if (typeof label === 'string' && label.trim() !== '') return label;
    if (isObject(label)) {
      const text = label.en ?? Object.values(label).find((value) => typeof value === 'string' && value.trim() !== '');
      if (typeof text === 'string' && text.trim() !== '') return text;
    }
  }
  return undefined;
}

function currencyOf(fields: Record<string, unknown>): string | undefined {
  const settings = isObject(fields.SETTINGS) ? fields.SETTINGS : {};
  return typeof settings.CURRENCY === 'string' ? settings.CURRENCY.toUpperCase() : undefined;
}

/** The full option list after applying Bitrix24 `LIST` items to `current`. Items with an empty VALUE and no ID are skipped. */
function mergeListItems(current: readonly EnumOption[], rawList: unknown): EnumDraft[] {
  const options: EnumDraft[] = current.map((option) => ({ id: option.id, value: option.value, sort: option.sort, code: option.code }));
  for (const raw of listOf(rawList)) {
    if (!isObject(raw)) continue;
    const id = wholeNumber(raw.ID);
    const existing = id === null ? -1 : options.findIndex((option) => option.id === id);
    if (readFlag(raw.DEL) === true) {
      if (existing >= 0) options.splice(existing, 1);
      continue;
    }
    const value = raw.VALUE === undefined ? undefined : String(raw.VALUE);
    const sort = wholeNumber(raw.SORT) ?? undefined;
    const code = typeof raw.XML_ID === 'string' && raw.XML_ID !== '' ? raw.XML_ID : undefined;
    if (existing >= 0) {
      const option = options[existing]!;
      options[existing] = { ...option, ...(value === undefined ? {} : { value }), ...(sort === undefined ? {} : { sort }), ...(code === undefined ? {} : { code }) };
    } else if (id !== null) {
      // An unknown ID goes to the engine, which names it in its refusal.
      options.push({ id, value: value ?? '', ...(sort === undefined ? {} : { sort }) });
    } else if (value !== undefined && value.trim() !== '') {
      options.push({ value, ...(sort === undefined ? {} : { sort }), ...(code === undefined ? {} : { code }) });
    }
  }
  return options;
}

type Labels = Record<string, string> | string;

interface UserFieldRow {
  ID: string;
  ENTITY_ID: string;
  FIELD_NAME: string;
  USER_TYPE_ID: UserTypeId;
  XML_ID: string | null;
  SORT: string;
  MULTIPLE: 'Y' | 'N';
  MANDATORY: 'Y' | 'N';
  SHOW_FILTER: 'N';
  SHOW_IN_LIST: 'Y';
  EDIT_IN_LIST: 'Y';
  IS_SEARCHABLE: 'N';
  SETTINGS: Record<string, unknown>;
  EDIT_FORM_LABEL: Labels;
  LIST_COLUMN_LABEL: Labels;
  LIST_FILTER_LABEL: Labels;
  ERROR_MESSAGE: Labels;
  HELP_MESSAGE: Labels;
  LIST?: { ID: string; SORT: string; VALUE: string; DEF: 'N'; XML_ID: string | null }[];
}

/** A user field as crm.*.userfield.get returns it; labels are plain strings when the list asked for one `LANG`. */
export function renderUserField(definition: FieldDefinition, lang: string | null): UserFieldRow {
  const label = (text: string): Labels => (lang === null ? { en: text } : text);
  return {
    ID: String(definition.id),
    ENTITY_ID: ENTITY_IDS[definition.entityType as BitrixEntity],
    FIELD_NAME: definition.code ?? '',
    USER_TYPE_ID: userTypeOf(definition),
    XML_ID: definition.externalId,
    SORT: String(definition.sort),
    MULTIPLE: flag(isMultiple(definition)),
    MANDATORY: flag(definition.isRequired),
    SHOW_FILTER: 'N',
    SHOW_IN_LIST: 'Y',
    EDIT_IN_LIST: 'Y',
    IS_SEARCHABLE: 'N',
    SETTINGS: settingsOf(definition),
    EDIT_FORM_LABEL: label(definition.name),
    LIST_COLUMN_LABEL: label(definition.name),
    LIST_FILTER_LABEL: label(definition.name),
    ERROR_MESSAGE: label(''),
    HELP_MESSAGE: label(''),
    ...(definition.enums !== null && userTypeOf(definition) === 'enumeration'
      ? { LIST: definition.enums.map((option) => ({ ID: String(option.id), SORT: String(option.sort), VALUE: option.value, DEF: 'N' as const, XML_ID: option.code })) }
      : {}),
  };
}

function settingsOf(definition: FieldDefinition): Record<string, unknown> {
  return definition.type === 'monetary' ? { CURRENCY: definition.currency ?? DEFAULT_CURRENCY } : {};
}

/** A user field as crm.*.fields describes it. */
export function describeUserField(definition: FieldDefinition): Record<string, unknown> {
  return {
    type: userTypeOf(definition),
    isRequired: definition.isRequired,
    isReadOnly: false,
    isImmutable: false,
    isMultiple: isMultiple(definition),
    isDynamic: true,
    title: definition.code,
    listLabel: definition.name,
    formLabel: definition.name,
    filterLabel: definition.name,
    settings: settingsOf(definition),
    ...(definition.enums !== null && userTypeOf(definition) === 'enumeration'
      ? { items: definition.enums.map((option) => ({ ID: String(option.id), VALUE: option.value })) }
      : {}),
  };
}
