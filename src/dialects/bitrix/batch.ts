/**
 * `batch`: up to 50 commands run in order, each `"method?query-string"`. A parameter value may refer
 * to an earlier command's result as `$result[cmd]`, `$result[cmd][FIELD]` or deeper
 * (`$result[list][0][ID]`); a value that is only a reference takes the referenced value as it is,
 * one that mixes text and references gets them as text. Commands are not one transaction: each
 * commits on its own, as in Bitrix24, and with `halt` the first failure stops the rest.
 *
 * The answer is HTTP 200 even when commands fail. Its maps are written as PHP writes arrays: an
 * empty map as `[]`, keys `0..n-1` in order as a list.
 */
import type { WriteContext } from '../../core/records/write.js';
import { parseQueryString } from '../../server/query-string.js';
import { bitrixErrors, errorBody, toBitrixError } from './errors.js';
import { param, type MethodHandler, type MethodOutcome } from './methods.js';
import { isObject, readFlag, timeBlock } from './wire.js';

export const MAX_BATCH_COMMANDS = 50;

export type Dispatch = (method: string, params: Record<string, unknown>, context: WriteContext) => Promise<MethodOutcome>;

const REFERENCE = /\$result((?:\[[^\]]*\])+)/g;

export function batchMethod(dispatch: Dispatch): MethodHandler {
  return async ({ params, context }) => {
    const rawCommands = param(params, 'cmd');
    const commands = Array.isArray(rawCommands) ? rawCommands.map((command, index) => [String(index), command] as const) : Object.entries(isObject(rawCommands) ? rawCommands : {});
    if (commands.length > MAX_BATCH_COMMANDS) throw bitrixErrors.batchTooLong(MAX_BATCH_COMMANDS);
    const halt = readFlag(param(params, 'halt')) ?? false;

    const results = new Map<string, unknown>();
    const errors = new Map<string, unknown>();
    const totals = new Map<string, number>();
    const nexts = new Map<string, number>();
    const times = new Map<string, unknown>();
    for (const [key, command] of commands) {
      const started = Date.now();
      try {
        const [method = '', query = ''] = String(command).split(/\?(.*)/s);
        if (method.trim().toLowerCase() === 'batch') throw bitrixErrors.nestedBatch();
        const outcome = await dispatch(method.trim(), resolveReferences(parseQueryString(query), results), context);
        results.set(key, outcome.result);
        if (outcome.total !== undefined) totals.set(key, outcome.total);
        if (outcome.next !== undefined) nexts.set(key, outcome.next);
      } catch (error) {
        errors.set(key, errorBody(toBitrixError(error)));
      }
      times.set(key, timeBlock(started));
      if (halt && errors.size > 0) break;
    }
    return {
      result: {
        result: phpArray(results),
        result_error: phpArray(errors),
        result_total: phpArray(totals),
        result_next: phpArray(nexts),
        result_time: phpArray(times),
      },
    };
  };
}

/** Substitutes `$result[…]` references in every string value of `params`. */
function resolveReferences(params: unknown, results: ReadonlyMap<string, unknown>): Record<string, unknown> {
  const resolve = (value: unknown): unknown => {
    if (typeof value === 'string') return substitute(value, results);
    if (Array.isArray(value)) return value.map(resolve);
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item)]));
    return value;
  };
  return resolve(params) as Record<string, unknown>;
}

function substitute(text: string, results: ReadonlyMap<string, unknown>): unknown {
  const lookup = (path: string): unknown => {
    const [key = '', ...rest] = [...path.matchAll(/\[([^\]]*)\]/g)].map((match) => match[1] ?? '');
    let value: unknown = results.get(key);
    for (const segment of rest) value = isObject(value) || Array.isArray(value) ? (value as Record<string, unknown>)[segment] : undefined;
    if (value === undefined) {
      throw bitrixErrors.invalidParameters(`$result[${key}]${rest.map((segment) => `[${segment}]`).join('')} refers to no result: the command ${key} failed, comes later, or has no such field.`);
    }
    return value;
  };
  const whole = /^\$result((?:\[[^\]]*\])+)$/.exec(text);
  if (whole) return lookup(whole[1] ?? '');
  return text.replace(REFERENCE, (_match, path: string) => String(lookup(path)));
}

function phpArray(map: ReadonlyMap<string, unknown>): unknown {
  const keys = [...map.keys()];
  if (keys.every((key, index) => key === String(index))) return [...map.values()];
  return Object.fromEntries(map);
}
