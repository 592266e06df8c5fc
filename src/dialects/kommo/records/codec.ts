import { DETAILS, errorItem, type ErrorItem } from '../../../core/errors.js';
import type { EntityType } from '../../../core/fields/model.js';
import type { RecordDraft, TagRef } from '../../../core/records/draft.js';

/** How one key of a Kommo write body is read. */
type KeyRule = 'string' | 'nullableString' | 'int' | 'nullableInt' | 'timestamp' | 'nullableTimestamp' | 'raw' | 'tagRefs' | 'requestId' | 'ignored' | 'embedded';

const COMMON: Record<string, KeyRule> = {
  id: 'int',
  name: 'string',
  responsible_user_id: 'int',
  created_by: 'int',
  updated_by: 'int',
  created_at: 'timestamp',
  updated_at: 'timestamp',
  custom_fields_values: 'raw',
  tags_to_add: 'tagRefs',
  tags_to_delete: 'tagRefs',
  _embedded: 'embedded',
  request_id: 'requestId',
  // Read-model keys a client may send back unchanged: accepted, never written.
  account_id: 'ignored',
  _links: 'ignored',
  is_deleted: 'ignored',
  closest_task_at: 'ignored',
  group_id: 'ignored',
};

const RULES: Record<'leads' | 'contacts' | 'companies', Record<string, KeyRule>> = {
  leads: {
    ...COMMON,
    price: 'nullableInt',
    status_id: 'int',
    pipeline_id: 'int',
    loss_reason_id: 'nullableInt',
    closed_at: 'nullableTimestamp',
    score: 'ignored',
    labor_cost: 'ignored',
    source_id: 'ignored',
    is_price_modified_by_robot: 'ignored',
    is_price_computed: 'ignored',
  },
  contacts: { ...COMMON, first_name: 'nullableString', last_name: 'nullableString', is_unsorted: 'ignored' },
  companies: { ...COMMON },
};

/** Which `_embedded` keys each kind accepts on write: tags, and links to existing records. */
const EMBEDDED: Record<'leads' | 'contacts' | 'companies', string[]> = {
  leads: ['tags', 'contacts', 'companies', 'source', 'loss_reason', 'catalog_elements'],
  contacts: ['tags', 'companies', 'leads', 'customers', 'catalog_elements'],
  companies: ['tags', 'contacts', 'leads', 'customers', 'catalog_elements'],
};
const LINKED_EMBEDDED: Record<'leads' | 'contacts' | 'companies', EntityType[]> = {
  leads: ['contacts', 'companies'],
  contacts: ['companies'],
  companies: ['contacts'],
};

export type KommoEntity = keyof typeof RULES;

export interface DecodedItem {
  draft: RecordDraft;
  errors: ErrorItem[];
}

/** Reads one item of a Kommo write body into a draft, naming every key it cannot accept. */
export function decodeRecord(entity: KommoEntity, raw: unknown, index: number): DecodedItem {
  const errors: ErrorItem[] = [];
  const draft: RecordDraft = {};
  if (!isObject(raw)) return { draft: { requestId: String(index) }, errors: [errorItem('InvalidType', '', 'This value should be of type object.')] };
  const rules = RULES[entity];
  for (const [key, value] of Object.entries(raw)) {
    const rule = rules[key];
    if (!rule) {
      errors.push(errorItem('FieldNotExpected', key, DETAILS.FieldNotExpected));
      continue;
    }
    readKey(entity, draft, key, rule, value, errors);
  }
  draft.requestId ??= String(index);
  return { draft, errors };
}

