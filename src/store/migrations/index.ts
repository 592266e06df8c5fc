import type { Migration } from 'kysely';
import type { Backend } from './columns.js';
import { foundation } from './001_foundation.js';

/** Versioned migrations in the order they apply. A new migration is one file and one line here. */
export function migrations(backend: Backend): Record<string, Migration> {
  return {
    '001_foundation': foundation(backend),
  };
}
