/** Fields every contact and company has from the start; the bootstrap creates them. */
import { createDefinition, type IdSource, type NewFieldDefinition } from './definitions.js';
import type { DefinitionDraft } from './draft.js';

const PREDEFINED_DRAFTS: readonly DefinitionDraft[] = [
  {
    name: 'Phone',
    type: 'multitext',
    code: 'PHONE',
    sort: 4,
    enums: ['WORK', 'WORKDD', 'MOB', 'FAX', 'HOME', 'OTHER'].map((code, index) => ({ value: code, code, sort: index + 1 })),
  },
  {
    name: 'Email',
    type: 'multitext',
    code: 'EMAIL',
    sort: 6,
    enums: ['WORK', 'PRIV', 'OTHER'].map((code, index) => ({ value: code, code, sort: index + 1 })),
  },
];

/**
 * PHONE and EMAIL for contacts or companies, predefined and undeletable. Option ids come from
 * `ids`; the store gives the fields their ids.
 */
export function predefinedContactFields(entityType: 'contacts' | 'companies', ids: IdSource): NewFieldDefinition[] {
  return PREDEFINED_DRAFTS.map((draft) => {
    const created = createDefinition(draft, { entityType, existing: [], ids });
    if (!created.ok) throw new Error(`Predefined field ${draft.code ?? ''} is invalid: ${JSON.stringify(created.errors)}`);
    return { ...created.value, isPredefined: true, isDeletable: false };
  });
}
