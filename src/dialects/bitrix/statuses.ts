/**
 * `crm.status.*` for the lead stage directory `STATUS`, which is the main pipeline's stages (see
 * stages.ts). Other directories (SOURCE, HONORIFIC, …) are not stored: they list empty and cannot be
 * written.
 *
 * Adding: `SEMANTICS: "F"` places the new stage after every existing stage, behind the success
 * stage, which makes it a failure stage (Bitrix24's own rule); without SEMANTICS it is a working stage
 * at its SORT. A second success stage cannot be added. COLOR is kept when it is one of the engine's
 * stage colours and otherwise left to the default.
 */
import { addStatuses, deleteStatus, listPipelines, STATUS_COLORS, updateStatus, type StatusDraft } from '../../core/pipelines/service.js';
import type { Status } from '../../core/pipelines/model.js';
import { BitrixError, bitrixErrors, withNaming } from './errors.js';
import { fieldsParam, idParam, param, type MethodCall, type MethodOutcome, type MethodTable } from './methods.js';
import { codeOf, SEMANTICS_NAMES, StageBook } from './stages.js';
import { flag, isObject, wholeNumber } from './wire.js';

const LEAD_STAGES = 'STATUS';
const NAMING = { kind: 'status' } as const;

export const statusMethods: MethodTable = {
  'crm.status.list': list,
  'crm.status.get': async (call) => {
    const { book, status } = await findStatus(call);
    return { result: renderStatus(book, status) };
  },
  'crm.status.entity.items': async (call) => {
    const entityId = param(call.params, 'entityId') ?? call.params.ENTITY_ID;
    if (typeof entityId !== 'string' || entityId === '') {
      throw new BitrixError(400, 'The parameter entityId is not defined or invalid.', 'The parameter entityId is not defined or invalid.');
    }
    const book = await stageBook(call);
    const statuses = entityId === LEAD_STAGES ? book.directory() : [];
    return { result: statuses.map((status) => ({ NAME: status.name, SORT: status.sort, STATUS_ID: codeOf(status) })) };
  },
  'crm.status.add': add,
  'crm.status.update': async (call) => {
    const fields = fieldsParam(call.params);
    const { book, status } = await findStatus(call);
    const draft: StatusDraft = {
      ...(fields.NAME === undefined ? {} : { name: String(fields.NAME) }),
      ...sortAndColor(fields),
    };
    await withNaming(NAMING, () => updateStatus(call.context, book.main.id, status.id, draft));
    return { result: true };
  },
  'crm.status.delete': async (call) => {
    const { book, status } = await findStatus(call);
    await withNaming(NAMING, () => deleteStatus(call.context, book.main.id, status.id));
    return { result: true };
  },
};

async function stageBook(call: MethodCall): Promise<StageBook> {
  return new StageBook(await listPipelines(call.context.store, call.context.principal));
}

async function findStatus(call: MethodCall): Promise<{ book: StageBook; status: Status }> {
  const id = idParam(call.params);
  const book = await stageBook(call);
  const status = book.main.statuses.find((candidate) => candidate.id === id);
  if (!status) throw bitrixErrors.notFound();
  return { book, status };
}

async function list(call: MethodCall): Promise<MethodOutcome> {
  const filter = isObject(param(call.params, 'filter')) ? (param(call.params, 'filter') as Record<string, unknown>) : {};
  const book = await stageBook(call);
  const rows = book
    .directory()
    .map((status) => renderStatus(book, status))
    .filter((row) => Object.entries(filter).every(([key, wanted]) => String(row[key as keyof StatusRow] ?? '') === String(wanted)));
  return { result: rows, total: rows.length };
}

async function add(call: MethodCall): Promise<MethodOutcome> {
  const fields = fieldsParam(call.params);
  if (fields.ENTITY_ID !== LEAD_STAGES) {
    throw new BitrixError(400, 'ERROR_CORE', `ENTITY_ID: Fieldwork stores only the lead stages (ENTITY_ID ${LEAD_STAGES}), not ${JSON.stringify(fields.ENTITY_ID ?? null)}.`);
  }
  const statusId = typeof fields.STATUS_ID === 'string' ? fields.STATUS_ID.trim().toUpperCase() : '';
  if (!/^[A-Z0-9_]{1,50}$/.test(statusId)) {
    throw new BitrixError(400, 'ERROR_CORE', 'STATUS_ID: send 1 to 50 Latin letters, digits or underscores, such as LOST.');
  }
  const book = await stageBook(call);
  if (book.find(statusId)) throw new BitrixError(400, 'ERROR_CORE', `STATUS_ID: the stage ${statusId} already exists.`);
  const semantics = typeof fields.SEMANTICS === 'string' ? fields.SEMANTICS.toUpperCase() : '';
  if (semantics === 'S') throw new BitrixError(400, 'ERROR_CORE', 'SEMANTICS: the lead stages already have their success stage; add a working (no SEMANTICS) or failure (F) stage.');
  const afterAll = Math.max(0, ...book.main.statuses.map((status) => status.sort)) + 10;
  const { sort, color } = sortAndColor(fields);
  const draft: StatusDraft = {
    name: fields.NAME === undefined ? undefined : String(fields.NAME),
    code: statusId,
    sort: semantics === 'F' ? Math.max(afterAll, sort ?? 0) : sort,
    ...(color === undefined ? {} : { color }),
  };
  const [created] = await withNaming(NAMING, () => addStatuses(call.context, book.main.id, [draft]));
  return { result: created!.value.id };
}

function sortAndColor(fields: Record<string, unknown>): Pick<StatusDraft, 'sort' | 'color'> {
  const sort = wholeNumber(fields.SORT);
  const color = typeof fields.COLOR === 'string' && STATUS_COLORS.includes(fields.COLOR.toLowerCase()) ? fields.COLOR : undefined;
  return { ...(sort === null ? {} : { sort }), ...(color === undefined ? {} : { color }) };
}

interface StatusRow {
  ID: string;
  ENTITY_ID: string;
  STATUS_ID: string;
  NAME: string;
  NAME_INIT: string;
  SORT: string;
  SYSTEM: 'Y' | 'N';
  CATEGORY_ID: null;
  COLOR: string;
  SEMANTICS: 'S' | 'F' | null;
  EXTRA: { SEMANTICS: string; COLOR: string };
}

function renderStatus(book: StageBook, status: Status): StatusRow {
  const semantics = book.semantics(status);
  return {
    ID: String(status.id),
    ENTITY_ID: LEAD_STAGES,
    STATUS_ID: codeOf(status),
    NAME: status.name,
    NAME_INIT: status.name,
    SORT: String(status.sort),
    SYSTEM: flag(!status.isEditable),
    CATEGORY_ID: null,
    COLOR: status.color,
    SEMANTICS: semantics === 'P' ? null : semantics,
    EXTRA: { SEMANTICS: SEMANTICS_NAMES[semantics], COLOR: status.color },
  };
}
