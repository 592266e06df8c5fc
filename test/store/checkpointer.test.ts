import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { BACKEND, freshLocation } from '../support/backend.js';
import { openStore } from '../../src/store/store.js';

/** What the database file holds by itself, without the WAL beside it: what has been checkpointed. */
function checkpointedLeadNames(dataDir: string): string[] {
  return checkpointedRows(dataDir, 'records', "select name from records where entity_type = 'leads'").map((row) => String(row.name));
}

function checkpointedRows(dataDir: string, table: string, query: string): Record<string, unknown>[] {
  const copyDir = mkdtempSync(join(tmpdir(), 'fieldwork-checkpointed-'));
  try {
    copyFileSync(join(dataDir, 'fieldwork.sqlite'), join(copyDir, 'fieldwork.sqlite'));
    const copy = new SQLite(join(copyDir, 'fieldwork.sqlite'), { readonly: true });
    try {
      const hasTable = copy.prepare('select 1 from sqlite_master where name = ?').get(table) !== undefined;
      return hasTable ? (copy.prepare(query).all() as Record<string, unknown>[]) : [];
    } finally {
      copy.close();
    }
  } finally {
    rmSync(copyDir, { recursive: true, force: true });
  }
}

describe.runIf(BACKEND === 'sqlite')('the SQLite checkpointer', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('copies committed writes into the database file on its own, without a commit waiting for it', async () => {
    const response = await test.app.inject({ method: 'POST', url: '/api/v4/leads', headers: test.auth, payload: [{ name: 'Checkpointed' }] });
    expect(response.statusCode).toBe(200);
    const deadline = Date.now() + 5_000;
    while (!checkpointedLeadNames(test.location.where).includes('Checkpointed') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(checkpointedLeadNames(test.location.where)).toContain('Checkpointed');
  });

  it("has closed the thread's connection, the last one on the file, when the store's close resolves", async () => {
    const location = await freshLocation();
    try {
      const store = await openStore(location.location);
      await store.db.schema.createTable('closing').addColumn('mark', 'text').execute();
      await store.db.insertInto('closing' as never).values({ mark: 'written' } as never).execute();
      // Once the write is in the database file, the thread has opened its connection.
      const deadline = Date.now() + 5_000;
      while (checkpointedRows(location.where, 'closing', 'select mark from closing').length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await store.close();
      // The last connection to close removes the WAL and its index; while the thread's was open they stayed.
      expect(readdirSync(location.where).sort()).toEqual(['fieldwork.sqlite']);
    } finally {
      await location.dispose();
    }
  });
});
