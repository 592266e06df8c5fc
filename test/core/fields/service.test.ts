import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Principal } from '../../../src/core/access/principal.js';
import { DomainError } from '../../../src/core/errors.js';
import type { DefinitionDraft } from '../../../src/core/fields/draft.js';
import {
  createDefinitions,
  createGroups,
  deleteDefinition,
  deleteGroup,
  listDefinitions,
  updateDefinitions,
  type DefinitionRequest,
} from '../../../src/core/fields/service.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { DEMO_ADMIN, TEST_NOW, useCaseContext } from '../../support/use-case.js';

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

const context = (principal?: Principal) => useCaseContext(test, principal);

function requests(...drafts: DefinitionDraft[]): DefinitionRequest[] {
  return drafts.map((draft, index) => ({ requestId: String(index), draft, readErrors: [] }));
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

async function eventTypes(): Promise<string[]> {
  const result = await sql<{ type: string }>`select type from events where account_id = 1 order by id`.execute(test.store.db);
  return result.rows.map((row) => row.type);
}

describe('createDefinitions', () => {
  it('refuses a principal who is not an administrator before writing anything', async () => {
    const user: Principal = { ...DEMO_ADMIN, userId: 2, role: 'user' };
    const error = await refusal(createDefinitions(context(user), 'leads', requests({ name: 'A', type: 'text' })));
    expect(error.kind).toBe('forbidden');
    expect(await test.store.repos.fields.list(1, 'leads')).toEqual([]);
  });

  it('numbers new options consecutively from one reserved block', async () => {
    const [written] = await createDefinitions(context(), 'leads', requests({ name: 'Tier', type: 'select', enums: [{ value: 'A' }, { value: 'B' }, { value: 'C' }] }));
    const ids = written!.definition.enums!.map((option) => option.id);
    expect(ids).toEqual([ids[0], ids[0]! + 1, ids[0]! + 2]);
  });

  it('consumes no option ids when the batch is refused', async () => {
    const next = await test.store.repos.sequences.reserve('options', 1);
    await refusal(createDefinitions(context(), 'leads', requests({ name: 'Tier', type: 'select', enums: [{ value: 'A' }] }, { name: '', type: 'text' })));
    expect(await test.store.repos.sequences.reserve('options', 1)).toBe(next + 1);
  });

  it('lists every failing item by index and request id and writes nothing', async () => {
    const error = await refusal(
      createDefinitions(context(), 'leads', requests({ name: 'Fine', type: 'text' }, { type: 'text' }, { name: 'Amount', type: 'monetary' })),
    );
    expect(error.items).toEqual([
      { index: 1, requestId: '1', errors: [{ code: 'FieldMissing', path: 'name', detail: 'This field is missing.' }] },
      { index: 2, requestId: '2', errors: [{ code: 'FieldMissing', path: 'currency', detail: 'This field is missing.' }] },
    ]);
    expect(await test.store.repos.fields.list(1, 'leads')).toEqual([]);
  });

  it('reports an item the dialect could not read as it was read, without validating it further', async () => {
    const readError = { code: 'InvalidType' as const, path: 'name', detail: 'This value should be of type string.' };
    const error = await refusal(createDefinitions(context(), 'leads', [{ requestId: 'x', draft: {}, readErrors: [readError] }]));
    expect(error.items).toEqual([{ index: 0, requestId: 'x', errors: [readError] }]);
  });

  it('stamps new definitions with a uuid and the clock\'s time', async () => {
    const [written] = await createDefinitions(context(), 'leads', requests({ name: 'A', type: 'text' }));
    expect(written!.definition).toMatchObject({ uuid: expect.stringMatching(/^[0-9a-f-]{36}$/), createdAt: TEST_NOW, updatedAt: TEST_NOW });
  });
});

describe('updateDefinitions', () => {
  it('records no event for a patch that changes nothing', async () => {
    const [written] = await createDefinitions(context(), 'leads', requests({ name: 'A', type: 'text' }));
    await updateDefinitions(context(), 'leads', [{ requestId: '0', id: written!.definition.id, draft: { name: 'A' }, readErrors: [] }]);
    expect(await eventTypes()).toEqual(['custom_field_added']);
  });

  it('refuses a second item changing the same field as Duplicate at id', async () => {
    const [written] = await createDefinitions(context(), 'leads', requests({ name: 'A', type: 'text' }));
    const id = written!.definition.id;
    const error = await refusal(
      updateDefinitions(context(), 'leads', [
        { requestId: '0', id, draft: { name: 'B' }, readErrors: [] },
        { requestId: '1', id, draft: { name: 'C' }, readErrors: [] },
      ]),
    );
    expect(error.items).toEqual([{ index: 1, requestId: '1', errors: [{ code: 'Duplicate', path: 'id', detail: expect.any(String) }] }]);
  });
});

describe('deleteDefinition', () => {
  it('refuses the predefined EMAIL field as NotDeletable', async () => {
    const email = (await test.store.repos.fields.list(1, 'companies')).find((field) => field.code === 'EMAIL')!;
    const error = await refusal(deleteDefinition(context(), 'companies', email.id));
    expect(error.items[0]?.errors.map((item) => item.code)).toEqual(['NotDeletable']);
  });

  it('answers a field of another entity type as not found', async () => {
    const email = (await test.store.repos.fields.list(1, 'companies')).find((field) => field.code === 'EMAIL')!;
    expect((await refusal(deleteDefinition(context(), 'contacts', email.id))).kind).toBe('not_found');
  });
});

describe('listDefinitions', () => {
  it('counts every matching definition while answering one page', async () => {
    await createDefinitions(context(), 'leads', requests(...['a', 'b', 'c'].map((name) => ({ name, type: 'text' }))));
    const page = await listDefinitions(test.store, DEMO_ADMIN, 'leads', { order: { field: 'sort', direction: 'asc' }, offset: 1, limit: 1 });
    expect({ total: page.total, names: page.definitions.map((definition) => definition.name) }).toEqual({ total: 3, names: ['b'] });
  });
});

describe('groups', () => {
  it('records a custom_field_updated event for each field a deleted group gives back', async () => {
    const [written] = await createDefinitions(context(), 'leads', requests({ name: 'A', type: 'text' }));
    const fieldId = written!.definition.id;
    const [group] = await createGroups(context(), 'leads', [{ requestId: '0', draft: { name: 'G', fieldIds: [fieldId] }, readErrors: [] }]);
    await deleteGroup(context(), 'leads', group!.group.id);
    expect(await eventTypes()).toEqual(['custom_field_added', 'custom_field_updated', 'custom_field_updated']);
    expect((await test.store.repos.fields.list(1, 'leads'))[0]!.groupId).toBeNull();
  });
});
