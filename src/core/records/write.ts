import { DomainError, DETAILS, errorItem, type ErrorItem, type ItemErrors } from '../errors.js';
import type { Principal } from '../access/principal.js';
import { authorize } from '../access/authorize.js';
import { assertValueChangesAllowed, type ChangeChannel } from '../access/field-changes.js';
import type { Clock } from '../clock.js';
import type { DomainEvent } from '../events/model.js';
import { FieldCatalog } from '../fields/catalog.js';
import { indexTerms } from '../fields/indexing.js';
import type { EntityType, FieldValue, StageRef } from '../fields/model.js';
import { requiredForStage, requiredOnCreate, requiredOnUpdate } from '../fields/required.js';
import { applyValuePatch, type PatchedEntry, type ValueChange } from '../fields/values.js';
import type { Pipeline } from '../pipelines/model.js';
import type { Repositories, Store } from '../ports.js';
import type { RecordDraft, TagRef } from './draft.js';
import { addedEvent, eventBase, linkEvent, propertyEvents, tagEvents, valueEvents } from './events.js';
import { keepOneMainContact, liveTargets, replaceSingleLinks } from './links.js';
import type { CrmRecord, Link, NewRecord, Tag } from './model.js';
import { isClosedStage, resolveStage } from './stages.js';

export interface WriteContext {
  store: Store;
  principal: Principal;
  clock: Clock;
  /** Who is writing: integrations use the API; API-only fields refuse the console. Defaults to 'api'. */
  channel?: ChangeChannel;
}

/** What the engine wrote for one draft, in the order of the request. */
export interface WrittenRecord {
  record: CrmRecord;
  requestId?: string;
}

/** Which linked records a kind of record may name in a write, and how many of each. */
const LINKABLE: Partial<Record<EntityType, Partial<Record<EntityType, number>>>> = {
  leads: { contacts: Infinity, companies: 1 },
  contacts: { companies: 1 },
  companies: { contacts: Infinity },
  calls: { contacts: 1, leads: 1 },
};

/** Adds records. Every draft is validated first; one invalid draft means nothing is written. */
export function createRecords(context: WriteContext, entityType: EntityType, drafts: readonly RecordDraft[]): Promise<WrittenRecord[]> {
  return context.store.transaction((repos) => write(repos, context, entityType, drafts, 'create'));
}

/** Updates records named by `id`, partially: properties a draft leaves out keep their values. */
export function updateRecords(context: WriteContext, entityType: EntityType, drafts: readonly RecordDraft[]): Promise<WrittenRecord[]> {
  return context.store.transaction((repos) => write(repos, context, entityType, drafts, 'update'));
}

/**
 * Updates one record from what it holds when the update runs: `change` is given the record, locked
 * against other writers until this update commits, and its links, and returns the draft. For changes
 * worked out from the current values (patching one item of a multi-valued field), which a read made
 * before the transaction would base on what another update may be replacing at that moment.
 */
export function updateRecordFrom(
  context: WriteContext,
  entityType: EntityType,
  id: number,
  change: (current: CrmRecord, links: readonly Link[]) => RecordDraft,
): Promise<WrittenRecord> {
  const accountId = context.principal.accountId;
  return context.store.transaction(async (repos) => {
    await repos.records.lockForUpdate(accountId, [id]);
    const [current] = await repos.records.getMany(accountId, entityType, [id]);
    if (!current || current.isDeleted) throw DomainError.notFound(`There is no ${entityType} record with id ${id}.`);
    authorize(context.principal, entityType, 'view', current);
    const draft = change(current, await repos.links.ofRecords(accountId, [id]));
    const [written] = await write(repos, context, entityType, [{ ...draft, id }], 'update');
    return written!;
  });
}

/** The same, inside a transaction the caller already holds (complex add writes several kinds at once). */
export function writeRecordsWith(
  repos: Repositories,
  context: WriteContext,
  entityType: EntityType,
  drafts: readonly RecordDraft[],
  mode: 'create' | 'update',
): Promise<WrittenRecord[]> {
  return write(repos, context, entityType, drafts, mode);
}

