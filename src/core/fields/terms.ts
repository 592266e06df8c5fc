/**
 * How values become index terms, and how a search query is normalised the same way so that the
 * store can match a query against terms without knowing about field types.
 */
import type { IndexTerm } from './model.js';

/** Case- and width-insensitive form of a text, so "ÉCOLE", "école" and full-width letters match. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase().trim();
}

/** Digits only, so "+1 (555) 010-99" and "1555 01099" index and search alike. */
export function phoneDigits(text: string): string {
  return text.replace(/\D+/g, '');
}

/** The normalised forms a query is looked up under: its text, and its digits when it has any. */
export function queryTerms(query: string): string[] {
  const text = normaliseText(query);
  const digits = phoneDigits(query);
  return digits !== '' && digits !== text ? [text, digits] : [text];
}

export function textTerm(fieldId: number, text: string, enumId: number | null = null): IndexTerm {
  return { fieldId, text: normaliseText(text), number: null, enumId };
}

export function numberTerm(fieldId: number, number: number): IndexTerm {
  return { fieldId, text: null, number, enumId: null };
}
