/**
 * Reconciling the option list a client sends (`enums`, or the `nested` tree of a category) with the
 * options a field already has. The list sent is the full new set: an option with an `id` keeps its
 * identity (and is renamed if its text changed), an option without one is created, an option left
 * out is removed. Ids are drawn only once the whole definition is valid, so a refused request
 * consumes none: validation returns a plan that the caller runs with the id source.
 */
import type { ErrorItem } from '../errors.js';
import type { EnumDraft, NestedDraft } from './draft.js';
import { characterCount, isBlank, issue, settle, type Parsed } from './issues.js';
import type { EnumOption, NestedOption } from './model.js';

/** Hands out fresh ids for new options. Synchronous so the engine stays free of I/O. */
export interface IdSource {
  next(): number;
}

export interface ReconciledOptions<T> {
  options: T[];
  /** Ids of options that existed and are gone; stored values still pointing at them must be handled. */
  removedIds: number[];
}

export type OptionPlan<T> = (ids: IdSource) => ReconciledOptions<T>;

const MAX_OPTION_LENGTH = 255;
const CODE_PATTERN = /^[A-Za-z0-9_]{1,64}$/;
const REQUEST_ID_PATTERN = /^[A-Za-z0-9]{1,64}$/;

/** A machine code for a field or an option; the errors, if any, at `path`. */
export function codeErrors(code: string, path: string): ErrorItem[] {
  return CODE_PATTERN.test(code)
    ? []
    : [issue.invalidValue(path, 'This value should be 1 to 64 Latin letters, digits or underscores.')];
}

interface OptionDraftBase {
  id?: number;
  value: string;
  sort?: number;
}

/** Rules every option list shares: known, unrepeated ids; non-blank short texts; integer sorts. */
function baseErrors(drafts: readonly OptionDraftBase[], knownIds: ReadonlySet<number>, path: string): ErrorItem[] {
  const seenIds = new Set<number>();
  return drafts.flatMap((draft, index) => {
    const errors: ErrorItem[] = [];
    if (draft.id !== undefined) {
      if (!knownIds.has(draft.id)) errors.push(issue.notSupportedChoice(`${path}.${index}.id`));
      else if (seenIds.has(draft.id)) errors.push(issue.duplicate(`${path}.${index}.id`));
      seenIds.add(draft.id);
    }
    if (isBlank(draft.value)) errors.push(issue.notBlank(`${path}.${index}.value`));
    else if (characterCount(draft.value) > MAX_OPTION_LENGTH) {
      errors.push(issue.tooLong(`${path}.${index}.value`, MAX_OPTION_LENGTH));
    }
    if (draft.sort !== undefined && !Number.isInteger(draft.sort)) {
      errors.push(issue.invalidType(`${path}.${index}.sort`, 'int'));
    }
    return errors;
  });
}

/** Errors for every entry whose key was already used by an earlier entry. */
function repeatedKeys(keys: readonly (string | null)[], path: (index: number) => string, detail: string): ErrorItem[] {
  const seen = new Set<string>();
  return keys.flatMap((key, index) => {
    if (key === null) return [];
    if (seen.has(key)) return [issue.duplicate(path(index), detail)];
    seen.add(key);
    return [];
  });
}

function removedIds(previous: readonly { id: number }[], kept: readonly { id?: number }[]): number[] {
  const keptIds = new Set(kept.map((draft) => draft.id));
  return previous.filter((option) => !keptIds.has(option.id)).map((option) => option.id);
}

/** A kept option's unspecified properties stay as they were; a new one's sort is its position. */
function sortOf(draft: OptionDraftBase, previous: { sort: number } | undefined, index: number): number {
  return draft.sort ?? previous?.sort ?? index + 1;
}

