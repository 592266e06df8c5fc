import { requireAdmin } from '../access/authorize.js';
import type { Principal } from '../access/principal.js';
import { checkName, failIfAny, nextSort, planEach, sortErrors, type Created, type UseCaseContext } from '../use-cases.js';
import { DETAILS, DomainError, errorItem, joinPath, type ErrorItem } from '../errors.js';
import type { PipelineChanges, Repositories, StatusChanges, Store } from '../ports.js';
import { isClosedStage } from '../records/stages.js';
import { isSystemStatus, STATUS_TYPE_REGULAR, systemStatuses, type NewStatus, type Pipeline, type Status } from './model.js';

export const MAX_PIPELINES = 50;
/** System stages included. */
export const MAX_STATUSES = 100;

/** The palette a client chooses stage colours from; system stages keep their own colours. */
export const STATUS_COLORS: readonly string[] = [
  '#fffeb2', '#fffd7f', '#fff000', '#ffeab2', '#ffdc7f', '#ffce5a', '#ffdbdb', '#ffc8c8', '#ff8f92', '#d6eaff', '#c1e0ff',
  '#98cbff', '#ebffb1', '#deff81', '#87f2c0', '#f9deff', '#f3beff', '#ccc8f9', '#eb93ff', '#f2f3f4', '#e6e8ea',
];
const DEFAULT_STATUS_COLOR = '#fffeb2';

export interface StatusDraft {
  requestId?: string;
  /** On pipeline creation only: names one of the fixed stages 142 and 143 to rename it. */
  id?: number;
  name?: string;
  sort?: number;
  color?: string;
  /** A dialect's own key for the stage, such as a status code; a new stage without one gets `UC_<id>`. */
  code?: string;
}

export interface PipelineDraft {
  requestId?: string;
  name?: string;
  sort?: number;
  isMain?: boolean;
  isUnsortedOn?: boolean;
  isArchive?: boolean;
  /** On creation only: the working stages and new names for the fixed ones. */
  statuses?: StatusDraft[];
}

export async function listPipelines(store: Store, principal: Principal): Promise<Pipeline[]> {
  return store.repos.pipelines.list(principal.accountId);
}

export async function getPipeline(store: Store, principal: Principal, pipelineId: number): Promise<Pipeline> {
  return findPipeline(store.repos, principal.accountId, pipelineId);
}

export async function getStatus(store: Store, principal: Principal, pipelineId: number, statusId: number): Promise<Status> {
  return findStatus(await findPipeline(store.repos, principal.accountId, pipelineId), statusId);
}

/** Creates pipelines with their incoming, won and lost stages; nothing is written if one draft is invalid. */
export async function createPipelines(context: UseCaseContext, drafts: readonly PipelineDraft[]): Promise<Created<Pipeline>[]> {
  const { principal } = context;
  requireAdmin(principal, 'change pipelines');
  return context.store.transaction(async (repos) => {
    const accountId = principal.accountId;
    const existing = await repos.pipelines.list(accountId);
    if (existing.length + drafts.length > MAX_PIPELINES) throw new DomainError('limit', `An account can have at most ${MAX_PIPELINES} pipelines`);
    const planned = planEach(drafts, (draft, errors) => planPipelineStatuses(draft, errors));
    const now = context.clock();
    let sort = Math.max(0, ...existing.map((pipeline) => pipeline.sort));
    const created: Created<Pipeline>[] = [];
    for (const [index, draft] of drafts.entries()) {
      const statuses = await numberStatuses(repos, planned[index]!);
      const isMain = draft.isMain ?? false;
      sort = draft.sort ?? nextSort(sort, 1);
      const pipeline = await repos.pipelines.create(
        accountId,
        { name: draft.name!, sort, isMain, isUnsortedOn: draft.isUnsortedOn ?? true, statuses },
        now,
      );
      if (isMain) await repos.pipelines.setMain(accountId, pipeline.id, now);
      created.push({ value: pipeline, requestId: draft.requestId ?? String(index) });
    }
    return created;
  });
}

