import { randomUUID } from 'node:crypto';
import type { FieldDefinition } from './model.js';
import type { IdSource, NewFieldDefinition } from './definitions.js';

/** A validated new definition, ready to store: it gets its uuid and timestamps here, its id from the store. */
export function stampNewDefinition(definition: NewFieldDefinition, now: number): Omit<FieldDefinition, 'id'> {
  return { ...definition, uuid: randomUUID(), createdAt: now, updatedAt: now };
}

/** Hands out ids from a block the store reserved, so the pure engine can number options synchronously. */
export function idsFrom(first: number, count: number): IdSource {
  let next = first;
  return {
    next() {
      if (next >= first + count) throw new Error(`reserved id block of ${count} exhausted`);
      return next++;
    },
  };
}
