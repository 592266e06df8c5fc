import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDefinitions, updateDefinition } from '../../../src/core/fields/service.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { useCaseContext } from '../../support/use-case.js';

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

const context = () => useCaseContext(test);

describe('changes of one field definition at the same time', () => {
  it('keep every change: each reads the definition as the one before it left it', async () => {
    const [field] = await createDefinitions(context(), 'leads', [{ requestId: '0', draft: { name: 'Original', type: 'text' }, readErrors: [] }]);
    const id = field!.definition.id;
    await Promise.all([
      updateDefinition(context(), 'leads', id, { requestId: '0', draft: { name: 'Renamed' }, readErrors: [] }),
      updateDefinition(context(), 'leads', id, { requestId: '0', draft: { sort: 7 }, readErrors: [] }),
      updateDefinition(context(), 'leads', id, { requestId: '0', draft: { isApiOnly: true }, readErrors: [] }),
    ]);
    const [stored] = (await test.store.repos.fields.list(1, 'leads')).filter((definition) => definition.id === id);
    expect(stored).toMatchObject({ name: 'Renamed', sort: 7, isApiOnly: true });
  });
});
