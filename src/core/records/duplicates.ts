import type { FieldCatalog } from '../fields/catalog.js';
import { indexTerms } from '../fields/indexing.js';
import { applyValuePatch } from '../fields/values.js';
import type { Repositories } from '../ports.js';
import type { RecordDraft } from './draft.js';
import type { CrmRecord } from './model.js';

/** Codes of the fields whose values identify a person across records. */
const IDENTITY_CODES = ['PHONE', 'EMAIL'];

/**
 * For each contact draft, the existing contact that already holds one of its phones (as digits) or
 * emails (lower-cased), or null. One query per identity field for the whole batch.
 */
export async function matchExistingContacts(
  repos: Repositories,
  accountId: number,
  catalog: FieldCatalog,
  drafts: readonly (RecordDraft | undefined)[],
): Promise<(number | null)[]> {
  const matches: (number | null)[] = drafts.map(() => null);
  for (const code of IDENTITY_CODES) {
    const field = catalog.getByCode('contacts', code);
    if (!field) continue;
    const textsOf = drafts.map((draft) => {
      if (draft?.customFieldsValues === undefined) return [];
      const parsed = applyValuePatch({ catalog, entityType: 'contacts', current: [], patch: draft.customFieldsValues });
      if (parsed.errors.length > 0) return [];
      return indexTerms(catalog, parsed.next.filter((value) => value.field_id === field.id)).flatMap((term) => (term.text ? [term.text] : []));
    });
    const found = await repos.records.findByFieldText(accountId, 'contacts', field.id, [...new Set(textsOf.flat())]);
    // Rows come in record order, so the first holder of a text is the oldest contact.
    const holder = new Map<string, number>();
    for (const row of found) if (!holder.has(row.text)) holder.set(row.text, row.recordId);
    textsOf.forEach((texts, index) => {
      if (matches[index] !== null) return;
      const match = texts.map((text) => holder.get(text)).find((id) => id !== undefined);
      if (match !== undefined) matches[index] = match;
    });
  }
  return matches;
}

/** The leads linked to each contact, deleted ones left out. */
export async function leadsOfContacts(repos: Repositories, accountId: number, contactIds: readonly number[]): Promise<Map<number, CrmRecord[]>> {
  const links = (await repos.links.ofRecords(accountId, [...new Set(contactIds)])).filter((link) => link.toEntityType === 'leads');
  const leads = new Map(
    (await repos.records.getMany(accountId, 'leads', [...new Set(links.map((link) => link.toEntityId))])).filter((lead) => !lead.isDeleted).map((lead) => [lead.id, lead]),
  );
  const byContact = new Map<number, CrmRecord[]>();
  for (const link of links) {
    const lead = leads.get(link.toEntityId);
    if (lead) byContact.set(link.entityId, [...(byContact.get(link.entityId) ?? []), lead]);
  }
  return byContact;
}
