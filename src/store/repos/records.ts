import { sql, type ExpressionBuilder, type SelectQueryBuilder, type Insertable, type Kysely, type Selectable, type SqlBool, type Expression } from 'kysely';
import type { IndexEntry, RecordRepository } from '../../core/ports.js';
import type { CrmRecord, IndexedQuery, NewRecord, Range } from '../../core/records/model.js';
import type { FieldTermFilter } from '../../core/fields/filters.js';
import type { EntityType, FieldValue } from '../../core/fields/model.js';
import type { Database, FieldIndexRow, RecordRow } from '../schema.js';
import { fromJson, toFlag, toJson } from './json.js';
import { chunked } from './chunks.js';
import { positioned } from './term-rows.js';
import { isPostgres } from './backend.js';
import { compiledQuery } from '../compiled.js';
import type { DefinitionsAtVersion } from './fields.js';
import { shownColumns, toShown } from './shown.js';

type RecordsExpression = ExpressionBuilder<Database, 'records'>;

const BIGINT = 'bigint';
/** The columns an update rewrites, with the SQL type both backends cast their parameters to. */
const UPDATED_COLUMNS: readonly [Exclude<keyof RecordRow, 'id' | 'account_id' | 'entity_type'>, string][] = [
  ['name', 'text'],
  ['first_name', 'text'],
  ['last_name', 'text'],
  ['price', BIGINT],
  ['pipeline_id', BIGINT],
  ['status_id', BIGINT],
  ['loss_reason_id', BIGINT],
  ['responsible_user_id', BIGINT],
  ['group_id', BIGINT],
  ['created_by', BIGINT],
  ['updated_by', BIGINT],
  ['created_at', BIGINT],
  ['updated_at', BIGINT],
  ['closed_at', BIGINT],
  ['closest_task_at', BIGINT],
  ['is_deleted', 'integer'],
  ['score', BIGINT],
  ['labor_cost', BIGINT],
  ['source_id', BIGINT],
  ['is_price_modified_by_robot', 'integer'],
  ['custom_fields', 'text'],
  ['attributes', 'text'],
];

const insertRecords = compiledQuery((db, rows: readonly Insertable<RecordRow>[]) => db.insertInto('records').values(rows).returning('id'), {
  planOnce: true,
});

type UpdatedColumn = (typeof UPDATED_COLUMNS)[number][0];
const CAST_TYPES = new Map<string, string>(UPDATED_COLUMNS);

/**
 * One statement for a chunk of records instead of one per record: a batch of 250 is one round trip.
 * It sets only the columns its rows carry, so an index over columns no record changed is not rewritten.
 */
const updateRecords = compiledQuery((db, accountId: number, rows: readonly Partial<Insertable<RecordRow>>[]) => {
  const columns = Object.keys(rows[0]!).filter((column) => column !== 'id') as UpdatedColumn[];
  const values = rows.map(
    (row) => sql`(${sql.join([sql`cast(${row.id} as ${sql.raw(BIGINT)})`, ...columns.map((column) => sql`cast(${row[column] ?? null} as ${sql.raw(CAST_TYPES.get(column)!)})`)])})`,
  );
  const names = sql.join(['id', ...columns].map((column) => sql.ref(column)));
  const assignments = sql.join(columns.map((column) => sql`${sql.ref(column)} = ${sql.ref(`changed.${column}`)}`));
  // The IN list is the same condition again, for SQLite's planner: with the join alone it scans an
  // account-wide index over every record (60 ms at a million) instead of looking up 250 rowids.
  return sql`with changed(${names}) as (values ${sql.join(values)})
    update records set ${assignments} from changed
    where records.account_id = ${accountId} and records.id = changed.id and records.id in (select id from changed)`;
});

const deleteTerms = compiledQuery((db, accountId: number, recordIds: readonly number[]) =>
  db.deleteFrom('field_index').where('account_id', '=', accountId).where('record_id', 'in', recordIds),
);
const deleteFieldTerms = compiledQuery((db, accountId: number, recordIds: readonly number[], fieldIds: readonly number[]) =>
  db.deleteFrom('field_index').where('account_id', '=', accountId).where('record_id', 'in', recordIds).where('field_id', 'in', fieldIds),
);
const insertTerms = compiledQuery((db, rows: readonly Insertable<FieldIndexRow>[]) => db.insertInto('field_index').values(rows), { planOnce: true });

