import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore } from '../../../src/store/store.js';
import { openDatabase } from '../../../src/store/database.js';
import { freshLocation, type TestLocation } from '../../support/backend.js';
import type { NewRecord } from '../../../src/core/records/model.js';
import { blankRecord } from '../../../src/core/records/write.js';

function call(callId: string): NewRecord {
  return { ...blankRecord('calls', 1, 1_700_000_000), name: callId };
}

describe('migration 007_call_ids over calls recorded before it', () => {
  let location: TestLocation;
  beforeEach(async () => {
    location = await freshLocation();
  });
  afterEach(() => location.dispose());

  /** A store as the race left it before 007: its calls written without the unique index. */
  async function storeBefore007(callIds: readonly string[]): Promise<void> {
    const store = await openStore(location.location);
    await sql`drop index records_call_id`.execute(store.db);
    await sql`delete from fieldwork_migrations where name = '007_call_ids'`.execute(store.db);
    await store.repos.records.insert(1, callIds.map(call));
    await store.close();
  }

  it('names the calls that share a call_id and stops, leaving the store as it was', async () => {
    await storeBefore007(['call-1', 'call-1', 'call-2', 'call-3', 'call-3', 'call-3']);
    const failure = 'migration 007_call_ids failed: calls share a call_id, which must be unique in its account: "call-1" (account 1, 2 calls), "call-3" (account 1, 3 calls). Give each of those calls a call_id of its own (the name of its row in records), or remove the extra ones, then start again';
    await expect(openStore(location.location)).rejects.toThrow(failure);
    // Nothing was half-applied: the next start stops the same way.
    await expect(openStore(location.location)).rejects.toThrow(failure);
  });

  it('builds the index once each call has a call_id of its own', async () => {
    await storeBefore007(['call-1', 'call-1']);
    await expect(openStore(location.location)).rejects.toThrow('"call-1" (account 1, 2 calls)');
    const raw = await openDatabase(location.location);
    await sql`update records set name = 'call-1b' where id = (select max(id) from records where entity_type = 'calls')`.execute(raw.db);
    await raw.close();
    const store = await openStore(location.location);
    // The index now holds: a second call-1 is refused by the store itself.
    await expect(store.repos.records.insert(1, [call('call-1')])).rejects.toThrow(/UNIQUE constraint failed: records.account_id, records.name|records_call_id/);
    await store.close();
  });
});
