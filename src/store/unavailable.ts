/** A failure to reach or prepare the store, worded for one line on a terminal. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

export function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

/** The short code of a driver or system error (`ECONNREFUSED`, `SQLITE_CANTOPEN`), or its message. */
export function errorCode(error: unknown): string {
  if (error && typeof error === 'object') {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && code) return code;
    if (typeof message === 'string' && message) return message;
  }
  return String(error);
}
