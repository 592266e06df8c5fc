/**
 * `crm.*.list` parameters — `filter` with operator prefixes, `order`, `select`, `start` — as one
 * dialect-neutral RecordQuery and the selection of fields to return.
 *
 * Filters: `ID`, `ASSIGNED_BY_ID`, `TITLE` and `STATUS_ID` take `=` (default), `!`/`!=`, `@`, `!@`
 * (`TITLE` also `%`, contains); `ID`, `OPPORTUNITY` and the dates take `>`, `>=`, `<`, `<=` and `=`;
 * user fields take `=`/`@` (and the comparisons when they hold numbers or dates); PHONE, EMAIL, WEB and IM
 * take `=`/`@`. Anything else is refused with what is supported, rather than ignored.
 */
import type { FieldDefinition } from '../../core/fields/model.js';
import { phoneDigits } from '../../core/fields/terms.js';
import { parseRfc3339 } from '../../core/fields/types/dates.js';
import type { CustomFieldFilter, OrderField, OrderKey, Range, RecordQuery } from '../../core/records/model.js';
import { bitrixErrors } from './errors.js';
import { isMultifieldCode, type MultifieldCode } from './multifields.js';
import type { BitrixEntity } from './record-fields.js';
import { isUserFieldName, standardField } from './record-fields.js';
import type { Selection } from './record-codec.js';
import type { StageBook } from './stages.js';
import { userTypeOf } from './user-types.js';
import { isObject, readFlag, rfc3339Of, wholeNumber } from './wire.js';
import { listOf } from '../../server/query-string.js';

export const PAGE_SIZE = 50;

export interface ListRequest {
  query: RecordQuery;
  selection: Selection;
  start: number;
  /** `start=-1`: no total and no next, for fast exports paged by `>ID`. */
  countless: boolean;
}

type Operator = '=' | '!' | '>' | '>=' | '<' | '<=' | '%' | '@' | '!@';
const FILTER_KEY = /^(>=|<=|!@|!=|!%|=%|%=|!|>|<|%|@|=)?(.+)$/;
const ORDER_FIELDS: Record<string, OrderField> = { ID: 'id', DATE_CREATE: 'created_at', DATE_MODIFY: 'updated_at' };
const TIME_FILTERS: Record<string, 'createdAt' | 'updatedAt' | 'closedAt'> = { DATE_CREATE: 'createdAt', DATE_MODIFY: 'updatedAt', DATE_CLOSED: 'closedAt' };

export interface ListContext {
  entity: BitrixEntity;
  definitions: readonly FieldDefinition[];
  stages: StageBook;
}

export function parseListRequest(params: Record<string, unknown>, context: ListContext): ListRequest {
  const messages: string[] = [];
  const rawStart = params.start === undefined ? 0 : wholeNumber(params.start);
  const countless = rawStart === -1;
  const start = rawStart === null || rawStart < 0 ? 0 : rawStart;
  const query: RecordQuery = { order: [{ field: 'id', direction: 'asc' }], offset: start, limit: PAGE_SIZE + 1 };

  const order: OrderKey[] = [];
  for (const [orderKey, orderDirection] of Object.entries(isObject(params.order) ? params.order : {})) {
    const field = ORDER_FIELDS[orderKey.toUpperCase()];
    const direction = String(orderDirection).toLowerCase();
    if (!field || (direction !== 'asc' && direction !== 'desc')) {
      messages.push(`order: ${JSON.stringify({ [orderKey]: orderDirection })} is not supported; order by ${Object.keys(ORDER_FIELDS).join(', ')} with ASC or DESC.`);
    } else order.push({ field, direction });
  }
  if (order.length > 0) query.order = order;

  const filter = params.filter === undefined || params.filter === '' ? {} : params.filter;
  if (!isObject(filter)) messages.push('filter: send an object of field names (with an optional operator prefix) and values.');
  else for (const [key, value] of Object.entries(filter)) applyFilter(key, value, query, context, messages);

  if (messages.length > 0) throw bitrixErrors.invalidParameters(messages.join(' '));
  return { query, selection: selectionOf(params.select), start, countless };
}

function selectionOf(raw: unknown): Selection {
  const names = new Set(listOf(raw).map((name) => String(name).toUpperCase()));
  if (names.size === 0) names.add('*');
  return {
    standard: (name) => names.has('*') || names.has(name),
    userField: (name) => names.has('UF_*') || names.has(name),
    multifield: (code) => names.has(code),
  };
}

