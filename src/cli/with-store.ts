import { openStore, type SqlStore } from '../store/store.js';
import type { Config } from '../server/config.js';
import { UsageError } from './usage-error.js';

/** Runs one CLI command against the configured store and always releases it. */
export async function withStore<T>(config: Config, work: (store: SqlStore) => Promise<T>): Promise<T> {
  const store = await openStore(config.store);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export function integerOption(name: string, raw: string | undefined, fallback?: number): number {
  if (raw === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a positive integer, got "${raw}"`);
  return Number(raw);
}
