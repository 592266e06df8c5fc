/**
 * The store's bulk seeding path: many records at once, with the rows the normal write path would
 * produce (the `records` row and the record's `field_index` terms, computed by the engine's
 * `indexTerms`), but without validation, stage gates, links, tags or events — the caller vouches for
 * the records, as a seed or an import of already-canonical data does.
 *
 * Speed comes from doing what the row-at-a-time path cannot:
 * - SQLite: a raw better-sqlite3 connection, cached multi-row prepared INSERTs, a rollback journal
 *   instead of the WAL for the duration (appended pages are not journalled), a large page cache;
 * - PostgreSQL: COPY FROM STDIN in the text format, with the next batch encoded while the server
 *   ingests the previous one;
 * - on an empty table: the secondary indexes of `records` and `field_index` are dropped for the
 *   load and rebuilt from the exact DDL the migrations created (one sort instead of millions of
 *   B-tree inserts), all in one transaction, so a failure leaves the table as it was.
 *
 * Ids are assigned here and the id sequence is moved past them, so later normal inserts continue
 * after the bulk-loaded records. The schema must be migrated, and no other process may write
 * records meanwhile on SQLite (PostgreSQL reserves ids from the identity sequence and is safe).
 */
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { StoreLocation } from './database.js';
import { FieldCatalog } from '../core/fields/catalog.js';
import { indexTerms } from '../core/fields/indexing.js';
import { positioned } from './repos/term-rows.js';
import type { FieldDefinition } from '../core/fields/model.js';
import type { NewRecord } from '../core/records/model.js';

export interface BulkOptions {
  /** Records per transaction when the indexes stay in place, and per COPY / statement group. Default 20,000. */
  batchSize?: number;
  /**
   * Drop the secondary indexes of `records` and `field_index` for the load and rebuild them after, in
   * one transaction with the load. Default: only when `records` is empty.
   */
  rebuildIndexes?: boolean;
  /** Called after each batch with the number of records written so far. */
  onProgress?: (written: number) => void;
}

export interface BulkResult {
  records: number;
  /** Index terms written to `field_index`. */
  terms: number;
  /** Ids of the written records, in the order they were given. */
  firstId: number;
  lastId: number;
  /** Whether the ids are exactly firstId..lastId (always on SQLite; on PostgreSQL unless another writer took ids meanwhile). */
  contiguous: boolean;
  rebuiltIndexes: boolean;
  /** Wall time: loading the rows, and rebuilding the indexes (0 when they stayed in place). */
  loadMs: number;
  indexMs: number;
}

const RECORD_COLUMNS = [
  'id',
  'account_id',
  'entity_type',
  'name',
  'first_name',
  'last_name',
  'price',
  'pipeline_id',
  'status_id',
  'loss_reason_id',
  'responsible_user_id',
  'group_id',
  'created_by',
  'updated_by',
  'created_at',
  'updated_at',
  'closed_at',
  'closest_task_at',
  'is_deleted',
  'score',
  'labor_cost',
  'source_id',
  'is_price_modified_by_robot',
  'custom_fields',
  'attributes',
] as const;
const INDEX_COLUMNS = ['account_id', 'record_id', 'field_id', 'position', 'text_value', 'number_value', 'enum_id'] as const;
const BULK_TABLES = ['records', 'field_index'];

type Cell = string | number | null;

/** The `records` row of a record, column for column as the record repository writes it. */
export function recordCells(accountId: number, id: number, record: NewRecord): Cell[] {
  return [
    id,
    accountId,
    record.entityType,
    record.name,
    record.firstName,
    record.lastName,
    record.price,
    record.pipelineId,
    record.statusId,
    record.lossReasonId,
    record.responsibleUserId,
    record.groupId,
    record.createdBy,
    record.updatedBy,
    record.createdAt,
    record.updatedAt,
    record.closedAt,
    record.closestTaskAt,
    record.isDeleted ? 1 : 0,
    record.score,
    record.laborCost,
    record.sourceId,
    record.isPriceModifiedByRobot ? 1 : 0,
    JSON.stringify(record.customFields),
    JSON.stringify(record.attributes),
  ];
}

