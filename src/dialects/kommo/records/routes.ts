import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { DomainError, type ItemErrors } from '../../../core/errors.js';
import { createRecords, updateRecords, type WrittenRecord } from '../../../core/records/write.js';
import { getRecord, listRecords } from '../../../core/records/read.js';
import type { RecordDraft } from '../../../core/records/draft.js';
import { requirePrincipal } from '../../../server/context.js';
import { sendTextPieces } from '../../../server/response-buffers.js';
import { HAL_CONTENT_TYPE, problem } from '../problem.js';
import { sendProblem } from '../errors.js';
import { halListPieces } from '../hal-list.js';
import { baseUrl } from '../links.js';
import { decodeRecord, type KommoEntity } from './codec.js';
import { MAX_LIMIT, parseListQuery } from './query.js';
import { renderRecords } from './render.js';
import { IdParams, Page } from '../schemas.js';

export const BATCH_LIMIT = 250;

const ListQuery = Type.Object({
  with: Type.Optional(Type.String({ description: 'Comma-separated extras: contacts, loss_reason, catalog_elements, source_id, …' })),
  page: Type.Optional(Page),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT })),
  query: Type.Optional(Type.Union([Type.String(), Type.Number()])),
  filter: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  order: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
const WithQuery = Type.Object({ with: Type.Optional(Type.String()) });
const Body = Type.Unknown({ description: 'A Kommo entity object (single) or an array of them (batch)' });

/** Leads, contacts and companies share these endpoints; only the codec's key table differs. */
export function recordRoutes(entity: KommoEntity): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['kommo'];
    app.get(`/${entity}`, { schema: { summary: `List ${entity}`, tags, querystring: ListQuery } }, async (request, reply) => {
      const query = parseListQuery(request.query);
      const principal = requirePrincipal(request.principal);
      const withSet = withValues(request.query.with);
      // One extra row tells whether a next page exists without counting the whole table.
      const deleted = withSet.has('only_deleted') ? ('only' as const) : ('exclude' as const);
      const page = await listRecords(app.store, principal, entity, { ...query, deleted, limit: query.limit + 1 }, embedding(withSet));
      const hasNext = page.records.length > query.limit;
      const records = page.records.slice(0, query.limit);
      if (records.length === 0) return reply.code(204).send();
      const current = request.query.page ?? 1;
      const rendered = renderRecords(request, { ...page, records }, { with: withSet });
      return sendTextPieces(reply.type(HAL_CONTENT_TYPE), halListPieces({ _page: current, _links: pageLinks(request, current, hasNext) }, entity, rendered));
    });

    app.get(`/${entity}/:id`, { schema: { summary: `Get one of ${entity}`, tags, params: IdParams, querystring: WithQuery } }, async (request, reply) => {
      const withSet = withValues(request.query.with);
      const page = await getRecord(app.store, requirePrincipal(request.principal), entity, request.params.id, embedding(withSet));
      const record = page.records[0];
      // Kommo answers a missing record with 204 and no body; clients depend on it.
      if (!record) return reply.code(204).send();
      return reply.type(HAL_CONTENT_TYPE).send(renderRecords(request, page, { with: withSet })[0]);
    });

    app.post(`/${entity}`, { schema: { summary: `Add ${entity} (batch of up to ${BATCH_LIMIT})`, tags, body: Body } }, async (request, reply) => {
      if (!Array.isArray(request.body)) return methodNotAllowed(reply);
      const drafts = decodeBatch(entity, request.body);
      const written = await createRecords(writeContext(request), entity, drafts);
      return sendWritten(request, reply, entity, written, 'created');
    });

    app.patch(`/${entity}`, { schema: { summary: `Update ${entity} (batch)`, tags, body: Body } }, async (request, reply) => {
      if (!Array.isArray(request.body)) return methodNotAllowed(reply);
      const drafts = decodeBatch(entity, request.body);
      const written = await updateRecords(writeContext(request), entity, drafts);
      return sendWritten(request, reply, entity, written, 'updated');
    });

    app.patch(`/${entity}/:id`, { schema: { summary: `Update one of ${entity}`, tags, params: IdParams, body: Body } }, async (request, reply) => {
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return methodNotAllowed(reply);
      const drafts = decodeBatch(entity, [{ ...body, id: request.params.id }]);
      const [written] = await updateRecords(writeContext(request), entity, drafts);
      const record = written!.record;
      return reply.type(HAL_CONTENT_TYPE).send({ id: record.id, updated_at: record.updatedAt, _links: { self: { href: `${baseUrl(request)}/api/v4/${entity}/${record.id}` } } });
    });
  };
}

export function writeContext(request: FastifyRequest) {
  return { store: request.server.store, principal: requirePrincipal(request.principal), clock: request.server.clock };
}

/** Decodes every item first, so the answer names every invalid item of the batch at once. */
export function decodeBatch(entity: KommoEntity, items: unknown[], limit = BATCH_LIMIT): RecordDraft[] {
  if (items.length === 0) throw new DomainError('invalid', 'Request data can not be empty');
  if (items.length > limit) throw new DomainError('limit', `Limit ${limit} per page`);
  const failures: ItemErrors[] = [];
  const drafts = items.map((item, index) => {
    const { draft, errors } = decodeRecord(entity, item, index);
    if (errors.length > 0) failures.push({ index, requestId: draft.requestId ?? String(index), errors });
    return draft;
  });
  if (failures.length > 0) throw DomainError.invalid(failures);
  return drafts;
}

function sendWritten(request: FastifyRequest, reply: FastifyReply, entity: KommoEntity, written: WrittenRecord[], kind: 'created' | 'updated') {
  const base = baseUrl(request);
  return reply.type(HAL_CONTENT_TYPE).send({
    _links: { self: { href: `${base}/api/v4/${entity}` } },
    _embedded: {
      [entity]: written.map(({ record, requestId }) => ({
        id: record.id,
        ...(kind === 'updated' ? { updated_at: record.updatedAt } : {}),
        ...(requestId !== undefined ? { request_id: requestId } : {}),
        _links: { self: { href: `${base}/api/v4/${entity}/${record.id}` } },
      })),
    },
  });
}

function methodNotAllowed(reply: FastifyReply) {
  return sendProblem(reply, problem(405, 'Method Not Allowed'));
}

export function withValues(raw: string | undefined): Set<string> {
  return new Set((raw ?? '').split(',').map((value) => value.trim()).filter(Boolean));
}

function embedding(withSet: ReadonlySet<string>) {
  return { links: withSet.has('contacts') || withSet.has('leads'), lossReasons: withSet.has('loss_reason') };
}

/** HAL paging links on the host and path the client used, keeping its other parameters. */
export function pageLinks(request: FastifyRequest, page: number, hasNext: boolean) {
  const [path, search = ''] = request.url.split('?');
  const href = (target: number) => {
    const params = new URLSearchParams(search);
    params.set('page', String(target));
    return { href: `${baseUrl(request)}${path}?${params.toString()}` };
  };
  return { self: href(page), ...(hasNext ? { next: href(page + 1) } : {}), ...(page > 1 ? { prev: href(page - 1) } : {}) };
}