/**
 * An account's records of one type among `ids`, as every read by id narrows them. The ids are looked up
 * by the primary key behind a materialized CTE, and only the rows found are narrowed to the account and
 * the type. Left to choose, each planner sometimes reads a whole type or account instead:
 * - PostgreSQL plans from its estimate of the type's rows, which stays near zero while a type grows from
 *   empty in a large table (autovacuum analyses again only after a tenth of the table has changed). It
 *   then read all 20,000 companies through an index led by (account_id, entity_type) to find 50 by id:
 *   19 ms instead of 0.2.
 * - SQLite, given the account in the same lookup, read 250 ids through the account's index: 87 ms
 *   instead of 4.
 */
export function ofTypeAmong<Row extends Record<string, unknown>>(
  db: Kysely<Database>,
  accountId: number,
  entityType: string,
  ids: readonly number[],
  columns: (records: SelectQueryBuilder<Database, 'records', object>) => SelectQueryBuilder<Database, 'records', Row>,
) {
  return db
    .with(
      (cte) => cte('listed').materialized(),
      (listed) => columns(listed.selectFrom('records').where('id', 'in', ids)),
    )
    .selectFrom('listed as records')
    .where(sql.ref('records.account_id'), '=', accountId)
    .where(sql.ref('records.entity_type'), '=', entityType);
}
const wholeRows = (records: SelectQueryBuilder<Database, 'records', object>) => records.selectAll();
/** Row locks in id order, so two writers of overlapping records wait for each other instead of deadlocking. */
const lockById = compiledQuery((db, accountId: number, ids: readonly number[]) =>
  db.selectFrom('records').select('id').where('id', 'in', ids).where('account_id', '=', accountId).orderBy('id').forUpdate(),
);
const recordsById = compiledQuery((db, accountId: number, entityType: string, ids: readonly number[]) =>
  ofTypeAmong(db, accountId, entityType, ids, wholeRows).selectAll('records'),
);
// Only the columns the narrowing needs leave the table: no values are parsed or copied.
const liveIdsById = compiledQuery((db, accountId: number, entityType: string, ids: readonly number[]) =>
  ofTypeAmong(db, accountId, entityType, ids, (records) => records.select(['id', 'account_id', 'entity_type', 'is_deleted']))
    .select('records.id')
    .where(sql.ref('records.is_deleted'), '=', 0),
);
const shownById = compiledQuery((db, accountId: number, entityType: string, ids: readonly number[]) =>
  ofTypeAmong(db, accountId, entityType, ids, wholeRows)
    .selectAll('records')
    .select((eb) => shownColumns(db, eb, accountId)),
);
/** One record by its id, as a `GET …/{id}` reads it: a lookup by key, whose plan PostgreSQL may keep. */
const shownOne = compiledQuery(
  (db, accountId: number, entityType: string, id: number) =>
    ofTypeAmong(db, accountId, entityType, [id], wholeRows)
      .selectAll('records')
      .select((eb) => shownColumns(db, eb, accountId)),
  { planOnce: true },
);

