import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Backend } from './migrations/columns.js';

/** A store's database once opened, by either backend's opener. */
export interface OpenDatabase {
  backend: Backend;
  db: Kysely<Database>;
  /** Where the data lives, for messages: the SQLite file or the PostgreSQL URL without its password. */
  describe: string;
  /** Closes the connections, and waits for the threads that work on the store's files to finish. */
  close(): Promise<void>;
}
