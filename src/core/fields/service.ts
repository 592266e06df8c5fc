/**
 * The custom-field use cases: reading, creating, changing and deleting field definitions and groups.
 *
 * Every write is one transaction and all-or-nothing: each item of a batch is validated first, and
 * when any item fails nothing is written and the error names every failing item. Only
 * administrators write. Each change to a definition is recorded as an event, and so is each value
 * a change takes away from a record — an option removed while records use it, or a deleted field —
 * so a record's history shows why a value disappeared.
 */
import { requireAdmin } from '../access/authorize.js';
import type { Principal } from '../access/principal.js';
import { DomainError, errorItem, type ErrorItem, type ItemErrors } from '../errors.js';
import type { DomainEvent } from '../events/model.js';
import type { Pipeline } from '../pipelines/model.js';
import type { Repositories, Store } from '../ports.js';
import { eventBase, valueEvents } from '../records/events.js';
import type { WriteContext } from '../records/write.js';
import { sortErrors } from '../use-cases.js';
import { FieldCatalog } from './catalog.js';
import { assertDeletable, createDefinition, dropRemovedEnums, patchDefinition, type IdSource } from './definitions.js';
import type { DefinitionDraft } from './draft.js';
import {
  DEFAULT_GROUP_ID,
  defaultGroup,
  fieldGroupIdFor,
  groupIdOf,
  groupNameErrors,
  type FieldGroup,
  type GroupDraft,
} from './groups.js';
import { indexTerms } from './indexing.js';
import { accept, issue, reject, type Parsed } from './issues.js';
import type { EntityType, FieldDefinition, FieldType, FieldValue, StageRef } from './model.js';
import { idsFrom, stampNewDefinition } from './stamp.js';

const ADMIN_ACTION = 'manage custom fields';
const EVENT_ENTITY = 'custom_field';
/** Records are rewritten in slices of this many when a definition change takes values away. */
const RECORD_SLICE = 200;
const NEW_GROUP_SORT = 500;

/** One item of a write batch, as a dialect read it. */
export interface WriteRequest<D> {
  requestId: string;
  draft: D;
  /** What the dialect could not read in the item; such an item is reported as is, not validated further. */
  readErrors: ErrorItem[];
}

export interface DefinitionRequest extends WriteRequest<DefinitionDraft> {
  /** The field to change; required on updates, absent on creates. */
  id?: number;
}

export interface GroupRequest extends WriteRequest<GroupDraft> {
  /** The group to change; required on updates, absent on creates. */
  id?: string;
}

export interface WrittenDefinition {
  definition: FieldDefinition;
  requestId: string;
}

export interface DefinitionQuery {
  types?: readonly FieldType[];
  order: { field: 'sort' | 'id'; direction: 'asc' | 'desc' };
  offset: number;
  limit: number;
}

export interface DefinitionPage {
  definitions: FieldDefinition[];
  /** How many definitions match the query over all pages. */
  total: number;
}

/** A group with the ids of the fields in it, in display order. */
export interface GroupWithFields extends FieldGroup {
  fieldIds: number[];
}

export interface WrittenGroup {
  group: GroupWithFields;
  requestId: string;
}

// ---------------------------------------------------------------------------------------------
// Definitions

export async function listDefinitions(
  store: Store,
  principal: Principal,
  entityType: EntityType,
  query: DefinitionQuery,
): Promise<DefinitionPage> {
  const all = await store.repos.fields.list(principal.accountId, entityType);
  const matching = query.types ? all.filter((definition) => query.types?.includes(definition.type)) : all;
  const sign = query.order.direction === 'asc' ? 1 : -1;
  const ordered = [...matching].sort(
    (a, b) => sign * ((query.order.field === 'sort' ? a.sort - b.sort : 0) || a.id - b.id),
  );
  return { definitions: ordered.slice(query.offset, query.offset + query.limit), total: matching.length };
}

/** Every definition of `entityType` in the caller's account, in id order. */
export function definitionsOf(store: Store, principal: Principal, entityType: EntityType): Promise<FieldDefinition[]> {
  return store.repos.fields.list(principal.accountId, entityType);
}

