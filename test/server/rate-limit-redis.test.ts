import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshLocation, type TestLocation } from '../support/backend.js';
import { runCli, startServerProcess, storeEnv, type ServerProcess } from '../support/process.js';

const TOKEN = 'redis-shared-token-0123456789abcdef';
const LIMIT = 3;
/** Redis database 0 is left to others; a random one keeps parallel runs of this test apart. */
const REDIS_URL = `redis://127.0.0.1:6379/${1 + Math.floor(Math.random() * 15)}`;

/** Resolves at the start of the next wall-clock second, so a short burst falls into one window. */
function nextSecond(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
}

describe('rate limits shared through Redis', () => {
  let location: TestLocation;
  let first: ServerProcess;
  let second: ServerProcess;
  beforeAll(async () => {
    location = await freshLocation();
    const env = { ...storeEnv(location.location), FIELDWORK_BOOTSTRAP_TOKEN: TOKEN, FIELDWORK_RATE_LIMIT: String(LIMIT), REDIS_URL };
    // One after the other: the first bootstraps the store the second then finds.
    first = await startServerProcess(env);
    second = await startServerProcess(env);
  }, 60_000);
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await location.dispose();
  });

  const get = (server: ServerProcess) =>
    fetch(`${server.url}/api/v4/account`, { headers: { authorization: `Bearer ${TOKEN}` } }).then(async (response) => ({
      status: response.status,
      body: await response.text(),
    }));

  it('counts one token\'s requests across two nodes', async () => {
    // A burst that straddles two one-second windows proves nothing; such an attempt is repeated.
    for (let attempt = 0; attempt < 5; attempt++) {
      await nextSecond();
      const window = Math.floor(Date.now() / 1000);
      const onFirst = await Promise.all(Array.from({ length: LIMIT }, () => get(first)));
      const onSecond = await get(second);
      if (Math.floor(Date.now() / 1000) !== window) continue;
      expect(onFirst.map((response) => response.status)).toEqual(Array(LIMIT).fill(200));
      expect(onSecond.status).toBe(429);
      expect(JSON.parse(onSecond.body)).toMatchObject({ title: 'Too Many Requests', status: 429, retry_after: 1 });
      return;
    }
    throw new Error('no burst fitted into one second in five attempts');
  });

  it('refuses to start when REDIS_URL cannot be reached', async () => {
    const result = await runCli(['serve'], { ...storeEnv(location.location), PORT: '0', REDIS_URL: 'redis://127.0.0.1:1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^fieldwork: cannot connect to Redis at redis:\/\/127\.0\.0\.1:1 \(.+\)\n$/);
  });
});
