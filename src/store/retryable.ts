import { DomainError } from '../core/errors.js';

/**
 * SQLite's busy and locked errors (another writer kept the lock past busy_timeout) and PostgreSQL's
 * lock, deadlock and serialisation failures: the statement's transaction was rolled back, and the
 * request may be sent again as it is.
 */
const RETRYABLE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED', '40001', '40P01', '55P03']);

export function isRetryable(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && RETRYABLE_CODES.has(code);
}

/** Rethrows a retryable store error as the core's `unavailable`, every other error as it is. */
export function retryableAsUnavailable(error: unknown): never {
  throw isRetryable(error) ? DomainError.unavailable(1) : error;
}
