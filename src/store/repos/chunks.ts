import { LONGEST_KEPT_LIST } from '../compiled.js';

/**
 * Multi-row statements stay under both backends' bound-parameter limits (SQLite 32766,
 * PostgreSQL 65535) by splitting rows into chunks of at most this many parameters.
 */
const MAX_PARAMETERS = 30_000;

/** Chunks of rows for multi-row statements: no longer than a compiled statement is kept for, so every full chunk reuses one. */
export function chunked<T>(rows: readonly T[], columnsPerRow: number): T[][] {
  const size = Math.max(1, Math.min(LONGEST_KEPT_LIST, Math.floor(MAX_PARAMETERS / columnsPerRow)));
  const chunks: T[][] = [];
  for (let start = 0; start < rows.length; start += size) chunks.push(rows.slice(start, start + size));
  return chunks;
}
