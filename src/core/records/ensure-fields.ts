import { isAllowed } from '../access/authorize.js';
import { DomainError } from '../errors.js';
import { createDefinition } from '../fields/definitions.js';
import type { DefinitionDraft } from '../fields/draft.js';
import type { EntityType, FieldDefinition } from '../fields/model.js';
import { idsFrom, stampNewDefinition } from '../fields/stamp.js';
import type { WriteContext } from './write.js';

/**
 * Makes sure the fields `drafts` describe exist on `entityType`, matched by code, creating the
 * missing ones as predefined, undeletable fields. This is provisioning rather than administration:
 * a dialect whose records carry built-in fields (a lead's phones, say) creates them on first use,
 * so anyone who may write such records may trigger it. Returns the entity's definitions.
 */
export function ensureFields(context: WriteContext, entityType: EntityType, drafts: readonly DefinitionDraft[]): Promise<FieldDefinition[]> {
  const { principal } = context;
  if (!isAllowed(principal, entityType, 'add') && !isAllowed(principal, entityType, 'edit')) {
    throw DomainError.forbidden(`You have no right to edit ${entityType}`);
  }
  return context.store.transaction(async (repos) => {
    await repos.fields.lockForChange(principal.accountId);
    const existing = await repos.fields.list(principal.accountId);
    const missing = drafts.filter((draft) => !existing.some((field) => field.entityType === entityType && field.code === draft.code));
    if (missing.length === 0) return existing.filter((field) => field.entityType === entityType);
    const optionCount = missing.reduce((sum, draft) => sum + (draft.enums?.length ?? 0), 0);
    const ids = idsFrom(optionCount === 0 ? 0 : await repos.sequences.reserve('options', optionCount), optionCount);
    const now = context.clock();
    const created = missing.map((draft) => {
      const built = createDefinition(draft, { entityType, existing, ids });
      if (!built.ok) throw new Error(`Built-in field ${draft.code ?? ''} is invalid: ${JSON.stringify(built.errors)}`);
      return stampNewDefinition({ ...built.value, isPredefined: true, isDeletable: false }, now);
    });
    await repos.fields.insert(principal.accountId, created);
    return repos.fields.list(principal.accountId, entityType);
  });
}
