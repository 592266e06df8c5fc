import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { addTags, listTags } from '../../core/records/tags.js';
import { DomainError, type ErrorItem } from '../../core/errors.js';
import { requirePrincipal } from '../../server/context.js';
import { withinBatchLimit } from './batch.js';
import { HAL_CONTENT_TYPE } from './problem.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from './records/query.js';
import type { KommoEntity } from './records/codec.js';
import { pageLinks, writeContext } from './records/routes.js';
import { queryIntegers } from './query-integers.js';
import { Page } from './schemas.js';

const TagQuery = Type.Object({
  page: Type.Optional(Page),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT })),
  query: Type.Optional(Type.String({ description: 'A part of the tag name' })),
  filter: Type.Optional(
    Type.Object({
      name: Type.Optional(Type.String({ description: 'The exact tag name' })),
      id: Type.Optional(Type.Unknown({ description: 'filter[id]=1 or filter[id][]=1&filter[id][]=2' })),
    }),
  ),
});
const TagBody = Type.Array(
  Type.Object({
    name: Type.Optional(Type.String()),
    color: Type.Optional(Type.Union([Type.String({ description: 'Hex digits without #, e.g. D0D0D0' }), Type.Null()])),
    request_id: Type.Optional(Type.String()),
  }),
  { minItems: 1 },
);

/** The tag list of one entity type: tag ids are per type, so `leads` and `contacts` each have their own. */
export function tagRoutes(entity: KommoEntity): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['kommo'];
    app.get(`/${entity}/tags`, { schema: { summary: `The tags of ${entity}`, tags, querystring: TagQuery } }, async (request, reply) => {
      const page = request.query.page ?? 1;
      const limit = request.query.limit ?? DEFAULT_LIMIT;
      const { filter = {}, query } = request.query;
      // One extra row tells whether a next page exists.
      const found = await listTags(app.store, requirePrincipal(request.principal), entity, {
        ids: filter.id === undefined ? undefined : idsOf(filter.id),
        name: filter.name,
        query: query?.trim() || undefined,
        offset: (page - 1) * limit,
        limit: limit + 1,
      });
      if (found.length === 0) return reply.code(204).send();
      return reply.type(HAL_CONTENT_TYPE).send({
        _page: page,
        _links: pageLinks(request, page, found.length > limit),
        _embedded: { tags: found.slice(0, limit).map((tag) => ({ id: tag.id, name: tag.name, color: tag.color })) },
      });
    });

    app.post(
      `/${entity}/tags`,
      { schema: { summary: `Add tags to the ${entity} list; an existing name gives back the existing tag`, tags, body: TagBody } },
      async (request, reply) => {
        const drafts = withinBatchLimit(request.body).map((item) => ({ name: item.name, color: item.color, requestId: item.request_id }));
        const created = await addTags(writeContext(request), entity, drafts);
        return reply.type(HAL_CONTENT_TYPE).send({
          _total_items: created.length,
          _embedded: { tags: created.map(({ value, requestId }) => ({ id: value.id, name: value.name, color: value.color, request_id: requestId })) },
        });
      },
    );
  };
}

function idsOf(value: unknown): number[] {
  const errors: ErrorItem[] = [];
  const ids = queryIntegers(value, 'filter.id', errors);
  if (errors.length > 0) throw DomainError.invalid([{ index: 0, requestId: '0', errors }]);
  return ids;
}
