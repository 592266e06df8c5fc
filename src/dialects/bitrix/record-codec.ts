/**
 * Bitrix24 record `fields` to engine drafts, and engine records to Bitrix24 objects.
 *
 * Unknown standard keys are ignored, as Bitrix24 does; a `UF_` key that names no user field, and a
 * key that is a user field's name without its `UF_CRM_` prefix, are refused with the name to use,
 * because silently dropping a value the client meant to store is what makes integrations fail late.
 */
import { parseRfc3339 } from '../../core/fields/types/dates.js';
import type { FieldDefinition, FieldValue } from '../../core/fields/model.js';
import type { RecordDraft } from '../../core/records/draft.js';
import type { CrmRecord, Link } from '../../core/records/model.js';
import type { Status } from '../../core/pipelines/model.js';
import type { BuiltEntry, RecordNaming } from './errors.js';
import { isMultifieldCode, patchMultifield, renderMultifield, type MultifieldCode } from './multifields.js';
import { isUserFieldName, propertyNames, standardField, standardFields, USER_FIELD_PREFIX, type BitrixEntity, type StandardField } from './record-fields.js';
import { codeOf, describeStage, type StageBook } from './stages.js';
import { decodeUserValue, renderUserValue } from './user-types.js';
import { flag, isEmptyValue, isoDateTime, positiveId, readFlag, rfc3339Of } from './wire.js';
import { listOf } from '../../server/query-string.js';

export interface WriteInput {
  entity: BitrixEntity;
  fields: Record<string, unknown>;
  /** The entity's field definitions. */
  definitions: readonly FieldDefinition[];
  /** The record being updated; null on add. */
  current: CrmRecord | null;
  currentLinks: readonly Link[];
  stages: StageBook;
}

export type DecodedWrite = { ok: true; draft: RecordDraft; naming: RecordNaming } | { ok: false; messages: string[] };

/** The Bitrix24 name of a field: user fields and multifields go by their code. */
export function bitrixKeyOf(definition: FieldDefinition): string | null {
  const code = definition.code;
  return code !== null && (code.startsWith(USER_FIELD_PREFIX) || isMultifieldCode(code)) ? code : null;
}

export function userFields(definitions: readonly FieldDefinition[]): FieldDefinition[] {
  return definitions.filter((definition) => definition.code?.startsWith(USER_FIELD_PREFIX));
}

export function decodeWrite(input: WriteInput): DecodedWrite {
  const { entity, fields, definitions, current, stages } = input;
  const messages: string[] = [];
  const draft: RecordDraft = {};
  const attributes: Record<string, unknown> = {};
  const entries: BuiltEntry[] = [];
  const customFieldsValues: { field_id: number; values: Record<string, unknown>[] | null }[] = [];
  const byCode = (code: string) => definitions.find((definition) => definition.code === code);
  const addEntry = (key: string, definition: FieldDefinition, values: Record<string, unknown>[] | null, sent: unknown[]) => {
    entries.push({ key, definition, sent });
    customFieldsValues.push({ field_id: definition.id, values });
  };
  let stage: Status | undefined;

  for (const [key, raw] of Object.entries(fields)) {
    const standard = standardField(entity, key);
    if (standard?.source.kind === 'multifield') {
      const code = standard.source.code;
      const definition = byCode(code);
      // Empty multifields were not provisioned: there is nothing to patch.
      if (!definition) continue;
      const stored = current?.customFields.find((value) => value.field_id === definition.id)?.values ?? [];
      const patch = patchMultifield(code, definition, stored, raw);
      if (!patch.ok) messages.push(...patch.messages);
      else if (patch.changed) addEntry(code, definition, patch.items, patch.sent);
    } else if (standard) {
      if (!standard.readOnly) {
        const result = decodeStandard(standard, raw, { draft, attributes, stages, links: input.currentLinks, entity });
        if (typeof result === 'string') messages.push(result);
        else if (result) stage = result;
      }
    } else if (isUserFieldName(key)) {
      const definition = byCode(key);
      if (!definition) {
        const known = userFields(definitions).map((candidate) => candidate.code).join(', ');
        messages.push(`${key}: there is no such user field on ${entity}; create it with crm.${singular(entity)}.userfield.add or check the name (user fields: ${known || 'none yet'}).`);
        continue;
      }
      const decoded = decodeUserValue(definition, key, raw);
      if (!decoded.ok) messages.push(decoded.message);
      else addEntry(key, definition, decoded.items, decoded.sent);
    } else {
      const lookalike = byCode(`${USER_FIELD_PREFIX}${key}`);
      if (lookalike) messages.push(`${key}: there is no such field; the user field is named ${lookalike.code ?? ''}, send the value under that name.`);
    }
  }
  if (Object.keys(attributes).length > 0) draft.attributes = attributes;
  if (customFieldsValues.length > 0) draft.customFieldsValues = customFieldsValues;
  if (messages.length > 0) return { ok: false, messages };
  return {
    ok: true,
    draft,
    naming: {
      kind: 'record',
      entries,
      definitions,
      properties: propertyNames(entity),
      stage: stage ? describeStage(stage) : null,
      keyOf: bitrixKeyOf,
    },
  };
}

