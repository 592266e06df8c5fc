/**
 * Bitrix24's wire conventions: the `time` block of every answer, dates as ISO 8601 with an offset,
 * `Y`/`N` flags, ids and numbers as strings, and reading the loosely typed values that form-encoded
 * and query-string requests carry (where everything is a string).
 */

/** Seconds since the epoch as `2024-01-20T18:35:32+00:00`; the server speaks UTC. */
export function isoDateTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** The date of a timestamp as Bitrix24 writes a date: midnight of that day with an offset. */
export function isoDate(seconds: number): string {
  return `${isoDateTime(seconds).slice(0, 10)}T00:00:00+00:00`;
}

export function flag(value: boolean): 'Y' | 'N' {
  return value ? 'Y' : 'N';
}

export interface TimeBlock {
  start: number;
  finish: number;
  duration: number;
  processing: number;
  date_start: string;
  date_finish: string;
  operating_reset_at: number;
  operating: number;
}

/** The `time` block of an answer that took from `startedMs` until now. */
export function timeBlock(startedMs: number, finishedMs = Date.now()): TimeBlock {
  const seconds = (finishedMs - startedMs) / 1000;
  return {
    start: startedMs / 1000,
    finish: finishedMs / 1000,
    duration: seconds,
    processing: seconds,
    date_start: isoDateTime(Math.floor(startedMs / 1000)),
    date_finish: isoDateTime(Math.floor(finishedMs / 1000)),
    // Fieldwork keeps no per-method time budget, so the budget never runs down.
    operating_reset_at: Math.floor(finishedMs / 1000) + 600,
    operating: 0,
  };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A whole number sent as a number or a numeric string; null for anything else. */
export function wholeNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) {
    const number = Number(value.trim());
    return Number.isSafeInteger(number) ? number : null;
  }
  return null;
}

/** A positive record id as Bitrix24 accepts it (`5`, `"5"`); null for anything else. */
export function positiveId(value: unknown): number | null {
  const number = wholeNumber(value);
  return number !== null && number > 0 ? number : null;
}

/** `Y`/`N`, `1`/`0`, `true`/`false` in any of their JSON or form spellings; null when none of them. */
export function readFlag(value: unknown): boolean | null {
  if (value === true || value === 1) return true;
  if (value === false || value === 0) return false;
  if (typeof value !== 'string') return null;
  const text = value.trim().toUpperCase();
  if (['Y', '1', 'TRUE'].includes(text)) return true;
  if (['N', '0', 'FALSE'].includes(text)) return false;
  return null;
}

/** True for what clears a value in Bitrix24's legacy methods: nothing, `""`, `null` or an empty list. */
export function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
}

const DOTTED_DATE = /^(\d{2})\.(\d{2})\.(\d{4})(?:\s+(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * A date or date-time as RFC 3339 text the engine reads: ISO forms pass through, the portal-locale
 * form `dd.mm.yyyy[ hh:mm[:ss]]` that legacy methods accept is rewritten (as UTC).
 */
export function rfc3339Of(text: string): string {
  const dotted = DOTTED_DATE.exec(text.trim());
  if (!dotted) return text.trim();
  const [, day, month, year, hour, minute, second] = dotted;
  return hour === undefined ? `${year}-${month}-${day}` : `${year}-${month}-${day}T${hour}:${minute}:${second ?? '00'}+00:00`;
}
