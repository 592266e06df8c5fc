import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';

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
});
