import { mkdirSync, accessSync, constants } from 'node:fs';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type Driver, type SqliteDatabase, type SqliteDialectConfig } from 'kysely';
import type { Database } from './schema.js';
import type { OpenDatabase } from './open-database.js';
import { startCheckpointer } from './checkpointer.js';
import { StoreUnavailableError, errorCode } from './unavailable.js';
import { migrations } from './migrations/index.js';

export type StoreLocation = { backend: 'sqlite'; dataDir: string } | { backend: 'postgres'; url: string };

export async function openDatabase(location: StoreLocation): Promise<OpenDatabase> {
  if (location.backend === 'sqlite') return openSqlite(location.dataDir);
  // Loaded only for PostgreSQL: its driver takes a twentieth of a cold start on SQLite to load.
  const { openPostgres } = await import('./postgres.js');
  return openPostgres(location.url);
}

function openSqlite(dataDir: string): OpenDatabase {
  const dir = resolve(dataDir);
  const file = join(dir, 'fieldwork.sqlite');
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new StoreUnavailableError(`data directory ${dir} is not writable (${errorCode(error)})`);
  }
  let database: SQLite.Database;
  try {
    database = new SQLite(file);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
    // Without statistics the planner walks a whole field's index terms for every candidate record;
    // this gathers them where they are missing or stale, cheaply (it samples).
    database.pragma('optimize = 0x10002');
    // The checkpointer thread keeps the WAL short; a commit checkpoints only if it falls far behind.
    database.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
  } catch (error) {
    throw new StoreUnavailableError(`cannot open SQLite database ${file} (${errorCode(error)})`);
  }
  const checkpointer = startCheckpointer(file);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }) });
  return {
    backend: 'sqlite',
    db,
    describe: file,
    async close() {
      await db.destroy();
      // Until its thread has closed its connection, the data directory is still in use.
      await checkpointer.stop();
    },
  };
}

/**
 * Transactions that take the write lock when they begin. A plain BEGIN takes it at the first write,
 * and when another process (a second worker, the CLI) wrote in between, SQLite cannot wait for the
 * lock without breaking the snapshot already read: it fails at once with SQLITE_BUSY. Every
 * transaction here writes, so it might as well wait its turn (busy_timeout) before it reads.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** WAL pages (4 KiB each) after which a commit checkpoints by itself: SQLite's default is 1,000. */
export const BACKSTOP_CHECKPOINT_PAGES = 20_000;

/**
 * Most recently used statements kept prepared; the SQL a request runs repeats from request to request.
 * A 250-row INSERT's program is large, and keeping hundreds of them cost more memory than re-preparing one.
 */
const STATEMENT_CACHE_SIZE = 128;

/**
 * Kysely prepares every query anew, and preparing costs as much as running a point lookup. The one
 * connection runs one statement at a time (Kysely serialises it, and nothing iterates lazily), so a
 * prepared statement can be reused for the next query with the same SQL.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const prepared = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      let statement = prepared.get(text);
      if (statement) prepared.delete(text);
      else statement = database.prepare(text);
      prepared.set(text, statement);
      if (prepared.size > STATEMENT_CACHE_SIZE) prepared.delete(prepared.keys().next().value as string);
      return statement;
    },
  };
}

/**
 * Applies pending migrations in one transaction, recording each in `fieldwork_migrations`.
 * Kysely's own Migrator introspects every schema of the database to find its tables, which races
 * with other stores' schemas being created and dropped in the same database; this needs no
 * introspection. On PostgreSQL an advisory lock per schema keeps two starting nodes from migrating
 * the same store at once.
 */
export async function migrateToLatest(open: OpenDatabase): Promise<string[]> {
  const all = Object.entries(migrations(open.backend));
  try {
    return await open.db.transaction().execute(async (trx) => {
      if (open.backend === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(current_schema()))`.execute(trx);
      await sql`create table if not exists fieldwork_migrations (name text primary key, applied_at bigint not null)`.execute(trx);
      const applied = await sql<{ name: string }>`select name from fieldwork_migrations`.execute(trx);
      const done = new Set(applied.rows.map((row) => row.name));
      const pending = all.filter(([name]) => !done.has(name));
      for (const [name, migration] of pending) {
        await migration.up(trx).catch((error: unknown) => {
          throw new StoreUnavailableError(`migration ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
        });
        await sql`insert into fieldwork_migrations (name, applied_at) values (${name}, ${Math.floor(Date.now() / 1000)})`.execute(trx);
      }
      return pending.map(([name]) => name);
    });
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    throw new StoreUnavailableError(`migrations failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
