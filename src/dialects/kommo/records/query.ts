import { DomainError, errorItem, type ErrorItem } from '../../../core/errors.js';
import type { CustomFieldFilter, OrderField, OrderKey, Range, RecordQuery } from '../../../core/records/model.js';
import type { StageRef } from '../../../core/fields/model.js';
import { listOf } from '../../../server/query-string.js';
import { queryIntegers } from '../query-integers.js';

export const MAX_LIMIT = 250;
export const DEFAULT_LIMIT = 50;

export interface ListParams {
  page?: number;
  limit?: number;
  query?: string | number;
  filter?: Record<string, unknown>;
  order?: Record<string, unknown>;
}

const ORDER_FIELDS: OrderField[] = ['created_at', 'updated_at', 'id'];
/** Filters that take one id or many, and the list of the query each fills. */
const ID_FILTERS = {
  id: 'ids',
  responsible_user_id: 'responsibleUserIds',
  created_by: 'createdByIds',
  updated_by: 'updatedByIds',
  pipeline_id: 'pipelineIds',
} as const satisfies Record<string, keyof RecordQuery>;
/** Filters that take a value or a `[from]`/`[to]` range, and the range of the query each fills. */
const RANGE_FILTERS = { price: 'price', created_at: 'createdAt', updated_at: 'updatedAt', closed_at: 'closedAt' } as const satisfies Record<string, keyof RecordQuery>;

/** Kommo's `filter`, `query`, `order`, `page` and `limit` as one dialect-neutral query. */
export function parseListQuery(params: ListParams): RecordQuery {
  const errors: ErrorItem[] = [];
  const limit = params.limit ?? DEFAULT_LIMIT;
  const page = params.page ?? 1;
  const query: RecordQuery = { order: [{ field: 'id', direction: 'asc' }], offset: (page - 1) * limit, limit };
  if (params.query !== undefined && String(params.query).trim() !== '') query.search = String(params.query).trim();

  const order: OrderKey[] = [];
  for (const [field, direction] of Object.entries(params.order ?? {})) {
    if (!ORDER_FIELDS.includes(field as OrderField)) errors.push(errorItem('NotSupportedChoice', `order.${field}`, 'The value you selected is not a valid choice.'));
    else if (direction !== 'asc' && direction !== 'desc') errors.push(errorItem('NotSupportedChoice', `order.${field}`, 'The value you selected is not a valid choice.'));
    else order.push({ field: field as OrderField, direction });
  }
  // Several keys order by each in turn, as sent.
  if (order.length > 0) query.order = order;

  const filter = params.filter ?? {};
  for (const [key, value] of Object.entries(filter)) {
    const path = `filter.${key}`;
    if (isKeyOf(ID_FILTERS, key)) {
      query[ID_FILTERS[key]] = queryIntegers(value, path, errors);
      continue;
    }
    if (isKeyOf(RANGE_FILTERS, key)) {
      query[RANGE_FILTERS[key]] = rangeOf(value, path, errors);
      continue;
    }
    switch (key) {
      case 'name':
        query.names = listOf(value).map(String);
        break;
      case 'statuses':
        query.statuses = statuses(value, path, errors);
        break;
      case 'custom_fields_values':
        query.customFields = customFieldFilters(value, path, errors);
        break;
      default:
        errors.push(errorItem('FieldNotExpected', path, 'This field was not expected.'));
    }
  }
  if (errors.length > 0) throw DomainError.invalid([{ index: 0, requestId: '0', errors }]);
  return query;
}

function isKeyOf<T extends object>(table: T, key: string): key is Extract<keyof T, string> {
  return Object.hasOwn(table, key);
}

function numberOf(value: unknown, path: string, errors: ErrorItem[]): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : typeof value === 'number' ? value : NaN;
  if (Number.isFinite(number)) return number;
  errors.push(errorItem('InvalidType', path, 'This value should be of type numeric.'));
  return undefined;
}

/** `filter[x]=5` means exactly 5; `filter[x][from]=…&filter[x][to]=…` is a closed range. */
function rangeOf(value: unknown, path: string, errors: ErrorItem[]): Range {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && ('from' in value || 'to' in value)) {
    const { from, to, ...rest } = value as Record<string, unknown>;
    for (const key of Object.keys(rest)) errors.push(errorItem('FieldNotExpected', `${path}.${key}`, 'This field was not expected.'));
    return {
      ...(from !== undefined ? { from: numberOf(from, `${path}.from`, errors) } : {}),
      ...(to !== undefined ? { to: numberOf(to, `${path}.to`, errors) } : {}),
    };
  }
  const exact = numberOf(value, path, errors);
  return { from: exact, to: exact };
}

function statuses(value: unknown, path: string, errors: ErrorItem[]): StageRef[] {
  return listOf(value).flatMap((item, index) => {
    const itemPath = `${path}.${index}`;
    if (typeof item !== 'object' || item === null) {
      errors.push(errorItem('InvalidType', itemPath, 'This value should be of type array.'));
      return [];
    }
    const { pipeline_id: pipelineId, status_id: statusId } = item as Record<string, unknown>;
    const pipeline = pipelineId === undefined ? undefined : queryIntegers(pipelineId, `${itemPath}.pipeline_id`, errors)[0];
    const status = statusId === undefined ? undefined : queryIntegers(statusId, `${itemPath}.status_id`, errors)[0];
    if (pipeline === undefined) errors.push(errorItem('FieldMissing', `${itemPath}.pipeline_id`, 'This field is missing.'));
    if (status === undefined) errors.push(errorItem('FieldMissing', `${itemPath}.status_id`, 'This field is missing.'));
    return pipeline !== undefined && status !== undefined ? [{ pipelineId: pipeline, statusId: status }] : [];
  });
}

/** `[id][]=value` (any of), `[id]=value`, or `[id][from]/[to]` for numbers and dates. */
function customFieldFilters(value: unknown, path: string, errors: ErrorItem[]): CustomFieldFilter[] {
  if (typeof value !== 'object' || value === null) {
    errors.push(errorItem('InvalidType', path, 'This value should be of type array.'));
    return [];
  }
  return Object.entries(value).flatMap(([fieldKey, condition]): CustomFieldFilter[] => {
    const fieldPath = `${path}.${fieldKey}`;
    if (!/^\d+$/.test(fieldKey)) {
      errors.push(errorItem('InvalidType', fieldPath, 'The custom field id should be of type int.'));
      return [];
    }
    const fieldId = Number(fieldKey);
    if (typeof condition === 'object' && condition !== null && !Array.isArray(condition) && ('from' in condition || 'to' in condition)) {
      return [{ fieldId, range: rangeOf(condition, fieldPath, errors) }];
    }
    const values = listOf(condition).map((item) => (typeof item === 'string' && /^-?\d+(\.\d+)?$/.test(item) ? Number(item) : String(item)));
    return [{ fieldId, values }];
  });
}
