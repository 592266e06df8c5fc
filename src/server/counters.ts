import { ConfigError } from './config.js';
import { redactPassword } from '../store/unavailable.js';

/**
 * Counters of events in fixed time windows; the caller puts the window into the key. In memory they
 * count for one process; in Redis, for every node that shares it.
 */
export interface WindowCounters {
  /** Counts one more event under `key` and returns the count so far. */
  increment(key: string, ttlSeconds: number): Promise<number>;
  count(key: string): Promise<number>;
  close(): Promise<void>;
}

/** Expired keys are swept every so many increments, so the map stays as small as the live windows. */
const SWEEP_EVERY = 1000;

export function memoryCounters(): WindowCounters {
  const entries = new Map<string, { count: number; expiresAt: number }>();
  let sinceSweep = 0;
  const live = (key: string, now: number) => {
    const entry = entries.get(key);
    return entry && entry.expiresAt > now ? entry : undefined;
  };
  return {
    async increment(key, ttlSeconds) {
      const now = Date.now();
      if (++sinceSweep >= SWEEP_EVERY) {
        sinceSweep = 0;
        for (const [stale, entry] of entries) if (entry.expiresAt <= now) entries.delete(stale);
      }
      const entry = live(key, now) ?? { count: 0, expiresAt: now + ttlSeconds * 1000 };
      entry.count += 1;
      entries.set(key, entry);
      return entry.count;
    },
    async count(key) {
      return live(key, Date.now())?.count ?? 0;
    },
    async close() {
      entries.clear();
    },
  };
}

/** INCR and the first EXPIRE in one step, so a crash between them cannot leave a key that never expires. */
const INCREMENT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n`;

/**
 * Counters in Redis. A limiter must not take the API down with it: while Redis is unreachable every
 * count reads as zero (requests pass) and `onError` is told, instead of requests failing or queueing.
 */
export async function redisCounters(url: string, onError: (error: unknown) => void): Promise<WindowCounters> {
  // Loaded only when Redis is configured: it takes a tenth of a cold start to load.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, keyPrefix: 'fieldwork:', maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', onError);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new ConfigError(`cannot connect to Redis at ${redactPassword(url)} (${error instanceof Error ? error.message : String(error)})`);
  }
  const failOpen = (error: unknown) => {
    onError(error);
    return 0;
  };
  return {
    increment: (key, ttlSeconds) => redis.eval(INCREMENT_SCRIPT, 1, key, ttlSeconds).then(Number, failOpen),
    count: (key) => redis.get(key).then((value) => Number(value ?? 0), failOpen),
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