interface Planned {
  draft: RecordDraft;
  before: CrmRecord | null;
  after: NewRecord & { id?: number };
  changes: ValueChange[];
  links: Link[];
}

async function write(
  repos: Repositories,
  context: WriteContext,
  entityType: EntityType,
  drafts: readonly RecordDraft[],
  mode: 'create' | 'update',
): Promise<WrittenRecord[]> {
  const { principal } = context;
  const accountId = principal.accountId;
  const now = context.clock();
  const updatedIds = mode === 'update' ? drafts.flatMap((draft) => (draft.id === undefined ? [] : [draft.id])) : [];
  // Before the read: an update merges its changes into the record as the previous writer left it.
  await repos.records.lockForUpdate(accountId, updatedIds);
  const [definitions, pipelines, users, existing, linkTargets, lossReasons] = await Promise.all([
    repos.fields.list(accountId),
    entityType === 'leads' ? repos.pipelines.list(accountId) : Promise.resolve([] as Pipeline[]),
    repos.users.list(accountId),
    mode === 'update' ? repos.records.getMany(accountId, entityType, updatedIds) : Promise.resolve([]),
    loadLinkTargets(repos, accountId, drafts),
    drafts.some((draft) => draft.lossReasonId != null) ? repos.lossReasons.list(accountId) : Promise.resolve([]),
  ]);
  const catalog = FieldCatalog.of(definitions);
  const userIds = new Set(users.map((user) => user.id));
  const lossReasonIds = new Set(lossReasons.map((reason) => reason.id));
  const existingById = new Map(existing.map((record) => [record.id, record]));
  const gateNeedsLinks = entityType === 'leads' && definitions.some((definition) => definition.entityType !== 'leads' && definition.requiredStatuses.length > 0);
  const storedLinks = gateNeedsLinks && mode === 'update' ? await repos.links.ofRecords(accountId, existing.map((record) => record.id)) : [];
  const linkedValues = gateNeedsLinks ? await loadLinkedValues(repos, accountId, [...storedLinks, ...drafts.flatMap((draft) => draftLinks(entityType, 0, draft))]) : new Map<number, FieldValue[]>();

  const failures: ItemErrors[] = [];
  const plans: Planned[] = [];
  drafts.forEach((draft, index) => {
    const errors: ErrorItem[] = [];
    const before = mode === 'update' ? (draft.id === undefined ? null : existingById.get(draft.id) ?? null) : null;
    if (mode === 'update' && draft.id === undefined) errors.push(errorItem('FieldMissing', 'id', DETAILS.FieldMissing));
    else if (mode === 'update' && !before) errors.push(errorItem('NotFound', 'id', `There is no ${entityType} record with id ${draft.id}.`));
    else if (before) authorize(principal, entityType, 'edit', before);
    else authorize(principal, entityType, 'add', { responsibleUserId: draft.responsibleUserId ?? principal.userId });
    if (errors.length === 0) {
      const planned = plan({ entityType, draft, before, catalog, pipelines, userIds, lossReasonIds, linkTargets, storedLinks, linkedValues, principal, now, errors });
      if (planned) plans.push(planned);
    }
    if (errors.length > 0) failures.push({ index, requestId: draft.requestId ?? String(index), errors });
  });
  if (failures.length > 0) throw DomainError.invalid(failures);
  assertValueChangesAllowed(definitions, plans.flatMap((planned) => planned.changes.map((change) => change.fieldId)), context.channel ?? 'api');

  return persist(repos, context, catalog, entityType, plans, now);
}

interface PlanInput {
  entityType: EntityType;
  draft: RecordDraft;
  before: CrmRecord | null;
  catalog: FieldCatalog;
  pipelines: readonly Pipeline[];
  userIds: ReadonlySet<number>;
  lossReasonIds: ReadonlySet<number>;
  linkTargets: ReadonlySet<string>;
  storedLinks: readonly Link[];
  linkedValues: ReadonlyMap<number, FieldValue[]>;
  principal: Principal;
  now: number;
  errors: ErrorItem[];
}

