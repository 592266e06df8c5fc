import qs from 'qs';

/**
 * Query strings are read the way PHP reads them, since Kommo's and Bitrix24's clients build them
 * for PHP: bracket keys nest, `a[]=` appends, and a repeated plain key keeps its last value.
 * Numeric keys stay object keys (`filter[custom_fields_values][123]` must not become a sparse
 * array); readers treat a list and an object of values alike.
 */
export function parseQueryString(text: string): Record<string, unknown> {
  return qs.parse(text, { duplicates: 'last', arrayLimit: 0, depth: 6, parameterLimit: 2000, allowPrototypes: false });
}

/** The values of a PHP-style list, whether it arrived as `a[]=`, `a[0]=` or a single `a=`. */
export function listOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null) return Object.values(value);
  return [value];
}