export function recordRepository(db: Kysely<Database>, definitions: DefinitionsAtVersion): RecordRepository {
  /** One page of `query`'s records, as both list reads select them. */
  const page = (accountId: number, entityType: EntityType, query: IndexedQuery) =>
    db
      .selectFrom('records')
      .selectAll('records')
      .where((eb) => eb.and(conditions(eb, accountId, entityType, query)))
      .$call((qb) => query.order.reduce((ordered, key) => ordered.orderBy(`records.${key.field}`, key.direction), qb))
      .$if(!query.order.some((key) => key.field === 'id'), (qb) => qb.orderBy('records.id', query.order[0]?.direction ?? 'asc'))
      .limit(query.limit)
      .offset(query.offset);
  /** Inserts the terms of `entries`, or only those of the fields in `only`. */
  const insertIndex = async (accountId: number, entries: readonly IndexEntry[], only: ReadonlySet<number> | null) => {
    const rows = entries.flatMap((entry) =>
      positioned(entry.terms)
        .filter((term) => !only || only.has(term.fieldId))
        .map((term) => ({
          account_id: accountId,
          record_id: entry.recordId,
          field_id: term.fieldId,
          position: term.position,
          text_value: term.text,
          number_value: term.number,
          enum_id: term.enumId,
        })),
    );
    for (const chunk of chunked(rows, 7)) await insertTerms(db, chunk);
  };
  return {
    async lockForUpdate(accountId, ids) {
      // SQLite needs none: a write transaction holds the whole database's write lock from its start (begin immediate).
      if (ids.length === 0 || !isPostgres(db)) return;
      await lockById(db, accountId, ids);
    },
    async getMany(accountId, entityType, ids) {
      if (ids.length === 0) return [];
      return (await recordsById(db, accountId, entityType, ids)).map(toRecord);
    },
    async liveIds(accountId, entityType, ids) {
      if (ids.length === 0) return new Set();
      return new Set((await liveIdsById(db, accountId, entityType, ids)).map((row) => row.id));
    },
    async getShown(accountId, entityType, ids) {
      const rows = ids.length === 0 ? [] : ids.length === 1 ? await shownOne(db, accountId, entityType, ids[0]!) : await shownById(db, accountId, entityType, ids);
      return toShown(accountId, rows, toRecord, definitions);
    },
    async insert(accountId, records) {
      const ids: number[] = [];
      // One statement per chunk; RETURNING keeps insertion order on both backends for a VALUES list.
      for (const chunk of chunked(records, 26)) {
        const rows = await insertRecords(
          db,
          chunk.map((record) => toRow(accountId, record)),
        );
        ids.push(...rows.map((row) => row.id));
      }
      return ids;
    },
    async update(accountId, changes) {
      for (const chunk of chunked(changes, UPDATED_COLUMNS.length + 1)) {
        const before = chunk.map((change) => toRow(accountId, change.before));
        const after = chunk.map((change) => toRow(accountId, change.after));
        const columns = UPDATED_COLUMNS.map(([column]) => column).filter((column) => after.some((row, index) => row[column] !== before[index]![column]));
        if (columns.length === 0) continue;
        await updateRecords(
          db,
          accountId,
          after.map((row, index) => ({ id: chunk[index]!.after.id, ...Object.fromEntries(columns.map((column) => [column, row[column]])) })),
        );
      }
    },
    async replaceIndex(accountId, entries, fieldIds) {
      if (entries.length === 0) return;
      for (const chunk of chunked(entries, 1)) {
        const recordIds = chunk.map((entry) => entry.recordId);
        if (fieldIds) await deleteFieldTerms(db, accountId, recordIds, fieldIds);
        else await deleteTerms(db, accountId, recordIds);
      }
      await insertIndex(accountId, entries, fieldIds ? new Set(fieldIds) : null);
    },
    async addIndex(accountId, entries) {
      await insertIndex(accountId, entries, null);
    },
    async list(accountId, entityType, query) {
      return (await page(accountId, entityType, query).execute()).map(toRecord);
    },
    async listShown(accountId, entityType, query) {
      const rows = await page(accountId, entityType, query)
        .select((eb) => shownColumns(db, eb, accountId))
        .execute();
      return toShown(accountId, rows, toRecord, definitions);
    },
    async count(accountId, entityType, query) {
      const row = await db
        .selectFrom('records')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('total'))
        .where((eb) => eb.and(conditions(eb, accountId, entityType, query)))
        .executeTakeFirstOrThrow();
      return Number(row.total);
    },
    async findByFieldText(accountId, entityType, fieldId, texts) {
      if (texts.length === 0) return [];
      // No ORDER BY or DISTINCT in SQL: either makes SQLite walk the whole table in key order
      // instead of seeking the text index; the few matches are ordered here.
      const rows = await db
        .selectFrom('field_index')
        .innerJoin('records', (join) =>
          join.onRef('records.id', '=', 'field_index.record_id').on('records.account_id', '=', accountId),
        )
        .select(['field_index.record_id', 'field_index.text_value'])
        .where('field_index.account_id', '=', accountId)
        .where('field_index.field_id', '=', fieldId)
        .where('field_index.text_value', 'in', [...texts])
        .where('records.entity_type', '=', entityType)
        .where('records.is_deleted', '=', 0)
        .execute();
      const unique = new Map(rows.map((row) => [`${row.record_id}\u0000${row.text_value}`, { recordId: row.record_id, text: row.text_value ?? '' }]));
      return [...unique.values()].sort((a, b) => a.recordId - b.recordId);
    },
    async idsHoldingField(accountId, entityType, fieldId) {
      // The LIKE narrows the scan to documents that mention the field; parsing confirms each one.
      const rows = await db
        .selectFrom('records')
        .select(['id', 'custom_fields'])
        .where('account_id', '=', accountId)
        .where('entity_type', '=', entityType)
        .where('custom_fields', 'like', `%"field_id":${fieldId},%`)
        .orderBy('id')
        .execute();
      return rows
        .filter((row) => fromJson<FieldValue[]>(row.custom_fields).some((value) => value.field_id === fieldId))
        .map((row) => row.id);
    },
  };
}

