import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledQuery, sql } from 'kysely';
import { startTestApp, type TestApp } from '../../support/app.js';
import { BACKEND } from '../../support/backend.js';
import { ofTypeAmong } from '../../../src/store/repos/records.js';
import type { EntityType } from '../../../src/core/fields/model.js';
import type { NewRecord } from '../../../src/core/records/model.js';
import { blankRecord } from '../../../src/core/records/write.js';

function records(entityType: EntityType, count: number): NewRecord[] {
  return Array.from({ length: count }, (_, index) => ({ ...blankRecord(entityType, 1, 1_700_000_000), name: `${entityType} ${index}` }));
}

describe('records read by id', () => {
  let test: TestApp;
  let leadIds: number[];
  let companyIds: number[];
  beforeAll(async () => {
    test = await startTestApp();
    leadIds = await test.store.repos.records.insert(1, records('leads', 20_000));
    // The statistics are taken while the account has no companies, as autovacuum leaves them while a
    // type grows from empty in a large table.
    await sql`analyze`.execute(test.store.db);
    companyIds = await test.store.repos.records.insert(1, records('companies', 300));
  });
  afterAll(() => test.close());

  async function planOf(ids: readonly number[]): Promise<string> {
    const statement = ofTypeAmong(test.store.db, 1, 'companies', ids, (rows) => rows.selectAll()).selectAll('records').compile();
    const explained = await test.store.db.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(`${BACKEND === 'postgres' ? 'explain' : 'explain query plan'} ${statement.sql}`, [...statement.parameters]),
    );
    return explained.rows.map((row) => String(row['QUERY PLAN'] ?? row.detail)).join('\n');
  }

  it.each([1, 50, 250])('looks up %i ids by the primary key while the statistics say their type holds none', async (count) => {
    const plan = await planOf(companyIds.slice(0, count));
    expect(plan).toMatch(BACKEND === 'postgres' ? /Index Scan using records_pkey/ : /SEARCH records USING INTEGER PRIMARY KEY/);
    expect(plan).not.toMatch(/records_account_/);
  });

  it('finds only the account’s records of the type among the ids', async () => {
    const ids = [companyIds[0]!, leadIds[0]!, companyIds[1]!, 999_999_999];
    expect(await test.store.repos.records.liveIds(1, 'companies', ids)).toEqual(new Set([companyIds[0], companyIds[1]]));
    expect((await test.store.repos.records.getMany(1, 'companies', ids)).map((record) => record.id)).toEqual([companyIds[0], companyIds[1]]);
    expect(await test.store.repos.records.getMany(2, 'companies', ids)).toEqual([]);
  });
});
