import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secondAccount, startTestApp, type TestApp } from '../support/app.js';
import { sql, type Insertable } from 'kysely';
import { compiledQuery, reusedStatementName } from '../../src/store/compiled.js';
import { BACKEND } from '../support/backend.js';
import type { TagRow } from '../../src/store/schema.js';

const subdomainsOf = compiledQuery((db, ids: readonly number[], minimumId: number) =>
  db.selectFrom('accounts').select(['id', 'subdomain']).where('id', 'in', ids).where('id', '>=', minimumId).orderBy('id'),
);

const subdomainOf = compiledQuery((db, id: number) => db.selectFrom('accounts').select(['id', 'subdomain']).where('id', '=', id), { planOnce: true });

const insertTags = compiledQuery((db, rows: readonly Insertable<TagRow>[]) => db.insertInto('tags').values(rows));
const tagsNamed = compiledQuery((db, names: readonly string[]) =>
  db.selectFrom('tags').select(['id', 'name', 'color']).where('account_id', '=', 1).where('name', 'in', names).orderBy('id'),
);

describe('queries compiled once', () => {
  let test: TestApp;
  let other: number;
  beforeAll(async () => {
    test = await startTestApp();
    other = (await secondAccount(test, 'second')).account.id;
  });
  afterAll(() => test.close());

  it('runs the compiled statement with each call’s own arguments', async () => {
    expect(await subdomainsOf(test.store.db, [1], 1)).toEqual([{ id: 1, subdomain: 'demo' }]);
    expect(await subdomainsOf(test.store.db, [other], 1)).toEqual([{ id: other, subdomain: 'second' }]);
    expect(await subdomainsOf(test.store.db, [1], 2)).toEqual([]);
  });

  it('gives each length of a list argument its own statement', async () => {
    expect(await subdomainsOf(test.store.db, [1, other], 1)).toEqual([
      { id: 1, subdomain: 'demo' },
      { id: other, subdomain: 'second' },
    ]);
    expect(await subdomainsOf(test.store.db, [other], 1)).toEqual([{ id: other, subdomain: 'second' }]);
  });

  it('takes lists longer than the ones it keeps', async () => {
    const ids = [other, ...Array.from({ length: 400 }, (_, index) => 1_000_000 + index)];
    expect(await subdomainsOf(test.store.db, ids, 1)).toEqual([{ id: other, subdomain: 'second' }]);
  });

  it('runs inside a transaction and sees what the transaction wrote', async () => {
    const seen = await test.store.db.transaction().execute(async (trx) => {
      await trx.updateTable('accounts').set({ subdomain: 'renamed' }).where('id', '=', other).execute();
      const inside = await subdomainsOf(trx, [other], 1);
      await trx.updateTable('accounts').set({ subdomain: 'second' }).where('id', '=', other).execute();
      return inside;
    });
    expect(seen).toEqual([{ id: other, subdomain: 'renamed' }]);
  });

  it('inserts each call’s rows, a chunk of any length', async () => {
    await insertTags(test.store.db, [{ account_id: 1, id: 90_001, entity_type: 'leads', name: 'compiled one', color: 'FFFFFF' }]);
    await insertTags(test.store.db, [
      { account_id: 1, id: 90_002, entity_type: 'leads', name: 'compiled two', color: null },
      { account_id: 1, id: 90_003, entity_type: 'leads', name: 'compiled three', color: '000000' },
    ]);
    expect(await tagsNamed(test.store.db, ['compiled one', 'compiled two', 'compiled three'])).toEqual([
      { id: 90_001, name: 'compiled one', color: 'FFFFFF' },
      { id: 90_002, name: 'compiled two', color: null },
      { id: 90_003, name: 'compiled three', color: '000000' },
    ]);
  });

  it.runIf(BACKEND === 'postgres')('keeps one plan of a statement marked planOnce: a named statement in PostgreSQL’s default plan mode', async () => {
    const [statement, planning] = await test.store.db.transaction().execute(async (trx) => {
      for (let run = 0; run < 7; run += 1) expect(await subdomainOf(trx, 1)).toEqual([{ id: 1, subdomain: 'demo' }]);
      const statements = await sql<{ name: string; generic_plans: string }>`select name, generic_plans from pg_prepared_statements`.execute(trx);
      const mode = await sql<{ plan_cache_mode: string }>`show plan_cache_mode`.execute(trx);
      const name = reusedStatementName(test.store.db.selectFrom('accounts').select(['id', 'subdomain']).where('id', '=', 1).compile().sql);
      return [statements.rows.find((row) => row.name === name), mode.rows[0]?.plan_cache_mode];
    });
    expect(planning).toBe('auto');
    expect(Number(statement?.generic_plans)).toBeGreaterThan(0);
  });

  it.runIf(BACKEND === 'postgres')('plans any other statement on every run, for its values: it goes unnamed', async () => {
    await subdomainsOf(test.store.db, [1], 1);
    const { sql: text } = test.store.db.selectFrom('accounts').select(['id', 'subdomain']).where('id', 'in', [1]).where('id', '>=', 1).orderBy('id').compile();
    expect(reusedStatementName(text)).toBeUndefined();
  });
});
