import { sql } from 'kysely';
import type { MigrationDb } from './columns.js';

/**
 * A call's public id, stored as its record's name, is unique in its account. The call service looks
 * first, so that its answer names the field; this index is what holds when two requests race.
 */
export function callIds() {
  return {
    async up(db: MigrationDb): Promise<void> {
      await db.schema
        .createIndex('records_call_id')
        .unique()
        .on('records')
        .columns(['account_id', 'name'])
        .where(sql.ref('entity_type'), '=', 'calls')
        .execute();
    },
  };
}