export async function getDefinition(store: Store, principal: Principal, entityType: EntityType, id: number): Promise<FieldDefinition> {
  const definitions = await store.repos.fields.list(principal.accountId, entityType);
  return findDefinition(definitions, id);
}

/**
 * One transaction of a change to the account's definitions or groups, begun once every earlier change
 * has committed: each reads the definitions as the one before it left them.
 */
function changingDefinitions<T>(context: WriteContext, work: (repos: Repositories) => Promise<T>): Promise<T> {
  return context.store.transaction(async (repos) => {
    await repos.fields.lockForChange(context.principal.accountId);
    return work(repos);
  });
}

/** Adds definitions of `entityType`; one invalid item means none is added. */
export async function createDefinitions(
  context: WriteContext,
  entityType: EntityType,
  requests: readonly DefinitionRequest[],
): Promise<WrittenDefinition[]> {
  requireAdmin(context.principal, ADMIN_ACTION);
  return changingDefinitions(context, async (repos) => {
    const { accountId, actor, now } = writer(context);
    const references = await loadReferences(repos, accountId, entityType);
    const ids = await reserveOptionIds(repos, requests);
    const batchCodes = new Set<string>();
    const failures: ItemErrors[] = [];
    const accepted: { requestId: string; definition: Omit<FieldDefinition, 'id'> }[] = [];
    const plan = (request: DefinitionRequest): ErrorItem[] => {
      const draft = normaliseDraft(request.draft);
      const created = createDefinition(draft, { entityType, existing: references.definitions, ids });
      const errors = [
        ...(created.ok ? batchCodeErrors(created.value.code, batchCodes) : created.errors),
        ...referenceErrors(draft, references),
      ];
      if (created.ok && errors.length === 0) {
        accepted.push({ requestId: request.requestId, definition: stampNewDefinition(created.value, now) });
      }
      return errors;
    };
    requests.forEach((request, index) => {
      const errors = request.readErrors.length > 0 ? request.readErrors : plan(request);
      if (errors.length > 0) failures.push({ index, requestId: request.requestId, errors });
    });
    if (failures.length > 0) throw DomainError.invalid(failures);

    const inserted = await repos.fields.insert(accountId, accepted.map((item) => item.definition));
    await repos.events.append(
      accountId,
      inserted.map((definition) => definitionEvent('custom_field_added', definition.id, actor, now, [], [describe(definition)])),
    );
    return inserted.map((definition, index) => ({ definition, requestId: accepted[index]!.requestId }));
  });
}

/** Changes definitions named by `id`, partially; options a patch leaves out are removed (see `definitions.ts`). */
export async function updateDefinitions(
  context: WriteContext,
  entityType: EntityType,
  requests: readonly DefinitionRequest[],
): Promise<WrittenDefinition[]> {
  requireAdmin(context.principal, ADMIN_ACTION);
  return changingDefinitions(context, (repos) => patchWith(repos, context, entityType, requests));
}

/** Changes the one definition `id`; an unknown id is not found rather than an invalid item. */
export function updateDefinition(
  context: WriteContext,
  entityType: EntityType,
  id: number,
  request: WriteRequest<DefinitionDraft>,
): Promise<WrittenDefinition> {
  return updateDefinitionFrom(context, entityType, id, () => request);
}

/**
 * The same, with the change worked out from the definition as it is inside the transaction (adding
 * options to the ones it has), which a read made before it could base on a definition being changed.
 */
export async function updateDefinitionFrom(
  context: WriteContext,
  entityType: EntityType,
  id: number,
  change: (current: FieldDefinition) => WriteRequest<DefinitionDraft>,
): Promise<WrittenDefinition> {
  requireAdmin(context.principal, ADMIN_ACTION);
  return changingDefinitions(context, async (repos) => {
    const current = findDefinition(await repos.fields.list(context.principal.accountId, entityType), id);
    const [written] = await patchWith(repos, context, entityType, [{ ...change(current), id }]);
    return written!;
  });
}

