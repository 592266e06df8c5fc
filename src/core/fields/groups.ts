/**
 * Field groups: named tabs that fields of one entity type are arranged in.
 *
 * Every entity type has the predefined group `default`, which is not stored: a field belongs to it
 * when its `groupId` is null, so the one group all new fields start in needs no row and cannot be
 * deleted or renamed. Stored groups have ids such as `leads_1042`, unique across entity types.
 */
import type { ErrorItem } from '../errors.js';
import { characterCount, isBlank, issue } from './issues.js';
import type { EntityType } from './model.js';

export const DEFAULT_GROUP_ID = 'default';

export interface FieldGroup {
  id: string;
  entityType: EntityType;
  name: string;
  sort: number;
  isPredefined: boolean;
}

/** What a client may send to create or change a group; `fieldIds` are moved into the group. */
export interface GroupDraft {
  name?: string;
  sort?: number;
  fieldIds?: number[];
}

const MAX_NAME_LENGTH = 255;
const DEFAULT_GROUP_SORT = 0;

export function defaultGroup(entityType: EntityType): FieldGroup {
  return { id: DEFAULT_GROUP_ID, entityType, name: 'Main', sort: DEFAULT_GROUP_SORT, isPredefined: true };
}

/** The group a field's `groupId` places it in. */
export function groupIdOf(fieldGroupId: string | null): string {
  return fieldGroupId ?? DEFAULT_GROUP_ID;
}

/** The `groupId` a field gets when placed in `groupId`: the predefined group is stored as null. */
export function fieldGroupIdFor(groupId: string | null): string | null {
  return groupId === DEFAULT_GROUP_ID ? null : groupId;
}

export function groupNameErrors(name: string | undefined, required: boolean): ErrorItem[] {
  if (name === undefined) return required ? [issue.fieldMissing('name')] : [];
  if (isBlank(name)) return [issue.notBlank('name')];
  return characterCount(name) > MAX_NAME_LENGTH ? [issue.tooLong('name', MAX_NAME_LENGTH)] : [];
}
