/**
 * Kommo's custom-field and field-group wire objects read into the engine's drafts and queries.
 *
 * Only JSON types are checked here (`InvalidType`, `FieldMissing`, `FieldNotExpected`); what values
 * mean is the engine's business. Keys of the read model that clients send back unchanged
 * (`account_id`, `is_predefined`, `_links`, …) are accepted and ignored, so a field read with GET
 * can be written back with PATCH as it is.
 */
import { DomainError, type ErrorItem } from '../../../core/errors.js';
import type { ChainedListDraft, DefinitionDraft, EnumDraft, NestedDraft } from '../../../core/fields/draft.js';
import type { GroupDraft } from '../../../core/fields/groups.js';
import { isPlainObject, issue, type JsonTypeName } from '../../../core/fields/issues.js';
import { FIELD_TYPES, type FieldSettings, type FieldType, type StageRef } from '../../../core/fields/model.js';
import type { DefinitionQuery, WriteRequest } from '../../../core/fields/service.js';
import { listOf } from '../../../server/query-string.js';
import { DEFAULT_LIMIT } from '../records/query.js';
import { withinBatchLimit } from '../batch.js';


/** How a write body treats `id`: read on batch updates, refused on creates, ignored where the path names the item. */
export type IdRule = 'read' | 'refused' | 'ignored';

export interface ReadItem<D, K> extends WriteRequest<D> {
  id?: K;
}

/** Reads a JSON value into `T`, pushing the errors at `path` and answering undefined when it cannot. */
type Reader<T> = (raw: unknown, path: string, errors: ErrorItem[]) => T | undefined;

function typed<T>(expected: JsonTypeName, accepts: (raw: unknown) => raw is T): Reader<T> {
  return (raw, path, errors) => {
    if (accepts(raw)) return raw;
    errors.push(issue.invalidType(path, expected));
    return undefined;
  };
}

const isString = (raw: unknown): raw is string => typeof raw === 'string';
const isInteger = (raw: unknown): raw is number => Number.isSafeInteger(raw);

const string = typed('string', isString);
const integer = typed('int', isInteger);
const boolean = typed('bool', (raw): raw is boolean => typeof raw === 'boolean');

/** `null` is a value of its own ("none"), never a type error. */
function nullable<T>(reader: Reader<T>): Reader<T | null> {
  return (raw, path, errors) => (raw === null ? null : reader(raw, path, errors));
}

/** Kommo documents option sorts as strings; clients send both forms. */
const sortOf: Reader<number> = (raw, path, errors) =>
  typeof raw === 'string' && /^-?\d{1,9}$/.test(raw) ? Number(raw) : integer(raw, path, errors);

/** The property readers of one object and the draft key each fills; `ignored` keys are read-model echoes. */
type Shape<D> = Record<string, { to: keyof D; read: Reader<unknown> } | 'ignored'>;

function objectOf<D>(shape: Shape<D>, required: readonly string[] = []): Reader<D> {
  return (raw, path, errors) => {
    const at = (key: string) => (path === '' ? key : `${path}.${key}`);
    if (!isPlainObject(raw)) {
      errors.push(issue.invalidType(path, 'object'));
      return undefined;
    }
    const before = errors.length;
    const draft: Partial<Record<keyof D, unknown>> = {};
    for (const key of required) if (raw[key] === undefined) errors.push(issue.fieldMissing(at(key)));
    for (const [key, value] of Object.entries(raw)) {
      const rule = shape[key];
      if (rule === undefined) errors.push(issue.fieldNotExpected(at(key)));
      else if (rule !== 'ignored' && value !== undefined) {
        const read = rule.read(value, at(key), errors);
        if (read !== undefined) draft[rule.to] = read;
      }
    }
    return errors.length === before ? (draft as D) : undefined;
  };
}

function listOfItems<T>(item: Reader<T>): Reader<T[]> {
  return (raw, path, errors) => {
    if (!Array.isArray(raw)) {
      errors.push(issue.invalidType(path, 'array'));
      return undefined;
    }
    const before = errors.length;
    const items = raw.map((value, index) => item(value, `${path}.${index}`, errors));
    return errors.length === before ? (items as T[]) : undefined;
  };
}

const stage = objectOf<StageRef>(
  { status_id: { to: 'statusId', read: integer }, pipeline_id: { to: 'pipelineId', read: integer } },
  ['status_id', 'pipeline_id'],
);

/** `null` clears the stage list, as an empty list does. */
const stages: Reader<StageRef[]> = (raw, path, errors) => (raw === null ? [] : listOfItems(stage)(raw, path, errors));

const enumOption = objectOf<EnumDraft>(
  {
    id: { to: 'id', read: integer },
    value: { to: 'value', read: string },
    sort: { to: 'sort', read: sortOf },
    code: { to: 'code', read: nullable(string) },
  },
  ['value'],
);

const nestedOption = objectOf<NestedDraft>(
  {
    id: { to: 'id', read: integer },
    parent_id: { to: 'parentId', read: nullable(integer) },
    value: { to: 'value', read: string },
    sort: { to: 'sort', read: sortOf },
    request_id: { to: 'requestId', read: nullable(string) },
    parent_request_id: { to: 'parentRequestId', read: nullable(string) },
  },
  ['value'],
);

const chainedList = objectOf<ChainedListDraft>(
  {
    catalog_id: { to: 'catalogId', read: integer },
    parent_catalog_id: { to: 'parentCatalogId', read: nullable(integer) },
    title: { to: 'title', read: string },
  },
  ['catalog_id', 'title'],
);

const settings = objectOf<FieldSettings>({
  max_length: { to: 'maxLength', read: integer },
  max_values: { to: 'maxValues', read: integer },
  whole_numbers: { to: 'wholeNumbers', read: boolean },
  user_ids: { to: 'userIds', read: boolean },
});

