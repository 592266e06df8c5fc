import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/core/access/principal.js';
import { DomainError } from '../../../src/core/errors.js';
import { addStatuses, createPipelines, listPipelines, updatePipeline } from '../../../src/core/pipelines/service.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { DEMO_ADMIN, useCaseContext } from '../../support/use-case.js';

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

const context = (principal?: Principal) => useCaseContext(test, principal);

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

describe('pipeline service', () => {
  it('keeps a stage code another dialect gives and codes the others after their id', async () => {
    const [created] = await createPipelines(context(), [{ name: 'Deals', statuses: [{ name: 'Preparation', code: 'C1:PREPARATION' }, { name: 'Offer' }] }]);
    const working = created!.value.statuses.filter((status) => status.semantics === 'process' && status.type === 0);
    expect(working.map((status) => status.code)).toEqual(['C1:PREPARATION', `UC_${working[1]!.id}`]);
    expect(created!.value.statuses.map((status) => status.semantics)).toEqual(['process', 'process', 'process', 'success', 'failure']);
  });

  it('numbers the stages of new pipelines from the statuses sequence, past the fixed ids', async () => {
    const [created] = await createPipelines(context(), [{ name: 'Deals', statuses: [{ name: 'One' }] }]);
    const ids = created!.value.statuses.map((status) => status.id);
    expect(ids.filter((id) => id !== 142 && id !== 143).every((id) => id >= 1000)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('leaves exactly one main pipeline after another is made main', async () => {
    const [created] = await createPipelines(context(), [{ name: 'Deals', statuses: [{ name: 'One' }] }]);
    await updatePipeline(context(), created!.value.id, { isMain: true });
    const main = (await listPipelines(test.store, DEMO_ADMIN)).filter((pipeline) => pipeline.isMain);
    expect(main.map((pipeline) => pipeline.id)).toEqual([created!.value.id]);
  });

  it('writes nothing when one stage of a batch is invalid', async () => {
    const [main] = await listPipelines(test.store, DEMO_ADMIN);
    const error = await refusal(addStatuses(context(), main!.id, [{ name: 'Fine' }, { name: '' }]));
    expect(error.kind).toBe('invalid');
    expect(error.items).toEqual([{ index: 1, requestId: '1', errors: [{ code: 'NotBlank', path: 'name', detail: 'This value should not be blank.' }] }]);
    expect((await listPipelines(test.store, DEMO_ADMIN))[0]!.statuses).toHaveLength(main!.statuses.length);
  });

  it('refuses a user who is not an administrator before touching the store', async () => {
    const user: Principal = { ...DEMO_ADMIN, userId: 2, role: 'user' };
    const error = await refusal(createPipelines(context(user), [{ name: 'Deals', statuses: [{ name: 'One' }] }]));
    expect(error).toMatchObject({ kind: 'forbidden', message: 'Only administrators can change pipelines' });
  });
});