/** Changes a pipeline's own properties; making it main takes that from the pipeline that was. */
export async function updatePipeline(context: UseCaseContext, pipelineId: number, draft: PipelineDraft): Promise<Pipeline> {
  const { principal } = context;
  requireAdmin(principal, 'change pipelines');
  return context.store.transaction(async (repos) => {
    const accountId = principal.accountId;
    const pipeline = await findPipeline(repos, accountId, pipelineId);
    const errors: ErrorItem[] = sortErrors(draft.sort, 'sort');
    if (draft.name !== undefined) checkName(draft.name, 'name', errors);
    if (pipeline.isMain && draft.isMain === false) {
      errors.push(errorItem('NotEditable', 'is_main', 'There must be a main pipeline: make another pipeline main instead.'));
    } else if ((draft.isMain ?? pipeline.isMain) && (draft.isArchive ?? pipeline.isArchive)) {
      errors.push(errorItem('NotEditable', 'is_archive', 'The main pipeline cannot be archived.'));
    }
    failIfAny(errors, draft.requestId);
    const changes: PipelineChanges = { name: draft.name, sort: draft.sort, isUnsortedOn: draft.isUnsortedOn, isArchive: draft.isArchive };
    const now = context.clock();
    await repos.pipelines.update(accountId, pipelineId, changes, now);
    if (draft.isMain && !pipeline.isMain) await repos.pipelines.setMain(accountId, pipelineId, now);
    return findPipeline(repos, accountId, pipelineId);
  });
}

/** Deletes an empty pipeline that is not the main one. */
export async function deletePipeline(context: UseCaseContext, pipelineId: number): Promise<void> {
  const { principal } = context;
  requireAdmin(principal, 'change pipelines');
  return context.store.transaction(async (repos) => {
    const accountId = principal.accountId;
    const pipeline = await findPipeline(repos, accountId, pipelineId);
    if (pipeline.isMain) refuseDeletion('The main pipeline cannot be deleted.');
    if (await holdsLeads(repos, accountId, { pipelineIds: [pipelineId] })) refuseDeletion('The pipeline holds leads; move them to another pipeline first.');
    await repos.pipelines.delete(accountId, pipelineId);
  });
}

/** Adds working stages to a pipeline, in the order given. */
export async function addStatuses(context: UseCaseContext, pipelineId: number, drafts: readonly StatusDraft[]): Promise<Created<Status>[]> {
  const { principal } = context;
  requireAdmin(principal, 'change pipelines');
  return context.store.transaction(async (repos) => {
    const accountId = principal.accountId;
    const pipeline = await findPipeline(repos, accountId, pipelineId);
    if (pipeline.statuses.length + drafts.length > MAX_STATUSES) throw stageLimit();
    let sort = lastWorkingSort(pipeline.statuses);
    const planned = planEach(drafts, (draft, errors) => {
      checkNewStatus(draft, '', errors);
      sort = draft.sort ?? nextSort(sort, 10);
      return workingStatus(draft, sort);
    });
    const added = await repos.pipelines.addStatuses(accountId, pipelineId, await numberStatuses(repos, planned));
    return added.map((status, index) => ({ value: status, requestId: drafts[index]!.requestId ?? String(index) }));
  });
}

/** Changes a stage. The incoming, won and lost stages keep their place and colour: only their name changes. */
export async function updateStatus(context: UseCaseContext, pipelineId: number, statusId: number, draft: StatusDraft): Promise<Status> {
  const { principal } = context;
  requireAdmin(principal, 'change pipelines');
  return context.store.transaction(async (repos) => {
    const accountId = principal.accountId;
    const status = findStatus(await findPipeline(repos, accountId, pipelineId), statusId);
    const errors: ErrorItem[] = sortErrors(draft.sort, 'sort');
    if (draft.name !== undefined) checkName(draft.name, 'name', errors);
    if (draft.color !== undefined) checkColor(draft.color, 'color', errors);
    if (isSystemStatus(status)) {
      if (draft.sort !== undefined) errors.push(errorItem('NotEditable', 'sort', 'A system stage keeps its place.'));
      if (draft.color !== undefined) errors.push(errorItem('NotEditable', 'color', 'A system stage keeps its colour.'));
    }
    failIfAny(errors, draft.requestId);
    const changes: StatusChanges = { name: draft.name, sort: draft.sort, color: draft.color?.toLowerCase(), code: draft.code };
    await repos.pipelines.updateStatus(accountId, pipelineId, statusId, changes);
    return findStatus(await findPipeline(repos, accountId, pipelineId), statusId);
  });
}

/** Deletes an empty working stage; a pipeline keeps its system stages and at least one working stage. */
export async function deleteStatus(context: UseCaseContext, pipelineId: number, statusId: number): Promise<void> {
  const { principal } = context;
  requireAdmin(principal, 'change pipelines');
  return context.store.transaction(async (repos) => {
    const accountId = principal.accountId;
    const pipeline = await findPipeline(repos, accountId, pipelineId);
    const status = findStatus(pipeline, statusId);
    if (isSystemStatus(status)) refuseDeletion('The incoming leads, Closed - won and Closed - lost stages cannot be deleted.');
    if (pipeline.statuses.filter((candidate) => !isSystemStatus(candidate)).length === 1) refuseDeletion('A pipeline needs at least one working stage.');
    if (await holdsLeads(repos, accountId, { pipelineIds: [pipelineId], statusIds: [statusId] })) refuseDeletion('The stage holds leads; move them to another stage first.');
    await repos.pipelines.deleteStatus(accountId, pipelineId, statusId);
  });
}

