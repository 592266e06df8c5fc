import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAppWithSecondStore, type TestApp } from '../../support/app.js';
import { defineField } from '../../support/fields.js';
import type { SqlStore } from '../../../src/store/store.js';

/** The store keeps definitions in memory; these pin down when it must read them again. */
describe('field definitions kept in memory', () => {
  let test: TestApp;
  let otherProcess: SqlStore;
  let close: () => Promise<void>;
  const names = async (store: SqlStore) => (await store.repos.fields.list(1, 'leads')).map((definition) => definition.name);

  beforeAll(async () => {
    ({ test, otherProcess, close } = await startTestAppWithSecondStore());
  });
  afterAll(() => close());

  it('reads a definition stored before external ids existed with none', async () => {
    const field = await defineField(test, 'leads', { name: 'Stored long ago', type: 'text' });
    const { externalId: _absent, ...older } = field;
    await test.store.db.updateTable('field_definitions').set({ definition: JSON.stringify(older) }).where('id', '=', field.id).execute();
    const [read] = (await otherProcess.repos.fields.list(1, 'leads')).filter((definition) => definition.id === field.id);
    expect(read).toEqual({ ...field, externalId: null });
  });

  it('lists a definition another process added since the last read', async () => {
    const before = await names(test.store);
    await defineField({ ...test, store: otherProcess }, 'leads', { name: 'Added elsewhere', type: 'text' });
    expect(await names(test.store)).toEqual([...before, 'Added elsewhere']);
  });

  it('reads a definition another process renamed since the last read', async () => {
    const field = await defineField(test, 'leads', { name: 'Before rename', type: 'text' });
    expect(await names(test.store)).toContain('Before rename');
    await otherProcess.repos.fields.update(1, [{ ...field, name: 'After rename' }]);
    const listed = await names(test.store);
    expect(listed).toContain('After rename');
    expect(listed).not.toContain('Before rename');
  });

  it('forgets a definition another process deleted since the last read', async () => {
    const field = await defineField(test, 'leads', { name: 'Deleted elsewhere', type: 'text' });
    expect(await names(test.store)).toContain('Deleted elsewhere');
    await otherProcess.repos.fields.delete(1, [field.id]);
    expect(await names(test.store)).not.toContain('Deleted elsewhere');
  });

  it('never serves what a rolled-back transaction wrote, even after a later change commits', async () => {
    const before = await names(test.store);
    const rolledBack = test.store.transaction(async (repos) => {
      await defineField({ ...test, store: { ...test.store, repos } }, 'leads', { name: 'Rolled back', type: 'text' });
      expect((await repos.fields.list(1, 'leads')).map((definition) => definition.name)).toContain('Rolled back');
      throw new Error('abandon');
    });
    await expect(rolledBack).rejects.toThrow('abandon');
    expect(await names(test.store)).toEqual(before);

    await defineField(test, 'leads', { name: 'Committed', type: 'text' });
    expect(await names(test.store)).toEqual([...before, 'Committed']);
  });

  it('hands out definitions no caller can change for the next one', async () => {
    const [definition] = await test.store.repos.fields.list(1, 'leads');
    expect(() => {
      (definition as { name: string }).name = 'changed in place';
    }).toThrow(TypeError);
    expect((await test.store.repos.fields.list(1, 'leads'))[0]!.name).toBe(definition!.name);
  });
});
