import { authorize, isAllowed } from '../access/authorize.js';
import type { Principal } from '../access/principal.js';
import { DETAILS, DomainError, errorItem, type ErrorItem, type ItemErrors } from '../errors.js';
import type { DomainEvent } from '../events/model.js';
import type { EntityType } from '../fields/model.js';
import type { Repositories, Store } from '../ports.js';
import type { UseCaseContext } from '../use-cases.js';
import { EVENT_NOUN, linkEvent } from './events.js';
import type { CrmRecord, Link } from './model.js';

/** One link to make or undo. The target type arrives unchecked: which types may be linked is decided here. */
export interface LinkRequest {
  entityId: number;
  toEntityType: string;
  toEntityId: number;
  metadata: Link['metadata'];
}

export type LinkChange = 'link' | 'unlink';

/** What each kind of record may be linked to, and how many of each it may have. */
const LINK_TARGETS: Partial<Record<EntityType, Partial<Record<EntityType, number>>>> = {
  leads: { contacts: Infinity, companies: 1 },
  contacts: { companies: 1, leads: Infinity },
  companies: { contacts: Infinity, leads: Infinity },
};

function isLinkable(entityType: EntityType, toEntityType: string): toEntityType is EntityType {
  const targets = LINK_TARGETS[entityType] ?? {};
  return Object.hasOwn(targets, toEntityType);
}

function isSingle(entityType: EntityType, toEntityType: EntityType): boolean {
  return LINK_TARGETS[entityType]?.[toEntityType] === 1;
}

/** The records linked to one record, optionally only the one target asked about. */
export async function listLinks(
  store: Store,
  principal: Principal,
  entityType: EntityType,
  entityId: number,
  target?: { toEntityType: string; toEntityId: number },
): Promise<Link[]> {
  const record = await findRecord(store.repos, principal.accountId, entityType, entityId);
  authorize(principal, entityType, 'view', record);
  const links = await store.repos.links.ofRecords(principal.accountId, [entityId]);
  return links.filter((link) => !target || (link.toEntityType === target.toEntityType && link.toEntityId === target.toEntityId));
}

/** The links of many records at once; records the caller may not view, or that do not exist, have none. */
export async function listLinksOfMany(store: Store, principal: Principal, entityType: EntityType, entityIds: readonly number[]): Promise<Link[]> {
  authorize(principal, entityType, 'view');
  const records = await store.repos.records.getMany(principal.accountId, entityType, entityIds);
  const visible = records.filter((record) => !record.isDeleted && isAllowed(principal, entityType, 'view', record));
  return store.repos.links.ofRecords(principal.accountId, visible.map((record) => record.id));
}

/** Links or unlinks one record, named by the caller rather than by the items: a missing one is not found. */
export async function changeRecordLinks(
  context: UseCaseContext,
  entityType: EntityType,
  entityId: number,
  targets: readonly Omit<LinkRequest, 'entityId'>[],
  change: LinkChange,
): Promise<Link[]> {
  return context.store.transaction(async (repos) => {
    await findRecord(repos, context.principal.accountId, entityType, entityId);
    return applyLinks(repos, context, entityType, targets.map((target) => ({ ...target, entityId })), change);
  });
}

/**
 * Makes `targets` the whole set of one record's links to `toEntityType`, in one transaction: the
 * links not among them are undone, the others made or given the metadata sent. An empty list unlinks all.
 */
export async function replaceRecordLinks(
  context: UseCaseContext,
  entityType: EntityType,
  entityId: number,
  toEntityType: EntityType,
  targets: readonly { toEntityId: number; metadata: Link['metadata'] }[],
): Promise<Link[]> {
  const accountId = context.principal.accountId;
  return context.store.transaction(async (repos) => {
    await repos.records.lockForUpdate(accountId, [entityId]);
    authorize(context.principal, entityType, 'edit', await findRecord(repos, accountId, entityType, entityId));
    const kept = new Set(targets.map((target) => target.toEntityId));
    const current = await repos.links.ofRecords(accountId, [entityId]);
    // Stored links are undone as they are, even one to a record deleted since.
    await removeLinks(repos, context, current.filter((link) => link.toEntityType === toEntityType && !kept.has(link.toEntityId)));
    return applyLinks(repos, context, entityType, targets.map((target) => ({ ...target, entityId, toEntityType })), 'link');
  });
}

