import type { WriteContext } from '../../core/records/write.js';
import { bitrixErrors } from './errors.js';
import { isObject, positiveId } from './wire.js';

/** One call of a Bitrix24 method: its parameters, merged from the query string and the body. */
export interface MethodCall {
  params: Record<string, unknown>;
  context: WriteContext;
}

/** What a method answers: `result`, plus `total` and `next` for lists. */
export interface MethodOutcome {
  result: unknown;
  total?: number;
  next?: number;
}

export type MethodHandler = (call: MethodCall) => Promise<MethodOutcome>;

export type MethodTable = Readonly<Record<string, MethodHandler>>;

/** A parameter by its documented lower-case name, or as older clients spell it, in upper case. */
export function param(params: Record<string, unknown>, name: string): unknown {
  return params[name] ?? params[name.toUpperCase()];
}

/** The `id` parameter, refused with Bitrix24's own words when it is not a positive integer. */
export function idParam(params: Record<string, unknown>): number {
  const id = positiveId(param(params, 'id'));
  if (id === null) throw bitrixErrors.invalidId();
  return id;
}

/** The `fields` parameter, which must be an object (an "array" in PHP's words). */
export function fieldsParam(params: Record<string, unknown>): Record<string, unknown> {
  const fields = param(params, 'fields');
  if (!isObject(fields)) throw bitrixErrors.fieldsNotArray();
  return fields;
}
