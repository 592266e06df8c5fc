import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, startTestAppWithSecondStore, type TestApp } from '../../support/app.js';
import { defineField } from '../../support/fields.js';
import type { SqlStore } from '../../../src/store/store.js';

describe('record updates in the store', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  async function storedLead(name: string) {
    const response = await test.app.inject({ method: 'POST', url: '/api/v4/leads', headers: test.auth, payload: [{ name, price: 100 }] });
    const id = (response.json() as { _embedded: { leads: { id: number }[] } })._embedded.leads[0]!.id;
    return (await test.store.repos.records.getMany(1, 'leads', [id]))[0]!;
  }

  it('writes only the columns that changed, leaving the others as stored', async () => {
    const before = await storedLead('Written once');
    // Another writer renames the lead after `before` was read.
    await test.store.db.updateTable('records').set({ name: 'Renamed meanwhile' }).where('id', '=', before.id).execute();
    await test.store.repos.records.update(1, [{ before, after: { ...before, price: 250 } }]);
    const [stored] = await test.store.repos.records.getMany(1, 'leads', [before.id]);
    expect({ name: stored!.name, price: stored!.price }).toEqual({ name: 'Renamed meanwhile', price: 250 });
  });

  it('sets in one statement the union of the columns each record of a batch changed', async () => {
    const first = await storedLead('First');
    const second = await storedLead('Second');
    await test.store.repos.records.update(1, [
      { before: first, after: { ...first, price: 1 } },
      { before: second, after: { ...second, name: 'Second, renamed' } },
    ]);
    const stored = await test.store.repos.records.getMany(1, 'leads', [first.id, second.id]);
    expect(stored.map((record) => [record.name, record.price])).toEqual([
      ['First', 1],
      ['Second, renamed', 100],
    ]);
  });

  it('tells which ids name live records of a type, leaving deleted ones out', async () => {
    const kept = await storedLead('Kept');
    const deleted = await storedLead('Deleted');
    await test.store.repos.records.update(1, [{ before: deleted, after: { ...deleted, isDeleted: true } }]);
    const missing = deleted.id + 1000;
    expect(await test.store.repos.records.liveIds(1, 'leads', [kept.id, deleted.id, missing])).toEqual(new Set([kept.id]));
    expect(await test.store.repos.records.liveIds(1, 'contacts', [kept.id])).toEqual(new Set());
    expect(await test.store.repos.records.liveIds(2, 'leads', [kept.id])).toEqual(new Set());
  });
});

describe('records shown with their tags, links and definitions', () => {
  let test: TestApp;
  let otherProcess: SqlStore;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ test, otherProcess, close } = await startTestAppWithSecondStore());
  });
  afterAll(() => close());

  async function created(entity: 'leads' | 'contacts' | 'companies', payload: object[]): Promise<number[]> {
    const response = await test.app.inject({ method: 'POST', url: `/api/v4/${entity}`, headers: test.auth, payload });
    return (response.json() as { _embedded: Record<string, { id: number }[]> })._embedded[entity]!.map((record) => record.id);
  }

  it('gives each record the tags and links the tag and link lookups give, in the same order', async () => {
    const [contact] = await created('contacts', [{ name: 'Shown contact' }]);
    const [company] = await created('companies', [{ name: 'Shown company' }]);
    const ids = await created('leads', [
      { name: 'Tagged and linked', _embedded: { tags: [{ name: 'zeta' }, { name: 'alpha' }], contacts: [{ id: contact }], companies: [{ id: company }] } },
      { name: 'Bare' },
    ]);
    const { repos } = test.store;
    const shown = await repos.records.getShown(1, 'leads', ids);
    expect(shown.records.map((record) => record.name)).toEqual(['Tagged and linked', 'Bare']);
    expect(shown.tags).toEqual(await repos.tags.ofRecords(1, ids));
    expect(shown.tags.get(ids[0]!)!.map((tag) => tag.name)).toEqual(['zeta', 'alpha']);
    expect(shown.links).toEqual(await repos.links.ofRecords(1, ids));
    expect(shown.links.map((link) => [link.toEntityType, link.toEntityId])).toEqual([
      ['companies', company],
      ['contacts', contact],
    ]);
    expect(shown.definitions).toEqual(await repos.fields.list(1));
  });

  it('lists records with the same tags, links and definitions as it gets them by id', async () => {
    const ids = await created('leads', [{ name: 'Listed, tagged', _embedded: { tags: [{ name: 'listed' }] } }]);
    const order = [{ field: 'id', direction: 'asc' }] as const;
    const listed = await test.store.repos.records.listShown(1, 'leads', { ids, deleted: 'exclude', order, offset: 0, limit: 10 });
    expect(listed).toEqual(await test.store.repos.records.getShown(1, 'leads', ids));
  });

  it('shows a definition another process added since the last read', async () => {
    const [id] = await created('leads', [{ name: 'Shown after a new field' }]);
    await test.store.repos.records.getShown(1, 'leads', [id!]);
    const field = await defineField({ ...test, store: otherProcess }, 'leads', { name: 'Added elsewhere, shown', type: 'text' });
    const shown = await test.store.repos.records.getShown(1, 'leads', [id!]);
    expect(shown.definitions.map((definition) => definition.id)).toContain(field.id);
  });

  it("shows no records but the account's definitions when no id matches", async () => {
    const shown = await test.store.repos.records.getShown(1, 'leads', [999_999_999]);
    expect(shown).toEqual({ records: [], definitions: await test.store.repos.fields.list(1), tags: new Map(), links: [] });
  });
});
