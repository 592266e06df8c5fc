/** The PostgreSQL store's connections: a pool of clients that run the kept statements by name. */
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database } from './schema.js';
import type { OpenDatabase } from './open-database.js';
import { reusedStatementName } from './compiled.js';
import { StoreUnavailableError, errorCode, redactPassword } from './unavailable.js';

// PostgreSQL returns int8 as a string to be safe beyond 2^53; our ids and timestamps stay far below it.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

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

export async function openPostgres(url: string): Promise<OpenDatabase> {
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
