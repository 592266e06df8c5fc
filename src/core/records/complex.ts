import { DomainError, type ItemErrors } from '../errors.js';
import { FieldCatalog } from '../fields/catalog.js';
import { leadsOfContacts, matchExistingContacts } from './duplicates.js';
import type { RecordDraft } from './draft.js';
import { incomingStage } from './stages.js';
import { writeRecordsWith, type WriteContext } from './write.js';
import type { Pipeline } from '../pipelines/model.js';

/** One lead of a complex add, with at most one new or matched contact and one new company. */
export interface ComplexDraft {
  requestId: string;
  lead: RecordDraft;
  /** An incoming lead (from a form or a call): it enters its pipeline's incoming leads stage, whatever stage it names. */
  incoming?: boolean;
  contact?: RecordDraft;
  company?: RecordDraft;
}

export interface ComplexResult {
  leadId: number;
  contactId: number | null;
  companyId: number | null;
  requestIds: string[];
  /** True when the contact matched an existing one and the lead was merged into that contact's open lead. */
  merged: boolean;
}

/**
 * Adds leads with their contact and company in one transaction. Duplicate control: an embedded
 * contact whose normalised phone or email matches an existing contact is not created again; the
 * existing contact is used, and when it already has an open lead, the new lead's data is merged
 * into that lead instead of creating a second one.
 */
export async function complexAdd(context: WriteContext, drafts: readonly ComplexDraft[]): Promise<ComplexResult[]> {
  return context.store.transaction(async (repos) => {
    const accountId = context.principal.accountId;
    const catalog = FieldCatalog.of(await repos.fields.list(accountId));
    const failures: ItemErrors[] = [];
    const collect = async <T>(work: () => Promise<T>, origin: (subIndex: number) => { index: number; prefix: string }): Promise<T | null> => {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
        for (const item of error.items) {
          const { index, prefix } = origin(item.index);
          failures.push({
            index,
            requestId: drafts[index]?.requestId ?? String(index),
            errors: item.errors.map((entry) => ({ ...entry, path: [prefix, entry.path].filter(Boolean).join('.') })),
          });
        }
        return null;
      }
    };

    const matchedContacts = await matchExistingContacts(repos, accountId, catalog, drafts.map((draft) => draft.contact));
    const leadsOf = await leadsOfContacts(repos, accountId, matchedContacts.filter((id): id is number => id !== null));
    const matches = matchedContacts.map((contactId): ContactMatch | null => {
      if (contactId === null) return null;
      const open = (leadsOf.get(contactId) ?? []).filter((lead) => lead.closedAt === null).sort((a, b) => b.id - a.id);
      return { contactId, openLeadId: open[0]?.id ?? null };
    });

    const withCompany = drafts.map((draft, index) => ({ draft, index })).filter(({ draft }) => draft.company);
    const companies = await collect(
      () => writeRecordsWith(repos, context, 'companies', withCompany.map(({ draft }) => draft.company!), 'create'),
      (sub) => ({ index: withCompany[sub]!.index, prefix: '_embedded.companies.0' }),
    );
    const companyOf = new Map(withCompany.map(({ index }, sub) => [index, companies?.[sub]?.record.id ?? null]));

    const newContacts = drafts.map((draft, index) => ({ draft, index })).filter(({ draft, index }) => draft.contact && matches[index] === null);
    const contacts = await collect(
      () =>
        writeRecordsWith(
          repos,
          context,
          'contacts',
          newContacts.map(({ draft, index }) => {
            const companyId = companyOf.get(index);
            return { ...draft.contact!, links: companyId ? [{ entityType: 'companies' as const, id: companyId }] : draft.contact!.links };
          }),
          'create',
        ),
      (sub) => ({ index: newContacts[sub]!.index, prefix: '_embedded.contacts.0' }),
    );
    const contactOf = new Map<number, number | null>(drafts.map((_draft, index) => [index, matches[index]?.contactId ?? null]));
    newContacts.forEach(({ index }, sub) => contactOf.set(index, contacts?.[sub]?.record.id ?? null));

    const pipelines = drafts.some((draft) => draft.incoming) ? await repos.pipelines.list(accountId) : [];
    const leadDrafts = drafts.map((draft, index): RecordDraft => {
      const contactId = contactOf.get(index);
      const companyId = companyOf.get(index);
      const links = [
        ...(contactId ? [{ entityType: 'contacts' as const, id: contactId, isMain: true }] : []),
        ...(companyId ? [{ entityType: 'companies' as const, id: companyId }] : []),
      ];
      const mergeInto = matches[index]?.openLeadId;
      const lead = draft.incoming ? placedIncoming(draft.lead, pipelines, Boolean(mergeInto)) : draft.lead;
      return { ...lead, ...(mergeInto ? { id: mergeInto } : {}), links: [...(draft.lead.links ?? []), ...links] };
    });
    const merging = leadDrafts.map((draft, index) => ({ draft, index })).filter(({ draft }) => draft.id !== undefined);
    const creating = leadDrafts.map((draft, index) => ({ draft, index })).filter(({ draft }) => draft.id === undefined);
    const created = await collect(
      () => writeRecordsWith(repos, context, 'leads', creating.map(({ draft }) => draft), 'create'),
      (sub) => ({ index: creating[sub]!.index, prefix: '' }),
    );
    const updated = await collect(
      () => writeRecordsWith(repos, context, 'leads', merging.map(({ draft }) => ({ ...draft, links: draft.links?.filter((link) => link.entityType !== 'contacts') })), 'update'),
      (sub) => ({ index: merging[sub]!.index, prefix: '' }),
    );
    if (failures.length > 0) throw DomainError.invalid(failures.sort((a, b) => a.index - b.index));

    const leadOf = new Map<number, number>();
    creating.forEach(({ index }, sub) => leadOf.set(index, created![sub]!.record.id));
    merging.forEach(({ index }, sub) => leadOf.set(index, updated![sub]!.record.id));
    return drafts.map((draft, index) => ({
      leadId: leadOf.get(index)!,
      contactId: contactOf.get(index) ?? null,
      companyId: companyOf.get(index) ?? null,
      requestIds: [draft.requestId],
      merged: matches[index]?.openLeadId !== undefined && matches[index]?.openLeadId !== null,
    }));
  });
}

/**
 * An incoming lead's stage: its pipeline's incoming leads stage, whatever it named. Merged into an open
 * lead, it moves that lead nowhere. An unknown pipeline is left for the write to refuse.
 */
function placedIncoming(lead: RecordDraft, pipelines: readonly Pipeline[], merging: boolean): RecordDraft {
  const { statusId: _named, pipelineId, ...rest } = lead;
  if (merging) return rest;
  return { ...rest, ...(incomingStage(pipelines, pipelineId) ?? { pipelineId }) };
}

interface ContactMatch {
  contactId: number;
  openLeadId: number | null;
}
