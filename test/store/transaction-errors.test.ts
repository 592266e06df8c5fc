import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { startTestApp, type TestApp } from '../support/app.js';

describe('a transaction that a unique index refuses', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('fails as a conflict and writes nothing', async () => {
    const attempt = test.store.transaction(async (repos) => {
      await repos.tags.create(1, 'leads', [{ name: 'first', color: null }]);
      await repos.tags.create(1, 'leads', [{ name: 'twice', color: null }, { name: 'twice', color: null }]);
    });
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    await expect(attempt).rejects.toMatchObject({ kind: 'conflict', message: 'Another request wrote the same key at the same time; nothing was written' });
    expect(await test.store.repos.tags.list(1, 'leads', { offset: 0, limit: 10 })).toEqual([]);
  });
});
