import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/server/app.js';
import { openStore, type SqlStore } from '../../src/store/store.js';
import { bootstrapStore, provisionAccount } from '../../src/core/accounts/provision.js';
import { freshLocation, type TestLocation } from './backend.js';

export const DEMO_TOKEN = 'test-demo-token-0123456789abcdef';

export interface TestApp {
  app: FastifyInstance;
  store: SqlStore;
  location: TestLocation;
  token: string;
  auth: { authorization: string };
  close(): Promise<void>;
}

/**
 * The real app on a fresh store of the backend under test, bootstrapped like a first start. Limits and
 * logging are off unless a test asks for them.
 */
export async function startTestApp(options: Pick<AppOptions, 'clock' | 'limits' | 'logger'> = {}): Promise<TestApp> {
  const location = await freshLocation();
  const store = await openStore(location.location).catch(async (error: unknown) => {
    await location.dispose();
    throw error;
  });
  await bootstrapStore(store, DEMO_TOKEN, options.clock ?? (() => Math.floor(Date.now() / 1000)));
  const app = await buildApp({ store, clock: options.clock, limits: options.limits, logger: options.logger });
  await app.ready();
  return {
    app,
    store,
    location,
    token: DEMO_TOKEN,
    auth: { authorization: `Bearer ${DEMO_TOKEN}` },
    async close() {
      await app.close();
      await store.close();
      await location.dispose();
    },
  };
}

/** A second tenant in the same store, with its own admin token. */
export async function secondAccount(test: TestApp, subdomain = 'other') {
  const created = await provisionAccount(test.store, { name: 'Other', subdomain }, () => Math.floor(Date.now() / 1000));
  return { ...created, auth: { authorization: `Bearer ${created.tokenSecret}` } };
}

/** The app, and a second store on the same data standing for another server or the CLI. */
export async function startTestAppWithSecondStore(): Promise<{ test: TestApp; otherProcess: SqlStore; close(): Promise<void> }> {
  const test = await startTestApp();
  const otherProcess = await openStore(test.location.location);
  return {
    test,
    otherProcess,
    async close() {
      await otherProcess.close();
      await test.close();
    },
  };
}
