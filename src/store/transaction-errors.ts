import { DomainError } from '../core/errors.js';

/**
 * SQLite's busy and locked errors (another writer kept the lock past busy_timeout) and PostgreSQL's
 * lock, deadlock and serialisation failures: the statement's transaction was rolled back, and the
 * request may be sent again as it is.
 */
const RETRYABLE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED', '40001', '40P01', '55P03']);

/** A unique index refused a row: another transaction wrote the same key first. */
const UNIQUE_VIOLATION_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', '23505']);

function codeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

export function isRetryable(error: unknown): boolean {
  return RETRYABLE_CODES.has(codeOf(error) ?? '');
}

/**
 * Rethrows a failed transaction's error as the core sees it: a retryable store error as
 * `unavailable`, a unique-index refusal as `conflict`, every other error as it is.
 */
export function transactionErrorAsDomain(error: unknown): never {
  if (isRetryable(error)) throw DomainError.unavailable(1);
  if (UNIQUE_VIOLATION_CODES.has(codeOf(error) ?? '')) throw DomainError.conflict('Another request wrote the same key at the same time; nothing was written');
  throw error;
}