/** The read model shows `settings: null` for "none"; sending it back changes nothing. */
const settingsOrUnchanged: Reader<FieldSettings> = (raw, path, errors) => (raw === null ? undefined : settings(raw, path, errors));

const READ_MODEL_ECHOES = ['account_id', 'entity_type', 'is_predefined', 'is_deletable', '_links', 'triggers'] as const;

const DEFINITION: Shape<DefinitionDraft> = {
  name: { to: 'name', read: string },
  type: { to: 'type', read: string },
  code: { to: 'code', read: nullable(string) },
  sort: { to: 'sort', read: integer },
  group_id: { to: 'groupId', read: nullable(string) },
  is_api_only: { to: 'isApiOnly', read: boolean },
  required_statuses: { to: 'requiredStatuses', read: stages },
  hidden_statuses: { to: 'hiddenStatuses', read: stages },
  remind: { to: 'remind', read: nullable(string) },
  enums: { to: 'enums', read: nullable(listOfItems(enumOption)) },
  nested: { to: 'nested', read: nullable(listOfItems(nestedOption)) },
  currency: { to: 'currency', read: nullable(string) },
  chained_lists: { to: 'chainedLists', read: nullable(listOfItems(chainedList)) },
  tracking_callback: { to: 'trackingCallback', read: nullable(string) },
  search_in: { to: 'searchIn', read: nullable(string) },
  settings: { to: 'settings', read: settingsOrUnchanged },
  ...Object.fromEntries(READ_MODEL_ECHOES.map((key) => [key, 'ignored' as const])),
};

const GROUP: Shape<GroupDraft> = {
  name: { to: 'name', read: string },
  sort: { to: 'sort', read: integer },
  fields: { to: 'fieldIds', read: listOfItems(integer) },
  ...Object.fromEntries(['entity_type', 'is_predefined', 'type', '_links'].map((key) => [key, 'ignored' as const])),
};

const fieldId: Reader<number> = integer;
const groupId: Reader<string> = string;

export function decodeDefinitions(items: readonly unknown[], idRule: IdRule): ReadItem<DefinitionDraft, number>[] {
  return items.map((item, index) => decodeItem(item, index, objectOf(DEFINITION), fieldId, idRule));
}

export function decodeGroups(items: readonly unknown[], idRule: IdRule): ReadItem<GroupDraft, string>[] {
  return items.map((item, index) => decodeItem(item, index, objectOf(GROUP), groupId, idRule));
}

/**
 * One item of a write body: `request_id` (echoed, never stored) and `id` are taken off, the rest is
 * the draft. Its errors travel with it so that the core reports every item of a batch together.
 */
function decodeItem<D, K>(raw: unknown, index: number, readDraft: Reader<D>, readId: Reader<K>, idRule: IdRule): ReadItem<D, K> {
  const errors: ErrorItem[] = [];
  if (!isPlainObject(raw)) return { requestId: String(index), draft: {} as D, readErrors: [issue.invalidType('', 'object')] };
  const { request_id: requestId, id, ...rest } = raw;
  const givenRequestId = typeof requestId === 'string' || typeof requestId === 'number' ? String(requestId) : undefined;
  if (requestId !== undefined && givenRequestId === undefined) errors.push(issue.invalidType('request_id', 'string'));
  let readIdValue: K | undefined;
  if (id !== undefined && idRule === 'refused') errors.push(issue.fieldNotExpected('id'));
  if (id !== undefined && idRule === 'read') readIdValue = readId(id, 'id', errors);
  const draft = readDraft(rest, '', errors) ?? ({} as D);
  return { requestId: givenRequestId ?? String(index), draft, readErrors: errors, ...(readIdValue !== undefined ? { id: readIdValue } : {}) };
}

/** Kommo refuses an empty batch, and more than 250 items with 422. */
export function assertBatchSize(items: readonly unknown[]): void {
  if (items.length === 0) throw new DomainError('invalid', 'Request data can not be empty');
  withinBatchLimit(items);
}

export interface DefinitionListParams {
  page?: number;
  limit?: number;
  filter?: Record<string, unknown>;
  order?: Record<string, unknown>;
}

const ORDER_FIELDS = ['sort', 'id'] as const;

/** `page`, `limit`, `filter[type][]` and `order[sort|id]=asc|desc` as a definition query; sort order by default. */
export function parseDefinitionQuery(params: DefinitionListParams): DefinitionQuery {
  const errors: ErrorItem[] = [];
  const limit = params.limit ?? DEFAULT_LIMIT;
  const query: DefinitionQuery = { order: { field: 'sort', direction: 'asc' }, offset: ((params.page ?? 1) - 1) * limit, limit };
  for (const [key, value] of Object.entries(params.filter ?? {})) {
    if (key !== 'type') {
      errors.push(issue.fieldNotExpected(`filter.${key}`));
      continue;
    }
    const types: FieldType[] = [];
    listOf(value).forEach((item, index) => {
      const known = FIELD_TYPES.find((type) => type === item);
      if (known) types.push(known);
      else errors.push(issue.notSupportedChoice(`filter.type.${index}`));
    });
    query.types = types;
  }
  for (const [key, direction] of Object.entries(params.order ?? {})) {
    const field = ORDER_FIELDS.find((known) => known === key);
    if (field === undefined || (direction !== 'asc' && direction !== 'desc')) errors.push(issue.notSupportedChoice(`order.${key}`));
    else query.order = { field, direction };
  }
  if (errors.length > 0) throw DomainError.invalid([{ index: 0, requestId: '0', errors }]);
  return query;
}