/** Writes `records` (leads, contacts, … in any mix) of one account with their index terms. */
export async function bulkInsertRecords(
  location: StoreLocation,
  accountId: number,
  records: Iterable<NewRecord>,
  options: BulkOptions = {},
): Promise<BulkResult> {
  return location.backend === 'sqlite'
    ? bulkSqlite(location.dataDir, accountId, records, options)
    : bulkPostgres(location.url, accountId, records, options);
}

function definitionsOf(rows: readonly { id: number | string; definition: string }[]): FieldCatalog {
  return FieldCatalog.of(rows.map((row) => ({ ...(JSON.parse(row.definition) as Omit<FieldDefinition, 'id'>), id: Number(row.id) })));
}

function* batches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

// ---------------------------------------------------------------------------------------------- SQLite

/** Rows per multi-row INSERT: well under SQLite's 32,766 bound parameters. */
const SQLITE_RECORD_ROWS = 200;
const SQLITE_TERM_ROWS = 500;

function bulkSqlite(dataDir: string, accountId: number, records: Iterable<NewRecord>, options: BulkOptions): BulkResult {
  const file = join(resolve(dataDir), 'fieldwork.sqlite');
  if (!existsSync(file)) throw new Error(`no store at ${file}: open (migrate) it first`);
  const db = new SQLite(file);
  try {
    db.pragma('busy_timeout = 5000');
    // Outside the WAL, a page appended to the file needs no journal copy; the store reopens in WAL.
    // While another connection has the store open the mode cannot change, and the load goes through the WAL.
    let journal = 'wal';
    try {
      journal = String(db.pragma('journal_mode = TRUNCATE', { simple: true }));
    } catch {
      journal = 'wal';
    }
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -262144');
    db.pragma('temp_store = MEMORY');
    db.pragma('threads = 2');
    try {
      return loadSqlite(db, accountId, records, options);
    } finally {
      if (journal !== 'truncate') db.pragma('journal_mode = WAL');
    }
  } finally {
    db.close();
  }
}

