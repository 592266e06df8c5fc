/**
 * The cached dataset of each backend: seeded once through the store's bulk path, kept between runs,
 * re-seeded when it is missing or was seeded by another schema or seed version, and reset before
 * every run to what was seeded (records a previous run added, events and links are deleted).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { StoreLocation } from '../src/store/database.js';
import { openStore } from '../src/store/store.js';
import { migrations } from '../src/store/migrations/index.js';
import { bulkInsertRecords, type BulkResult } from '../src/store/bulk.js';
import { bootstrapStore } from '../src/core/accounts/provision.js';
import { ACCOUNT_ID, BENCH_TOKEN, SEED_VERSION, assertCanonical, defineBenchFields, leads, readShape, type BenchShape } from './dataset.js';

export type Backend = 'sqlite' | 'postgres';

export interface SeedMarker {
  seedVersion: number;
  migrations: string[];
  leads: number;
  firstId: number;
  lastId: number;
  seededAt: string;
}

export interface SeedReport {
  /** Wiping, migrating, bootstrapping and defining the fields. */
  setupMs: number;
  /** The bulk path: rows, then index rebuild. */
  bulk: BulkResult;
  /** PostgreSQL: VACUUM ANALYZE after the load (what autovacuum would do later, done up front). */
  vacuumMs: number;
  totalMs: number;
}

export interface Prepared {
  backend: Backend;
  location: StoreLocation;
  /** What the server child gets in its environment to open this store. */
  env: Record<string, string>;
  shape: BenchShape;
  marker: SeedMarker;
  /** Present when this run seeded; null when the cached dataset was used. */
  seeded: SeedReport | null;
  resetMs: number;
  /** The stage of each seeded lead, by id - firstId, as stored now. */
  stages: Int32Array;
  /** The SQLite file (for the floor loop), or null on PostgreSQL. */
  sqliteFile: string | null;
}

const CACHE = resolve('bench/.cache');
export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function migrationNames(backend: Backend): string[] {
  return Object.keys(migrations(backend));
}

function databaseName(count: number): string {
  return count === 1_000_000 ? 'fieldwork_bench' : `fieldwork_bench_${count}`;
}

