import type { Kysely } from 'kysely';
import type { Backend } from './columns.js';
import { foundation } from './001_foundation.js';
import { records } from './002_records.js';
import { access } from './004_access.js';

/** Versioned migrations in the order they apply. A new migration is one file and one line here. */
/** Migrations only shape the schema, so that is all they are given. */
export type MigrationDb = Pick<Kysely<unknown>, 'schema'>;

export interface Migration {
  up(db: MigrationDb): Promise<void>;
}

export function migrations(backend: Backend): Record<string, Migration> {
  return {
    '001_foundation': foundation(backend),
    '002_records': records(backend),
    '004_access': access(backend),
  };
}