/** Deletes a definition and takes its values off every record that holds them. */
export async function deleteDefinition(context: WriteContext, entityType: EntityType, id: number): Promise<void> {
  requireAdmin(context.principal, ADMIN_ACTION);
  return changingDefinitions(context, async (repos) => {
    const { accountId, actor, now } = writer(context);
    const definitions = await repos.fields.list(accountId);
    const definition = findDefinition(definitions.filter((candidate) => candidate.entityType === entityType), id);
    const refusal = assertDeletable(definition);
    if (refusal) throw DomainError.invalid([{ index: 0, requestId: '0', errors: [refusal] }]);
    const removedValues = await rewriteValues(repos, { accountId, actor, now }, FieldCatalog.of(definitions), definition, (values) =>
      values.filter((value) => value.field_id !== id),
    );
    await repos.fields.delete(accountId, [id]);
    await repos.events.append(accountId, [
      definitionEvent('custom_field_deleted', id, actor, now, [describe(definition)], []),
      ...removedValues,
    ]);
  });
}

async function patchWith(
  repos: Repositories,
  context: WriteContext,
  entityType: EntityType,
  requests: readonly DefinitionRequest[],
): Promise<WrittenDefinition[]> {
  const { accountId, actor, now } = writer(context);
  const references = await loadReferences(repos, accountId, entityType);
  const stored = new Map(
    references.definitions.filter((definition) => definition.entityType === entityType).map((definition) => [definition.id, definition]),
  );
  const patchedIds = new Set(requests.flatMap((request) => (request.id === undefined ? [] : [request.id])));
  // Codes of the batch's own fields are checked among the batch, so two fields can swap codes.
  const untouched = references.definitions.filter((definition) => !patchedIds.has(definition.id));
  const ids = await reserveOptionIds(repos, requests);
  const batchCodes = new Set<string>();
  const seenIds = new Set<number>();
  const failures: ItemErrors[] = [];
  const patched: { requestId: string; before: FieldDefinition; after: FieldDefinition; removedOptionIds: number[] }[] = [];
  const plan = (request: DefinitionRequest): ErrorItem[] => {
    const target = updateTarget(request.id, stored, seenIds, `${entityType} custom field`);
    if (!target.ok) return target.errors;
    const before = target.value;
    const draft = normaliseDraft(request.draft);
    const result = patchDefinition(before, draft, { existing: untouched, ids });
    const errors = [
      ...(result.ok ? batchCodeErrors(result.value.definition.code, batchCodes) : result.errors),
      ...referenceErrors(draft, references),
    ];
    if (result.ok && errors.length === 0) {
      const after = { ...result.value.definition, updatedAt: now };
      patched.push({ requestId: request.requestId, before, after, removedOptionIds: result.value.removedEnumIds });
    }
    return errors;
  };
  requests.forEach((request, index) => {
    const errors = request.readErrors.length > 0 ? request.readErrors : plan(request);
    if (errors.length > 0) failures.push({ index, requestId: request.requestId, errors });
  });
  if (failures.length > 0) throw DomainError.invalid(failures);

  await repos.fields.update(accountId, patched.map((item) => item.after));
  const afterById = new Map(patched.map((item) => [item.after.id, item.after]));
  const catalog = FieldCatalog.of(references.definitions.map((definition) => afterById.get(definition.id) ?? definition));
  const events = patched.flatMap((item) => updatedEvent(item.before, item.after, actor, now));
  for (const item of patched.filter((candidate) => candidate.removedOptionIds.length > 0)) {
    events.push(
      ...(await rewriteValues(repos, { accountId, actor, now }, catalog, item.after, (values) =>
        dropRemovedEnums(values, item.after.id, item.removedOptionIds),
      )),
    );
  }
  await repos.events.append(accountId, events);
  return patched.map((item) => ({ definition: item.after, requestId: item.requestId }));
}

/**
 * The stored item an update names. An update must name one that exists, and only one item of a
 * batch may change it, since a second would silently overwrite the first.
 */
