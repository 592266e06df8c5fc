/**
 * The text of the HAL list document `{ ...envelope, _embedded: { [key]: items } }`, exactly as
 * `JSON.stringify` writes it, in pieces: the envelope's start, then one piece per item, then the
 * end. A page of records can then be encoded item by item, never as one large string.
 * `envelope` must have at least one key, and none named `_embedded`.
 */
export function halListPieces(envelope: Readonly<Record<string, unknown>>, key: string, items: readonly object[]): string[] {
  const head = JSON.stringify(envelope);
  const pieces = [`${head.slice(0, -1)},"_embedded":{${JSON.stringify(key)}:[`];
  for (const [index, item] of items.entries()) pieces.push(index === 0 ? JSON.stringify(item) : `,${JSON.stringify(item)}`);
  pieces.push(']}}');
  return pieces;
}
