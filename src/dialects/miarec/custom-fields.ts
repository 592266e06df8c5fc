/**
 * `/api/v2/custom_fields.json` and `/api/v2/custom_fields/{field_id}.json`: call field definitions,
 * wrapped as `{"custom_field": {...}}` and named by their uuid. MiaRec's `string` is the engine's
 * text (with `str_max_len` as its longest value) and `option` its select (with `options`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { callFields } from '../../core/calls/service.js';
import { DomainError, type ErrorItem } from '../../core/errors.js';
import type { DefinitionDraft } from '../../core/fields/draft.js';
import { isPlainObject, issue } from '../../core/fields/issues.js';
import type { FieldDefinition, FieldType } from '../../core/fields/model.js';
import { createDefinitions, deleteDefinition, updateDefinition } from '../../core/fields/service.js';
import { requirePrincipal } from '../../server/context.js';
import { requestWriteContext } from '../write-context.js';
import { collectionPage, PAGING_QUERY, parsePaging } from './collection.js';
import { invalidRequest } from './errors.js';

type Json = Record<string, unknown>;

const ENTITY = 'calls';
const tags = ['miarec'];
const MAX_NAME_LENGTH = 64;
const MAX_DESCRIPTION_LENGTH = 4096;
const MIAREC_TYPES: Record<string, FieldType> = { string: 'text', option: 'select' };
const FieldParams = Type.Object({ id: Type.String() });
const ListQuery = Type.Object(
  {
    ...PAGING_QUERY,
    search_term: Type.Optional(Type.String({ description: 'Part of the field name' })),
  },
  { additionalProperties: true },
);
const Body = Type.Unknown({ description: '{"custom_field": {...}}' });

export const customFieldRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/custom_fields.json', { schema: { summary: 'List call custom fields', tags, querystring: ListQuery } }, async (request) => {
    const paging = parsePaging(request.query);
    const term = request.query.search_term?.toLowerCase() ?? '';
    const matching = (await callFields(app.store, requirePrincipal(request.principal))).filter((definition) =>
      definition.name.toLowerCase().includes(term),
    );
    const rows = matching.slice(paging.start, paging.start + paging.limit + 1).map(renderField);
    return collectionPage(request, 'custom_fields', rows, paging);
  });

  app.get('/custom_fields/:id.json', { schema: { summary: 'Get one call custom field', tags, params: FieldParams } }, async (request) => {
    return { custom_field: renderField(await fieldByUuid(request, request.params.id)) };
  });

  app.post('/custom_fields.json', { schema: { summary: 'Add a call custom field (admin only)', tags, body: Body } }, async (request, reply) => {
    const field = fieldObject(request.body);
    const existing = await callFields(app.store, requirePrincipal(request.principal));
    const draft = decodeField(field, null, existing);
    const [written] = await createDefinitions(requestWriteContext(request), ENTITY, [{ requestId: '0', draft, readErrors: [] }]);
    return reply.code(201).send({ custom_field: renderField(written!.definition) });
  });

  app.put('/custom_fields/:id.json', { schema: { summary: 'Change a call custom field (admin only)', tags, params: FieldParams, body: Body } }, async (request) => {
    const field = fieldObject(request.body);
    const current = await fieldByUuid(request, request.params.id);
    const draft = decodeField(field, current, await callFields(app.store, requirePrincipal(request.principal)));
    const { definition } = await updateDefinition(requestWriteContext(request), ENTITY, current.id, { requestId: '0', draft, readErrors: [] });
    return { custom_field: renderField(definition) };
  });

  app.delete('/custom_fields/:id.json', { schema: { summary: 'Delete a call custom field and its values (admin only)', tags, params: FieldParams } }, async (request) => {
    const current = await fieldByUuid(request, request.params.id);
    await deleteDefinition(requestWriteContext(request), ENTITY, current.id);
    return {};
  });
};

async function fieldByUuid(request: FastifyRequest, uuid: string): Promise<FieldDefinition> {
  const found = (await callFields(request.server.store, requirePrincipal(request.principal))).find((definition) => definition.uuid === uuid);
  if (!found) throw DomainError.notFound(`Custom field ${uuid} not found`);
  return found;
}

function fieldObject(body: unknown): Json {
  if (!isPlainObject(body) || body.custom_field === undefined) throw invalidRequest([issue.fieldMissing('custom_field')]);
  if (!isPlainObject(body.custom_field)) throw invalidRequest([issue.invalidType('custom_field', 'object')]);
  return body.custom_field;
}

/**
 * The engine draft of a MiaRec field: everything for a create (`current` null), only what is given
 * for an update. `field_id` and the attributes this server does not model (tenants, display and
 * search options, AI assist) are accepted and ignored.
 */
