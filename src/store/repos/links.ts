import type { Insertable, Kysely } from 'kysely';
import type { LinkRepository } from '../../core/ports.js';
import type { EntityType } from '../../core/fields/model.js';
import type { Link } from '../../core/records/model.js';
import type { Database, LinkRow } from '../schema.js';
import { fromJson, toJson } from './json.js';
import { chunked } from './chunks.js';
import { compiledQuery } from '../compiled.js';

const upsertLinks = compiledQuery((db, rows: readonly Insertable<LinkRow>[]) =>
  db
    .insertInto('links')
    .values(rows)
    .onConflict((oc) => oc.columns(['account_id', 'entity_id', 'to_entity_type', 'to_entity_id']).doUpdateSet((eb) => ({ metadata: eb.ref('excluded.metadata') }))),
  { planOnce: true },
);

const linksOfRecords = compiledQuery((db, accountId: number, recordIds: readonly number[]) =>
  db
    .selectFrom('links')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('entity_id', 'in', recordIds)
    // The primary key's order: ordering by to_entity_id would make SQLite walk the reverse index instead.
    .orderBy('entity_id')
    .orderBy('to_entity_type')
    .orderBy('to_entity_id'),
);

/** A link is stored once per direction, so either end finds it with one indexed lookup. */
export function linkRepository(db: Kysely<Database>): LinkRepository {
  return {
    async ofRecords(accountId, recordIds) {
      if (recordIds.length === 0) return [];
      const rows = await linksOfRecords(db, accountId, recordIds);
      return rows.map((row) => ({
        entityType: row.entity_type as EntityType,
        entityId: row.entity_id,
        toEntityType: row.to_entity_type as EntityType,
        toEntityId: row.to_entity_id,
        metadata: fromJson<Link['metadata']>(row.metadata),
      }));
    },
    async add(accountId, links) {
      const rows = links.flatMap((link) => {
        const metadata = toJson(link.metadata);
        return [rowOf(accountId, link, metadata), rowOf(accountId, reverse(link), metadata)];
      });
      for (const chunk of chunked(rows, 6)) await upsertLinks(db, chunk);
    },
    async remove(accountId, links) {
      for (const link of links.flatMap((one) => [one, reverse(one)])) {
        await db
          .deleteFrom('links')
          .where('account_id', '=', accountId)
          .where('entity_id', '=', link.entityId)
          .where('to_entity_type', '=', link.toEntityType)
          .where('to_entity_id', '=', link.toEntityId)
          .execute();
      }
    },
  };
}

function reverse<T extends Omit<Link, 'metadata'>>(link: T): T {
  return { ...link, entityType: link.toEntityType, entityId: link.toEntityId, toEntityType: link.entityType, toEntityId: link.entityId };
}

function rowOf(accountId: number, link: Omit<Link, 'metadata'>, metadata: string) {
  return {
    account_id: accountId,
    entity_type: link.entityType,
    entity_id: link.entityId,
    to_entity_type: link.toEntityType,
    to_entity_id: link.toEntityId,
    metadata,
  };
}
