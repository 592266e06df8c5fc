import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.js';

describe('limit configuration', () => {
  it('defaults to Kommo\'s 7 requests per second and 10 failed authentications per minute, in memory', () => {
    expect(loadConfig({})).toMatchObject({ rateLimit: 7, authFailureLimit: 10, redisUrl: undefined });
  });

  it('reads FIELDWORK_RATE_LIMIT, where 0 turns limiting off', () => {
    expect(loadConfig({ FIELDWORK_RATE_LIMIT: '0' }).rateLimit).toBe(0);
    expect(loadConfig({ FIELDWORK_RATE_LIMIT: '50' }).rateLimit).toBe(50);
  });

  it('refuses a rate limit that is not a whole number', () => {
    expect(() => loadConfig({ FIELDWORK_RATE_LIMIT: '7.5' })).toThrow(
      new ConfigError('FIELDWORK_RATE_LIMIT must be a whole number (0 turns it off), got "7.5"'),
    );
  });

  it('refuses a REDIS_URL that is not a redis URL', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow('REDIS_URL must start with redis:// or rediss://');
  });
});

describe('worker configuration', () => {
  it('runs one worker unless FIELDWORK_WORKERS asks for more', () => {
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ FIELDWORK_WORKERS: '4' }).workers).toBe(4);
  });

  it('refuses a worker count that is zero or not a whole number', () => {
    for (const raw of ['0', 'two', '1.5', '1000']) {
      expect(() => loadConfig({ FIELDWORK_WORKERS: raw })).toThrow(new ConfigError(`FIELDWORK_WORKERS must be a whole number from 1 to 256, got "${raw}"`));
    }
  });
});
