import { DomainError } from '../errors.js';
import type { Principal } from './principal.js';
import type { Action, RightEntity, Scope } from './rights.js';

/** What a right is checked against: the one record it touches, known by its responsible user. */
export interface OwnedRecord {
  responsibleUserId: number | null;
}

/** The caller's scope for one action on one entity; administrators may do everything. */
export function scopeOf(principal: Principal, entity: RightEntity, action: Action): Scope {
  return principal.role === 'admin' ? 'all' : principal.rights[entity][action];
}

/**
 * Whether the caller may perform `action` on `record`. Without a record the question is whether the
 * caller may perform it on any record at all (a list, before it is filtered by `scopeOf`).
 * For `add`, the record is the one to be created: `own` allows it only with the caller responsible.
 */
export function isAllowed(principal: Principal, entity: RightEntity, action: Action, record?: OwnedRecord): boolean {
  const scope = scopeOf(principal, entity, action);
  if (scope === 'all') return true;
  if (scope === 'none') return false;
  return record === undefined || record.responsibleUserId === principal.userId;
}

/** Throws the 403 that names what was refused, e.g. `You have no right to add leads`. */
export function authorize(principal: Principal, entity: RightEntity, action: Action, record?: OwnedRecord): void {
  if (!isAllowed(principal, entity, action, record)) {
    throw DomainError.forbidden(`You have no right to ${action} ${entity}`);
  }
}

/** Guards what only administrators may do; `what` completes "Only administrators can …". */
export function requireAdmin(principal: Principal, what: string): void {
  if (principal.role !== 'admin') throw DomainError.forbidden(`Only administrators can ${what}`);
}
