import type { StoreLocation } from '../store/database.js';

export interface Config {
  port: number;
  host: string;
  store: StoreLocation;
  bootstrapToken: string | undefined;
  logLevel: string;
  /** Requests per second per token; 0 turns limiting off (an account's own setting still applies). */
  rateLimit: number;
  /** Failed authentications per IP per minute before the IP is refused; 0 turns it off. */
  authFailureLimit: number;
  redisUrl: string | undefined;
  /** Processes serving the port; above 1 they need Redis for shared rate limits. */
  workers: number;
}

/** A configuration mistake, reported as one line and exit code 1. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const databaseUrl = nonEmpty(env.DATABASE_URL);
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const logLevel = nonEmpty(env.LOG_LEVEL) ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const bootstrapToken = nonEmpty(env.FIELDWORK_BOOTSTRAP_TOKEN);
  if (bootstrapToken !== undefined && bootstrapToken.length < 16) {
    throw new ConfigError('FIELDWORK_BOOTSTRAP_TOKEN must be at least 16 characters long');
  }
  return {
    port: parsePort(env.PORT),
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    store: databaseUrl
      ? { backend: 'postgres', url: databaseUrl }
      : { backend: 'sqlite', dataDir: nonEmpty(env.FIELDWORK_DATA_DIR) ?? './data' },
    bootstrapToken,
    logLevel,
    rateLimit: parseCount('FIELDWORK_RATE_LIMIT', env.FIELDWORK_RATE_LIMIT, 7),
    authFailureLimit: parseCount('FIELDWORK_AUTH_FAILURE_LIMIT', env.FIELDWORK_AUTH_FAILURE_LIMIT, 10),
    redisUrl: parseRedisUrl(env.REDIS_URL),
    workers: parseWorkers(env.FIELDWORK_WORKERS),
  };
}

function parsePort(raw: string | undefined): number {
  const text = nonEmpty(raw);
  if (text === undefined) return 3000;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new ConfigError(`PORT must be an integer from 0 to 65535, got "${text}"`);
  return port;
}

function parseCount(name: string, raw: string | undefined, fallback: number): number {
  const text = nonEmpty(raw);
  if (text === undefined) return fallback;
  if (!/^\d{1,9}$/.test(text)) throw new ConfigError(`${name} must be a whole number (0 turns it off), got "${text}"`);
  return Number(text);
}

/** More workers than this is a typo, not a machine. */
const MOST_WORKERS = 256;

function parseWorkers(raw: string | undefined): number {
  const text = nonEmpty(raw);
  if (text === undefined) return 1;
  const workers = Number(text);
  if (!/^\d{1,3}$/.test(text) || workers < 1 || workers > MOST_WORKERS) {
    throw new ConfigError(`FIELDWORK_WORKERS must be a whole number from 1 to ${MOST_WORKERS}, got "${text}"`);
  }
  return workers;
}

function parseRedisUrl(raw: string | undefined): string | undefined {
  const url = nonEmpty(raw);
  if (url !== undefined && !/^rediss?:\/\//.test(url)) throw new ConfigError('REDIS_URL must start with redis:// or rediss://');
  return url;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