export function singular(entity: BitrixEntity): string {
  return { leads: 'lead', contacts: 'contact', companies: 'company' }[entity];
}

interface StandardTarget {
  draft: RecordDraft;
  attributes: Record<string, unknown>;
  stages: StageBook;
  links: readonly Link[];
  entity: BitrixEntity;
}

/** Reads one writable standard field into the draft; a message when the value cannot be used, the stage for STATUS_ID. */
function decodeStandard(field: StandardField, raw: unknown, target: StandardTarget): string | Status | undefined {
  const { draft, attributes } = target;
  const source = field.source;
  if (source.kind === 'links') {
    addLinks(source.to, raw, target);
    return undefined;
  }
  const text = isEmptyValue(raw) ? null : typeof raw === 'string' || typeof raw === 'number' ? String(raw) : undefined;
  if (text === undefined) return `${field.name}: send a string, not ${JSON.stringify(raw)}.`;
  switch (source.kind) {
    case 'text':
      if (source.property === 'name') draft.name = text ?? '';
      else draft[source.property] = text;
      return undefined;
    case 'price': {
      const amount = text === null ? null : Number(text);
      if (amount !== null && !Number.isSafeInteger(amount)) {
        return `${field.name}: ${JSON.stringify(raw)} is not a whole amount; Fieldwork keeps amounts in whole currency units, so send e.g. ${Number.isFinite(amount) ? Math.round(amount) : 12500}.`;
      }
      draft.price = amount;
      return undefined;
    }
    case 'responsible': {
      const userId = positiveId(raw);
      if (userId === null) return `${field.name}: send the ID of a user, not ${JSON.stringify(raw)}.`;
      draft.responsibleUserId = userId;
      return undefined;
    }
    case 'stage': {
      const status = text === null ? undefined : target.stages.find(text);
      if (!status) {
        const known = target.stages.directory().map(codeOf).join(', ');
        return `STATUS_ID: ${JSON.stringify(raw)} is not a lead stage; use one of ${known}, or add it first with crm.status.add (ENTITY_ID STATUS).`;
      }
      draft.pipelineId = target.stages.main.id;
      draft.statusId = status.id;
      return status;
    }
    case 'link':
      addLinks(source.to, raw, target);
      return undefined;
    case 'attribute':
      return decodeAttribute(field, source.format, raw, text, attributes);
    default:
      return undefined;
  }
}

/** Links the record to each id of `raw` it is not linked to yet. */
function addLinks(to: 'companies' | 'contacts', raw: unknown, target: StandardTarget): void {
  for (const id of listOf(raw).map(positiveId)) {
    // 0 or "" means "none" in Bitrix24; the engine adds links but keeps the ones it has.
    if (id === null || target.links.some((link) => link.toEntityType === to && link.toEntityId === id)) continue;
    if (target.draft.links?.some((link) => link.entityType === to && link.id === id)) continue;
    (target.draft.links ??= []).push({ entityType: to, id });
  }
}