function updateTarget<K, T>(id: K | undefined, stored: ReadonlyMap<K, T>, seen: Set<K>, noun: string): Parsed<T> {
  if (id === undefined) return reject([issue.fieldMissing('id')]);
  const target = stored.get(id);
  if (target === undefined) return reject([errorItem('NotFound', 'id', `There is no ${noun} with id ${String(id)}.`)]);
  if (seen.has(id)) return reject([issue.duplicate('id', 'An earlier item already changes it.')]);
  seen.add(id);
  return accept(target);
}

function findDefinition(definitions: readonly FieldDefinition[], id: number): FieldDefinition {
  const found = definitions.find((definition) => definition.id === id);
  if (!found) throw DomainError.notFound(`Custom field ${id} not found`);
  return found;
}

/** The predefined group is held as "no group", so a field sent to `default` is stored like a new one. */
function normaliseDraft(draft: DefinitionDraft): DefinitionDraft {
  return draft.groupId === undefined ? draft : { ...draft, groupId: fieldGroupIdFor(draft.groupId) };
}

interface References {
  /** Every definition of the account, for code uniqueness and catalogs. */
  definitions: FieldDefinition[];
  groupIds: Set<string>;
  pipelines: Pipeline[];
}

async function loadReferences(repos: Repositories, accountId: number, entityType: EntityType): Promise<References> {
  const [definitions, groups, pipelines] = await Promise.all([
    repos.fields.list(accountId),
    repos.fieldGroups.list(accountId, entityType),
    repos.pipelines.list(accountId),
  ]);
  return { definitions, groupIds: new Set(groups.map((group) => group.id)), pipelines };
}

/** The groups and lead stages a draft names must exist; the engine checks only their form. */
function referenceErrors(draft: DefinitionDraft, references: References): ErrorItem[] {
  const errors: ErrorItem[] = [];
  if (typeof draft.groupId === 'string' && !references.groupIds.has(draft.groupId)) {
    errors.push(issue.notSupportedChoice('group_id'));
  }
  const stageExists = (stage: StageRef) =>
    references.pipelines.some(
      (pipeline) => pipeline.id === stage.pipelineId && pipeline.statuses.some((status) => status.id === stage.statusId),
    );
  for (const [stages, path] of [
    [draft.requiredStatuses, 'required_statuses'],
    [draft.hiddenStatuses, 'hidden_statuses'],
  ] as const) {
    (stages ?? []).forEach((stage, index) => {
      const wellFormed = Number.isInteger(stage.pipelineId) && Number.isInteger(stage.statusId);
      if (wellFormed && !stageExists(stage)) errors.push(issue.notSupportedChoice(`${path}.${index}.status_id`));
    });
  }
  return errors;
}

/** Codes are unique per entity type; the engine checks against stored fields, this within the batch. */
function batchCodeErrors(code: string | null, batchCodes: Set<string>): ErrorItem[] {
  if (code === null) return [];
  if (batchCodes.has(code)) return [issue.duplicate('code', 'A field with this code already exists.')];
  batchCodes.add(code);
  return [];
}

/** Enough option ids for every option the requests could create, reserved in one step. */
async function reserveOptionIds(repos: Repositories, requests: readonly DefinitionRequest[]): Promise<IdSource> {
  const upperBound = requests.reduce(
    (sum, request) => sum + (request.draft.enums?.length ?? 0) + (request.draft.nested?.length ?? 0),
    0,
  );
  return upperBound === 0 ? idsFrom(0, 0) : idsFrom(await repos.sequences.reserve('options', upperBound), upperBound);
}

/**
 * Applies `rewrite` to the values of every record of `field`'s entity type that holds `field`,
 * reindexes them and returns a value-change event per record whose values of `field` changed.
 * `catalog` must know `field`, to index and describe the values.
 */
