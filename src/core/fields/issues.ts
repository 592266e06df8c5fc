/**
 * Error items and results shared by the field engine. Details follow the wording of the
 * Symfony validators Kommo answers with, so a dialect can pass them through unchanged.
 */
import { DETAILS, errorItem, type ErrorItem } from '../errors.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: ErrorItem[] };

export function accept<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function reject<T>(errors: ErrorItem[]): Parsed<T> {
  return { ok: false, errors };
}

/** Accepts `value` only when no error was collected on the way to it. */
export function settle<T>(errors: ErrorItem[], value: () => T): Parsed<T> {
  return errors.length > 0 ? reject(errors) : accept(value());
}

/** Every error of the given results, in order. */
export function errorsOf(...results: Parsed<unknown>[]): ErrorItem[] {
  return results.flatMap((result) => (result.ok ? [] : result.errors));
}

export type JsonTypeName = 'array' | 'object' | 'string' | 'int' | 'bool' | 'numeric' | 'number';

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export const issue = {
  invalidType: (path: string, expected: JsonTypeName): ErrorItem =>
    errorItem('InvalidType', path, `This value should be of type ${expected}.`),
  invalidValue: (path: string, detail: string): ErrorItem => errorItem('InvalidValue', path, detail),
  notSupportedChoice: (path: string): ErrorItem =>
    errorItem('NotSupportedChoice', path, DETAILS.NotSupportedChoice),
  fieldNotExpected: (path: string): ErrorItem => errorItem('FieldNotExpected', path, DETAILS.FieldNotExpected),
  fieldMissing: (path: string): ErrorItem => errorItem('FieldMissing', path, DETAILS.FieldMissing),
  notBlank: (path: string): ErrorItem => errorItem('NotBlank', path, DETAILS.NotBlank),
  tooFew: (path: string, min: number): ErrorItem =>
    errorItem('TooFew', path, `This collection should contain ${plural(min, 'element')} or more.`),
  tooMany: (path: string, max: number): ErrorItem =>
    errorItem('TooMany', path, `This collection should contain ${plural(max, 'element')} or less.`),
  tooLong: (path: string, max: number): ErrorItem =>
    errorItem('TooLong', path, `This value is too long. It should have ${plural(max, 'character')} or less.`),
  outOfRange: (path: string, min: number | string, max: number | string): ErrorItem =>
    errorItem('OutOfRange', path, `This value should be between ${min} and ${max}.`),
  duplicate: (path: string, detail = 'This value is already used.'): ErrorItem =>
    errorItem('Duplicate', path, detail),
  immutable: (path: string): ErrorItem => errorItem('Immutable', path, 'This value cannot be changed.'),
};

export function isPlainObject(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

export function unexpectedKeys(
  raw: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
): ErrorItem[] {
  return Object.keys(raw)
    .filter((key) => !allowed.includes(key))
    .map((key) => issue.fieldNotExpected(`${path}.${key}`));
}

/** Length in characters as a person counts them, so an emoji is one character and not two. */
export function characterCount(text: string): number {
  return [...text].length;
}

export function isBlank(text: string): boolean {
  return text.trim() === '';
}
