import { randomUUID } from 'node:crypto';
import type { NewFieldDefinition } from '../ports.js';
import type { EntityType } from '../fields/model.js';

const PHONE_CODES = ['WORK', 'WORKDD', 'MOB', 'FAX', 'HOME', 'OTHER'];
const EMAIL_CODES = ['WORK', 'PRIV', 'OTHER'];

/** Enum ids of predefined fields are small and fixed, like smart_address parts, so every account shares them. */
function multitext(entityType: EntityType, name: string, code: string, enumCodes: string[], firstEnumId: number, sort: number, now: number): NewFieldDefinition {
  return {
    uuid: randomUUID(),
    entityType,
    name,
    code,
    type: 'multitext',
    sort,
    groupId: null,
    description: null,
    isApiOnly: false,
    isEditable: true,
    isRequired: false,
    isPredefined: true,
    isDeletable: false,
    requiredStatuses: [],
    hiddenStatuses: [],
    enums: enumCodes.map((value, index) => ({ id: firstEnumId + index, value, sort: (index + 1) * 2, code: value })),
    nested: null,
    remind: null,
    currency: null,
    chainedLists: null,
    trackingCallback: null,
    searchIn: null,
    settings: {},
    createdAt: now,
    updatedAt: now,
  };
}

/** PHONE and EMAIL on contacts and companies: every account has them and none can delete them. */
export function predefinedFieldDrafts(now: number): NewFieldDefinition[] {
  return (['contacts', 'companies'] as const).flatMap((entityType, entityIndex) => [
    multitext(entityType, 'Phone', 'PHONE', PHONE_CODES, 100 + entityIndex * 20, 4, now),
    multitext(entityType, 'Email', 'EMAIL', EMAIL_CODES, 110 + entityIndex * 20, 5, now),
  ]);
}
