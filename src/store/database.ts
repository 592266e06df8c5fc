import { mkdirSync, accessSync, constants } from 'node:fs';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type Driver, type SqliteDatabase, type SqliteDialectConfig } from 'kysely';
import type { Database } from './schema.js';
import { startCheckpointer } from './checkpointer.js';
import { reusedStatementName } from './compiled.js';
import type { Backend } from './migrations/columns.js';
import { migrations } from './migrations/index.js';

export type StoreLocation = { backend: 'sqlite'; dataDir: string } | { backend: 'postgres'; url: string };

export interface OpenDatabase {
  backend: Backend;
  db: Kysely<Database>;
  /** Where the data lives, for messages: the SQLite file or the PostgreSQL URL without its password. */
  describe: string;
  /** Closes the connections, and waits for the threads that work on the store's files to finish. */
  close(): Promise<void>;
}

/** A failure to reach or prepare the store, worded for one line on a terminal. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

// PostgreSQL returns int8 as a string to be safe beyond 2^53; our ids and timestamps stay far below it.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export async function openDatabase(location: StoreLocation): Promise<OpenDatabase> {
  return location.backend === 'sqlite' ? openSqlite(location.dataDir) : openPostgres(location.url);
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
 * A client that runs the store's reused statements as named prepared statements: parsed once per
 * connection instead of on every run (a 250-row INSERT's parse costs more than its execution). Kysely
 * passes SQL text and values; other SQL runs as it comes.
 */
class NamedStatementClient extends pg.Client {}
const plainQuery = pg.Client.prototype.query as unknown as (this: pg.Client, ...args: unknown[]) => unknown;
NamedStatementClient.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const [text, values, ...rest] = args;
  const name = typeof text === 'string' && Array.isArray(values) ? reusedStatementName(text) : undefined;
  return name ? plainQuery.call(this, { name, text, values }, ...rest) : plainQuery.apply(this, args);
} as unknown as pg.Client['query'];

async function openPostgres(url: string): Promise<OpenDatabase> {
  const describe = redactPassword(url);
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000, Client: NamedStatementClient });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  // Which statements keep a plan is decided by naming them (`compiledQuery`'s `planOnce`); a server
  // configured to force custom or generic plans would undo that choice.
  pool.on('connect', (client) => {
    client.query('set plan_cache_mode = auto').catch(() => undefined);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new StoreUnavailableError(`cannot connect to PostgreSQL at ${describe} (${errorCode(error)})`);
  }
  return { backend: 'postgres', db, describe, close: () => db.destroy() };
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

export function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

function errorCode(error: unknown): string {
  if (error && typeof error === 'object') {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && code) return code;
    if (typeof message === 'string' && message) return message;
  }
  return String(error);
}