function conditions(eb: RecordsExpression, accountId: number, entityType: EntityType, query: IndexedQuery): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = [eb('account_id', '=', accountId), eb('entity_type', '=', entityType)];
  if (query.deleted !== 'include') where.push(eb('is_deleted', '=', query.deleted === 'only' ? 1 : 0));
  if (query.ids) where.push(eb('id', 'in', orNothing(query.ids)));
  if (query.names) where.push(eb('name', 'in', orNothing(query.names)));
  if (query.responsibleUserIds) where.push(eb('responsible_user_id', 'in', orNothing(query.responsibleUserIds)));
  if (query.createdByIds) where.push(eb('created_by', 'in', orNothing(query.createdByIds)));
  if (query.updatedByIds) where.push(eb('updated_by', 'in', orNothing(query.updatedByIds)));
  if (query.pipelineIds) where.push(eb('pipeline_id', 'in', orNothing(query.pipelineIds)));
  if (query.statusIds) where.push(eb('status_id', 'in', orNothing(query.statusIds)));
  if (query.statuses) {
    where.push(
      eb.or(query.statuses.map((stage) => eb.and([eb('pipeline_id', '=', stage.pipelineId), eb('status_id', '=', stage.statusId)]))),
    );
  }
  if (query.nameContains !== undefined) where.push(likeLower(eb, 'name', `%${escapeLike(query.nameContains.toLowerCase())}%`));
  if (query.exclude?.ids?.length) where.push(eb('id', 'not in', query.exclude.ids));
  if (query.exclude?.names?.length) where.push(eb('name', 'not in', query.exclude.names));
  if (query.exclude?.responsibleUserIds?.length) where.push(eb('responsible_user_id', 'not in', query.exclude.responsibleUserIds));
  // An empty exclusion list excludes nothing; a record without a stage is in no excluded stage.
  if (query.exclude?.statusIds?.length) where.push(eb.or([eb('status_id', 'is', null), eb('status_id', 'not in', query.exclude.statusIds)]));
  where.push(...rangeConditions(eb, 'id', query.idRange));
  where.push(...rangeConditions(eb, 'price', query.price));
  where.push(...rangeConditions(eb, 'created_at', query.createdAt));
  where.push(...rangeConditions(eb, 'updated_at', query.updatedAt));
  where.push(...rangeConditions(eb, 'closed_at', query.closedAt));
  for (const filter of query.fieldTerms ?? []) where.push(fieldTermCondition(eb, accountId, filter));
  if (query.search) {
    const patterns = searchPatterns(query.search);
    where.push(
      eb.or([
        likeLower(eb, 'name', patterns[0]!),
        // A record's own properties (a call's numbers, Bitrix24's COMMENTS, …) are searchable too.
        ...patterns.map((pattern) => likeLower(eb, 'attributes', pattern)),
        eb.exists(
          eb
            .selectFrom('field_index')
            .select(sql`1`.as('one'))
            .where('field_index.account_id', '=', accountId)
            .whereRef('field_index.record_id', '=', 'records.id')
            .where((inner) => inner.or(patterns.map((pattern) => likeLower(inner, 'text_value', pattern)))),
        ),
      ]),
    );
  }
  return where;
}

/**
 * One EXISTS per kind of term, each a single `in` list, so every probe is a seek into one of the
 * field_index indexes (field, term, record) rather than a walk over the field's terms.
 */
