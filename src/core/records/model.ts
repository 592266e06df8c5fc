import type { EntityType, FieldDefinition, FieldValue, StageRef } from '../fields/model.js';
import type { FieldTermFilter } from '../fields/filters.js';

/**
 * A lead, contact, company or call. One shape for all four: the engine validates and stores them
 * alike, and the properties one kind does not use stay null.
 */
export interface CrmRecord {
  id: number;
  entityType: EntityType;
  name: string;
  firstName: string | null;
  lastName: string | null;
  price: number | null;
  pipelineId: number | null;
  statusId: number | null;
  lossReasonId: number | null;
  responsibleUserId: number;
  groupId: number;
  createdBy: number;
  updatedBy: number;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  closestTaskAt: number | null;
  isDeleted: boolean;
  score: number | null;
  laborCost: number | null;
  sourceId: number | null;
  isPriceModifiedByRobot: boolean;
  customFields: FieldValue[];
  /** Properties only one kind of record has, such as a call's numbers and times. */
  attributes: Record<string, unknown>;
}

export type NewRecord = Omit<CrmRecord, 'id'>;

export interface Tag {
  id: number;
  name: string;
  color: string | null;
}

export interface Link {
  entityType: EntityType;
  entityId: number;
  toEntityType: EntityType;
  toEntityId: number;
  /** `isMain`: the lead's main contact; `sort`: where the link stands among the record's links of its type. */
  metadata: { isMain?: boolean; sort?: number };
}

/**
 * Records with what every reader of them is shown: their tags, their links and the account's field
 * definitions (to render their values), all read at the same moment.
 */
export interface ShownRecords {
  records: CrmRecord[];
  definitions: FieldDefinition[];
  tags: Map<number, Tag[]>;
  links: Link[];
}

export interface LossReason {
  id: number;
  name: string;
  sort: number;
  createdAt: number;
  updatedAt: number;
}

export interface Range {
  from?: number;
  to?: number;
}

export interface CustomFieldFilter {
  fieldId: number;
  /** Any of these values (texts or numbers) or enum ids. */
  values?: (string | number)[];
  range?: Range;
}

export type OrderField = 'id' | 'created_at' | 'updated_at';

/** One key of a list's order; records equal on every key follow by id. */
export interface OrderKey {
  field: OrderField;
  direction: 'asc' | 'desc';
}

/** A dialect-neutral list query; every dialect's filter syntax is parsed into this. */
export interface RecordQuery {
  ids?: number[];
  names?: string[];
  price?: Range;
  createdAt?: Range;
  updatedAt?: Range;
  closedAt?: Range;
  responsibleUserIds?: number[];
  createdByIds?: number[];
  updatedByIds?: number[];
  pipelineIds?: number[];
  statuses?: StageRef[];
  statusIds?: number[];
  customFields?: CustomFieldFilter[];
  /** Full-text search over the name and the filled fields; phones match in any format. */
  search?: string;
  /** Ids within a range, for keyset paging (`id > last seen`). */
  idRange?: Range;
  /** Names containing this text, case-insensitively. */
  nameContains?: string;
  /** Records matching any of these lists are left out (a "not equal" / "not in" filter). */
  exclude?: { ids?: number[]; names?: string[]; responsibleUserIds?: number[]; statusIds?: number[] };
  order: readonly OrderKey[];
  offset: number;
  limit: number;
  /** Which records by deletion: live ones (the default), all, or only the deleted (Kommo's `with=only_deleted`). */
  deleted?: 'exclude' | 'include' | 'only';
}

/** A query as the store runs it: custom-field filters resolved into the terms the index holds. */
export type IndexedQuery = Omit<RecordQuery, 'customFields'> & { fieldTerms?: FieldTermFilter[] };
