import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DomainError, errorItem, type ErrorItem } from '../../core/errors.js';
import { findEvent, listEvents } from '../../core/events/read.js';
import type { StoredEvent } from '../../core/events/model.js';
import type { EventQuery } from '../../core/ports.js';
import { requirePrincipal } from '../../server/context.js';
import { listOf } from '../../server/query-string.js';
import { HAL_CONTENT_TYPE } from './problem.js';
import { baseUrl } from './links.js';
import { pageLinks } from './records/routes.js';
import { queryIntegers } from './query-integers.js';
import { ID_BOUNDS, Page } from './schemas.js';

const EVENTS_LIMIT = 100;
const ENTITY_PATHS: Record<string, string> = { lead: 'leads', contact: 'contacts', company: 'companies', call: 'calls' };

export const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/events',
    {
      schema: {
        summary: 'The change feed: lead_added, lead_status_changed, custom_field_<id>_value_changed, …',
        tags: ['kommo'],
        querystring: Type.Object({
          page: Type.Optional(Page),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: EVENTS_LIMIT })),
          filter: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        }),
      },
    },
    async (request, reply) => {
      const page = request.query.page ?? 1;
      const limit = request.query.limit ?? EVENTS_LIMIT;
      const query = eventQuery(request.query.filter ?? {}, (page - 1) * limit, limit + 1);
      const events = await listEvents(app.store, requirePrincipal(request.principal), query);
      if (events.length === 0) return reply.code(204).send();
      const base = baseUrl(request);
      return reply.type(HAL_CONTENT_TYPE).send({
        _page: page,
        _links: pageLinks(request, page, events.length > limit),
        _embedded: { events: events.slice(0, limit).map((event) => renderEvent(base, request.principal?.accountId ?? 0, event)) },
      });
    },
  );

  app.get(
    '/events/:id',
    {
      schema: {
        summary: 'One event, where its _links.self points',
        tags: ['kommo'],
        // Event ids are strings on the wire, as Kommo's are; ours are the digits of a number.
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request.principal);
      const id = /^\d+$/.test(request.params.id) ? Number(request.params.id) : NaN;
      const event = id >= ID_BOUNDS.minimum && id <= ID_BOUNDS.maximum ? await findEvent(app.store, principal, id) : null;
      // As a missing record: 204 and no body.
      if (!event) return reply.code(204).send();
      return reply.type(HAL_CONTENT_TYPE).send(renderEvent(baseUrl(request), principal.accountId, event));
    },
  );
};

function renderEvent(base: string, accountId: number, event: StoredEvent) {
  const entityPath = ENTITY_PATHS[event.entityType];
  return {
    id: String(event.id),
    type: event.type,
    entity_id: event.entityId,
    entity_type: event.entityType,
    created_by: event.createdBy,
    created_at: event.createdAt,
    value_after: event.valueAfter,
    value_before: event.valueBefore,
    account_id: accountId,
    _links: { self: { href: `${base}/api/v4/events/${event.id}` } },
    // Events about definitions (custom_field_added, …) have no record to link to.
    _embedded: { entity: { id: event.entityId, ...(entityPath ? { _links: { self: { href: `${base}/api/v4/${entityPath}/${event.entityId}` } } } : {}) } },
  };
}

function eventQuery(filter: Record<string, unknown>, offset: number, limit: number): EventQuery {
  const errors: ErrorItem[] = [];
  const query: EventQuery = { offset, limit };
  const integers = (value: unknown, path: string) => queryIntegers(value, path, errors);
  for (const [key, value] of Object.entries(filter)) {
    const path = `filter.${key}`;
    if (key === 'id') query.ids = integers(value, path);
    else if (key === 'type') query.types = listOf(value).map(String);
    else if (key === 'entity') query.entityTypes = listOf(value).map(String);
    else if (key === 'entity_id') query.entityIds = integers(value, path);
    else if (key === 'created_by') query.createdBy = integers(value, path);
    else if (key === 'created_at') {
      if (typeof value === 'object' && value !== null) {
        const { from, to } = value as Record<string, unknown>;
        query.createdAt = {
          ...(from !== undefined ? { from: integers(from, `${path}.from`)[0] } : {}),
          ...(to !== undefined ? { to: integers(to, `${path}.to`)[0] } : {}),
        };
      } else query.createdAt = { from: integers(value, path)[0] };
    } else errors.push(errorItem('FieldNotExpected', path, 'This field was not expected.'));
  }
  if (errors.length > 0) throw DomainError.invalid([{ index: 0, requestId: '0', errors }]);
  return query;
}