function loadSqlite(db: SQLite.Database, accountId: number, records: Iterable<NewRecord>, options: BulkOptions): BulkResult {
  const catalog = definitionsOf(
    db.prepare('select id, definition from field_definitions where account_id = ?').all(accountId) as { id: number; definition: string }[],
  );
  const empty = db.prepare('select 1 from records limit 1').get() === undefined;
  const rebuild = options.rebuildIndexes ?? empty;
  const batchSize = options.batchSize ?? 20_000;
  const insertStatement = (table: string, columns: readonly string[], rows: number) => {
    const tuple = `(${columns.map(() => '?').join(',')})`;
    return db.prepare(`insert into ${table} (${columns.join(',')}) values ${Array.from({ length: rows }, () => tuple).join(',')}`);
  };
  const statements = new Map<string, SQLite.Statement>();
  const insertRows = (table: string, columns: readonly string[], rowsPerStatement: number, cells: Cell[], rowCount: number) => {
    let offset = 0;
    const width = columns.length;
    while (offset < rowCount) {
      const rows = Math.min(rowsPerStatement, rowCount - offset);
      const key = `${table}:${rows}`;
      let statement = statements.get(key);
      if (!statement) statements.set(key, (statement = insertStatement(table, columns, rows)));
      statement.run(rows === rowCount && offset === 0 ? cells : cells.slice(offset * width, (offset + rows) * width));
      offset += rows;
    }
  };
  const nextId = () => {
    const row = db
      .prepare("select max(coalesce((select max(id) from records), 0), coalesce((select seq from sqlite_sequence where name = 'records'), 0)) + 1 as next")
      .get() as { next: number };
    return row.next;
  };

  const result: BulkResult = { records: 0, terms: 0, firstId: 0, lastId: 0, contiguous: true, rebuiltIndexes: rebuild, loadMs: 0, indexMs: 0 };
  const writeBatch = (batch: readonly NewRecord[]) => {
    let id = nextId();
    if (result.records === 0) result.firstId = id;
    for (let start = 0; start < batch.length; start += SQLITE_RECORD_ROWS) {
      const slice = batch.slice(start, start + SQLITE_RECORD_ROWS);
      const recordCellsFlat: Cell[] = [];
      const termCells: Cell[] = [];
      let terms = 0;
      for (const record of slice) {
        for (const cell of recordCells(accountId, id, record)) recordCellsFlat.push(cell);
        for (const term of positioned(indexTerms(catalog, record.customFields))) {
          termCells.push(accountId, id, term.fieldId, term.position, term.text, term.number, term.enumId);
          terms += 1;
        }
        id += 1;
      }
      insertRows('records', RECORD_COLUMNS, SQLITE_RECORD_ROWS, recordCellsFlat, slice.length);
      insertRows('field_index', INDEX_COLUMNS, SQLITE_TERM_ROWS, termCells, terms);
      result.terms += terms;
    }
    result.records += batch.length;
    result.lastId = id - 1;
    options.onProgress?.(result.records);
  };

  const started = performance.now();
  if (rebuild) {
    // One transaction: the indexes come back even when the load fails.
    const indexes = db
      .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${BULK_TABLES.map(() => '?').join(',')})`)
      .all(...BULK_TABLES) as { name: string; sql: string }[];
    db.exec('begin immediate');
    try {
      for (const index of indexes) db.exec(`drop index "${index.name}"`);
      for (const batch of batches(records, batchSize)) writeBatch(batch);
      result.loadMs = performance.now() - started;
      for (const index of indexes) db.exec(index.sql);
      db.exec('commit');
    } catch (error) {
      db.exec('rollback');
      throw error;
    }
    result.indexMs = performance.now() - started - result.loadMs;
  } else {
    const transaction = db.transaction(writeBatch);
    for (const batch of batches(records, batchSize)) transaction.immediate(batch);
    result.loadMs = performance.now() - started;
  }
  return result;
}

// ------------------------------------------------------------------------------------------ PostgreSQL

/** The parts of pg's connection that COPY FROM STDIN uses; pg-copy-streams relies on the same ones. */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

/** COPY … FROM STDIN as a pg Submittable: the client calls these handlers as the protocol advances. */
class CopyIn implements pg.Submittable {
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private rejectDone!: (error: Error) => void;

  constructor(
    private readonly text: string,
    private readonly chunks: readonly Buffer[],
  ) {
    this.done = new Promise<void>((resolveDone, rejectDone) => {
      this.resolveDone = resolveDone;
      this.rejectDone = rejectDone;
    });
  }

  submit(connection: pg.Connection): void {
    (connection as unknown as CopyConnection).query(this.text);
  }

  handleCopyInResponse(connection: pg.Connection): void {
    const copy = connection as unknown as CopyConnection;
    for (const chunk of this.chunks) copy.sendCopyFromChunk(chunk);
    copy.endCopyFrom();
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.resolveDone();
  }

  /** pg forgets the active query on an error, so no ReadyForQuery reaches it afterwards. */
  handleError(error: Error): void {
    this.rejectDone(error);
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** One value in COPY's text format. */
function copyCell(value: Cell): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return /[\\\n\r\t]/.test(value) ? value.replace(/[\\\n\r\t]/g, (character) => COPY_ESCAPES[character]!) : value;
}
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Text is gathered into chunks of about this many characters before it is encoded and sent. */
const COPY_CHUNK_CHARS = 1 << 20;

class CopyText {
  readonly chunks: Buffer[] = [];
  private parts: string[] = [];
  private size = 0;

  row(cells: readonly Cell[]): void {
    let line = '';
    for (let index = 0; index < cells.length; index += 1) line += (index === 0 ? '' : '\t') + copyCell(cells[index]!);
    line += '\n';
    this.parts.push(line);
    this.size += line.length;
    if (this.size >= COPY_CHUNK_CHARS) this.flush();
  }

  finish(): Buffer[] {
    this.flush();
    return this.chunks;
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    this.chunks.push(Buffer.from(this.parts.join(''), 'utf8'));
    this.parts = [];
    this.size = 0;
  }
}

async function bulkPostgres(url: string, accountId: number, records: Iterable<NewRecord>, options: BulkOptions): Promise<BulkResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Commits wait for no flush; the index builds get memory and a parallel worker.
    await client.query("set synchronous_commit = off; set maintenance_work_mem = '512MB'; set max_parallel_maintenance_workers = 2");
    return await loadPostgres(client, accountId, records, options);
  } finally {
    await client.end();
  }
}

async function loadPostgres(client: pg.Client, accountId: number, records: Iterable<NewRecord>, options: BulkOptions): Promise<BulkResult> {
  const catalog = definitionsOf(
    (await client.query<{ id: string; definition: string }>('select id, definition from field_definitions where account_id = $1', [accountId])).rows,
  );
  const empty = (await client.query('select 1 from records limit 1')).rowCount === 0;
  const rebuild = options.rebuildIndexes ?? empty;
  const batchSize = options.batchSize ?? 20_000;
  const sequence = (await client.query<{ name: string }>("select pg_get_serial_sequence('records', 'id') as name")).rows[0]!.name;
  const result: BulkResult = { records: 0, terms: 0, firstId: 0, lastId: 0, contiguous: true, rebuiltIndexes: rebuild, loadMs: 0, indexMs: 0 };

  const started = performance.now();
  await client.query('begin');
  try {
    const indexes = rebuild
      ? (
          await client.query<{ name: string; definition: string }>(
            `select i.relname as name, pg_get_indexdef(i.oid) as definition
               from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
              where t.relnamespace = current_schema()::regnamespace and t.relname = any($1) and not x.indisprimary and not x.indisunique`,
            [BULK_TABLES],
          )
        ).rows
      : [];
    for (const index of indexes) await client.query(`drop index "${index.name}"`);

    // The server ingests batch n while batch n+1 is encoded here; one query at a time on the client.
    // Ids come in blocks reserved from the identity sequence between COPYs; the last block's unused
    // ids are a gap, as a rolled-back insert leaves one.
    const reserve = async (count: number) =>
      (await client.query<{ id: string }>('select nextval($1::regclass) as id from generate_series(1, $2)', [sequence, count])).rows.map((row) => Number(row.id));
    const copy = (text: string, chunks: Buffer[]) => client.query(new CopyIn(text, chunks)).done;
    let block = await reserve(batchSize);
    let pending: Promise<void> = Promise.resolve();
    for (const batch of batches(records, batchSize)) {
      const ids = block;
      const recordText = new CopyText();
      const termText = new CopyText();
      let terms = 0;
      for (const [index, record] of batch.entries()) {
        const id = ids[index]!;
        recordText.row(recordCells(accountId, id, record));
        for (const term of positioned(indexTerms(catalog, record.customFields))) {
          termText.row([accountId, id, term.fieldId, term.position, term.text, term.number, term.enumId]);
          terms += 1;
        }
        // Let the socket drain the previous batch's COPY data meanwhile.
        if (index % 2000 === 1999) await yieldToLoop();
      }
      await pending;
      if (result.records === 0) result.firstId = ids[0]!;
      else if (ids[0] !== result.lastId + 1) result.contiguous = false;
      for (let index = 1; index < batch.length; index += 1) if (ids[index] !== ids[index - 1]! + 1) result.contiguous = false;
      result.lastId = ids[batch.length - 1]!;
      result.records += batch.length;
      result.terms += terms;
      // A batch per transaction when the indexes stay; one transaction for the whole load otherwise.
      if (!rebuild && result.records > batch.length) {
        await client.query('commit');
        await client.query('begin');
      }
      block = await reserve(batchSize);
      const written = result.records;
      const recordChunks = recordText.finish();
      const termChunks = termText.finish();
      pending = copy(`copy records (${RECORD_COLUMNS.join(',')}) from stdin`, recordChunks)
        .then(() => copy(`copy field_index (${INDEX_COLUMNS.join(',')}) from stdin`, termChunks))
        .then(() => options.onProgress?.(written));
      // A failed COPY is reported by the `await pending` that follows; until then it must not count as unhandled.
      pending.catch(() => undefined);
    }
    await pending;
    result.loadMs = performance.now() - started;
    for (const index of indexes) await client.query(index.definition);
    await client.query('commit');
    result.indexMs = performance.now() - started - result.loadMs;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
  return result;
}
