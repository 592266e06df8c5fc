import { accept, issue, reject, type Parsed } from '../issues.js';
import { numberTerm } from '../terms.js';
import type { FieldTypeModule } from '../type-module.js';
import { scalarItem } from './item.js';

type NumericType = 'numeric' | 'monetary' | 'price';

const MAX_FRACTION_DIGITS: Record<NumericType, number> = { numeric: 6, monetary: 2, price: 6 };

/** Integer part digits; keeps |x| < 1e15 so every value is exact as a double up to its integer part. */
const MAX_INTEGER_DIGITS = 15;
const LIMIT = '1000000000000000';

const DECIMAL_PATTERN = /^([+-]?)(\d+)(?:\.(\d+))?$/;
const CURRENCY_PATTERN = /^[A-Z]{3}$/;

/**
 * A number or numeric string as a canonical decimal string: no exponent, no leading zeros, no
 * trailing fractional zeros, no "-0". Strings keep their exact digits, so "0.1" stays "0.1" and
 * is never routed through a binary double.
 */
function parseDecimal(raw: unknown, path: string, maxFractionDigits: number): Parsed<string> {
  if (typeof raw === 'number' && !Number.isFinite(raw)) {
    return reject([issue.outOfRange(path, `-${LIMIT}`, LIMIT)]);
  }
  const text = typeof raw === 'number' ? numberToPlainText(raw) : raw;
  if (typeof text !== 'string') return reject([issue.invalidType(path, 'numeric')]);
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) return reject([issue.invalidValue(path, 'This value should be a number.')]);
  const [, sign = '', integerDigits = '', fractionDigits = ''] = match;
  const integerPart = integerDigits.replace(/^0+(?=\d)/, '');
  const fractionPart = fractionDigits.replace(/0+$/, '');
  if (integerPart.length > MAX_INTEGER_DIGITS) return reject([issue.outOfRange(path, `-${LIMIT}`, LIMIT)]);
  if (fractionPart.length > maxFractionDigits) {
    return reject([issue.invalidValue(path, `This value should have at most ${maxFractionDigits} decimal places.`)]);
  }
  const magnitude = fractionPart === '' ? integerPart : `${integerPart}.${fractionPart}`;
  return accept(sign === '-' && magnitude !== '0' ? `-${magnitude}` : magnitude);
}

/** `String(n)` uses an exponent below 1e-6 and from 1e21; such numbers fail the digit limits anyway. */
function numberToPlainText(value: number): string {
  const text = String(value);
  if (!text.includes('e')) return text;
  return Math.abs(value) < 1 ? value.toFixed(20) : BigInt(Math.trunc(value)).toString();
}

export const numericModule: FieldTypeModule<NumericType> = {
  definitionRules: (type) => ({
    properties: type === 'monetary' ? { currency: 'required' } : {},
    settings: type === 'numeric' ? ['wholeNumbers', 'userIds'] : [],
  }),
  validateDefinition: (draft) =>
    typeof draft.currency === 'string' && !CURRENCY_PATTERN.test(draft.currency)
      ? [issue.invalidValue('currency', 'This value is not a valid currency.')]
      : [],
  itemKeys: () => ['value'],
  maxItems: () => 1,
  parseItem: (raw, definition, path) =>
    scalarItem(raw, path, (value, valuePath) => {
      const parsed = parseDecimal(value, valuePath, MAX_FRACTION_DIGITS[definition.type]);
      const whole = definition.settings.wholeNumbers === true || definition.settings.userIds === true;
      return parsed.ok && whole && parsed.value.includes('.')
        ? reject([issue.invalidValue(valuePath, 'This value should be a whole number.')])
        : parsed;
    }),
  indexTerms: (item, definition) =>
    typeof item.value === 'string' ? [numberTerm(definition.id, Number(item.value))] : [],
};
