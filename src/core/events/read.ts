import type { Principal } from '../access/principal.js';
import type { EventQuery, Store } from '../ports.js';
import type { StoredEvent } from './model.js';

/** The account's change feed, newest first. */
export function listEvents(store: Store, principal: Principal, query: EventQuery): Promise<StoredEvent[]> {
  return store.repos.events.list(principal.accountId, query);
}
