/** Readers shared by the type modules for the keys of one value item. */
import { accept, characterCount, isBlank, issue, reject, type Parsed } from '../issues.js';

/**
 * A key the item must carry. `null` is refused as blank rather than taken as "clear": clearing is
 * done for the whole field with `values: null`.
 */
export function requiredKey(raw: Record<string, unknown>, key: string, path: string): Parsed<unknown> {
  const value = raw[key];
  if (value === undefined) return reject([issue.fieldMissing(`${path}.${key}`)]);
  if (value === null) return reject([issue.notBlank(`${path}.${key}`)]);
  return accept(value);
}

/** An item that is one `value` read by `parse`: the shape every scalar type shares. */
export function scalarItem<T extends string | number | boolean>(
  raw: Record<string, unknown>,
  path: string,
  parse: (value: unknown, path: string) => Parsed<T>,
): Parsed<{ value: T }> {
  const value = requiredKey(raw, 'value', path);
  if (!value.ok) return value;
  const parsed = parse(value.value, `${path}.value`);
  return parsed.ok ? accept({ value: parsed.value }) : parsed;
}

/**
 * A non-blank text of at most `maxLength` characters. Finite numbers are taken as their decimal
 * text because clients routinely send zip codes and reference numbers as JSON numbers.
 */
function parseText(raw: unknown, path: string, maxLength: number): Parsed<string> {
  const text = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
  if (typeof text !== 'string') return reject([issue.invalidType(path, 'string')]);
  if (isBlank(text)) return reject([issue.notBlank(path)]);
  if (characterCount(text) > maxLength) return reject([issue.tooLong(path, maxLength)]);
  return accept(text);
}

/** `raw[key]` as text, missing or blank refused. */
export function requiredText(
  raw: Record<string, unknown>,
  key: string,
  path: string,
  maxLength: number,
): Parsed<string> {
  const value = requiredKey(raw, key, path);
  return value.ok ? parseText(value.value, `${path}.${key}`, maxLength) : value;
}

export function parseInteger(raw: unknown, path: string, min: number, max: number): Parsed<number> {
  if (typeof raw !== 'number' || !Number.isInteger(raw)) return reject([issue.invalidType(path, 'int')]);
  if (raw < min || raw > max) return reject([issue.outOfRange(path, min, max)]);
  return accept(raw);
}

/** `raw[key]` as an integer within [min, max], missing or null refused. */
export function requiredInteger(
  raw: Record<string, unknown>,
  key: string,
  path: string,
  min: number,
  max: number,
): Parsed<number> {
  const value = requiredKey(raw, key, path);
  return value.ok ? parseInteger(value.value, `${path}.${key}`, min, max) : value;
}
