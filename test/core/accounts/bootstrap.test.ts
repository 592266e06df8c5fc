import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type SqlStore } from '../../../src/store/store.js';
import { bootstrapStore } from '../../../src/core/accounts/provision.js';
import { freshLocation, type TestLocation } from '../../support/backend.js';

const clock = () => 1_700_000_000;

describe('bootstrapping an empty store', () => {
  let location: TestLocation;
  let store: SqlStore;
  afterEach(async () => {
    await store.close();
    await location.dispose();
  });

  async function open() {
    location = await freshLocation();
    store = await openStore(location.location);
  }

  it('creates the demo account with admin user 1, the default pipeline, PHONE and EMAIL', async () => {
    await open();
    const created = await bootstrapStore(store, 'bootstrap-token-0123456789', clock);
    expect(created?.account).toMatchObject({ id: 1, subdomain: 'demo' });
    expect(created?.admin).toMatchObject({ id: 1, login: 'admin', role: 'admin' });
    expect(created?.tokenSecret).toBe('bootstrap-token-0123456789');

    const [pipeline] = await store.repos.pipelines.list(1);
    expect(pipeline?.isMain).toBe(true);
    expect(pipeline?.statuses.map((status) => [status.name, status.type])).toEqual([
      ['Incoming leads', 1],
      ['Initial contact', 0],
      ['Negotiation', 0],
      ['Decision making', 0],
      ['Closed - won', 0],
      ['Closed - lost', 0],
    ]);
    expect(pipeline?.statuses.slice(-2).map((status) => status.id)).toEqual([142, 143]);

    const fields = await store.repos.fields.list(1);
    expect(fields.map((field) => [field.entityType, field.code, field.enums?.map((option) => option.value)])).toEqual([
      ['contacts', 'PHONE', ['WORK', 'WORKDD', 'MOB', 'FAX', 'HOME', 'OTHER']],
      ['contacts', 'EMAIL', ['WORK', 'PRIV', 'OTHER']],
      ['companies', 'PHONE', ['WORK', 'WORKDD', 'MOB', 'FAX', 'HOME', 'OTHER']],
      ['companies', 'EMAIL', ['WORK', 'PRIV', 'OTHER']],
    ]);
  });

  it('makes a random token when none is configured', async () => {
    await open();
    const created = await bootstrapStore(store, undefined, clock);
    expect(created?.tokenSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('creates nothing on a second start', async () => {
    await open();
    await bootstrapStore(store, 'bootstrap-token-0123456789', clock);
    const again = await bootstrapStore(store, 'another-token-0123456789', clock);
    expect(again).toBeNull();
    expect(await store.repos.accounts.count()).toBe(1);
    expect(await store.repos.users.list(1)).toHaveLength(1);
    expect(await store.repos.pipelines.list(1)).toHaveLength(1);
    expect(await store.repos.tokens.list(1)).toHaveLength(1);
    expect(await store.repos.fields.list(1)).toHaveLength(4);
  });
});
