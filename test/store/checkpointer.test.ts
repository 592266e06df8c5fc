import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { BACKEND } from '../support/backend.js';

/** What the database file holds by itself, without the WAL beside it: what has been checkpointed. */
function checkpointedLeadNames(dataDir: string): string[] {
  const copyDir = mkdtempSync(join(tmpdir(), 'fieldwork-checkpointed-'));
  try {
    copyFileSync(join(dataDir, 'fieldwork.sqlite'), join(copyDir, 'fieldwork.sqlite'));
    const copy = new SQLite(join(copyDir, 'fieldwork.sqlite'), { readonly: true });
    try {
      const hasRecords = copy.prepare("select 1 from sqlite_master where name = 'records'").get() !== undefined;
      if (!hasRecords) return [];
      return (copy.prepare("select name from records where entity_type = 'leads'").all() as { name: string }[]).map((row) => row.name);
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
});
