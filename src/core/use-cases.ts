import type { Principal } from './access/principal.js';
import type { Clock } from './clock.js';
import { DETAILS, DomainError, errorItem, type ErrorItem } from './errors.js';
import type { Store } from './ports.js';
import { issue } from './fields/issues.js';

/** What a use case that writes needs: the store, who is asking, and the time. */
export interface UseCaseContext {
  store: Store;
  principal: Principal;
  clock: Clock;
}

/** What a batch write made of one draft, with the client's correlation id (its index when it sent none). */
export interface Created<T> {
  value: T;
  requestId: string;
}

export const MAX_NAME_LENGTH = 255;

/**
 * Plans every draft of a batch and throws one validation error naming all the invalid ones, so a
 * batch is written whole or not at all.
 */
export function planEach<D extends { requestId?: string }, T>(drafts: readonly D[], planOne: (draft: D, errors: ErrorItem[]) => T): T[] {
  const planned: T[] = [];
  const failures = drafts.flatMap((draft, index) => {
    const errors: ErrorItem[] = [];
    planned.push(planOne(draft, errors));
    return errors.length > 0 ? [{ index, requestId: draft.requestId ?? String(index), errors }] : [];
  });
  if (failures.length > 0) throw DomainError.invalid(failures);
  return planned;
}

/** The same for a request that writes one thing. */
export function failIfAny(errors: readonly ErrorItem[], requestId = '0'): void {
  if (errors.length > 0) throw DomainError.invalid([{ index: 0, requestId, errors: [...errors] }]);
}

/** A required name: present, not blank, not too long. True when it may be used. */
export function checkName(name: string | undefined, path: string, errors: ErrorItem[]): name is string {
  if (name === undefined) errors.push(errorItem('FieldMissing', path, DETAILS.FieldMissing));
  else if (name.trim() === '') errors.push(errorItem('NotBlank', path, DETAILS.NotBlank));
  else if (name.length > MAX_NAME_LENGTH) errors.push(errorItem('TooLong', path, `This value is too long. It should have ${MAX_NAME_LENGTH} characters or less.`));
  else return true;
  return false;
}

/** Positions (of pipelines, stages, loss reasons and field groups) are whole numbers kept in 32 bits. */
export const MIN_SORT = -(2 ** 31);
export const MAX_SORT = 2 ** 31 - 1;

/** An optional position: refused when a store could not keep it. */
export function sortErrors(sort: number | undefined, path: string): ErrorItem[] {
  return sort === undefined || (sort >= MIN_SORT && sort <= MAX_SORT) ? [] : [issue.outOfRange(path, MIN_SORT, MAX_SORT)];
}

/** The position `step` after `last`, for an item given none; it stays within the bounds. */
export function nextSort(last: number, step: number): number {
  return Math.min(last + step, MAX_SORT);
}
