import { accountOf } from '../../core/accounts/read.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { createCall, findCall, listCalls, setCallValues, type CallQuery } from '../../core/calls/service.js';
import type { ErrorItem } from '../../core/errors.js';
import { issue } from '../../core/fields/issues.js';
import { requirePrincipal } from '../../server/context.js';
import { requestWriteContext } from '../write-context.js';
import { callObject, decodeNewCall, decodeValueEntries, renderCall } from './call-codec.js';
import { collectionPage, PAGING_QUERY, parsePaging } from './collection.js';
import { invalidRequest } from './errors.js';
import { parseDateRange } from './time.js';

const tags = ['miarec'];
const CallParams = Type.Object({ id: Type.String() });
const ListQuery = Type.Object(
  {
    ...PAGING_QUERY,
    daterange: Type.Optional(Type.String({ description: 'YYYY/MM/DD-YYYY/MM/DD, days of the account time zone' })),
    user_id: Type.Optional(Type.String()),
    search_term: Type.Optional(Type.String({ description: 'Matches the call id, its numbers (in any format) and custom-field values' })),
    sort_order: Type.Optional(Type.String({ description: 'asc or desc (by setup time)' })),
  },
  { additionalProperties: true },
);
const Body = Type.Unknown({ description: '{"call": {...}}' });

/** `/api/v2/calls.json` and `/api/v2/calls/{call_id}.json`. */
export const callRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/calls.json', { schema: { summary: 'List calls', tags, querystring: ListQuery } }, async (request) => {
    const principal = requirePrincipal(request.principal);
    const timeZone = await accountTimeZone(request);
    const paging = parsePaging(request.query);
    const query = parseCallQuery(request.query, timeZone);
    const page = await listCalls(app.store, principal, { ...query, offset: paging.start, limit: paging.limit + 1 });
    const rows = page.calls.map((view) => renderCall(view, page.definitions, timeZone));
    return collectionPage(request, 'calls', rows, paging);
  });

  app.get('/calls/:id.json', { schema: { summary: 'Get one call', tags, params: CallParams } }, async (request) => {
    const read = await findCall(app.store, requirePrincipal(request.principal), request.params.id);
    return { call: renderCall(read.call, read.definitions, await accountTimeZone(request)) };
  });

  app.post('/calls.json', { schema: { summary: 'Record a call', tags, body: Body } }, async (request, reply) => {
    const call = decodeNewCall(callObject(request.body), app.clock());
    const read = await createCall(requestWriteContext(request), call);
    return reply.code(201).send({ call: renderCall(read.call, read.definitions, await accountTimeZone(request)) });
  });

  app.put('/calls/:id.json', { schema: { summary: "Set or clear a call's custom-field values", tags, params: CallParams, body: Body } }, async (request) => {
    const call = callObject(request.body);
    const errors: ErrorItem[] = [];
    const entries = call.custom_fields === undefined ? [] : decodeValueEntries(call.custom_fields, errors);
    if (errors.length > 0) throw invalidRequest(errors);
    const read = await setCallValues(requestWriteContext(request), request.params.id, entries);
    return { call: renderCall(read.call, read.definitions, await accountTimeZone(request)) };
  });
};

export async function accountTimeZone(request: FastifyRequest): Promise<string> {
  return (await accountOf(request.server.store.repos, requirePrincipal(request.principal).accountId)).timezone;
}

function parseCallQuery(query: Record<string, unknown>, timeZone: string): Omit<CallQuery, 'offset' | 'limit'> {
  const errors: ErrorItem[] = [];
  const text = (key: string) => (typeof query[key] === 'string' && query[key] !== '' ? query[key] : undefined);
  const daterange = text('daterange');
  const setupTime = daterange === undefined ? undefined : parseDateRange(daterange, timeZone);
  if (setupTime === null) errors.push(issue.invalidValue('daterange', 'This value should be YYYY/MM/DD-YYYY/MM/DD.'));
  const userId = text('user_id');
  if (userId !== undefined && !/^\d+$/.test(userId)) errors.push(issue.invalidType('user_id', 'int'));
  // Users have no groups here, and a filter that cannot be applied must not answer every call.
  if (query.group_id !== undefined) errors.push(issue.invalidValue('group_id', 'Groups are not modelled here; filter by user_id.'));
  const order = text('sort_order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') errors.push(issue.notSupportedChoice('sort_order'));
  if (errors.length > 0) throw invalidRequest(errors);
  return {
    ...(setupTime ? { setupTime } : {}),
    ...(userId === undefined ? {} : { userIds: [Number(userId)] }),
    ...(text('search_term') === undefined ? {} : { search: text('search_term') }),
    order: order === 'asc' ? 'asc' : 'desc',
  };
}