async function findPipeline(repos: Repositories, accountId: number, pipelineId: number): Promise<Pipeline> {
  const pipeline = (await repos.pipelines.list(accountId)).find((candidate) => candidate.id === pipelineId);
  if (!pipeline) throw DomainError.notFound('Pipeline not found');
  return pipeline;
}

function findStatus(pipeline: Pipeline, statusId: number): Status {
  const status = pipeline.statuses.find((candidate) => candidate.id === statusId);
  if (!status) throw DomainError.notFound('Status not found');
  return status;
}

async function holdsLeads(repos: Repositories, accountId: number, where: { pipelineIds: number[]; statusIds?: number[] }): Promise<boolean> {
  // Deleted leads count too: they can be restored into their stage.
  const leads = await repos.records.list(accountId, 'leads', { ...where, deleted: 'include', order: [{ field: 'id', direction: 'asc' }], offset: 0, limit: 1 });
  return leads.length > 0;
}

function refuseDeletion(detail: string): never {
  throw DomainError.invalid([{ index: 0, requestId: '0', errors: [errorItem('NotDeletable', 'id', detail)] }]);
}

function stageLimit(): DomainError {
  return new DomainError('limit', `A pipeline can have at most ${MAX_STATUSES} stages, system stages included`);
}

/** The stages of a new pipeline: incoming, the drafts' working stages, then won and lost (renamed if asked). */
function planPipelineStatuses(draft: PipelineDraft, errors: ErrorItem[]): NewStatus[] {
  checkName(draft.name, 'name', errors);
  errors.push(...sortErrors(draft.sort, 'sort'));
  const { incoming, won, lost } = systemStatuses();
  const working: NewStatus[] = [];
  let sort = incoming.sort;
  (draft.statuses ?? []).forEach((status, index) => {
    const path = joinPath('_embedded.statuses', index);
    const fixed = status.id === won.id ? won : status.id === lost.id ? lost : undefined;
    if (fixed) {
      if (status.name !== undefined && checkName(status.name, joinPath(path, 'name'), errors)) fixed.name = status.name;
    } else if (status.id !== undefined) {
      errors.push(errorItem('NotSupportedChoice', joinPath(path, 'id'), 'Only the fixed stages 142 and 143 can be named by id.'));
    } else {
      checkNewStatus(status, path, errors);
      sort = status.sort ?? nextSort(sort, 10);
      working.push(workingStatus(status, sort));
    }
  });
  if (working.length === 0) errors.push(errorItem('TooFew', '_embedded.statuses', 'A pipeline needs at least one working stage.'));
  const statuses = [incoming, ...working, won, lost];
  if (statuses.length > MAX_STATUSES) throw stageLimit();
  return statuses;
}

function checkNewStatus(draft: StatusDraft, path: string, errors: ErrorItem[]): void {
  checkName(draft.name, joinPath(path, 'name'), errors);
  errors.push(...sortErrors(draft.sort, joinPath(path, 'sort')));
  if (draft.color !== undefined) checkColor(draft.color, joinPath(path, 'color'), errors);
}

function workingStatus(draft: StatusDraft, sort: number): NewStatus {
  return {
    name: draft.name ?? '',
    sort,
    color: draft.color?.toLowerCase() ?? DEFAULT_STATUS_COLOR,
    type: STATUS_TYPE_REGULAR,
    isEditable: true,
    code: draft.code ?? null,
    semantics: 'process',
  };
}

/** Gives new stages their ids now, so a stage without a code can be coded after its id. */
async function numberStatuses(repos: Repositories, statuses: readonly NewStatus[]): Promise<NewStatus[]> {
  const count = statuses.filter((status) => status.id === undefined).length;
  let nextId = count > 0 ? await repos.sequences.reserve('statuses', count) : 0;
  return statuses.map((status) => {
    if (status.id !== undefined) return status;
    const id = nextId++;
    return { ...status, id, code: status.code ?? `UC_${id}` };
  });
}

function lastWorkingSort(statuses: readonly Status[]): number {
  return Math.max(0, ...statuses.filter((status) => !isClosedStage(status.id)).map((status) => status.sort));
}

function checkColor(color: string, path: string, errors: ErrorItem[]): void {
  if (!STATUS_COLORS.includes(color.toLowerCase())) errors.push(errorItem('NotSupportedChoice', path, DETAILS.NotSupportedChoice));
}