function applyFilter(rawKey: string, value: unknown, query: RecordQuery, context: ListContext, messages: string[]): void {
  const [, rawOperator = '=', name = ''] = FILTER_KEY.exec(rawKey) ?? [];
  const operator = (rawOperator === '!=' ? '!' : rawOperator) as Operator | '!%' | '=%' | '%=';
  const refuse = (supported: string) => messages.push(`filter: ${JSON.stringify(rawKey)} is not supported; ${name} takes ${supported}.`);
  const exclude = (query.exclude ??= {});

  if (name === 'ID' || name === 'ASSIGNED_BY_ID') {
    const ids = listOf(value).map(wholeNumber).filter((id): id is number => id !== null);
    const target = name === 'ID' ? 'ids' : 'responsibleUserIds';
    if (operator === '=' || operator === '@') query[target] = ids;
    else if (operator === '!' || operator === '!@') exclude[target] = ids;
    else if (name === 'ID' && isComparison(operator) && ids[0] !== undefined) query.idRange = narrow(query.idRange, operator, ids[0], 1);
    else refuse(name === 'ID' ? '=, !, @, !@, >, >=, <, <=' : '=, !, @, !@');
    return;
  }
  if (name === 'TITLE' && standardField(context.entity, 'TITLE')) {
    const names = listOf(value).map(String);
    if (operator === '=' || operator === '@') query.names = names;
    else if (operator === '!' || operator === '!@') exclude.names = names;
    else if (operator === '%') query.nameContains = String(value);
    else refuse('=, !, @, !@, %');
    return;
  }
  if (name === 'STATUS_ID' && context.entity === 'leads') {
    const statusIds = listOf(value).flatMap((code) => context.stages.idsOf(String(code)));
    if (operator === '=' || operator === '@') query.statusIds = statusIds;
    else if (operator === '!' || operator === '!@') exclude.statusIds = statusIds;
    else refuse('=, !, @, !@');
    return;
  }
  if (name === 'OPPORTUNITY' && context.entity === 'leads') {
    const amount = Number(value);
    if (!Number.isFinite(amount) || !(operator === '=' || isComparison(operator))) refuse('a number with =, >, >=, <, <=');
    else query.price = operator === '=' ? { from: Math.ceil(amount), to: Math.floor(amount) } : narrow(query.price, operator, amount, 1, true);
    return;
  }
  const timeKey = TIME_FILTERS[name];
  if (timeKey && standardField(context.entity, name)) {
    const seconds = typeof value === 'string' ? parseRfc3339(rfc3339Of(value)) : null;
    if (seconds === null || !(operator === '=' || isComparison(operator))) refuse('an ISO 8601 date with =, >, >=, <, <=');
    else query[timeKey] = operator === '=' ? { from: seconds, to: seconds } : narrow(query[timeKey], operator, seconds, 1);
    return;
  }
  const definition = context.definitions.find((candidate) => candidate.code === name);
  if (definition && (isUserFieldName(name) || isMultifieldCode(name))) {
    const filter = customFieldFilter(definition, name, operator, value);
    if (filter) (query.customFields ??= []).push(filter);
    else refuse(isMultifieldCode(name) ? '= or @' : '= or @, and >, >=, <, <= when it holds numbers or dates');
    return;
  }
  messages.push(`filter: ${JSON.stringify(rawKey)} names no field Fieldwork can filter ${context.entity} by; use ID, TITLE, STATUS_ID, ASSIGNED_BY_ID, OPPORTUNITY, DATE_CREATE, DATE_MODIFY, DATE_CLOSED, PHONE, EMAIL, WEB, IM or a UF_CRM_ field.`);
}

type Comparison = '>' | '>=' | '<' | '<=';

function isComparison(operator: string): operator is Comparison {
  return operator === '>' || operator === '>=' || operator === '<' || operator === '<=';
}

/**
 * Narrows an inclusive range by one comparison. A strict bound moves by `step`, the smallest
 * difference the values can have (1 for ids, seconds and whole amounts).
 */
function narrow(range: Range | undefined, operator: Comparison, bound: number, step: number, roundToStep = false): Range {
  const next: Range = { ...range };
  const up = (value: number) => (roundToStep ? Math.ceil(value / step) * step : value);
  const down = (value: number) => (roundToStep ? Math.floor(value / step) * step : value);
  if (operator === '>') next.from = down(bound) + step;
  if (operator === '>=') next.from = up(bound);
  if (operator === '<') next.to = up(bound) - step;
  if (operator === '<=') next.to = down(bound);
  return next;
}

/** Smallest difference between two stored numeric values: the engine keeps 6 decimal places. */
const NUMERIC_STEP = 0.000001;

function customFieldFilter(definition: FieldDefinition, name: string, operator: string, value: unknown): CustomFieldFilter | null {
  const values = listOf(value);
  if (isMultifieldCode(name)) {
    if (operator !== '=' && operator !== '@') return null;
    const code: MultifieldCode = name;
    return { fieldId: definition.id, values: values.map((item) => (code === 'PHONE' ? phoneDigits(String(item)) : String(item))) };
  }
  const userType = userTypeOf(definition);
  const numberOf = (item: unknown): number | null => {
    if (userType === 'date' || userType === 'datetime') return typeof item === 'string' ? parseRfc3339(rfc3339Of(item)) : null;
    if (userType === 'boolean') {
      const bit = readFlag(item);
      return bit === null ? null : Number(bit);
    }
    const number = typeof item === 'string' && item.trim() !== '' ? Number(item) : typeof item === 'number' ? item : NaN;
    return Number.isFinite(number) ? number : null;
  };
  const numeric = ['integer', 'employee', 'double', 'date', 'datetime', 'boolean', 'enumeration'].includes(userType);
  if (operator === '=' || operator === '@') {
    return { fieldId: definition.id, values: values.map((item) => (numeric ? (numberOf(item) ?? String(item)) : String(item))) };
  }
  const bound = numberOf(value);
  const dated = userType === 'date' || userType === 'datetime';
  if (!isComparison(operator) || bound === null || !(dated || userType === 'integer' || userType === 'employee' || userType === 'double')) return null;
  // A bound between two whole numbers (`>5.5`) must keep 6, so integer fields narrow by the stored step too.
  return { fieldId: definition.id, range: narrow(undefined, operator, bound, dated ? 1 : NUMERIC_STEP) };
}
