import type { Kysely } from 'kysely';
import type { EventRepository } from '../../core/ports.js';
import type { Database } from '../schema.js';
import { toJson } from './json.js';

export function eventRepository(db: Kysely<Database>): EventRepository {
  return {
    async append(accountId, events) {
      if (events.length === 0) return;
      await db
        .insertInto('events')
        .values(
          events.map((event) => ({
            account_id: accountId,
            type: event.type,
            entity_type: event.entityType,
            entity_id: event.entityId,
            created_by: event.createdBy,
            created_at: event.createdAt,
            value_before: toJson(event.valueBefore),
            value_after: toJson(event.valueAfter),
          })),
        )
        .execute();
    },
  };
}
