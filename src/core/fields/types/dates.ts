import { accept, issue, reject, type Parsed } from '../issues.js';
import { REMIND_VALUES } from '../model.js';
import { numberTerm } from '../terms.js';
import type { FieldTypeModule } from '../type-module.js';
import { scalarItem } from './item.js';

type DateType = 'date' | 'date_time' | 'birthday';

/** 9999-12-31T23:59:59Z: the last second an RFC 3339 date can name. */
const LATEST = 253402300799;
/** 0001-01-01T00:00:00Z. Only birthdays reach before 1970. */
const EARLIEST_BIRTHDAY = -62135596800;

const EARLIEST: Record<DateType, number> = { date: 0, date_time: 0, birthday: EARLIEST_BIRTHDAY };

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?([Zz]|([+-])(\d{2}):(\d{2})))?$/;

const INVALID_DATE = 'This value should be a unix timestamp in seconds or an RFC 3339 date.';

/**
 * Seconds since the epoch named by an RFC 3339 date-time, or by a full-date taken as midnight UTC.
 * Fractions of a second are dropped. Returns null for text that is not a real calendar instant.
 */
export function parseRfc3339(text: string): number | null {
  const match = RFC3339.exec(text);
  if (!match) return null;
  const part = (index: number): number => Number(match[index] ?? 0);
  const [year, month, day, hour, minute, second] = [part(1), part(2), part(3), part(4), part(5), part(6)];
  const offsetSign = match[8] === '-' ? -1 : 1;
  const [offsetHours, offsetMinutes] = [part(9), part(10)];
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null;
  const instant = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 onto 1900-1999.
  instant.setUTCFullYear(year, month - 1, day);
  if (instant.getUTCFullYear() !== year || instant.getUTCMonth() !== month - 1 || instant.getUTCDate() !== day) {
    return null;
  }
  instant.setUTCHours(hour, minute, second, 0);
  return instant.getTime() / 1000 - offsetSign * (offsetHours * 3600 + offsetMinutes * 60);
}

function parseTimestamp(raw: unknown, path: string, earliest: number): Parsed<number> {
  let seconds: number | null;
  if (typeof raw === 'number') seconds = Number.isInteger(raw) ? raw : null;
  else if (typeof raw === 'string') seconds = parseRfc3339(raw);
  else return reject([issue.invalidType(path, 'int')]);
  if (seconds === null) return reject([issue.invalidValue(path, INVALID_DATE)]);
  if (seconds < earliest || seconds > LATEST) return reject([issue.outOfRange(path, earliest, LATEST)]);
  return accept(seconds);
}

export const datesModule: FieldTypeModule<DateType> = {
  definitionRules: (type) => ({ properties: type === 'birthday' ? { remind: 'optional' } : {}, settings: [] }),
  validateDefinition: (draft) =>
    typeof draft.remind === 'string' && !REMIND_VALUES.some((remind) => remind === draft.remind)
      ? [issue.notSupportedChoice('remind')]
      : [],
  itemKeys: () => ['value'],
  maxItems: () => 1,
  parseItem: (raw, definition, path) =>
    scalarItem(raw, path, (value, valuePath) => parseTimestamp(value, valuePath, EARLIEST[definition.type])),
  indexTerms: (item, definition) => (typeof item.value === 'number' ? [numberTerm(definition.id, item.value)] : []),
};