async function rewriteValues(
  repos: Repositories,
  { accountId, actor, now }: Writer,
  catalog: FieldCatalog,
  field: FieldDefinition,
  rewrite: (values: readonly FieldValue[]) => FieldValue[],
): Promise<DomainEvent[]> {
  const holders = await repos.records.idsHoldingField(accountId, field.entityType, field.id);
  const events: DomainEvent[] = [];
  for (let start = 0; start < holders.length; start += RECORD_SLICE) {
    const slice = holders.slice(start, start + RECORD_SLICE);
    await repos.records.lockForUpdate(accountId, slice);
    const records = await repos.records.getMany(accountId, field.entityType, slice);
    const changed = records.flatMap((record) => {
      const next = rewrite(record.customFields);
      const before = valuesOf(record.customFields, field.id);
      const after = valuesOf(next, field.id);
      // Rewrites only take items away, so a change shows in the count.
      if ((before?.length ?? 0) === (after?.length ?? 0)) return [];
      return [{ stored: record, record: { ...record, customFields: next, updatedAt: now, updatedBy: actor }, change: { fieldId: field.id, before, after } }];
    });
    await repos.records.update(accountId, changed.map(({ stored, record }) => ({ before: stored, after: record })));
    await repos.records.replaceIndex(
      accountId,
      changed.map(({ record }) => ({ recordId: record.id, terms: indexTerms(catalog, record.customFields) })),
    );
    events.push(...changed.flatMap(({ record, change }) => valueEvents(eventBase(record, actor, now), catalog, [change])));
  }
  return events;
}

function valuesOf(values: readonly FieldValue[], fieldId: number): FieldValue['values'] | null {
  return values.find((value) => value.field_id === fieldId)?.values ?? null;
}

// ---------------------------------------------------------------------------------------------
// Groups

/** The groups of `entityType`, the predefined one first, each with its fields. */
export async function listGroups(store: Store, principal: Principal, entityType: EntityType): Promise<GroupWithFields[]> {
  const [groups, definitions] = await Promise.all([
    store.repos.fieldGroups.list(principal.accountId, entityType),
    store.repos.fields.list(principal.accountId, entityType),
  ]);
  const ordered = [defaultGroup(entityType), ...groups].sort((a, b) => a.sort - b.sort || a.id.localeCompare(b.id));
  return withFields(ordered, definitions);
}

export async function getGroup(store: Store, principal: Principal, entityType: EntityType, groupId: string): Promise<GroupWithFields> {
  const groups = await listGroups(store, principal, entityType);
  return findGroup(groups, groupId);
}

/** Adds groups, moving the fields each one names into it; one invalid item means none is added. */
export async function createGroups(context: WriteContext, entityType: EntityType, requests: readonly GroupRequest[]): Promise<WrittenGroup[]> {
  requireAdmin(context.principal, ADMIN_ACTION);
  return changingDefinitions(context, async (repos) => {
    const { accountId, actor, now } = writer(context);
    const definitions = await repos.fields.list(accountId, entityType);
    const failures: ItemErrors[] = [];
    requests.forEach((request, index) => {
      const errors =
        request.readErrors.length > 0
          ? request.readErrors
          : [...groupNameErrors(request.draft.name, true), ...sortErrors(request.draft.sort, 'sort'), ...fieldReferenceErrors(request.draft.fieldIds, definitions)];
      if (errors.length > 0) failures.push({ index, requestId: request.requestId, errors });
    });
    if (failures.length > 0) throw DomainError.invalid(failures);

    const first = await repos.sequences.reserve('field_groups', requests.length);
    const groups: FieldGroup[] = requests.map((request, index) => ({
      id: `${entityType}_${first + index}`,
      entityType,
      name: request.draft.name!,
      sort: request.draft.sort ?? NEW_GROUP_SORT,
      isPredefined: false,
    }));
    await repos.fieldGroups.insert(accountId, groups);
    let current = definitions;
    const events: DomainEvent[] = [];
    for (const [index, request] of requests.entries()) {
      const moved = await moveFields(repos, accountId, current, request.draft.fieldIds ?? [], groups[index]!.id, actor, now);
      current = moved.definitions;
      events.push(...moved.events);
    }
    await repos.events.append(accountId, events);
    return withFields(groups, current).map((group, index) => ({ group, requestId: requests[index]!.requestId }));
  });
}

/** Renames, re-sorts and fills groups named by `id`; the predefined group takes fields but keeps its name and sort. */
export async function updateGroups(context: WriteContext, entityType: EntityType, requests: readonly GroupRequest[]): Promise<WrittenGroup[]> {
  requireAdmin(context.principal, ADMIN_ACTION);
  return changingDefinitions(context, (repos) => patchGroupsWith(repos, context, entityType, requests));
}

