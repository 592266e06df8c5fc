import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { DETAILS, DomainError, errorItem } from '../../core/errors.js';
import type { Link } from '../../core/records/model.js';
import { changeLinks, changeRecordLinks, listLinks, listLinksOfMany, type LinkChange } from '../../core/records/links.js';
import { listOf } from '../../server/query-string.js';
import { requirePrincipal } from '../../server/context.js';
import { withinBatchLimit } from './batch.js';
import { selfLink } from './links.js';
import { HAL_CONTENT_TYPE } from './problem.js';
import type { KommoEntity } from './records/codec.js';
import { writeContext } from './records/routes.js';
import { ID_BOUNDS, Id, IdParams } from './schemas.js';

const LinkQuery = Type.Object({
  filter: Type.Optional(
    Type.Object({
      to_entity_id: Type.Optional(Type.Integer({ ...ID_BOUNDS, description: 'Together with filter[to_entity_type]' })),
      to_entity_type: Type.Optional(Type.String({ description: 'Together with filter[to_entity_id]' })),
    }),
  ),
});
const MassLinkQuery = Type.Object({
  filter: Type.Object({ entity_id: Type.Unknown({ description: 'One id or a list: filter[entity_id][]=1&filter[entity_id][]=2' }) }),
});
/** As many records as one page of a list may hold. */
const MASS_LINK_LIMIT = 250;
const Metadata = Type.Union([
  Type.Object({
    is_main: Type.Optional(Type.Boolean({ description: 'For a contact: the main contact of the lead' })),
    main_contact: Type.Optional(Type.Boolean({ description: 'The same, as Kommo reads it back' })),
  }),
  Type.Null(),
]);
const Target = Type.Object({ to_entity_id: Id, to_entity_type: Type.String({ description: 'leads, contacts or companies' }), metadata: Type.Optional(Metadata) });
const MassTarget = Type.Object({ entity_id: Id, ...Target.properties });
const TargetBody = Type.Array(Target, { minItems: 1 });
const MassBody = Type.Array(MassTarget, { minItems: 1 });
const VERB: Record<LinkChange, string> = { link: 'Link', unlink: 'Unlink' };

/** Links between leads, contacts and companies, one record's at a time or in bulk. */
export function entityLinkRoutes(entity: KommoEntity): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['kommo'];
    app.get(`/${entity}/:id/links`, { schema: { summary: `What one of ${entity} is linked to`, tags, params: IdParams, querystring: LinkQuery } }, async (request, reply) => {
      const links = await listLinks(app.store, requirePrincipal(request.principal), entity, request.params.id, linkFilter(request.query.filter));
      if (links.length === 0) return reply.code(204).send();
      return sendLinks(request, reply, `/api/v4/${entity}/${request.params.id}/links`, links);
    });

    app.get(`/${entity}/links`, { schema: { summary: `What many of ${entity} are linked to`, tags, querystring: MassLinkQuery } }, async (request, reply) => {
      const ids = listOf(request.query.filter.entity_id).map(Number);
      if (ids.length === 0 || ids.length > MASS_LINK_LIMIT || !ids.every((id) => Number.isSafeInteger(id) && id > 0)) {
        throw DomainError.invalid([
          { index: 0, requestId: '0', errors: [errorItem('InvalidType', 'filter.entity_id', `This value should be a list of 1 to ${MASS_LINK_LIMIT} ids.`)] },
        ]);
      }
      const links = await listLinksOfMany(app.store, requirePrincipal(request.principal), entity, ids);
      if (links.length === 0) return reply.code(204).send();
      return sendLinks(request, reply, `/api/v4/${entity}/links`, links);
    });

    for (const change of ['link', 'unlink'] as const) {
      app.post(
        `/${entity}/:id/${change}`,
        { schema: { summary: `${VERB[change]} one of ${entity} and other records`, tags, params: IdParams, body: TargetBody } },
        async (request, reply) => {
          const targets = withinBatchLimit(request.body).map(targetOf);
          const links = await changeRecordLinks(writeContext(request), entity, request.params.id, targets, change);
          return sendChanged(request, reply, change, links);
        },
      );
      app.post(`/${entity}/${change}`, { schema: { summary: `${VERB[change]} many of ${entity} at once`, tags, body: MassBody } }, async (request, reply) => {
        const requests = withinBatchLimit(request.body).map((item) => ({ entityId: item.entity_id, ...targetOf(item) }));
        const links = await changeLinks(writeContext(request), entity, requests, change);
        return sendChanged(request, reply, change, links);
      });
    }
  };
}

/** Kommo takes the target of a links filter as a pair, never one half. */
function linkFilter(filter: Static<typeof LinkQuery>['filter']): { toEntityType: string; toEntityId: number } | undefined {
  if (filter?.to_entity_id === undefined && filter?.to_entity_type === undefined) return undefined;
  if (filter.to_entity_id !== undefined && filter.to_entity_type !== undefined) return { toEntityType: filter.to_entity_type, toEntityId: filter.to_entity_id };
  const missing = filter.to_entity_id === undefined ? 'filter.to_entity_id' : 'filter.to_entity_type';
  throw DomainError.invalid([{ index: 0, requestId: '0', errors: [errorItem('FieldMissing', missing, DETAILS.FieldMissing)] }]);
}

function targetOf(item: Static<typeof Target>) {
  const isMain = item.metadata?.is_main ?? item.metadata?.main_contact;
  return { toEntityType: item.to_entity_type, toEntityId: item.to_entity_id, metadata: isMain === undefined ? {} : { isMain } };
}

/** A link answers with what it linked; an unlink with 204, as Kommo does. */
function sendChanged(request: FastifyRequest, reply: FastifyReply, change: LinkChange, links: Link[]) {
  if (change === 'unlink') return reply.code(204).send();
  return sendLinks(request, reply, request.url.split('?')[0] ?? '', links);
}

function sendLinks(request: FastifyRequest, reply: FastifyReply, path: string, links: Link[]) {
  return reply.type(HAL_CONTENT_TYPE).send({
    _total_items: links.length,
    _links: selfLink(request, path),
    _embedded: { links: links.map(renderLink) },
  });
}

function renderLink(link: Link) {
  const withContact = link.entityType === 'contacts' || link.toEntityType === 'contacts';
  return {
    entity_id: link.entityId,
    entity_type: link.entityType,
    to_entity_id: link.toEntityId,
    to_entity_type: link.toEntityType,
    metadata: withContact ? { main_contact: link.metadata.isMain ?? false } : null,
  };
}