function decodeField(field: Json, current: FieldDefinition | null, existing: readonly FieldDefinition[]): DefinitionDraft {
  const errors: ErrorItem[] = [];
  const draft: DefinitionDraft = {};
  const { name, type, description, enable, editable, str_max_len: maxLength, options } = field;

  if (name !== undefined || current === null) {
    if (typeof name !== 'string') errors.push(name === undefined ? issue.fieldMissing('name') : issue.invalidType('name', 'string'));
    else if ([...name].length > MAX_NAME_LENGTH) errors.push(issue.tooLong('name', MAX_NAME_LENGTH));
    else if (existing.some((other) => other.name === name && other.id !== current?.id)) {
      errors.push(issue.duplicate('name', 'A custom field with this name already exists.'));
    } else draft.name = name;
  }
  if (type !== undefined || current === null) {
    const engineType = typeof type === 'string' ? MIAREC_TYPES[type] : undefined;
    if (engineType === undefined) errors.push(type === undefined ? issue.fieldMissing('type') : issue.notSupportedChoice('type'));
    else draft.type = engineType;
  }
  if (enable !== undefined || current === null) {
    if (typeof enable !== 'boolean') errors.push(enable === undefined ? issue.fieldMissing('enable') : issue.invalidType('enable', 'bool'));
    // Every field here is enabled; a disabled one would be a field no one may see, which the engine does not model.
    else if (!enable) errors.push(issue.invalidValue('enable', 'Disabled custom fields are not supported'));
  }
  if (description !== undefined) {
    if (description !== null && typeof description !== 'string') errors.push(issue.invalidType('description', 'string'));
    else if (description !== null && [...description].length > MAX_DESCRIPTION_LENGTH) errors.push(issue.tooLong('description', MAX_DESCRIPTION_LENGTH));
    else draft.description = description === '' ? null : description;
  }
  if (editable !== undefined) {
    if (typeof editable !== 'boolean') errors.push(issue.invalidType('editable', 'bool'));
    else draft.isEditable = editable;
  }
  const finalType = draft.type ?? current?.type;
  if (maxLength !== undefined && maxLength !== null && finalType === 'text') {
    if (typeof maxLength !== 'number' || !Number.isInteger(maxLength)) errors.push(issue.invalidType('str_max_len', 'int'));
    else draft.settings = { ...current?.settings, maxLength };
  }
  if (options !== undefined && finalType === 'select') {
    if (!Array.isArray(options) || !options.every((option) => typeof option === 'string')) errors.push(issue.invalidType('options', 'array'));
    // An option that keeps its text keeps its id, so calls holding it keep their value.
    else draft.enums = options.map((value) => ({ value, ...idOfOption(current, value) }));
  }
  if (errors.length > 0) throw invalidRequest(errors);
  return draft;
}

function idOfOption(current: FieldDefinition | null, value: string): { id?: number } {
  const kept = current?.enums?.find((option) => option.value === value);
  return kept ? { id: kept.id } : {};
}

function renderField(definition: FieldDefinition): Json {
  const isOption = definition.enums !== null;
  return {
    field_id: definition.uuid,
    enable: true,
    tenant_id: null,
    name: definition.name,
    is_global: false,
    description: definition.description ?? '',
    type: isOption ? 'option' : 'string',
    display_as: definition.type === 'textarea' ? 'multiline' : 'default',
    str_max_len: definition.settings.maxLength ?? null,
    editable: definition.isEditable,
    search_options: [],
    options: (definition.enums ?? []).map((option) => option.value),
    ai_assist: false,
  };
}
