import type { ExpressionBuilder, Kysely, RawBuilder, Selectable } from 'kysely';
import { jsonArrayFrom as postgresJsonArray } from 'kysely/helpers/postgres';
import { isPostgres } from './backend.js';
import { jsonArrayFrom as sqliteJsonArray } from 'kysely/helpers/sqlite';
import type { EntityType } from '../../core/fields/model.js';
import type { CrmRecord, Link, ShownRecords, Tag } from '../../core/records/model.js';
import type { Database, RecordRow } from '../schema.js';
import type { DefinitionsAtVersion } from './fields.js';
import { fromJson } from './json.js';

interface TagColumns {
  id: number;
  name: string;
  color: string | null;
}

interface LinkColumns {
  to_entity_type: string;
  to_entity_id: number;
  metadata: string;
}

/** What the shown columns add to a record's row: JSON arrays of tag and link columns, and a version. */
export interface ShownColumns {
  shown_tags: unknown;
  shown_links: unknown;
  definitions_version: number | null;
}

/**
 * Columns that carry a record's tags and links and the account's definitions version in the record's
 * own row, so showing records is one statement instead of four: each lookup outside a transaction
 * takes SQLite's locks anew, and costs PostgreSQL a round trip.
 */
export function shownColumns(db: Kysely<Database>, eb: ExpressionBuilder<Database, 'records'>, accountId: number) {
  const tags = eb
    .selectFrom('record_tags')
    .innerJoin('tags', (join) => join.onRef('tags.id', '=', 'record_tags.tag_id').onRef('tags.account_id', '=', 'record_tags.account_id'))
    .select(['tags.id', 'tags.name', 'tags.color'])
    .whereRef('record_tags.account_id', '=', 'records.account_id')
    .whereRef('record_tags.record_id', '=', 'records.id');
  const links = eb
    .selectFrom('links')
    .select(['links.to_entity_type', 'links.to_entity_id', 'links.metadata'])
    .whereRef('links.account_id', '=', 'records.account_id')
    .whereRef('links.entity_id', '=', 'records.id');
  return [
    jsonRows(db, tags).as('shown_tags'),
    jsonRows(db, links).as('shown_links'),
    eb.selectFrom('accounts').select('accounts.definitions_version').where('accounts.id', '=', accountId).as('definitions_version'),
  ];
}

type RowsSubquery = Parameters<typeof sqliteJsonArray>[0] & Parameters<typeof postgresJsonArray>[0];

function jsonRows(db: Kysely<Database>, rows: RowsSubquery): RawBuilder<unknown> {
  return isPostgres(db) ? postgresJsonArray(rows) : sqliteJsonArray(rows);
}

/** The records of `rows` with their tags and links, and the definitions at the version the rows were read with. */
export async function toShown<Row extends ShownColumns & Pick<Selectable<RecordRow>, 'id' | 'entity_type'>>(
  accountId: number,
  rows: readonly Row[],
  toRecord: (row: Row) => CrmRecord,
  definitions: DefinitionsAtVersion,
): Promise<ShownRecords> {
  const tags = new Map<number, Tag[]>();
  const links: Link[] = [];
  for (const row of rows) {
    const recordTags = parsed<TagColumns>(row.shown_tags);
    if (recordTags.length > 0) tags.set(row.id, recordTags.map(({ id, name, color }) => ({ id, name, color })).sort((a, b) => a.id - b.id));
    for (const link of parsed<LinkColumns>(row.shown_links)) {
      links.push({
        entityType: row.entity_type as EntityType,
        entityId: row.id,
        toEntityType: link.to_entity_type as EntityType,
        toEntityId: link.to_entity_id,
        metadata: fromJson<Link['metadata']>(link.metadata),
      });
    }
  }
  // The order the links' primary key gives, whatever order the records came in.
  links.sort((a, b) => a.entityId - b.entityId || compareText(a.toEntityType, b.toEntityType) || a.toEntityId - b.toEntityId);
  const version = rows[0]?.definitions_version ?? undefined;
  return { records: rows.map(toRecord), definitions: await definitions.atVersion(accountId, version), tags, links };
}

/** SQLite returns JSON as text; the PostgreSQL driver has already parsed it. */
function parsed<Item>(value: unknown): Item[] {
  return (typeof value === 'string' ? JSON.parse(value) : value) as Item[];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
