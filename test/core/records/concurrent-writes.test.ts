import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDefinitions, updateDefinition } from '../../../src/core/fields/service.js';
import { createRecords, updateRecords } from '../../../src/core/records/write.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { useCaseContext } from '../../support/use-case.js';

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

const context = () => useCaseContext(test);

describe('updates of one record at the same time', () => {
  it('keep every change: each update reads the record as the one before it left it', async () => {
    const fields = await createDefinitions(
      context(),
      'leads',
      Array.from({ length: 8 }, (_, index) => ({ requestId: String(index), draft: { name: `Field ${index}`, type: 'text' }, readErrors: [] })),
    );
    const [lead] = await createRecords(context(), 'leads', [{ name: 'Contended' }]);
    const id = lead!.record.id;
    await Promise.all(
      fields.map(({ definition }) =>
        updateRecords(context(), 'leads', [{ id, customFieldsValues: [{ field_id: definition.id, values: [{ value: `set by ${definition.name}` }] }] }]),
      ),
    );
    const [stored] = await test.store.repos.records.getMany(1, 'leads', [id]);
    expect(stored!.customFields.map((value) => value.values[0]!.value).sort()).toEqual(fields.map(({ definition }) => `set by ${definition.name}`).sort());
  });

  it('keep a record\'s new value while a removed option is being taken out of its values', async () => {
    const [kind, note] = await createDefinitions(context(), 'leads', [
      { requestId: 'kind', draft: { name: 'Kind', type: 'select', enums: [{ value: 'Gone' }, { value: 'Kept' }] }, readErrors: [] },
      { requestId: 'note', draft: { name: 'Note', type: 'text' }, readErrors: [] },
    ]);
    const [gone, kept] = kind!.definition.enums!;
    const leads = await createRecords(
      context(),
      'leads',
      Array.from({ length: 30 }, (_, index) => ({ name: `Lead ${index}`, customFieldsValues: [{ field_id: kind!.definition.id, values: [{ enum_id: gone!.id }] }] })),
    );
    const ids = leads.map((lead) => lead.record.id);
    await Promise.all([
      updateDefinition(context(), 'leads', kind!.definition.id, { requestId: '0', draft: { enums: [{ id: kept!.id, value: 'Kept' }] }, readErrors: [] }),
      ...ids.map((id) => updateRecords(context(), 'leads', [{ id, customFieldsValues: [{ field_id: note!.definition.id, values: [{ value: `note ${id}` }] }] }])),
    ]);
    const stored = await test.store.repos.records.getMany(1, 'leads', ids);
    expect(Object.fromEntries(stored.map((record) => [record.id, record.customFields]))).toEqual(
      Object.fromEntries(ids.map((id) => [id, [{ field_id: note!.definition.id, values: [{ value: `note ${id}` }] }]])),
    );
  });
});
