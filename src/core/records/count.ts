import type { Principal } from '../access/principal.js';
import type { EntityType } from '../fields/model.js';
import type { Store } from '../ports.js';
import type { RecordQuery } from './model.js';
import { indexedQuery } from './read.js';

/** How many records the caller would see over all pages of `query`. */
export async function countRecords(store: Store, principal: Principal, entityType: EntityType, query: RecordQuery): Promise<number> {
  return store.repos.records.count(principal.accountId, entityType, await indexedQuery(store, principal, entityType, query));
}
