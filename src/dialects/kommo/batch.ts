import { DomainError } from '../../core/errors.js';
import { BATCH_LIMIT } from './records/routes.js';

/** Kommo refuses a batch over its limit with 422 before looking at the items. */
export function withinBatchLimit<T>(items: readonly T[], limit = BATCH_LIMIT): readonly T[] {
  if (items.length > limit) throw new DomainError('limit', `Limit ${limit} per page`);
  return items;
}