export async function updateGroup(
  context: WriteContext,
  entityType: EntityType,
  groupId: string,
  request: WriteRequest<GroupDraft>,
): Promise<WrittenGroup> {
  requireAdmin(context.principal, ADMIN_ACTION);
  return changingDefinitions(context, async (repos) => {
    findGroup(await storedAndDefaultGroups(repos, context.principal.accountId, entityType), groupId);
    const [written] = await patchGroupsWith(repos, context, entityType, [{ ...request, id: groupId }]);
    return written!;
  });
}

/** Deletes a group; its fields go back to the predefined group. */
export async function deleteGroup(context: WriteContext, entityType: EntityType, groupId: string): Promise<void> {
  requireAdmin(context.principal, ADMIN_ACTION);
  return changingDefinitions(context, async (repos) => {
    const { accountId, actor, now } = writer(context);
    const group = findGroup(await storedAndDefaultGroups(repos, accountId, entityType), groupId);
    if (group.isPredefined) {
      const refusal = errorItem('NotDeletable', 'id', `Group "${group.name}" (id ${group.id}) is predefined and cannot be deleted`);
      throw DomainError.invalid([{ index: 0, requestId: '0', errors: [refusal] }]);
    }
    const definitions = await repos.fields.list(accountId, entityType);
    const members = definitions.filter((definition) => definition.groupId === groupId).map((definition) => definition.id);
    const moved = await moveFields(repos, accountId, definitions, members, DEFAULT_GROUP_ID, actor, now);
    await repos.fieldGroups.delete(accountId, groupId);
    await repos.events.append(accountId, moved.events);
  });
}

async function patchGroupsWith(
  repos: Repositories,
  context: WriteContext,
  entityType: EntityType,
  requests: readonly GroupRequest[],
): Promise<WrittenGroup[]> {
  const { accountId, actor, now } = writer(context);
  const [groups, definitions] = await Promise.all([
    storedAndDefaultGroups(repos, accountId, entityType),
    repos.fields.list(accountId, entityType),
  ]);
  const stored = new Map(groups.map((group) => [group.id, group]));
  const seenIds = new Set<string>();
  const failures: ItemErrors[] = [];
  const patched: { requestId: string; group: FieldGroup; fieldIds: number[] }[] = [];
  const plan = (request: GroupRequest): ErrorItem[] => {
    const target = updateTarget(request.id, stored, seenIds, `${entityType} field group`);
    if (!target.ok) return target.errors;
    const before = target.value;
    const { name, sort, fieldIds } = request.draft;
    const errors = [...groupNameErrors(name, false), ...sortErrors(sort, 'sort'), ...fieldReferenceErrors(fieldIds, definitions)];
    if (before.isPredefined && name !== undefined && name !== before.name) errors.push(issue.immutable('name'));
    if (before.isPredefined && sort !== undefined && sort !== before.sort) errors.push(issue.immutable('sort'));
    if (errors.length === 0) {
      const group = { ...before, name: name ?? before.name, sort: sort ?? before.sort };
      patched.push({ requestId: request.requestId, group, fieldIds: fieldIds ?? [] });
    }
    return errors;
  };
  requests.forEach((request, index) => {
    const errors = request.readErrors.length > 0 ? request.readErrors : plan(request);
    if (errors.length > 0) failures.push({ index, requestId: request.requestId, errors });
  });
  if (failures.length > 0) throw DomainError.invalid(failures);

  let current = definitions;
  const events: DomainEvent[] = [];
  for (const item of patched) {
    if (!item.group.isPredefined) await repos.fieldGroups.update(accountId, item.group);
    const moved = await moveFields(repos, accountId, current, item.fieldIds, item.group.id, actor, now);
    current = moved.definitions;
    events.push(...moved.events);
  }
  await repos.events.append(accountId, events);
  return withFields(patched.map((item) => item.group), current).map((group, index) => ({ group, requestId: patched[index]!.requestId }));
}

