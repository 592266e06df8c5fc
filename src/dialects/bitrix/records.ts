/** `crm.lead.*`, `crm.contact.*` and `crm.company.*`: add, update, get, list, delete and fields. */
import { definitionsOf } from '../../core/fields/service.js';
import type { FieldDefinition } from '../../core/fields/model.js';
import { listPipelines } from '../../core/pipelines/service.js';
import { countRecords } from '../../core/records/count.js';
import { deleteRecords } from '../../core/records/delete.js';
import { ensureFields } from '../../core/records/ensure-fields.js';
import { getRecord, listRecords } from '../../core/records/read.js';
import { createRecords, updateRecordFrom, type WriteContext } from '../../core/records/write.js';
import { bitrixErrors, withNaming, type ErrorNaming } from './errors.js';
import { PAGE_SIZE, parseListRequest } from './list-query.js';
import { fieldsParam, idParam, type MethodCall, type MethodOutcome, type MethodTable } from './methods.js';
import { multifieldDraft, namedMultifields } from './multifields.js';
import { decodeWrite, EVERYTHING, renderRecord, singular, userFields } from './record-codec.js';
import { standardFields, type BitrixEntity } from './record-fields.js';
import { StageBook } from './stages.js';
import { describeUserField } from './userfields.js';

export function recordMethods(entity: BitrixEntity): MethodTable {
  const prefix = `crm.${singular(entity)}`;
  return {
    [`${prefix}.add`]: (call) => add(entity, call),
    [`${prefix}.update`]: (call) => update(entity, call),
    [`${prefix}.get`]: (call) => get(entity, call),
    [`${prefix}.list`]: (call) => list(entity, call),
    [`${prefix}.delete`]: async (call) => {
      await deleteRecords(call.context, entity, [idParam(call.params)]);
      return { result: true };
    },
    [`${prefix}.fields`]: (call) => fields(entity, call),
  };
}


async function stageBook(context: WriteContext): Promise<StageBook> {
  return new StageBook(await listPipelines(context.store, context.principal));
}

/** The entity's definitions, with the multifields the write names created first if it lacks them. */
async function provisioned(context: WriteContext, entity: BitrixEntity, fields: Record<string, unknown>): Promise<FieldDefinition[]> {
  const definitions = await definitionsOf(context.store, context.principal, entity);
  const missing = namedMultifields(fields).filter((code) => !definitions.some((definition) => definition.code === code));
  return missing.length === 0 ? definitions : ensureFields(context, entity, missing.map(multifieldDraft));
}

async function add(entity: BitrixEntity, call: MethodCall): Promise<MethodOutcome> {
  const fields = fieldsParam(call.params);
  const [definitions, stages] = await Promise.all([provisioned(call.context, entity, fields), stageBook(call.context)]);
  const decoded = decodeWrite({ entity, fields, definitions, current: null, currentLinks: [], stages });
  if (!decoded.ok) throw bitrixErrors.invalidFields(decoded.messages);
  const [written] = await withNaming(decoded.naming, () => createRecords(call.context, entity, [decoded.draft]));
  return { result: written!.record.id };
}

async function update(entity: BitrixEntity, call: MethodCall): Promise<MethodOutcome> {
  const id = idParam(call.params);
  const fields = fieldsParam(call.params);
  const { context } = call;
  const [definitions, stages] = await Promise.all([provisioned(context, entity, fields), stageBook(context)]);
  // Multifield items patch the values the record holds, so they are read in the update's own transaction.
  let naming: ErrorNaming | null = null;
  await withNaming(
    () => naming,
    () =>
      updateRecordFrom(context, entity, id, (current, currentLinks) => {
        const decoded = decodeWrite({ entity, fields, definitions, current, currentLinks, stages });
        if (!decoded.ok) throw bitrixErrors.invalidFields(decoded.messages);
        naming = decoded.naming;
        return decoded.draft;
      }),
  );
  return { result: true };
}

async function get(entity: BitrixEntity, call: MethodCall): Promise<MethodOutcome> {
  const id = idParam(call.params);
  const { store, principal } = call.context;
  const [page, stages] = await Promise.all([getRecord(store, principal, entity, id, { links: true }), stageBook(call.context)]);
  const record = page.records[0];
  if (!record) throw bitrixErrors.notFound();
  const definitions = page.definitions.filter((definition) => definition.entityType === entity);
  return { result: renderRecord(record, { entity, definitions, stages, links: page.links }, EVERYTHING) };
}

async function list(entity: BitrixEntity, call: MethodCall): Promise<MethodOutcome> {
  const { store, principal } = call.context;
  const [definitions, stages] = await Promise.all([definitionsOf(call.context.store, call.context.principal, entity), stageBook(call.context)]);
  const request = parseListRequest(call.params, { entity, definitions, stages });
  const [page, total] = await Promise.all([
    listRecords(store, principal, entity, request.query, { links: true }),
    request.countless ? Promise.resolve(undefined) : countRecords(store, principal, entity, request.query),
  ]);
  const rows = page.records.slice(0, PAGE_SIZE).map((record) => renderRecord(record, { entity, definitions, stages, links: page.links }, request.selection));
  const hasMore = page.records.length > PAGE_SIZE && !request.countless;
  return { result: rows, ...(hasMore ? { next: request.start + PAGE_SIZE } : {}), ...(total === undefined ? {} : { total }) };
}

async function fields(entity: BitrixEntity, call: MethodCall): Promise<MethodOutcome> {
  const definitions = await definitionsOf(call.context.store, call.context.principal, entity);
  const result: Record<string, unknown> = {};
  for (const field of standardFields(entity)) {
    result[field.name] = {
      type: field.type,
      isRequired: false,
      isReadOnly: field.readOnly,
      isImmutable: false,
      isMultiple: field.type === 'crm_multifield' || field.source.kind === 'links',
      isDynamic: false,
      title: field.title,
      ...(field.statusType ? { statusType: field.statusType } : {}),
    };
  }
  for (const definition of userFields(definitions)) result[definition.code ?? ''] = describeUserField(definition);
  return { result };
}