/** The mass form: each item names its record, and a missing one is an error of that item. */
export async function changeLinks(context: UseCaseContext, entityType: EntityType, requests: readonly LinkRequest[], change: LinkChange): Promise<Link[]> {
  return context.store.transaction((repos) => applyLinks(repos, context, entityType, requests, change));
}

/**
 * A lead has one company and a contact one company: linking another replaces the old link, from
 * whichever end the new link was made. Returns the replaced links, seen from the end that holds one.
 */
export async function replaceSingleLinks(repos: Repositories, accountId: number, links: readonly Link[]): Promise<Link[]> {
  const held = links.flatMap((link) =>
    isSingle(link.entityType, link.toEntityType) ? [link] : isSingle(link.toEntityType, link.entityType) ? [reversed(link)] : [],
  );
  if (held.length === 0) return [];
  const stored = await repos.links.ofRecords(accountId, held.map((link) => link.entityId));
  const replaced = stored.filter((old) =>
    held.some((link) => link.entityId === old.entityId && link.toEntityType === old.toEntityType && link.toEntityId !== old.toEntityId),
  );
  await repos.links.remove(accountId, replaced);
  return replaced;
}

/** The records that have one main contact among their contacts. */
const HAS_MAIN_CONTACT: readonly EntityType[] = ['leads', 'companies'];

/**
 * A lead, or a company, has one main contact: linking a contact as main makes every other contact of
 * that record a plain one. Call it before the new links are stored.
 */
export async function keepOneMainContact(repos: Repositories, accountId: number, links: readonly Link[]): Promise<void> {
  const mains = links
    .map((link) => (link.entityType === 'contacts' && HAS_MAIN_CONTACT.includes(link.toEntityType) ? reversed(link) : link))
    .filter((link) => HAS_MAIN_CONTACT.includes(link.entityType) && link.toEntityType === 'contacts' && link.metadata.isMain === true);
  if (mains.length === 0) return;
  const stored = await repos.links.ofRecords(accountId, mains.map((link) => link.entityId));
  const demoted = stored
    .filter((old) => old.toEntityType === 'contacts' && old.metadata.isMain === true)
    .filter((old) => mains.some((main) => main.entityId === old.entityId && main.toEntityId !== old.toEntityId))
    .map((old) => ({ ...old, metadata: { ...old.metadata, isMain: false } }));
  await repos.links.add(accountId, demoted);
}

async function applyLinks(repos: Repositories, context: UseCaseContext, entityType: EntityType, requests: readonly LinkRequest[], change: LinkChange): Promise<Link[]> {
  const { principal } = context;
  const accountId = principal.accountId;
  // Before the reads: the links of one record change one request after another, so that a lead keeps one
  // main contact and one company however many requests link it at once.
  await repos.records.lockForUpdate(accountId, [...new Set(requests.flatMap((request) => [request.entityId, request.toEntityId]))]);
  const [sources, targets] = await Promise.all([
    loadRecords(repos, accountId, entityType, requests.map((request) => request.entityId)),
    loadTargets(repos, accountId, entityType, requests),
  ]);
  const failures: ItemErrors[] = [];
  const links = new Map<string, Link>();
  const heldSlots = new Map<string, number>();
  requests.forEach((request, index) => {
    const errors: ErrorItem[] = [];
    const source = sources.get(request.entityId);
    if (!source) errors.push(errorItem('NotSupportedChoice', 'entity_id', DETAILS.NotSupportedChoice));
    else authorize(principal, entityType, 'edit', source);
    if (!isLinkable(entityType, request.toEntityType)) errors.push(errorItem('NotSupportedChoice', 'to_entity_type', DETAILS.NotSupportedChoice));
    else if (!targets.has(recordKey(request.toEntityType, request.toEntityId))) errors.push(errorItem('NotSupportedChoice', 'to_entity_id', DETAILS.NotSupportedChoice));
    else if (errors.length === 0) {
      const link: Link = { entityType, entityId: request.entityId, toEntityType: request.toEntityType, toEntityId: request.toEntityId, metadata: request.metadata };
      if (change === 'link') claimSingleSlot(heldSlots, link, errors);
      links.set(linkKey(link), link);
    }
    if (errors.length > 0) failures.push({ index, requestId: String(index), errors });
  });
  if (failures.length > 0) throw DomainError.invalid(failures);

  const stored = new Map((await repos.links.ofRecords(accountId, [...sources.keys()])).map((link) => [linkKey(link), link]));
  if (change === 'unlink') return removeLinks(repos, context, [...links.values()].filter((link) => stored.has(linkKey(link))));
  // Linking again keeps what the request leaves out of the metadata: each end may describe the link its own way.
  const wanted = [...links.values()].map((link) => {
    const known = stored.get(linkKey(link));
    return known ? { ...link, metadata: { ...known.metadata, ...definedOnly(link.metadata) } } : link;
  });
  const replaced = await replaceSingleLinks(repos, accountId, wanted);
  await keepOneMainContact(repos, accountId, wanted);
  await repos.links.add(accountId, wanted);
  const added = wanted.filter((link) => !stored.has(linkKey(link)));
  await repos.events.append(accountId, [...linkEvents(context, replaced, false), ...linkEvents(context, added, true)]);
  return wanted;
}

