import { sql } from 'kysely';
import type { MigrationDb } from './columns.js';

/** How many shared call ids the refusal names; the rest are counted. */
const NAMED = 5;

/**
 * A call's public id, stored as its record's name, is unique in its account. The call service looks
 * first, so that its answer names the field; this index is what holds when two requests race.
 *
 * Before this migration two racing creates could both record a call, so a store may already hold calls
 * that share an id. The index cannot be built over them, and which of the calls is the right one is the
 * owner's call, so the migration names them and stops.
 */
export function callIds() {
  return {
    async up(db: MigrationDb): Promise<void> {
      const shared = await sql<{ account_id: number | string; name: string; calls: number | string }>`
        select account_id, name, count(*) as calls from records where entity_type = 'calls'
        group by account_id, name having count(*) > 1 order by account_id, name`.execute(db);
      if (shared.rows.length > 0) {
        const named = shared.rows.slice(0, NAMED).map((row) => `"${row.name}" (account ${row.account_id}, ${row.calls} calls)`);
        const more = shared.rows.length > NAMED ? ` and ${shared.rows.length - NAMED} more` : '';
        throw new Error(
          `calls share a call_id, which must be unique in its account: ${named.join(', ')}${more}. ` +
            'Give each of those calls a call_id of its own (the name of its row in records), or remove the extra ones, then start again',
        );
      }
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