function plan(input: PlanInput): Planned | null {
  const { entityType, draft, before, catalog, principal, now, errors } = input;
  // A copy of the stored record, id included, or a new blank one whose id comes when it is stored. No key
  // is added after a spread: V8 adds such keys on a slow path, and a batch plans hundreds of records.
  const after: NewRecord & { id?: number } = before ? { ...before } : blankRecord(entityType, principal.userId, now);

  if (draft.name !== undefined) after.name = draft.name;
  if (draft.firstName !== undefined) after.firstName = draft.firstName;
  if (draft.lastName !== undefined) after.lastName = draft.lastName;
  if (entityType === 'contacts' && draft.name === undefined && (draft.firstName !== undefined || draft.lastName !== undefined)) {
    after.name = [after.firstName, after.lastName].filter(Boolean).join(' ');
  }
  if (draft.price !== undefined) after.price = draft.price;
  if (draft.createdAt !== undefined) after.createdAt = draft.createdAt;
  after.updatedAt = draft.updatedAt ?? now;
  if (draft.createdBy !== undefined) checkUser(input, draft.createdBy, 'created_by', () => (after.createdBy = draft.createdBy!));
  after.updatedBy = principal.userId;
  if (draft.updatedBy !== undefined) checkUser(input, draft.updatedBy, 'updated_by', () => (after.updatedBy = draft.updatedBy!));
  if (draft.responsibleUserId !== undefined) {
    checkUser(input, draft.responsibleUserId, 'responsible_user_id', () => (after.responsibleUserId = draft.responsibleUserId!));
  }
  if (draft.lossReasonId !== undefined) {
    if (draft.lossReasonId !== null && !input.lossReasonIds.has(draft.lossReasonId)) {
      errors.push(errorItem('NotSupportedChoice', 'loss_reason_id', DETAILS.NotSupportedChoice));
    } else after.lossReasonId = draft.lossReasonId;
  }
  if (draft.attributes !== undefined) after.attributes = { ...after.attributes, ...draft.attributes };

  let changes: ValueChange[] = [];
  if (draft.customFieldsValues !== undefined) {
    const result = applyValuePatch({ catalog, entityType, current: before?.customFields ?? [], patch: draft.customFieldsValues });
    errors.push(...result.errors, ...userValueErrors(input, result.entries));
    if (result.errors.length === 0) {
      after.customFields = result.next;
      changes = result.changes;
      if (before) errors.push(...requiredOnUpdate(catalog, result.entries));
    }
  }
  if (!before && errors.length === 0) errors.push(...requiredOnCreate(catalog, entityType, after.customFields));

  const links = draftLinks(entityType, before?.id ?? 0, draft);
  checkLinks(input, links);

  if (entityType === 'leads') {
    const current: StageRef | null = before && before.pipelineId !== null && before.statusId !== null ? { pipelineId: before.pipelineId, statusId: before.statusId } : null;
    const touched = draft.pipelineId !== undefined || draft.statusId !== undefined || !before;
    if (touched) {
      const resolved = resolveStage(input.pipelines, { pipelineId: draft.pipelineId, statusId: draft.statusId }, current);
      if (!resolved.ok) errors.push(...resolved.errors);
      else {
        const stage = resolved.stage;
        after.pipelineId = stage.pipelineId;
        after.statusId = stage.statusId;
        const entered = !current || current.pipelineId !== stage.pipelineId || current.statusId !== stage.statusId;
        if (entered && errors.length === 0) {
          const linked = [...input.storedLinks.filter((link) => link.entityId === before?.id), ...links];
          const valuesOf = (type: EntityType) =>
            linked.filter((link) => link.toEntityType === type).map((link) => input.linkedValues.get(link.toEntityId) ?? []);
          errors.push(
            ...requiredForStage({
              catalog,
              stage,
              lead: after.customFields,
              contacts: valuesOf('contacts'),
              company: valuesOf('companies')[0] ?? null,
              path: draft.statusId !== undefined ? 'status_id' : 'pipeline_id',
            }),
          );
        }
        if (entered) after.closedAt = isClosedStage(stage.statusId) ? (draft.closedAt ?? now) : null;
      }
    }
    if (draft.closedAt !== undefined) after.closedAt = draft.closedAt;
  }
  if (errors.length > 0) return null;
  return { draft, before, after, changes, links };
}

