import type { Insertable, Kysely } from 'kysely';
import type { EventRepository } from '../../core/ports.js';
import type { Database, EventRow } from '../schema.js';
import { fromJson, toJson } from './json.js';
import { chunked } from './chunks.js';
import { compiledQuery } from '../compiled.js';

const insertEvents = compiledQuery((db, rows: readonly Insertable<EventRow>[]) => db.insertInto('events').values(rows), { planOnce: true });

export function eventRepository(db: Kysely<Database>): EventRepository {
  return {
    async append(accountId, events) {
      for (const chunk of chunked(events, 8)) {
        await insertEvents(
          db,
          chunk.map((event) => ({
            account_id: accountId,
            type: event.type,
            entity_type: event.entityType,
            entity_id: event.entityId,
            created_by: event.createdBy,
            created_at: event.createdAt,
            value_before: toJson(event.valueBefore),
            value_after: toJson(event.valueAfter),
          })),
        );
      }
    },
    async list(accountId, query) {
      let select = db.selectFrom('events').selectAll().where('account_id', '=', accountId);
      if (query.ids) select = select.where('id', 'in', query.ids.length ? query.ids : [-1]);
      if (query.types) select = select.where('type', 'in', query.types.length ? query.types : ['']);
      if (query.entityTypes) select = select.where('entity_type', 'in', query.entityTypes.length ? query.entityTypes : ['']);
      if (query.entityIds) select = select.where('entity_id', 'in', query.entityIds.length ? query.entityIds : [-1]);
      if (query.createdBy) select = select.where('created_by', 'in', query.createdBy.length ? query.createdBy : [-1]);
      if (query.createdAt?.from !== undefined) select = select.where('created_at', '>=', query.createdAt.from);
      if (query.createdAt?.to !== undefined) select = select.where('created_at', '<=', query.createdAt.to);
      const rows = await select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).offset(query.offset).execute();
      return rows.map((row) => ({
        id: row.id,
        type: row.type,
        entityType: row.entity_type,
        entityId: row.entity_id,
        createdBy: row.created_by,
        createdAt: row.created_at,
        valueBefore: fromJson<unknown[]>(row.value_before),
        valueAfter: fromJson<unknown[]>(row.value_after),
      }));
    },
  };
}
