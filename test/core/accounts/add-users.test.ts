import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addUsers, type UserDraft } from '../../../src/core/accounts/add-users.js';
import { uniformRights } from '../../../src/core/access/rights.js';
import { DomainError } from '../../../src/core/errors.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { useCaseContext } from '../../support/use-case.js';

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

function draft(login: string): UserDraft {
  return { name: login, email: `${login}@example.test`, login, password: null, role: 'user', rights: uniformRights('all') };
}

describe('users added at the same time', () => {
  it('cannot share a login that differs only in case: one is added, the others are refused as duplicates', async () => {
    const spellings = ['Ann', 'ann', 'ANN', 'aNN', 'anN'];
    // Connections opened beforehand, so that the adds overlap instead of waiting for connections one by one.
    await Promise.all(spellings.map(() => test.store.transaction((repos) => repos.users.list(1))));
    const outcomes = await Promise.allSettled(spellings.map((login) => addUsers(useCaseContext(test), [draft(login)])));

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const refusals = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    expect(refusals).toHaveLength(spellings.length - 1);
    for (const refusal of refusals) {
      expect(refusal).toBeInstanceOf(DomainError);
      expect((refusal as DomainError).items).toEqual([
        { index: 0, requestId: '0', errors: [{ code: 'Duplicate', path: 'login', detail: 'A user of this account already signs in with this login.' }] },
      ]);
    }
    const logins = (await test.store.repos.users.list(1)).map((user) => user.login.toLowerCase());
    expect(logins.filter((login) => login === 'ann')).toHaveLength(1);
  });
});
