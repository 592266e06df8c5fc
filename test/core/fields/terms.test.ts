import { describe, expect, it } from 'vitest';
import { normaliseText, phoneDigits, queryTerms } from '../../../src/core/fields/terms.js';

describe('search terms', () => {
  it('normalises text by case, width and surrounding space', () => {
    expect(normaliseText(' ÉCOLE Ｘ ')).toBe('école x');
  });

  it('keeps only the digits of a phone number', () => {
    expect(phoneDigits('+1 (555) 010-99')).toBe('155501099');
  });

  it('looks a query up by its text and by its digits', () => {
    expect(queryTerms('+1 555-0100')).toEqual(['+1 555-0100', '15550100']);
  });

  it('looks a query without digits up by its text only', () => {
    expect(queryTerms('Acme')).toEqual(['acme']);
  });
});