function postgresUrl(database: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

function fresh(marker: SeedMarker | null, backend: Backend, count: number): marker is SeedMarker {
  return (
    marker !== null &&
    marker.seedVersion === SEED_VERSION &&
    marker.leads === count &&
    JSON.stringify(marker.migrations) === JSON.stringify(migrationNames(backend))
  );
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function prepare(backend: Backend, count: number, log: (line: string) => void): Promise<Prepared> {
  if (backend === 'sqlite') {
    const dir = join(CACHE, `sqlite-${count}`);
    const markerFile = join(dir, 'bench-seed.json');
    const location: StoreLocation = { backend: 'sqlite', dataDir: dir };
    const stored = existsSync(markerFile) ? (JSON.parse(readFileSync(markerFile, 'utf8')) as SeedMarker) : null;
    let seeded: SeedReport | null = null;
    let marker: SeedMarker;
    if (fresh(stored, backend, count)) marker = stored;
    else {
      log(`sqlite: no current dataset of ${count} leads in ${dir}; seeding`);
      const started = performance.now();
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      ({ marker, seeded } = await seed(location, backend, count, started, log));
      writeFileSync(markerFile, `${JSON.stringify(marker, null, 2)}\n`);
    }
    const file = join(dir, 'fieldwork.sqlite');
    const resetStarted = performance.now();
    const stages = resetSqlite(file, marker);
    const resetMs = performance.now() - resetStarted;
    const shape = await shapeOf(location);
    return { backend, location, env: { FIELDWORK_DATA_DIR: dir }, shape, marker, seeded, resetMs, stages, sqliteFile: file };
  }

  const database = databaseName(count);
  const url = postgresUrl(database);
  const location: StoreLocation = { backend: 'postgres', url };
  const stored = await withClient(PG_ADMIN_URL, async (client) => {
    const row = (await client.query<{ comment: string | null }>("select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1", [database])).rows[0];
    if (!row) return null;
    try {
      return row.comment ? (JSON.parse(row.comment) as SeedMarker) : null;
    } catch {
      return null;
    }
  });
  let seeded: SeedReport | null = null;
  let marker: SeedMarker;
  if (fresh(stored, backend, count)) marker = stored;
  else {
    log(`postgres: no current dataset of ${count} leads in database ${database}; seeding`);
    const started = performance.now();
    await withClient(PG_ADMIN_URL, async (client) => {
      await client.query(`drop database if exists ${database} with (force)`);
      await client.query(`create database ${database}`);
    });
    ({ marker, seeded } = await seed(location, backend, count, started, log));
    await withClient(PG_ADMIN_URL, (client) => client.query(`comment on database ${database} is ${pg.escapeLiteral(JSON.stringify(marker))}`));
  }
  const resetStarted = performance.now();
  const stages = await withClient(url, (client) => resetPostgres(client, marker));
  const resetMs = performance.now() - resetStarted;
  const shape = await shapeOf(location);
  return { backend, location, env: { DATABASE_URL: url }, shape, marker, seeded, resetMs, stages, sqliteFile: null };
}

async function shapeOf(location: StoreLocation): Promise<BenchShape> {
  const store = await openStore(location);
  try {
    return await readShape(store);
  } finally {
    await store.close();
  }
}

async function seed(location: StoreLocation, backend: Backend, count: number, started: number, log: (line: string) => void) {
  // The store as a first start leaves it: migrated, the demo account with the bench token.
  const store = await openStore(location);
  let shape: BenchShape;
  try {
    await bootstrapStore(store, BENCH_TOKEN, () => 1_700_000_000);
    await defineBenchFields(store);
    shape = await readShape(store);
  } finally {
    await store.close();
  }
  assertCanonical(shape);
  const setupMs = performance.now() - started;
  let last = 0;
  const bulk = await bulkInsertRecords(location, ACCOUNT_ID, leads(shape, count), {
    onProgress: (written) => {
      if (written - last >= 200_000 || written === count) {
        last = written;
        log(`  ${backend}: ${written.toLocaleString('en-US')} leads written (${((performance.now() - started) / 1000).toFixed(1)} s)`);
      }
    },
  });
  if (bulk.records !== count || !bulk.contiguous) throw new Error(`bulk seeding wrote ${bulk.records} records, contiguous: ${bulk.contiguous}`);
  let vacuumMs = 0;
  if (backend === 'postgres' && location.backend === 'postgres') {
    const vacuumStarted = performance.now();
    await withClient(location.url, (client) => client.query('vacuum analyze records, field_index'));
    vacuumMs = performance.now() - vacuumStarted;
  }
  const totalMs = performance.now() - started;
  log(
    `  ${backend}: seeded ${count.toLocaleString('en-US')} leads and ${bulk.terms.toLocaleString('en-US')} index terms in ${(totalMs / 1000).toFixed(1)} s` +
      ` (setup ${(setupMs / 1000).toFixed(1)} s, rows ${(bulk.loadMs / 1000).toFixed(1)} s, indexes ${(bulk.indexMs / 1000).toFixed(1)} s` +
      (vacuumMs ? `, vacuum analyze ${(vacuumMs / 1000).toFixed(1)} s)` : ')'),
  );
  const marker: SeedMarker = {
    seedVersion: SEED_VERSION,
    migrations: migrationNames(backend),
    leads: count,
    firstId: bulk.firstId,
    lastId: bulk.lastId,
    seededAt: new Date().toISOString(),
  };
  return { marker, seeded: { setupMs, bulk, vacuumMs, totalMs } };
}

/** Back to the seeded state: what earlier runs added goes; the leads keep their current stages and values. */
function resetSqlite(file: string, marker: SeedMarker): Int32Array {
  const db = new SQLite(file);
  try {
    db.pragma('busy_timeout = 5000');
    db.transaction(() => {
      db.prepare('delete from field_index where account_id = ? and record_id > ?').run(ACCOUNT_ID, marker.lastId);
      db.prepare('delete from records where account_id = ? and id > ?').run(ACCOUNT_ID, marker.lastId);
      // Without a WHERE clause SQLite truncates instead of deleting row by row.
      db.exec('delete from events; delete from links; delete from record_tags;');
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    // The server never gathers statistics; without them SQLite's planner answers B2's filter with a
    // nested scan of every term of the field per candidate lead (see BENCHMARKS.md). Sampled ANALYZE,
    // as `PRAGMA optimize` would run it, once per dataset.
    const analysed = db.prepare("select 1 from sqlite_master where name = 'sqlite_stat1'").get() !== undefined;
    if (!analysed) db.exec('pragma analysis_limit = 1000; analyze;');
    const stages = new Int32Array(marker.lastId - marker.firstId + 1);
    const rows = db.prepare("select id, status_id from records where account_id = ? and entity_type = 'leads' and id between ? and ?").raw(true);
    for (const row of rows.iterate(ACCOUNT_ID, marker.firstId, marker.lastId) as IterableIterator<[number, number]>) stages[row[0] - marker.firstId] = row[1];
    return stages;
  } finally {
    db.close();
  }
}

async function resetPostgres(client: pg.Client, marker: SeedMarker): Promise<Int32Array> {
  await client.query('delete from field_index where account_id = $1 and record_id > $2', [ACCOUNT_ID, marker.lastId]);
  await client.query('delete from records where account_id = $1 and id > $2', [ACCOUNT_ID, marker.lastId]);
  await client.query('truncate events, links, record_tags');
  // Earlier runs' updates left dead rows; clear them now rather than let autovacuum run mid-benchmark.
  await client.query('vacuum analyze records, field_index');
  const stages = new Int32Array(marker.lastId - marker.firstId + 1);
  const { rows } = await client.query<{ id: number; status_id: number }>({
    text: "select id, status_id from records where account_id = $1 and entity_type = 'leads' and id between $2 and $3",
    values: [ACCOUNT_ID, marker.firstId, marker.lastId],
  });
  for (const row of rows) stages[Number(row.id) - marker.firstId] = Number(row.status_id);
  return stages;
}
