import { DomainError, type ErrorCode } from '../errors.js';
import type { FieldDefinition } from '../fields/model.js';

/** Where a value change comes from: an integration through the API, or a person in the web console. */
export type ChangeChannel = 'api' | 'console';

export type GuardedField = Pick<FieldDefinition, 'id' | 'name' | 'isApiOnly' | 'isEditable'>;

export interface ValueChangeDenial {
  fieldId: number;
  code: Extract<ErrorCode, 'NotEditable' | 'Forbidden'>;
  detail: string;
}

/**
 * The refusals for changing the values of `changedFieldIds`: a field marked not editable refuses
 * every change, and an API-only field refuses changes from the console. Ids without a definition are
 * left to value validation, which reports them as unknown fields.
 */
export function valueChangeDenials(
  definitions: readonly GuardedField[],
  changedFieldIds: Iterable<number>,
  channel: ChangeChannel,
): ValueChangeDenial[] {
  const byId = new Map(definitions.map((definition) => [definition.id, definition]));
  const denials: ValueChangeDenial[] = [];
  for (const fieldId of new Set(changedFieldIds)) {
    const field = byId.get(fieldId);
    if (!field) continue;
    if (!field.isEditable) {
      denials.push({ fieldId, code: 'NotEditable', detail: `Field ${fieldId} "${field.name}" is not editable` });
    } else if (field.isApiOnly && channel === 'console') {
      denials.push({ fieldId, code: 'Forbidden', detail: `Field ${fieldId} "${field.name}" can only be changed through the API` });
    }
  }
  return denials;
}

/** Throws one 403 naming every refused field, or returns when all changes are allowed. */
export function assertValueChangesAllowed(
  definitions: readonly GuardedField[],
  changedFieldIds: Iterable<number>,
  channel: ChangeChannel,
): void {
  const denials = valueChangeDenials(definitions, changedFieldIds, channel);
  if (denials.length > 0) throw DomainError.forbidden(denials.map((denial) => denial.detail).join('; '));
}
