import type { CreateTableBuilder, Kysely } from 'kysely';

export type Backend = 'sqlite' | 'postgres';

/** Migrations shape the schema and may move rows with plain SQL; that is all they are given. */
export type MigrationDb = Pick<Kysely<unknown>, 'schema' | 'getExecutor'>;

/**
 * The few column spellings that differ between the backends. Everything else in a migration is
 * written once with Kysely's schema builder.
 */
export function columns(backend: Backend) {
  return {
    /** A surrogate key the database generates: rowid on SQLite, an identity column on PostgreSQL. */
    generatedId<T extends string, C extends string>(table: CreateTableBuilder<T, C>, name = 'id') {
      return backend === 'sqlite'
        ? table.addColumn(name, 'integer', (col) => col.primaryKey().autoIncrement())
        : table.addColumn(name, 'bigint', (col) => col.primaryKey().generatedByDefaultAsIdentity());
    },
    /** Integers that may exceed 2^31: ids and unix timestamps. */
    bigint: backend === 'sqlite' ? ('integer' as const) : ('bigint' as const),
  };
}
