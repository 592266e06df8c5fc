/**
 * Multi-row statements stay under both backends' bound-parameter limits (SQLite 32766,
 * PostgreSQL 65535) by splitting rows into chunks of at most this many parameters.
 */
const MAX_PARAMETERS = 30_000;

export function chunked<T>(rows: readonly T[], columnsPerRow: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / columnsPerRow));
  const chunks: T[][] = [];
  for (let start = 0; start < rows.length; start += size) chunks.push(rows.slice(start, start + size));
  return chunks;
}
