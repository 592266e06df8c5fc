/** Resolution of the option a value item points at, shared by every type whose items pick an option. */
import type { ErrorItem } from '../../errors.js';
import { accept, issue, reject, type Parsed } from '../issues.js';

export interface Choice {
  id: number;
  value: string;
  code: string | null;
}

/** Keys an item may use to point at an option, in order of precedence. */
export type ChoiceKey = 'enum_id' | 'enum_code' | 'value';

function candidates(key: ChoiceKey, raw: unknown, choices: readonly Choice[], path: string): Parsed<Choice[]> {
  switch (key) {
    case 'enum_id':
      return typeof raw === 'number' && Number.isInteger(raw)
        ? accept(choices.filter((choice) => choice.id === raw))
        : reject([issue.invalidType(path, 'int')]);
    case 'enum_code':
      return typeof raw === 'string'
        ? accept(choices.filter((choice) => choice.code !== null && choice.code === raw))
        : reject([issue.invalidType(path, 'string')]);
    case 'value': {
      // Option texts such as "44" are often sent as numbers.
      const text = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
      return typeof text === 'string'
        ? accept(choices.filter((choice) => choice.value === text))
        : reject([issue.invalidType(path, 'string')]);
    }
  }
}

/**
 * The option named by the item, or null when it names none. `null` under a key counts as absent
 * because clients echo read items such as `{ "enum_code": null }`. The first key present must name
 * exactly one option and every other key must agree with it, so a stale or contradictory echo is
 * refused rather than silently resolved.
 */
export function resolveChoice(
  raw: Record<string, unknown>,
  choices: readonly Choice[],
  path: string,
  keys: readonly ChoiceKey[],
): Parsed<Choice | null> {
  const errors: ErrorItem[] = [];
  let chosen: Choice | null = null;
  for (const key of keys) {
    const given = raw[key];
    if (given === undefined || given === null) continue;
    const keyPath = `${path}.${key}`;
    const found = candidates(key, given, choices, keyPath);
    if (!found.ok) {
      errors.push(...found.errors);
      continue;
    }
    const matches = found.value;
    if (chosen !== null) {
      // A later key only has to agree: echoed text may be shared by options under different parents.
      if (!matches.includes(chosen)) errors.push(issue.notSupportedChoice(keyPath));
      continue;
    }
    const [only, ...others] = matches;
    if (only === undefined || others.length > 0) errors.push(issue.notSupportedChoice(keyPath));
    else chosen = only;
  }
  return errors.length > 0 ? reject(errors) : accept(chosen);
}
