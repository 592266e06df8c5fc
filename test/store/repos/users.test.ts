import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { uniformRights } from '../../../src/core/access/rights.js';

describe('users read within a transaction', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('lists a user the transaction added after it had listed the account’s users', async () => {
    const logins = await test.store.transaction(async (repos) => {
      const before = (await repos.users.list(1)).map((user) => user.login);
      await repos.users.create(1, { name: 'Added in the transaction', email: 'added@example.com', login: 'added', role: 'user', rights: uniformRights('all') }, 1_700_000_000);
      return { before, after: (await repos.users.list(1)).map((user) => user.login) };
    });
    expect(logins.after).toEqual([...logins.before, 'added']);
  });
});