function decodeAttribute(field: StandardField, format: 'string' | 'flag' | 'date', raw: unknown, text: string | null, attributes: Record<string, unknown>): string | undefined {
  if (text === null) {
    attributes[field.name] = null;
    return undefined;
  }
  if (format === 'flag') {
    const value = readFlag(raw);
    if (value === null) return `${field.name}: send Y or N, not ${JSON.stringify(raw)}.`;
    attributes[field.name] = flag(value);
    return undefined;
  }
  if (format === 'date') {
    const seconds = parseRfc3339(rfc3339Of(text));
    if (seconds === null) return `${field.name}: ${JSON.stringify(raw)} is not a date; send YYYY-MM-DD or DD.MM.YYYY.`;
    attributes[field.name] = isoDateTime(seconds).slice(0, 10);
    return undefined;
  }
  attributes[field.name] = text;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface RenderContext {
  entity: BitrixEntity;
  definitions: readonly FieldDefinition[];
  stages: StageBook;
  links: readonly Link[];
}

/** Which fields an answer carries; multifields appear only where they hold values, as in Bitrix24. */
export interface Selection {
  standard(name: string): boolean;
  userField(name: string): boolean;
  multifield(code: MultifieldCode): boolean;
}

export const EVERYTHING: Selection = { standard: () => true, userField: () => true, multifield: () => true };

export function renderRecord(record: CrmRecord, context: RenderContext, selection: Selection): Record<string, unknown> {
  const output: Record<string, unknown> = {};
  const valuesOf = (definition: FieldDefinition | undefined) =>
    definition === undefined ? [] : (record.customFields.find((value: FieldValue) => value.field_id === definition.id)?.values ?? []);
  const multifield = (code: MultifieldCode) => context.definitions.find((definition) => definition.code === code);
  for (const field of standardFields(context.entity)) {
    const source = field.source;
    if (source.kind === 'links') continue;
    if (source.kind === 'multifield') {
      const definition = multifield(source.code);
      const values = valuesOf(definition);
      if (definition && values.length > 0 && selection.multifield(source.code)) output[field.name] = renderMultifield(source.code, definition, values);
    } else if (field.name === 'ID' || selection.standard(field.name)) {
      output[field.name] = source.kind === 'has' ? flag(valuesOf(multifield(source.code)).length > 0) : renderStandard(record, field.name, source, context);
    }
  }
  for (const definition of userFields(context.definitions)) {
    const name = definition.code ?? '';
    if (selection.userField(name)) output[name] = renderUserValue(definition, valuesOf(definition));
  }
  return output;
}

function renderStandard(record: CrmRecord, name: string, source: Exclude<StandardField['source'], { kind: 'multifield' | 'has' | 'links' }>, context: RenderContext): unknown {
  switch (source.kind) {
    case 'id':
      return String(record.id);
    case 'text':
      return record[source.property];
    case 'price':
      return (record.price ?? 0).toFixed(2);
    case 'responsible':
      return String(record.responsibleUserId);
    case 'user':
      return String(record[source.property]);
    case 'time': {
      const seconds = record[source.property];
      return seconds === null ? '' : isoDateTime(seconds);
    }
    case 'stage': {
      const status = context.stages.status(record.statusId);
      return status ? codeOf(status) : null;
    }
    case 'stageSemantics': {
      const status = context.stages.status(record.statusId);
      return status ? context.stages.semantics(status) : null;
    }
    case 'link': {
      // A lead's CONTACT_ID is its primary contact when it has one, as in Bitrix24.
      const links = context.links.filter((candidate) => candidate.entityId === record.id && candidate.toEntityType === source.to);
      const link = links.find((candidate) => candidate.metadata.isMain === true) ?? links[0];
      return link ? String(link.toEntityId) : null;
    }
    case 'attribute':
      return renderAttribute(source.format, record.attributes[name] ?? null);
  }
}

function renderAttribute(format: 'string' | 'flag' | 'date', value: unknown): unknown {
  if (format === 'flag') return value === 'Y' ? 'Y' : 'N';
  if (format === 'date') return typeof value === 'string' ? `${value}T00:00:00+00:00` : '';
  return typeof value === 'string' ? value : null;
}
