import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { freshLocation, type TestLocation } from '../support/backend.js';
import { runCli, startServerProcess, storeEnv } from '../support/process.js';

const TOKEN = 'workers-test-token-0123456789';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('fieldwork serve with FIELDWORK_WORKERS', () => {
  let location: TestLocation | undefined;
  afterEach(async () => {
    await location?.dispose();
    location = undefined;
  });

  it('serves from several workers that print one URL and the token once, and all stop on SIGTERM', async () => {
    location = await freshLocation();
    const server = await startServerProcess({ ...storeEnv(location.location), FIELDWORK_BOOTSTRAP_TOKEN: TOKEN, FIELDWORK_WORKERS: '2', REDIS_URL, FIELDWORK_RATE_LIMIT: '0' });
    try {
      expect(server.stdout().match(/listening on/g)).toHaveLength(1);
      expect(server.stdout()).toContain('2 workers');
      expect(server.stdout().match(/Admin API token \(shown once\)/g)).toHaveLength(1);
      const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
      const fieldNames = async () => {
        const listed = await fetch(`${server.url}/api/v4/leads/custom_fields`, { headers: { ...auth, connection: 'close' } });
        if (listed.status === 204) return [];
        return ((await listed.json()) as { _embedded: { custom_fields: { name: string }[] } })._embedded.custom_fields.map((field) => field.name);
      };
      // New connections are dealt out to the workers in turn: first every worker reads the fields once.
      for (let attempt = 0; attempt < 4; attempt += 1) expect(await fieldNames()).not.toContain('Seen by every worker');
      const created = await fetch(`${server.url}/api/v4/leads/custom_fields`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify([{ name: 'Seen by every worker', type: 'text' }]),
      });
      expect(created.status).toBe(200);
      for (let attempt = 0; attempt < 4; attempt += 1) expect(await fieldNames()).toContain('Seen by every worker');
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  });

  it('commits every one of many writes arriving at several workers at once', async () => {
    location = await freshLocation();
    const server = await startServerProcess({ ...storeEnv(location.location), FIELDWORK_BOOTSTRAP_TOKEN: TOKEN, FIELDWORK_WORKERS: '2', REDIS_URL, FIELDWORK_RATE_LIMIT: '0' });
    try {
      const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', connection: 'close' };
      const statuses = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          fetch(`${server.url}/api/v4/leads`, { method: 'POST', headers, body: JSON.stringify([{ name: `Concurrent ${index}` }]) }).then((response) => response.status),
        ),
      );
      expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
      const listed = await fetch(`${server.url}/api/v4/leads?limit=250`, { headers });
      expect(((await listed.json()) as { _embedded: { leads: unknown[] } })._embedded.leads).toHaveLength(20);
    } finally {
      await server.stop('SIGTERM');
    }
  });

  it('replaces a worker that dies and keeps serving', async () => {
    location = await freshLocation();
    const server = await startServerProcess({ ...storeEnv(location.location), FIELDWORK_BOOTSTRAP_TOKEN: TOKEN, FIELDWORK_WORKERS: '2', REDIS_URL, FIELDWORK_RATE_LIMIT: '0' });
    try {
      const [first, second] = childPids(server.child.pid!);
      process.kill(first!, 'SIGKILL');
      const replaced = await eventually(() => {
        const now = childPids(server.child.pid!);
        return now.length === 2 && !now.includes(first!) ? now : null;
      });
      expect(replaced).toContain(second);
      const health = await fetch(`${server.url}/healthz`, { headers: { connection: 'close' } });
      expect(health.status).toBe(200);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  });

  it('refuses several workers without Redis for their shared rate limits', async () => {
    location = await freshLocation();
    const result = await runCli(['serve'], { ...storeEnv(location.location), FIELDWORK_WORKERS: '2', PORT: '0' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('fieldwork: FIELDWORK_WORKERS above 1 needs REDIS_URL, so that the workers count requests against one set of rate limits\n');
  });
});

/** The processes `pid` started (Linux): the workers of a primary. */
function childPids(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

/** Polls `check` until it gives a value, for at most ten seconds. */
async function eventually<T>(check: () => T | null): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const value = check();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('gave up waiting');
}
