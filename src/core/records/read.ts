import type { Principal } from '../access/principal.js';
import { authorize, scopeOf } from '../access/authorize.js';
import type { EntityType } from '../fields/model.js';
import type { Store } from '../ports.js';
import type { IndexedQuery, LossReason, RecordQuery, ShownRecords } from './model.js';
import { FieldCatalog } from '../fields/catalog.js';
import { termFilter } from '../fields/filters.js';

/** Records with what a reader asked to embed: tags always, links and loss reasons on request. */
export interface RecordPage extends ShownRecords {
  lossReasons: LossReason[];
}

export interface Embedding {
  links?: boolean;
  lossReasons?: boolean;
}

export async function listRecords(store: Store, principal: Principal, entityType: EntityType, query: RecordQuery, embed: Embedding = {}): Promise<RecordPage> {
  const shown = await store.repos.records.listShown(principal.accountId, entityType, await indexedQuery(store, principal, entityType, query));
  return withEmbedded(store, principal, shown, embed);
}

/** `query` ready for the store: narrowed to what the caller may see, its field filters in index terms. */
export async function indexedQuery(store: Store, principal: Principal, entityType: EntityType, query: RecordQuery): Promise<IndexedQuery> {
  const { customFields, ...visible } = visibleQuery(principal, entityType, query);
  if (!customFields) return visible;
  const catalog = FieldCatalog.of(await store.repos.fields.list(principal.accountId, entityType));
  return { ...visible, fieldTerms: customFields.map((filter) => termFilter(catalog.get(filter.fieldId), filter)) };
}

/** `query` as the caller may run it: a user who may view only their own records sees a list narrowed to them, not an error. */
export function visibleQuery(principal: Principal, entityType: EntityType, query: RecordQuery): RecordQuery {
  authorize(principal, entityType, 'view');
  return scopeOf(principal, entityType, 'view') === 'own'
    ? { ...query, responsibleUserIds: (query.responsibleUserIds ?? [principal.userId]).filter((id) => id === principal.userId) }
    : query;
}

export async function getRecord(store: Store, principal: Principal, entityType: EntityType, id: number, embed: Embedding = {}): Promise<RecordPage> {
  const shown = await store.repos.records.getShown(principal.accountId, entityType, [id]);
  const records = shown.records.filter((record) => !record.isDeleted);
  if (records[0]) authorize(principal, entityType, 'view', records[0]);
  else authorize(principal, entityType, 'view');
  return withEmbedded(store, principal, { ...shown, records }, embed);
}

async function withEmbedded(store: Store, principal: Principal, shown: ShownRecords, embed: Embedding): Promise<RecordPage> {
  const lossReasons = embed.lossReasons ? await store.repos.lossReasons.list(principal.accountId) : [];
  // Leads always show their company, contacts theirs, as Kommo does; other links only on request.
  const links = embed.links ? shown.links : shown.links.filter((link) => link.toEntityType === 'companies');
  return { ...shown, links, lossReasons };
}
