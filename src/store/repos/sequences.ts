import { sql, type Kysely } from 'kysely';
import type { SequenceRepository } from '../../core/ports.js';
import type { Database } from '../schema.js';

/** Ids below this are never handed out, so fixed ids such as stages 142 and 143 cannot collide. */
const FIRST_ID = 1000;

export function sequenceRepository(db: Kysely<Database>): SequenceRepository {
  return {
    async reserve(name, count) {
      const row = await db
        .insertInto('sequences')
        .values({ name, value: FIRST_ID + count })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`sequences.value + ${count}` }))
        .returning('value')
        .executeTakeFirstOrThrow();
      return Number(row.value) - count;
    },
  };
}
