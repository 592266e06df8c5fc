import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIAL_TTL_MS, CredentialCache, type FoundCredential } from '../../../src/store/repos/credential-cache.js';
import { startTestAppWithSecondStore, type TestApp } from '../../support/app.js';
import type { SqlStore } from '../../../src/store/store.js';
import { hashTokenSecret } from '../../../src/core/access/tokens.js';
import { uniformRights } from '../../../src/core/access/rights.js';

function credential(tokenId: number): FoundCredential {
  return {
    token: { id: tokenId, accountId: 1, userId: 1, name: 't', kind: 'api', tokenHash: `hash-${tokenId}`, createdAt: 0, lastUsedAt: null, expiresAt: null, revokedAt: null, integrationId: null, rotatedFromId: null },
    user: { id: 1, accountId: 1, name: 'Admin', email: 'admin@x.test', login: 'admin', role: 'admin', rights: uniformRights('all'), isActive: true, createdAt: 0, updatedAt: 0 },
  };
}

describe('the credential cache', () => {
  it('answers for a token until CREDENTIAL_TTL_MS after it was read, then asks for it again', () => {
    let now = 0;
    const cache = new CredentialCache(() => now);
    cache.set('hash-1', credential(1));
    now = CREDENTIAL_TTL_MS - 1;
    expect(cache.get('hash-1')).toEqual(credential(1));
    now = CREDENTIAL_TTL_MS;
    expect(cache.get('hash-1')).toBeUndefined();
  });

  it('keeps the use just recorded, so a cached token is not recorded again on every request', () => {
    const cache = new CredentialCache(() => 0);
    cache.set('hash-1', credential(1));
    cache.used(1, 1_700_000_000);
    expect(cache.get('hash-1')?.token.lastUsedAt).toBe(1_700_000_000);
  });
});

describe('tokens kept in memory', () => {
  let test: TestApp;
  let otherProcess: SqlStore;
  let close: () => Promise<void>;
  const account = () => test.app.inject({ method: 'GET', url: '/api/v4/account', headers: test.auth });

  beforeAll(async () => {
    ({ test, otherProcess, close } = await startTestAppWithSecondStore());
  });
  afterAll(() => close());

  it('refuses a token revoked in this process at once', async () => {
    const { secret, id } = await apiToken(test.store);
    const auth = { authorization: `Bearer ${secret}` };
    expect((await test.app.inject({ method: 'GET', url: '/api/v4/account', headers: auth })).statusCode).toBe(200);
    await test.store.repos.tokens.revoke(1, id, 1);
    expect((await test.app.inject({ method: 'GET', url: '/api/v4/account', headers: auth })).statusCode).toBe(401);
  });

  it('refuses a token another process revoked once CREDENTIAL_TTL_MS has passed', async () => {
    const { secret, id } = await apiToken(test.store);
    const auth = { authorization: `Bearer ${secret}` };
    expect((await test.app.inject({ method: 'GET', url: '/api/v4/account', headers: auth })).statusCode).toBe(200);
    await otherProcess.repos.tokens.revoke(1, id, 1);
    await new Promise((resolve) => setTimeout(resolve, CREDENTIAL_TTL_MS + 50));
    expect((await test.app.inject({ method: 'GET', url: '/api/v4/account', headers: auth })).statusCode).toBe(401);
    expect((await account()).statusCode).toBe(200);
  });

  it('accepts a token another process has just made', async () => {
    const { secret } = await apiToken(otherProcess);
    expect((await test.app.inject({ method: 'GET', url: '/api/v4/account', headers: { authorization: `Bearer ${secret}` } })).statusCode).toBe(200);
  });
});

async function apiToken(store: SqlStore): Promise<{ secret: string; id: number }> {
  const secret = `cache-test-${Math.random().toString(36).slice(2)}-0123456789abcdef`;
  const token = await store.repos.tokens.create(1, { userId: 1, name: 'cache test', kind: 'api', tokenHash: hashTokenSecret(secret), expiresAt: null }, 1);
  return { secret, id: token.id };
}
