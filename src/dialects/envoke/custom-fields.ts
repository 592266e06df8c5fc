/**
 * `/v2/customfields`: Envoke's custom fields over the engine's contact fields. Names are letters,
 * digits and underscores, unique among the account's contact fields; `field_type` is set once.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { FieldDefinition } from '../../core/fields/model.js';
import { isPlainObject } from '../../core/fields/issues.js';
import { createDefinitions, deleteDefinition, listDefinitions, updateDefinition } from '../../core/fields/service.js';
import type { DefinitionDraft } from '../../core/fields/draft.js';
import { requirePrincipal } from '../../server/context.js';
import { requestWriteContext } from '../write-context.js';
import { FIELD_TYPE_VALUES, envokeInvalid, envokeMessage, envokeNotFound } from './errors.js';
import { ENGINE_TYPES, envokeFields, renderField, type EnvokeField } from './fields.js';

const tags = ['envoke'];
const NAME = /^[A-Za-z0-9_]+$/;
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;
/** A shaped list (`fields` or `result_type=kvp`) pages by this much, and may ask for as many. */
const SHAPED_LIMIT = 100_000;
/** A field's properties: each may be filtered on and projected. */
const PROPERTIES = ['id', 'name', 'field_type', 'description'] as const;
const SORTABLE = ['name', 'field_type'] as const;
const FieldParams = Type.Object({ id: Type.String() });
const ListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: SHAPED_LIMIT, description: `at most ${MAX_LIMIT}, or ${SHAPED_LIMIT} for a shaped list` })),
    skip: Type.Optional(Type.Integer({ minimum: 0 })),
    fields: Type.Optional(Type.String({ description: 'a comma-separated projection of id, name, description, field_type' })),
    result_type: Type.Optional(Type.Literal('kvp', { description: 'kvp: {"<id>": "<name>"}' })),
    filter: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'filter[name]=…, exact match on id, name, field_type or description' })),
    sort: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'sort[name]=asc|desc or sort[field_type]=asc|desc' })),
  },
  { additionalProperties: true },
);
const Body = Type.Unknown({ description: '{"name", "field_type", "description"}' });

export const customFieldRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/customfields', { schema: { summary: 'List custom fields (a bare array, by name)', tags, querystring: ListQuery } }, async (request) => {
    const { skip = 0, filter = {}, sort = {}, fields: projection, result_type: resultType } = request.query;
    const shaped = projection !== undefined || resultType !== undefined;
    const limit = request.query.limit ?? (shaped ? SHAPED_LIMIT : DEFAULT_LIMIT);
    const messages = [
      ...(!shaped && limit > MAX_LIMIT ? [envokeMessage.limitTooLarge(MAX_LIMIT)] : []),
      ...Object.keys(filter).filter((key) => !isOneOf(PROPERTIES, key)).map((key) => envokeMessage.notFilterable(key, PROPERTIES)),
      ...Object.keys(sort).filter((key) => !isOneOf(SORTABLE, key)).map((key) => envokeMessage.notSortable(key, SORTABLE)),
      ...(projection ?? '').split(',').filter((key) => key !== '' && !isOneOf(PROPERTIES, key)).map((key) => envokeMessage.notProjectable(key, PROPERTIES)),
    ];
    if (messages.length > 0) throw envokeInvalid(messages);
    const fields = (await contactFields(request)).map(renderField);
    const matching = fields.filter((field) => PROPERTIES.every((key) => filter[key] === undefined || field[key] === filter[key]));
    const page = sortFields(matching, sort).slice(skip, skip + limit);
    if (resultType === 'kvp') return Object.fromEntries(page.map((field) => [field.id, field.name]));
    return projection === undefined ? page : page.map((field) => project(field, projection.split(',')));
  });

  app.get('/customfields/:id', { schema: { summary: 'Get one custom field', tags, params: FieldParams } }, async (request) => {
    return renderField(await fieldById(request, request.params.id));
  });

  app.post('/customfields', { schema: { summary: 'Add a custom field (admin only)', tags, body: Body } }, async (request) => {
    const body = nonEmptyBody(request.body);
    const messages: string[] = [];
    const existing = await contactFields(request, true);
    if (body.name === undefined || body.name === null || body.name === '') messages.push(envokeMessage.nameRequired());
    else messages.push(...nameMessages(body.name, existing, null));
    const type = FIELD_TYPE_VALUES.find((known) => known === body.field_type);
    if (body.field_type === undefined || body.field_type === null || body.field_type === '') messages.push(envokeMessage.fieldTypeRequired());
    else if (type === undefined) messages.push(envokeMessage.fieldTypeInvalid());
    messages.push(...descriptionMessages(body.description));
    if (messages.length > 0 || type === undefined) throw envokeInvalid(messages);
    const draft: DefinitionDraft = { name: String(body.name), type: ENGINE_TYPES[type], description: descriptionOf(body.description) ?? null };
    const [written] = await createDefinitions(requestWriteContext(request), 'contacts', [{ requestId: '0', draft, readErrors: [] }]);
    return { success: true, result_text: 'Created', result_data: renderField(written!.definition) };
  });

  app.patch('/customfields/:id', { schema: { summary: 'Rename a custom field or change its description (admin only)', tags, params: FieldParams, body: Body } }, async (request) => {
    const body = nonEmptyBody(request.body);
    const current = await fieldById(request, request.params.id);
    const messages: string[] = [];
    if (body.id !== undefined && String(body.id) !== request.params.id) {
      messages.push(envokeMessage.idMismatch(request.params.id, String(body.id)));
    }
    if (body.field_type !== undefined) messages.push(envokeMessage.fieldTypeImmutable());
    if (body.name !== undefined) messages.push(...nameMessages(body.name, await contactFields(request, true), current.id));
    messages.push(...descriptionMessages(body.description));
    // Said only when nothing else explains why the request changes nothing.
    if (messages.length === 0 && body.name === undefined && body.description === undefined) messages.push(envokeMessage.nothingToUpdate());
    if (messages.length > 0) throw envokeInvalid(messages);
    const draft: DefinitionDraft = {
      ...(typeof body.name === 'string' ? { name: body.name } : {}),
      ...(body.description === undefined ? {} : { description: descriptionOf(body.description) }),
    };
    const { definition } = await updateDefinition(requestWriteContext(request), 'contacts', current.id, { requestId: '0', draft, readErrors: [] });
    return { success: true, result_text: 'Updated', result_data: renderField(definition) };
  });

  app.delete('/customfields/:id', { schema: { summary: 'Delete a custom field and its value on every contact (admin only)', tags, params: FieldParams } }, async (request) => {
    const current = await fieldById(request, request.params.id);
    await deleteDefinition(requestWriteContext(request), 'contacts', current.id);
    return { success: true, result_text: 'Deleted', result_data: [] };
  });
};