/** Undoes links known to be stored, each with its event. */
async function removeLinks(repos: Repositories, context: UseCaseContext, links: readonly Link[]): Promise<Link[]> {
  await repos.links.remove(context.principal.accountId, links);
  await repos.events.append(context.principal.accountId, linkEvents(context, links, false));
  return [...links];
}

function linkEvents(context: UseCaseContext, links: readonly Link[], linked: boolean): DomainEvent[] {
  const now = context.clock();
  return links.map((link) =>
    linkEvent({ entityType: EVENT_NOUN[link.entityType], entityId: link.entityId, createdBy: context.principal.userId, createdAt: now }, link.toEntityType, link.toEntityId, linked),
  );
}

/** Two links in one request may not both fill a record's one company. */
function claimSingleSlot(heldSlots: Map<string, number>, link: Link, errors: ErrorItem[]): void {
  const held = isSingle(link.entityType, link.toEntityType) ? link : isSingle(link.toEntityType, link.entityType) ? reversed(link) : null;
  if (!held) return;
  const slot = `${held.entityId}:${held.toEntityType}`;
  const claimed = heldSlots.get(slot);
  if (claimed !== undefined && claimed !== held.toEntityId) {
    errors.push(errorItem('TooMany', 'to_entity_id', `A ${EVENT_NOUN[held.entityType]} has one linked ${EVENT_NOUN[held.toEntityType]}; this request links two.`));
  } else heldSlots.set(slot, held.toEntityId);
}

async function findRecord(repos: Repositories, accountId: number, entityType: EntityType, id: number): Promise<CrmRecord> {
  const record = (await loadRecords(repos, accountId, entityType, [id])).get(id);
  if (!record) throw DomainError.notFound(`${capitalised(EVENT_NOUN[entityType])} not found`);
  return record;
}

async function loadRecords(repos: Repositories, accountId: number, entityType: EntityType, ids: readonly number[]): Promise<Map<number, CrmRecord>> {
  const records = await repos.records.getMany(accountId, entityType, [...new Set(ids)]);
  return new Map(records.filter((record) => !record.isDeleted).map((record) => [record.id, record]));
}

async function loadTargets(repos: Repositories, accountId: number, entityType: EntityType, requests: readonly LinkRequest[]): Promise<Set<string>> {
  const wanted = new Map<EntityType, number[]>();
  for (const request of requests) {
    if (isLinkable(entityType, request.toEntityType)) wanted.set(request.toEntityType, [...(wanted.get(request.toEntityType) ?? []), request.toEntityId]);
  }
  return liveTargets(repos, accountId, wanted);
}

/**
 * The `type:id` keys of the records among `wanted` that a link may point to: those that exist and are
 * not deleted. Both the links API and a record's own write check their targets here.
 */
export async function liveTargets(repos: Repositories, accountId: number, wanted: ReadonlyMap<EntityType, Iterable<number>>): Promise<Set<string>> {
  const found = await Promise.all([...wanted].map(async ([type, ids]) => [type, await repos.records.liveIds(accountId, type, [...ids])] as const));
  return new Set(found.flatMap(([type, ids]) => [...ids].map((id) => recordKey(type, id))));
}

function definedOnly(metadata: Link['metadata']): Link['metadata'] {
  return Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== undefined));
}

function reversed(link: Link): Link {
  return { ...link, entityType: link.toEntityType, entityId: link.toEntityId, toEntityType: link.entityType, toEntityId: link.entityId };
}

function recordKey(entityType: string, id: number): string {
  return `${entityType}:${id}`;
}

function linkKey(link: Omit<Link, 'metadata'>): string {
  return `${link.entityId}>${recordKey(link.toEntityType, link.toEntityId)}`;
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
