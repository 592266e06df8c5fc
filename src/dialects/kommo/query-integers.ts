import { errorItem, type ErrorItem } from '../../core/errors.js';
import { listOf } from '../../server/query-string.js';

/**
 * The whole numbers of a Kommo query value: one (`filter[id]=5`) or a list (`filter[id][]=5&filter[id][]=6`).
 * Each must be a safe integer; a larger one names no object we could have handed out, and a store would
 * have to refuse it (PostgreSQL's bigint overflows), so it is refused here, at its own path.
 */
export function queryIntegers(value: unknown, path: string, errors: ErrorItem[]): number[] {
  const isList = typeof value === 'object' && value !== null;
  return listOf(value).flatMap((item, index) => {
    const number = typeof item === 'string' && /^\d+$/.test(item) ? Number(item) : item;
    if (typeof number === 'number' && Number.isSafeInteger(number) && number >= 0) return [number];
    errors.push(errorItem('InvalidType', isList ? `${path}.${index}` : path, 'This value should be of type int.'));
    return [];
  });
}