function readKey(entity: KommoEntity, draft: RecordDraft, key: string, rule: KeyRule, value: unknown, errors: ErrorItem[]): void {
  const invalid = (type: string) => errors.push(errorItem('InvalidType', key, `This value should be of type ${type}.`));
  switch (rule) {
    case 'ignored':
      return;
    case 'requestId':
      if (typeof value === 'string' || typeof value === 'number') draft.requestId = String(value);
      else invalid('string');
      return;
    case 'string':
      if (typeof value === 'string') assign(draft, key, value);
      else invalid('string');
      return;
    case 'nullableString':
      if (typeof value === 'string' || value === null) assign(draft, key, value);
      else invalid('string');
      return;
    case 'int':
    case 'timestamp':
      if (Number.isSafeInteger(value) && (value as number) >= 0) assign(draft, key, value as number);
      else invalid('int');
      return;
    case 'nullableInt':
    case 'nullableTimestamp':
      if (value === null || (Number.isSafeInteger(value) && (value as number) >= 0)) assign(draft, key, value as number | null);
      else invalid('int');
      return;
    case 'raw':
      // The read model says `custom_fields_values: null` for "nothing filled"; sending it back changes nothing.
      if (value !== null) draft.customFieldsValues = value;
      return;
    case 'tagRefs': {
      const refs = readTagRefs(value, key, errors);
      if (refs) {
        if (key === 'tags_to_add') draft.tagsToAdd = refs;
        else draft.tagsToDelete = refs;
      }
      return;
    }
    case 'embedded':
      readEmbedded(entity, draft, value, errors);
      return;
  }
}

const DRAFT_KEYS: Record<string, keyof RecordDraft> = {
  id: 'id',
  name: 'name',
  first_name: 'firstName',
  last_name: 'lastName',
  price: 'price',
  status_id: 'statusId',
  pipeline_id: 'pipelineId',
  loss_reason_id: 'lossReasonId',
  responsible_user_id: 'responsibleUserId',
  created_by: 'createdBy',
  updated_by: 'updatedBy',
  created_at: 'createdAt',
  updated_at: 'updatedAt',
  closed_at: 'closedAt',
};

function assign(draft: RecordDraft, key: string, value: string | number | null): void {
  const target = DRAFT_KEYS[key];
  if (target) (draft as Record<string, unknown>)[target] = value;
}

function readEmbedded(entity: KommoEntity, draft: RecordDraft, value: unknown, errors: ErrorItem[]): void {
  if (!isObject(value)) {
    errors.push(errorItem('InvalidType', '_embedded', 'This value should be of type object.'));
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    const path = `_embedded.${key}`;
    if (!EMBEDDED[entity].includes(key)) {
      errors.push(errorItem('FieldNotExpected', path, DETAILS.FieldNotExpected));
    } else if (key === 'tags') {
      if (inner === null) draft.tags = null;
      else {
        const refs = readTagRefs(inner, path, errors);
        if (refs) draft.tags = refs;
      }
    } else if ((LINKED_EMBEDDED[entity] as string[]).includes(key)) {
      readLinks(key as EntityType, inner, path, draft, errors);
    }
  }
}

function readLinks(entityType: EntityType, value: unknown, path: string, draft: RecordDraft, errors: ErrorItem[]): void {
  if (!Array.isArray(value)) {
    errors.push(errorItem('InvalidType', path, 'This value should be of type array.'));
    return;
  }
  value.forEach((item, index) => {
    const itemPath = `${path}.${index}`;
    if (!isObject(item) || !Number.isSafeInteger(item.id)) {
      errors.push(errorItem('InvalidType', `${itemPath}.id`, 'This value should be of type int.'));
      return;
    }
    const isMain = item.is_main ?? (isObject(item.metadata) ? item.metadata.main_contact : undefined);
    (draft.links ??= []).push({ entityType, id: item.id as number, ...(typeof isMain === 'boolean' ? { isMain } : {}) });
  });
}

function readTagRefs(value: unknown, path: string, errors: ErrorItem[]): TagRef[] | null {
  if (!Array.isArray(value)) {
    errors.push(errorItem('InvalidType', path, 'This value should be of type array.'));
    return null;
  }
  const refs: TagRef[] = [];
  value.forEach((item, index) => {
    if (isObject(item) && Number.isSafeInteger(item.id)) refs.push({ id: item.id as number });
    else if (isObject(item) && typeof item.name === 'string' && item.name.trim() !== '') refs.push({ name: item.name.trim() });
    else errors.push(errorItem('FieldMissing', `${path}.${index}`, 'Either the tag id or its name is required.'));
  });
  return refs;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
