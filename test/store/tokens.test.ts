import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DEMO_TOKEN, startTestApp, type TestApp } from '../support/app.js';
import { BACKEND } from '../support/backend.js';
import { hashTokenSecret } from '../../src/core/access/tokens.js';

describe('token storage', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('stores the SHA-256 digest of a token, not the token', async () => {
    const row = await test.store.db.selectFrom('api_tokens').selectAll().where('account_id', '=', 1).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashTokenSecret(DEMO_TOKEN));
    expect(JSON.stringify(row)).not.toContain(DEMO_TOKEN);
  });

  it.runIf(BACKEND === 'sqlite')('leaves no plain token anywhere in the SQLite files', async () => {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(test.store.db);
    const files = readdirSync(test.location.where).map((name) => join(test.location.where, name));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(file).includes(DEMO_TOKEN)).toBe(false);
  });

  it.runIf(BACKEND === 'postgres')('leaves no plain token in any PostgreSQL table', async () => {
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = ${test.location.where}`.execute(test.store.db);
    expect(tables.rows.length).toBeGreaterThan(0);
    for (const { table_name } of tables.rows) {
      const dump = await sql<{ t: string }>`select string_agg(x::text, '') as t from ${sql.table(table_name)} x`.execute(test.store.db);
      expect(dump.rows[0]?.t ?? '').not.toContain(DEMO_TOKEN);
    }
  });
});
