import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../support/app.js';
import { defineField, mainPipeline } from '../support/fields.js';
import { BACKEND } from '../support/backend.js';
import { bulkInsertRecords } from '../../src/store/bulk.js';
import { createRecords } from '../../src/core/records/write.js';
import { uniformRights } from '../../src/core/access/rights.js';
import type { Principal } from '../../src/core/access/principal.js';
import type { CrmRecord } from '../../src/core/records/model.js';

const NOW = 1_700_000_000;

describe('bulk seeding', () => {
  let test: TestApp;
  let principal: Principal;
  const context = () => ({ store: test.store, principal, clock: () => NOW });
  let wire: unknown[];
  let stage: { pipelineId: number; statusId: number };

  beforeAll(async () => {
    test = await startTestApp();
    const admin = (await test.store.repos.users.list(1))[0]!;
    principal = { accountId: 1, userId: admin.id, role: 'admin', rights: uniformRights('all'), tokenId: 1 };
    const select = await defineField(test, 'leads', { name: 'Segment', type: 'select', enums: [{ value: 'Small' }, { value: 'Large' }] });
    const multi = await defineField(test, 'leads', { name: 'Tags', type: 'multiselect', enums: [{ value: 'A' }, { value: 'B' }, { value: 'C' }] });
    const url = await defineField(test, 'leads', { name: 'Website', type: 'url' });
    const numeric = await defineField(test, 'leads', { name: 'Score', type: 'numeric' });
    const text = await defineField(test, 'leads', { name: 'Notes', type: 'text' });
    const date = await defineField(test, 'leads', { name: 'Follow-up', type: 'date' });
    const flag = await defineField(test, 'leads', { name: 'Qualified', type: 'checkbox' });
    const pipeline = await mainPipeline(test);
    stage = { pipelineId: pipeline.id, statusId: pipeline.second };
    wire = [
      { field_id: select.id, values: [{ enum_id: select.enums![1]!.id }] },
      { field_id: multi.id, values: [{ enum_id: multi.enums![0]!.id }, { enum_id: multi.enums![2]!.id }] },
      { field_id: url.id, values: [{ value: ' https://example.com/Path?q=1 ' }] },
      { field_id: numeric.id, values: [{ value: '0012.50' }] },
      { field_id: text.id, values: [{ value: 'ÉCOLE\tTab "quoted" \\ back\nslash' }] },
      { field_id: date.id, values: [{ value: '2024-02-29' }] },
      { field_id: flag.id, values: [{ value: true }] },
    ];
  });
  afterAll(() => test.close());

  async function writtenThroughEngine(): Promise<CrmRecord> {
    const [written] = await createRecords(context(), 'leads', [{ name: 'Through the engine', price: 1500, ...stage, customFieldsValues: wire }]);
    return written!.record;
  }

  async function rowOf(id: number) {
    const { id: _id, ...row } = await test.store.db.selectFrom('records').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return row;
  }

  async function termsOf(id: number) {
    const rows = await test.store.db
      .selectFrom('field_index')
      .select(['account_id', 'field_id', 'text_value', 'number_value', 'enum_id'])
      .where('record_id', '=', id)
      .execute();
    return rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }

  async function indexNames(): Promise<string[]> {
    const rows =
      BACKEND === 'sqlite'
        ? await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name in ('records', 'field_index')`.execute(test.store.db)
        : await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema() and tablename in ('records', 'field_index')`.execute(test.store.db);
    return rows.rows.map((row) => row.name).sort();
  }

  for (const rebuildIndexes of [false, true]) {
    it(`writes the same row and index terms as createRecords (${rebuildIndexes ? 'indexes rebuilt' : 'indexes in place'})`, async () => {
      const engine = await writtenThroughEngine();
      const { id: _id, ...record } = engine;
      const indexesBefore = await indexNames();

      const result = await bulkInsertRecords(test.location.location, 1, [record, { ...record, name: 'Second' }], { rebuildIndexes, batchSize: 1 });

      expect(result).toMatchObject({ records: 2, terms: 8 * 2, contiguous: true, rebuiltIndexes: rebuildIndexes });
      expect(result.firstId).toBeGreaterThan(engine.id);
      expect(result.lastId).toBe(result.firstId + 1);
      expect(await rowOf(result.firstId)).toEqual(await rowOf(engine.id));
      expect(await termsOf(result.firstId)).toEqual(await termsOf(engine.id));
      expect((await termsOf(engine.id)).length).toBe(8);
      expect(await indexNames()).toEqual(indexesBefore);

      // Reads see the bulk-loaded lead like any other, and a normal write continues after its id.
      const [bulkLead] = await test.store.repos.records.getMany(1, 'leads', [result.firstId]);
      expect({ ...bulkLead, id: engine.id }).toEqual(engine);
      const filtered = await test.store.repos.records.list(1, 'leads', {
        fieldTerms: [
          { fieldId: (wire[0] as { field_id: number }).field_id, enumIds: [(wire[0] as { values: { enum_id: number }[] }).values[0]!.enum_id], numbers: [], texts: [] },
        ],
        statuses: [stage],
        order: [{ field: 'id', direction: 'asc' }],
        offset: 0,
        limit: 10,
      });
      expect(filtered.map((lead) => lead.id)).toEqual(expect.arrayContaining([engine.id, result.firstId, result.lastId]));
      const after = await writtenThroughEngine();
      expect(after.id).toBeGreaterThan(result.lastId);
    });
  }

  it('leaves nothing behind when a record cannot be written', async () => {
    const engine = await writtenThroughEngine();
    const { id: _id, ...record } = engine;
    const count = async () => Number((await test.store.db.selectFrom('records').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const indexesBefore = await indexNames();
    const broken = { ...record, name: null as unknown as string };
    await expect(bulkInsertRecords(test.location.location, 1, [record, broken], { rebuildIndexes: true })).rejects.toThrow();
    expect(await count()).toBe(before);
    expect(await indexNames()).toEqual(indexesBefore);
  });
});
