import type { FieldDefinition } from '../../core/fields/model.js';

/** Accounts whose definitions stay in memory; the least recently read are let go past it. */
const ACCOUNTS_KEPT = 1024;

/**
 * Each account's field definitions as read at a committed `definitions_version`. Every request that
 * reads or writes records needs them, and parsing them from their JSON documents cost more than
 * reading the record itself. An entry is good only for the version it was read at, so a change made
 * by any process is seen at the next read.
 */
export class DefinitionCache {
  readonly #entries = new Map<number, { version: number; definitions: readonly FieldDefinition[] }>();

  get(accountId: number, version: number): readonly FieldDefinition[] | undefined {
    const entry = this.#entries.get(accountId);
    if (!entry || entry.version !== version) return undefined;
    this.#entries.delete(accountId);
    this.#entries.set(accountId, entry);
    return entry.definitions;
  }

  /** Keeps `definitions` frozen: they are shared by every request that reads them from now on. */
  set(accountId: number, version: number, definitions: readonly FieldDefinition[]): void {
    this.#entries.delete(accountId);
    this.#entries.set(accountId, { version, definitions: deepFreeze(definitions) });
    if (this.#entries.size > ACCOUNTS_KEPT) this.#entries.delete(this.#entries.keys().next().value as number);
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const nested of Object.values(value)) deepFreeze(nested);
  }
  return value;
}