function fieldTermCondition(eb: RecordsExpression, accountId: number, filter: FieldTermFilter): Expression<SqlBool> {
  const { range } = filter;
  const exists = (column: 'enum_id' | 'number_value' | 'text_value', values: readonly (number | string)[] | null) =>
    eb.exists(
      eb
        .selectFrom('field_index as fi')
        .select(sql`1`.as('one'))
        .where('fi.account_id', '=', accountId)
        .where('fi.field_id', '=', filter.fieldId)
        .where((inner) => {
          const terms: Expression<SqlBool>[] = values ? [inner(`fi.${column}`, 'in', [...values])] : [inner(`fi.${column}`, 'is not', null)];
          if (range?.from !== undefined) terms.push(inner('fi.number_value', '>=', range.from));
          if (range?.to !== undefined) terms.push(inner('fi.number_value', '<=', range.to));
          return inner.and(terms);
        })
        .whereRef('fi.record_id', '=', 'records.id'),
    );
  const alternatives = [
    ...(filter.enumIds.length > 0 ? [exists('enum_id', filter.enumIds)] : []),
    ...(filter.numbers.length > 0 ? [exists('number_value', filter.numbers)] : []),
    ...(filter.texts.length > 0 ? [exists('text_value', filter.texts)] : []),
  ];
  if (alternatives.length > 0) return eb.or(alternatives);
  // A range alone bounds the numbers; values that name nothing this field can hold match nothing.
  return range ? exists('number_value', null) : sql<SqlBool>`1 = 0`;
}

function likeLower<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, column: string, pattern: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

/**
 * Phones are indexed as bare digits, so a query that reads as a phone number in any format
 * ("+1 (800) 555-01-02") also searches for its digits.
 */
function searchPatterns(search: string): string[] {
  const patterns = [`%${escapeLike(search.toLowerCase())}%`];
  const digits = search.replace(/\D/g, '');
  if (digits.length >= 5 && /^[\d\s()+\-.]+$/.test(search)) patterns.push(`%${digits}%`);
  return patterns;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** `in ()` is a syntax error; an empty filter list matches nothing. */
function orNothing<T>(values: readonly T[]): T[] {
  return values.length > 0 ? [...values] : ([null] as T[]);
}

function rangeConditions(
  eb: RecordsExpression,
  column: 'id' | 'price' | 'created_at' | 'updated_at' | 'closed_at',
  range: Range | undefined,
): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = [];
  if (range?.from !== undefined) where.push(eb(column, '>=', wholeBound(Math.ceil(range.from))));
  if (range?.to !== undefined) where.push(eb(column, '<=', wholeBound(Math.floor(range.to))));
  return where;
}

/**
 * A range's bound over a bigint column, rounded inward and held within the safe integers, where every
 * stored value lies: the same rows match, and PostgreSQL is never handed a fraction or an overflowing
 * number for a bigint (`filter[price][from]=10.5`, `filter[created_at][to]=1e20`).
 */
function wholeBound(bound: number): number {
  return Math.min(Math.max(bound, -Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
}

function toRow(accountId: number, record: NewRecord): Insertable<RecordRow> {
  return {
    account_id: accountId,
    entity_type: record.entityType,
    name: record.name,
    first_name: record.firstName,
    last_name: record.lastName,
    price: record.price,
    pipeline_id: record.pipelineId,
    status_id: record.statusId,
    loss_reason_id: record.lossReasonId,
    responsible_user_id: record.responsibleUserId,
    group_id: record.groupId,
    created_by: record.createdBy,
    updated_by: record.updatedBy,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    closed_at: record.closedAt,
    closest_task_at: record.closestTaskAt,
    is_deleted: toFlag(record.isDeleted),
    score: record.score,
    labor_cost: record.laborCost,
    source_id: record.sourceId,
    is_price_modified_by_robot: toFlag(record.isPriceModifiedByRobot),
    custom_fields: toJson(record.customFields),
    attributes: toJson(record.attributes),
  };
}

function toRecord(row: Selectable<RecordRow>): CrmRecord {
  return {
    id: row.id,
    entityType: row.entity_type as EntityType,
    name: row.name,
    firstName: row.first_name,
    lastName: row.last_name,
    price: row.price,
    pipelineId: row.pipeline_id,
    statusId: row.status_id,
    lossReasonId: row.loss_reason_id,
    responsibleUserId: row.responsible_user_id,
    groupId: row.group_id,
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    closestTaskAt: row.closest_task_at,
    isDeleted: row.is_deleted === 1,
    score: row.score,
    laborCost: row.labor_cost,
    sourceId: row.source_id,
    isPriceModifiedByRobot: row.is_price_modified_by_robot === 1,
    customFields: fromJson<FieldValue[]>(row.custom_fields),
    attributes: fromJson<Record<string, unknown>>(row.attributes),
  };
}