async function storedAndDefaultGroups(repos: Repositories, accountId: number, entityType: EntityType): Promise<FieldGroup[]> {
  return [defaultGroup(entityType), ...(await repos.fieldGroups.list(accountId, entityType))];
}

function findGroup<G extends FieldGroup>(groups: readonly G[], groupId: string): G {
  const found = groups.find((group) => group.id === groupId);
  if (!found) throw DomainError.notFound(`Field group ${groupId} not found`);
  return found;
}

function fieldReferenceErrors(fieldIds: readonly number[] | undefined, definitions: readonly FieldDefinition[]): ErrorItem[] {
  return (fieldIds ?? []).flatMap((fieldId, index) =>
    definitions.some((definition) => definition.id === fieldId) ? [] : [issue.notSupportedChoice(`fields.${index}`)],
  );
}

/** Puts the fields `fieldIds` into group `groupId`, storing and recording only those that actually move. */
async function moveFields(
  repos: Repositories,
  accountId: number,
  definitions: readonly FieldDefinition[],
  fieldIds: readonly number[],
  groupId: string,
  actor: number,
  now: number,
): Promise<{ definitions: FieldDefinition[]; events: DomainEvent[] }> {
  const target = fieldGroupIdFor(groupId);
  const moving = new Set(fieldIds);
  const moved: { before: FieldDefinition; after: FieldDefinition }[] = [];
  const next = definitions.map((definition) => {
    if (!moving.has(definition.id) || definition.groupId === target) return definition;
    const after = { ...definition, groupId: target, updatedAt: now };
    moved.push({ before: definition, after });
    return after;
  });
  await repos.fields.update(accountId, moved.map(({ after }) => after));
  return { definitions: next, events: moved.flatMap(({ before, after }) => updatedEvent(before, after, actor, now)) };
}

/** Each group, in the order given, with its fields in display order. */
function withFields(groups: readonly FieldGroup[], definitions: readonly FieldDefinition[]): GroupWithFields[] {
  const catalog = FieldCatalog.of(definitions);
  return groups.map((group) => ({
    ...group,
    fieldIds: catalog
      .forEntity(group.entityType)
      .filter((definition) => groupIdOf(definition.groupId) === group.id)
      .map((definition) => definition.id),
  }));
}

// ---------------------------------------------------------------------------------------------
// Events

/** Who writes, in which account, and the one time every change of the write is stamped with. */
interface Writer {
  accountId: number;
  actor: number;
  now: number;
}

function writer(context: WriteContext): Writer {
  return { accountId: context.principal.accountId, actor: context.principal.userId, now: context.clock() };
}

type DefinitionProperties = Omit<FieldDefinition, 'uuid' | 'createdAt' | 'updatedAt'>;

/** A definition as events show it: what a client set, without bookkeeping. */
function describe(definition: FieldDefinition): { custom_field: Partial<DefinitionProperties> } {
  const { uuid: _uuid, createdAt: _createdAt, updatedAt: _updatedAt, ...properties } = definition;
  return { custom_field: properties };
}

function definitionEvent(
  type: string,
  fieldId: number,
  actor: number,
  now: number,
  valueBefore: unknown[],
  valueAfter: unknown[],
): DomainEvent {
  return { type, entityType: EVENT_ENTITY, entityId: fieldId, createdBy: actor, createdAt: now, valueBefore, valueAfter };
}

/** The event of a change to a definition, with the properties that changed before and after; none when nothing did. */
function updatedEvent(before: FieldDefinition, after: FieldDefinition, actor: number, now: number): DomainEvent[] {
  const previous = describe(before).custom_field;
  const next = describe(after).custom_field;
  const changed = (Object.keys(next) as (keyof DefinitionProperties)[]).filter(
    (key) => JSON.stringify(previous[key]) !== JSON.stringify(next[key]),
  );
  if (changed.length === 0) return [];
  const pick = (properties: Partial<DefinitionProperties>) =>
    ({ custom_field: { id: after.id, ...Object.fromEntries(changed.map((key) => [key, properties[key]])) } });
  return [definitionEvent('custom_field_updated', after.id, actor, now, [pick(previous)], [pick(next)])];
}
