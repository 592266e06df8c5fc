import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { StoreLocation } from '../../src/store/database.js';

/**
 * The backend every test runs on: SQLite in a fresh directory by default, PostgreSQL when
 * DATABASE_URL is set (CI runs the suite once each way). On PostgreSQL each store gets its own
 * schema, so test files can run in parallel against one throw-away database.
 */
export const BACKEND: 'sqlite' | 'postgres' = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

export interface TestLocation {
  location: StoreLocation;
  /** The schema on PostgreSQL, the directory on SQLite. */
  where: string;
  dispose(): Promise<void>;
}

export async function freshLocation(): Promise<TestLocation> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), 'fieldwork-test-'));
    return { location: { backend: 'sqlite', dataDir: dir }, where: dir, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await withAdmin(url, (client) => client.query(`create schema ${schema}`));
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return {
    location: { backend: 'postgres', url: scoped.toString() },
    where: schema,
    dispose: () => withAdmin(url, (client) => client.query(`drop schema if exists ${schema} cascade`)).then(() => undefined),
  };
}

export async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
