import { PostgresAdapter, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** The few statements the two backends write differently ask this; the rest of the SQL is shared. */
export function isPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
