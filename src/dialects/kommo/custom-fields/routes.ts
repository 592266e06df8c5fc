import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  createDefinitions,
  createGroups,
  deleteDefinition,
  deleteGroup,
  getDefinition,
  getGroup,
  listDefinitions,
  listGroups,
  updateDefinition,
  updateDefinitions,
  updateGroup,
  updateGroups,
  type WrittenDefinition,
  type WrittenGroup,
} from '../../../core/fields/service.js';
import { requirePrincipal } from '../../../server/context.js';
import { sendProblem } from '../errors.js';
import { HAL_CONTENT_TYPE, problem } from '../problem.js';
import type { KommoEntity } from '../records/codec.js';
import { pageLinks, writeContext } from '../records/routes.js';
import { MAX_LIMIT } from '../records/query.js';
import { assertBatchSize, decodeDefinitions, decodeGroups, parseDefinitionQuery } from './codec.js';
import { renderDefinition, renderGroup } from './render.js';
import { IdParams, Page } from '../schemas.js';

const ListQuery = Type.Object({
  page: Type.Optional(Page),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT })),
  filter: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'filter[type][]=<field type>' })),
  order: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'order[sort]=asc|desc or order[id]=asc|desc' })),
});
const GroupParams = Type.Object({ group_id: Type.String({ minLength: 1 }) });
const Body = Type.Unknown({ description: 'An array of Kommo objects (collection) or one object (single item)' });

/** `/api/v4/{entity}/custom_fields` and its groups, for leads, contacts and companies. */
export function customFieldRoutes(entity: KommoEntity): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['kommo'];
    const fields = `/${entity}/custom_fields`;
    const groups = `${fields}/groups`;

    app.get(fields, { schema: { summary: `List ${entity} custom fields`, tags, querystring: ListQuery } }, async (request, reply) => {
      const query = parseDefinitionQuery(request.query);
      const page = await listDefinitions(app.store, requirePrincipal(request.principal), entity, query);
      if (page.definitions.length === 0) return reply.code(204).send();
      const current = request.query.page ?? 1;
      return reply.type(HAL_CONTENT_TYPE).send({
        _total_items: page.total,
        _page: current,
        _page_count: Math.ceil(page.total / query.limit),
        _links: pageLinks(request, current, query.offset + query.limit < page.total),
        _embedded: { custom_fields: page.definitions.map((definition) => renderDefinition(request, definition)) },
      });
    });

    app.get(`${fields}/:id`, { schema: { summary: `Get one ${entity} custom field`, tags, params: IdParams } }, async (request, reply) => {
      const definition = await getDefinition(app.store, requirePrincipal(request.principal), entity, request.params.id);
      return reply.type(HAL_CONTENT_TYPE).send(renderDefinition(request, definition));
    });

    app.post(fields, { schema: { summary: `Add ${entity} custom fields (admin only)`, tags, body: Body } }, async (request, reply) => {
      if (!Array.isArray(request.body)) return methodNotAllowed(reply);
      assertBatchSize(request.body);
      const written = await createDefinitions(writeContext(request), entity, decodeDefinitions(request.body, 'refused'));
      return sendDefinitions(request, reply, written);
    });

    app.patch(fields, { schema: { summary: `Update ${entity} custom fields (batch, admin only)`, tags, body: Body } }, async (request, reply) => {
      if (!Array.isArray(request.body)) return methodNotAllowed(reply);
      assertBatchSize(request.body);
      const written = await updateDefinitions(writeContext(request), entity, decodeDefinitions(request.body, 'read'));
      return sendDefinitions(request, reply, written);
    });

    app.patch(`${fields}/:id`, { schema: { summary: `Update one ${entity} custom field (admin only)`, tags, params: IdParams, body: Body } }, async (request, reply) => {
      if (!isSingleObject(request.body)) return methodNotAllowed(reply);
      const [item] = decodeDefinitions([request.body], 'ignored');
      const { definition } = await updateDefinition(writeContext(request), entity, request.params.id, item!);
      return reply.type(HAL_CONTENT_TYPE).send(renderDefinition(request, definition));
    });

    app.delete(`${fields}/:id`, { schema: { summary: `Delete one ${entity} custom field (admin only)`, tags, params: IdParams } }, async (request, reply) => {
      await deleteDefinition(writeContext(request), entity, request.params.id);
      return reply.code(204).send();
    });

    app.get(groups, { schema: { summary: `List ${entity} custom field groups`, tags } }, async (request, reply) => {
      const found = await listGroups(app.store, requirePrincipal(request.principal), entity);
      return reply.type(HAL_CONTENT_TYPE).send({
        _total_items: found.length,
        _embedded: { custom_field_groups: found.map((group) => renderGroup(request, group)) },
      });
    });

    app.get(`${groups}/:group_id`, { schema: { summary: `Get one ${entity} custom field group`, tags, params: GroupParams } }, async (request, reply) => {
      const group = await getGroup(app.store, requirePrincipal(request.principal), entity, request.params.group_id);
      return reply.type(HAL_CONTENT_TYPE).send(renderGroup(request, group));
    });

    app.post(groups, { schema: { summary: `Add ${entity} custom field groups (admin only)`, tags, body: Body } }, async (request, reply) => {
      if (!Array.isArray(request.body)) return methodNotAllowed(reply);
      assertBatchSize(request.body);
      const written = await createGroups(writeContext(request), entity, decodeGroups(request.body, 'refused'));
      return sendGroups(request, reply.code(201), written);
    });

    app.patch(groups, { schema: { summary: `Update ${entity} custom field groups (batch, admin only)`, tags, body: Body } }, async (request, reply) => {
      if (!Array.isArray(request.body)) return methodNotAllowed(reply);
      assertBatchSize(request.body);
      const written = await updateGroups(writeContext(request), entity, decodeGroups(request.body, 'read'));
      return sendGroups(request, reply, written);
    });

    app.patch(`${groups}/:group_id`, { schema: { summary: `Update one ${entity} custom field group (admin only)`, tags, params: GroupParams, body: Body } }, async (request, reply) => {
      if (!isSingleObject(request.body)) return methodNotAllowed(reply);
      const [item] = decodeGroups([request.body], 'ignored');
      const { group } = await updateGroup(writeContext(request), entity, request.params.group_id, item!);
      return reply.type(HAL_CONTENT_TYPE).send(renderGroup(request, group));
    });

    app.delete(`${groups}/:group_id`, { schema: { summary: `Delete one ${entity} custom field group (admin only)`, tags, params: GroupParams } }, async (request, reply) => {
      await deleteGroup(writeContext(request), entity, request.params.group_id);
      return reply.code(204).send();
    });
  };
}

function isSingleObject(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

/** Kommo answers a collection route given one object, or an item route given an array, with 405. */
function methodNotAllowed(reply: FastifyReply) {
  return sendProblem(reply, problem(405, 'Method Not Allowed'));
}

function sendDefinitions(request: FastifyRequest, reply: FastifyReply, written: readonly WrittenDefinition[]) {
  return reply.type(HAL_CONTENT_TYPE).send({
    _total_items: written.length,
    _embedded: { custom_fields: written.map(({ definition, requestId }) => renderDefinition(request, definition, requestId)) },
  });
}

function sendGroups(request: FastifyRequest, reply: FastifyReply, written: readonly WrittenGroup[]) {
  return reply.type(HAL_CONTENT_TYPE).send({
    _total_items: written.length,
    _embedded: { custom_field_groups: written.map(({ group, requestId }) => renderGroup(request, group, requestId)) },
  });
}