export function planEnums(
  drafts: readonly EnumDraft[],
  previous: readonly EnumOption[],
  path = 'enums',
): Parsed<OptionPlan<EnumOption>> {
  const byId = new Map(previous.map((option) => [option.id, option]));
  const errors = [
    ...baseErrors(drafts, new Set(byId.keys()), path),
    ...drafts.flatMap((draft, index) => (draft.code ? codeErrors(draft.code, `${path}.${index}.code`) : [])),
    ...repeatedKeys(
      drafts.map((draft) => draft.value),
      (index) => `${path}.${index}.value`,
      'An option with this value already exists.',
    ),
    ...repeatedKeys(
      drafts.map((draft) => draft.code ?? null),
      (index) => `${path}.${index}.code`,
      'An option with this code already exists.',
    ),
  ];
  return settle(errors, () => (ids: IdSource) => ({
    options: drafts.map((draft, index) => {
      const kept = draft.id === undefined ? undefined : byId.get(draft.id);
      return {
        id: kept?.id ?? ids.next(),
        value: draft.value,
        sort: sortOf(draft, kept, index),
        code: draft.code === undefined ? (kept?.code ?? null) : draft.code,
      };
    }),
    removedIds: removedIds(previous, drafts),
  }));
}

/**
 * A category tree. A parent is named by `parentId` (an option that exists and stays) or by
 * `parentRequestId` (the `requestId` of another option of the same request, which lets a whole
 * tree be created at once). A kept option sent without a parent keeps its parent.
 */
export function planNested(
  drafts: readonly NestedDraft[],
  previous: readonly NestedOption[],
  path = 'nested',
): Parsed<OptionPlan<NestedOption>> {
  const byId = new Map(previous.map((option) => [option.id, option]));
  const at = (index: number, key: string): string => `${path}.${index}.${key}`;
  const errors = [
    ...baseErrors(drafts, new Set(byId.keys()), path),
    ...drafts.flatMap((draft, index) =>
      draft.requestId != null && !REQUEST_ID_PATTERN.test(draft.requestId)
        ? [issue.invalidValue(at(index, 'request_id'), 'This value should be 1 to 64 Latin letters or digits.')]
        : [],
    ),
    ...repeatedKeys(
      drafts.map((draft) => draft.requestId ?? null),
      (index) => at(index, 'request_id'),
      'This request id is already used.',
    ),
  ];

  const parentIndexes = drafts.map((draft, index): number | null => {
    const kept = draft.id === undefined ? undefined : byId.get(draft.id);
    const parentId = draft.parentId === undefined ? (kept?.parentId ?? null) : draft.parentId;
    const parentRequestId = draft.parentRequestId ?? null;
    if (parentId !== null && parentRequestId !== null) {
      errors.push(issue.invalidValue(at(index, 'parent_id'), 'Give either parent_id or parent_request_id, not both.'));
      return null;
    }
    if (parentId !== null) {
      const parent = drafts.findIndex((other) => other.id === parentId);
      if (parent === -1) errors.push(issue.notSupportedChoice(at(index, 'parent_id')));
      return parent === -1 ? null : parent;
    }
    if (parentRequestId !== null) {
      const parent = drafts.findIndex((other) => other.requestId === parentRequestId);
      if (parent === -1) errors.push(issue.notSupportedChoice(at(index, 'parent_request_id')));
      return parent === -1 ? null : parent;
    }
    return null;
  });

  drafts.forEach((draft, index) => {
    if (isOwnAncestor(index, parentIndexes)) {
      const key = draft.parentRequestId != null ? 'parent_request_id' : 'parent_id';
      errors.push(issue.invalidValue(at(index, key), 'An option cannot be nested under itself.'));
    }
  });
  errors.push(
    ...repeatedKeys(
      drafts.map((draft, index) => `${parentIndexes[index] ?? 'root'}:${draft.value}`),
      (index) => at(index, 'value'),
      'An option with this value already exists under the same parent.',
    ),
  );

  return settle(errors, () => (ids: IdSource) => {
    const withIds = drafts.map((draft) => ({ draft, id: draft.id ?? ids.next() }));
    return {
      options: withIds.map(({ draft, id }, index) => {
        const parentIndex = parentIndexes[index] ?? null;
        return {
          id,
          parentId: parentIndex === null ? null : (withIds[parentIndex]?.id ?? null),
          value: draft.value,
          sort: sortOf(draft, draft.id === undefined ? undefined : byId.get(draft.id), index),
        };
      }),
      removedIds: removedIds(previous, drafts),
    };
  });
}

function isOwnAncestor(index: number, parentIndexes: readonly (number | null)[]): boolean {
  let ancestor = parentIndexes[index] ?? null;
  for (let steps = 0; ancestor !== null && steps < parentIndexes.length; steps += 1) {
    if (ancestor === index) return true;
    ancestor = parentIndexes[ancestor] ?? null;
  }
  return false;
}
