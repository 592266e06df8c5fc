import type { Principal } from '../access/principal.js';
import type { EventQuery, Store } from '../ports.js';
import type { StoredEvent } from './model.js';

/** The account's change feed, newest first. */
export function listEvents(store: Store, principal: Principal, query: EventQuery): Promise<StoredEvent[]> {
  return store.repos.events.list(principal.accountId, query);
}

/** One event of the account's feed, or null when it has none with this id. */
export async function findEvent(store: Store, principal: Principal, eventId: number): Promise<StoredEvent | null> {
  const [event] = await store.repos.events.list(principal.accountId, { ids: [eventId], offset: 0, limit: 1 });
  return event ?? null;
}