/** The Envoke fields of the account, or with `all` every contact field (names are unique among all of them). */
export async function contactFields(request: FastifyRequest, all = false): Promise<FieldDefinition[]> {
  const { definitions } = await listDefinitions(request.server.store, requirePrincipal(request.principal), 'contacts', {
    order: { field: 'id', direction: 'asc' },
    offset: 0,
    limit: Number.MAX_SAFE_INTEGER,
  });
  return all ? definitions : envokeFields(definitions);
}

async function fieldById(request: FastifyRequest, id: string): Promise<FieldDefinition> {
  const found = (await contactFields(request)).find((definition) => String(definition.id) === id);
  if (!found) throw envokeNotFound(id);
  return found;
}

function nonEmptyBody(body: unknown): Record<string, unknown> {
  if (!isPlainObject(body)) throw envokeInvalid([envokeMessage.emptyBody()]);
  return body;
}

function nameMessages(name: unknown, existing: readonly FieldDefinition[], ownId: number | null): string[] {
  if (typeof name !== 'string' || !NAME.test(name)) return [envokeMessage.nameCharacters()];
  return existing.some((other) => other.name === name && other.id !== ownId) ? [envokeMessage.nameTaken(name)] : [];
}

function descriptionMessages(description: unknown): string[] {
  return description === undefined || description === null || typeof description === 'string' ? [] : [envokeMessage.descriptionType()];
}

/** `""` (or null) clears the description. */
function descriptionOf(description: unknown): string | null | undefined {
  if (description === undefined) return undefined;
  return typeof description === 'string' && description !== '' ? description : null;
}

function isOneOf<T extends string>(known: readonly T[], key: string): key is T {
  return (known as readonly string[]).includes(key);
}

/** The field with only the properties named, in the order they were named. */
function project(field: EnvokeField, keys: readonly string[]): Partial<EnvokeField> {
  return Object.fromEntries(keys.filter((key) => isOneOf(PROPERTIES, key)).map((key) => [key, field[key]]));
}

function sortFields(fields: EnvokeField[], sort: Record<string, string>): EnvokeField[] {
  const keys = SORTABLE.filter((key) => sort[key] !== undefined);
  const order = keys.length > 0 ? keys : (['name'] as const);
  const compare = (a: EnvokeField, b: EnvokeField) => {
    for (const key of order) {
      const sign = sort[key]?.toLowerCase() === 'desc' ? -1 : 1;
      if (a[key] !== b[key]) return sign * (a[key] < b[key] ? -1 : 1);
    }
    return Number(a.id) - Number(b.id);
  };
  return [...fields].sort(compare);
}
