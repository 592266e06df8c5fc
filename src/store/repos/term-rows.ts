import type { IndexTerm } from '../../core/fields/model.js';

export interface PositionedTerm extends IndexTerm {
  /** The term's place among its field's terms on the record: part of the index row's key. */
  position: number;
}

/** Numbers each field's terms from 0, so a record's terms for one field can be rewritten on their own. */
export function positioned(terms: readonly IndexTerm[]): PositionedTerm[] {
  const next = new Map<number, number>();
  return terms.map((term) => {
    const position = next.get(term.fieldId) ?? 0;
    next.set(term.fieldId, position + 1);
    // Spelled out: a spread copy costs twenty times as much here, and a bulk load positions ten million terms.
    return { fieldId: term.fieldId, text: term.text, number: term.number, enumId: term.enumId, position };
  });
}