function checkUser(input: PlanInput, userId: number, path: string, apply: () => void): void {
  // 0 stands for the robot, as in Kommo.
  if (userId === 0 || input.userIds.has(userId)) apply();
  else input.errors.push(errorItem('NotSupportedChoice', path, DETAILS.NotSupportedChoice));
}

/** The values of fields that hold user ids must each name a user of the account. */
function userValueErrors(input: PlanInput, entries: readonly PatchedEntry[]): ErrorItem[] {
  return entries.flatMap((entry) => {
    if (input.catalog.get(entry.fieldId)?.settings.userIds !== true) return [];
    return (entry.values ?? []).flatMap((item, position) =>
      input.userIds.has(Number(item.value))
        ? []
        : [errorItem('NotSupportedChoice', `custom_fields_values.${entry.index}.values.${position}.value`, `There is no user with id ${String(item.value)} in this account.`)],
    );
  });
}

function checkLinks(input: PlanInput, links: readonly Link[]): void {
  const allowed = LINKABLE[input.entityType] ?? {};
  const counts = new Map<EntityType, number>();
  links.forEach((link, index) => {
    const limit = allowed[link.toEntityType];
    const path = `_embedded.${link.toEntityType}.${index}.id`;
    counts.set(link.toEntityType, (counts.get(link.toEntityType) ?? 0) + 1);
    if (limit === undefined) input.errors.push(errorItem('FieldNotExpected', `_embedded.${link.toEntityType}`, DETAILS.FieldNotExpected));
    else if ((counts.get(link.toEntityType) ?? 0) > limit) input.errors.push(errorItem('TooMany', `_embedded.${link.toEntityType}`, `At most ${limit} linked ${link.toEntityType} allowed.`));
    else if (!input.linkTargets.has(`${link.toEntityType}:${link.toEntityId}`)) input.errors.push(errorItem('NotSupportedChoice', path, DETAILS.NotSupportedChoice));
  });
}

function draftLinks(entityType: EntityType, recordId: number, draft: RecordDraft): Link[] {
  return (draft.links ?? []).map((link) => ({
    entityType,
    entityId: recordId,
    toEntityType: link.entityType,
    toEntityId: link.id,
    metadata: link.isMain === undefined ? {} : { isMain: link.isMain },
  }));
}

/** The `type:id` keys of the live records the drafts link to; a link to any other, deleted or missing, is refused. */
async function loadLinkTargets(repos: Repositories, accountId: number, drafts: readonly RecordDraft[]): Promise<Set<string>> {
  const wanted = new Map<EntityType, Set<number>>();
  for (const draft of drafts) {
    for (const link of draft.links ?? []) {
      const ids = wanted.get(link.entityType) ?? new Set<number>();
      ids.add(link.id);
      wanted.set(link.entityType, ids);
    }
  }
  return liveTargets(repos, accountId, wanted);
}

async function loadLinkedValues(repos: Repositories, accountId: number, links: readonly Link[]): Promise<Map<number, FieldValue[]>> {
  const contacts = links.filter((link) => link.toEntityType === 'contacts').map((link) => link.toEntityId);
  const companies = links.filter((link) => link.toEntityType === 'companies').map((link) => link.toEntityId);
  const records = (await Promise.all([repos.records.getMany(accountId, 'contacts', contacts), repos.records.getMany(accountId, 'companies', companies)])).flat();
  return new Map(records.map((record) => [record.id, record.customFields]));
}

/** A record of `entityType` with nothing filled in yet, made by `userId` at `now`. */
export function blankRecord(entityType: EntityType, userId: number, now: number): NewRecord {
  return {
    entityType,
    name: '',
    firstName: null,
    lastName: null,
    price: entityType === 'leads' ? 0 : null,
    pipelineId: null,
    statusId: null,
    lossReasonId: null,
    responsibleUserId: userId,
    groupId: 0,
    createdBy: userId,
    updatedBy: userId,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    closestTaskAt: null,
    isDeleted: false,
    score: null,
    laborCost: null,
    sourceId: null,
    isPriceModifiedByRobot: false,
    customFields: [],
    attributes: {},
  };
}

