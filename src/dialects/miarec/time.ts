/**
 * MiaRec writes times as ISO 8601 with a colon-less offset (`2014-06-10T13:45:51+0800`) in the
 * account's time zone, and filters days as `YYYY/MM/DD-YYYY/MM/DD`.
 */
import { parseRfc3339 } from '../../core/fields/types/dates.js';
import type { Range } from '../../core/records/model.js';

const MIAREC_TIME = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:([Zz])|([+-]\d{2}):?(\d{2}))$/;
const DATE_RANGE = /^(\d{4})\/(\d{2})\/(\d{2})-(\d{4})\/(\d{2})\/(\d{2})$/;
const SECONDS_PER_DAY = 86_400;

export function formatMiarecTime(seconds: number, timeZone: string): string {
  const offset = offsetMinutes(seconds, timeZone);
  const local = new Date((seconds + offset * 60) * 1000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const magnitude = Math.abs(offset);
  return `${local}${sign}${pad(Math.floor(magnitude / 60))}${pad(magnitude % 60)}`;
}

/** Unix seconds of a MiaRec time (with or without the offset's colon); null when it is not one. */
export function parseMiarecTime(text: string): number | null {
  const match = MIAREC_TIME.exec(text);
  if (!match) return null;
  const zone = match[2] ? 'Z' : `${match[3]}:${match[4]}`;
  return parseRfc3339(`${match[1]}${zone}`);
}

/** The instants of a day range, whole days in `timeZone`; null when the text is not one. */
export function parseDateRange(text: string, timeZone: string): Range | null {
  const match = DATE_RANGE.exec(text);
  if (!match) return null;
  const [fromDay, toDay] = [match.slice(1, 4), match.slice(4, 7)].map(([year, month, day]) => parseRfc3339(`${year}-${month}-${day}`));
  if (fromDay === null || toDay === null || fromDay === undefined || toDay === undefined) return null;
  const startOfDay = (utcMidnight: number) => utcMidnight - offsetMinutes(utcMidnight, timeZone) * 60;
  return { from: startOfDay(fromDay), to: startOfDay(toDay + SECONDS_PER_DAY) - 1 };
}

/** Minutes `timeZone` is ahead of UTC at `seconds`; an unknown zone counts as UTC. */
function offsetMinutes(seconds: number, timeZone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(new Date(seconds * 1000));
  } catch {
    return 0;
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((candidate) => candidate.type === type)?.value ?? 0);
  const local = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) / 1000;
  return Math.round((local - seconds) / 60);
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