async function persist(
  repos: Repositories,
  context: WriteContext,
  catalog: FieldCatalog,
  entityType: EntityType,
  plans: readonly Planned[],
  now: number,
): Promise<WrittenRecord[]> {
  const accountId = context.principal.accountId;
  const actor = context.principal.userId;
  const creates = plans.filter((planned) => !planned.before);
  const newIds = await repos.records.insert(accountId, creates.map((planned) => planned.after));
  creates.forEach((planned, index) => (planned.after.id = newIds[index]));
  const records = plans.map((planned) => ({ ...planned.after, id: planned.after.id! }) as CrmRecord);
  await repos.records.update(
    accountId,
    plans.flatMap((planned, index) => (planned.before ? [{ before: planned.before, after: records[index]! }] : [])),
  );
  const termsOf = (record: CrmRecord) => ({ recordId: record.id, terms: indexTerms(catalog, record.customFields) });
  await repos.records.addIndex(accountId, records.filter((_record, index) => !plans[index]!.before).map(termsOf));
  // An update rewrites only the terms of the fields whose values changed.
  const changed = plans.flatMap((planned, index) => (planned.before && planned.changes.length > 0 ? [index] : []));
  await repos.records.replaceIndex(
    accountId,
    changed.map((index) => termsOf(records[index]!)),
    [...new Set(changed.flatMap((index) => plans[index]!.changes.map((change) => change.fieldId)))],
  );

  const events: DomainEvent[] = [];
  const tagged = plans.some((planned) => planned.draft.tags !== undefined || planned.draft.tagsToAdd || planned.draft.tagsToDelete);
  const currentTags = tagged ? await repos.tags.ofRecords(accountId, records.map((record) => record.id)) : new Map<number, Tag[]>();
  const newLinks: Link[] = [];
  for (const [index, planned] of plans.entries()) {
    const record = records[index]!;
    const base = eventBase(record, actor, now);
    if (planned.before) events.push(...propertyEvents(base, planned.before, record));
    else events.push(addedEvent(base, record));
    events.push(...valueEvents(base, catalog, planned.changes));
    const { tags, tagsToAdd, tagsToDelete } = planned.draft;
    if (tags !== undefined || tagsToAdd || tagsToDelete) {
      const before = currentTags.get(record.id) ?? [];
      const after = await nextTags(repos, accountId, entityType, before, tags, tagsToAdd, tagsToDelete);
      await repos.tags.setRecordTags(accountId, record.id, after.map((tag) => tag.id));
      events.push(...tagEvents(base, before, after));
    }
    for (const link of planned.links) {
      newLinks.push({ ...link, entityId: record.id });
      events.push(linkEvent(base, link.toEntityType, link.toEntityId, true));
    }
  }
  await replaceSingleLinks(repos, accountId, newLinks);
  await keepOneMainContact(repos, accountId, newLinks);
  await repos.links.add(accountId, newLinks);
  await repos.events.append(accountId, events);
  return records.map((record, index) => ({ record, requestId: plans[index]!.draft.requestId }));
}

async function nextTags(
  repos: Repositories,
  accountId: number,
  entityType: EntityType,
  before: readonly Tag[],
  replace: TagRef[] | null | undefined,
  add: TagRef[] | undefined,
  remove: TagRef[] | undefined,
): Promise<Tag[]> {
  let tags: Tag[] = replace === undefined ? [...before] : replace === null ? [] : await repos.tags.resolve(accountId, entityType, replace);
  if (add?.length) tags = [...tags, ...(await repos.tags.resolve(accountId, entityType, add))];
  if (remove?.length) {
    tags = tags.filter((tag) => !remove.some((ref) => ('id' in ref ? ref.id === tag.id : ref.name === tag.name)));
  }
  return [...new Map(tags.map((tag) => [tag.id, tag])).values()];
}
