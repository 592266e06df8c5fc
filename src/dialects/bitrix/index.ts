/**
 * Bitrix24 REST, mounted at /rest: inbound webhooks `/rest/{user_id}/{secret}/{method}[.json]` and
 * OAuth calls `/rest/{method}?auth=<token>`. Parameters come from the query string and the body — JSON,
 * or a form in PHP bracket syntax — merged, the body winning; the `auth` parameter is not passed on.
 * Method names are matched case-insensitively.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { WriteContext } from '../../core/records/write.js';
import { requirePrincipal } from '../../server/context.js';
import { parseQueryString } from '../../server/query-string.js';
import { authenticateCall } from './auth.js';
import { batchMethod } from './batch.js';
import { bindingMethods } from './bindings.js';
import { bitrixErrors, renderBitrixNotFound, sendBitrixError, toBitrixError } from './errors.js';
import type { MethodHandler, MethodOutcome, MethodTable } from './methods.js';
import { BITRIX_ENTITIES } from './record-fields.js';
import { recordMethods } from './records.js';
import { statusMethods } from './statuses.js';
import { userFieldMethods } from './userfields.js';
import { isObject, timeBlock } from './wire.js';

const TABLES: MethodTable[] = [
  ...BITRIX_ENTITIES.flatMap((entity) => [recordMethods(entity), userFieldMethods(entity)]),
  bindingMethods,
  statusMethods,
];
const METHODS = new Map<string, MethodHandler>(TABLES.flatMap((table) => Object.entries(table)));
METHODS.set('batch', batchMethod(dispatch));

function dispatch(method: string, params: Record<string, unknown>, context: WriteContext): Promise<MethodOutcome> {
  const handler = METHODS.get(method.toLowerCase());
  if (!handler) throw bitrixErrors.methodNotFound(method);
  return handler({ params, context });
}

/** `crm.lead.get.json` → `crm.lead.get`. */
function methodName(segment: string): string {
  return segment.replace(/\.json$/i, '');
}

function callParams(request: FastifyRequest): Record<string, unknown> {
  const query = isObject(request.query) ? request.query : {};
  const body = isObject(request.body) ? request.body : {};
  const { auth: _auth, ...params } = { ...query, ...body };
  return params;
}

async function call(request: FastifyRequest<{ Params: { method: string } }>, reply: FastifyReply): Promise<FastifyReply> {
  const started = Date.now();
  const context: WriteContext = { store: request.server.store, principal: requirePrincipal(request.principal), clock: request.server.clock };
  const outcome = await dispatch(methodName(request.params.method), callParams(request), context);
  return reply.send({
    result: outcome.result,
    ...(outcome.next === undefined ? {} : { next: outcome.next }),
    ...(outcome.total === undefined ? {} : { total: outcome.total }),
    time: timeBlock(started),
  });
}

export const bitrixDialect: FastifyPluginAsync = async (app) => {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, parseQueryString(String(body)));
  });
  app.setErrorHandler((error, request, reply) => sendBitrixError(reply, toBitrixError(error, request)));
  app.setNotFoundHandler((request, reply) => renderBitrixNotFound(request, reply));
  app.addHook('onRequest', (request) => authenticateCall(request, 'onRequest'));
  app.addHook('preHandler', (request) => authenticateCall(request, 'preHandler'));
  const schema = { tags: ['bitrix24'], summary: 'Call a Bitrix24 REST method' };
  app.route({ method: ['GET', 'POST'], url: '/:userId/:secret/:method', schema, handler: call });
  app.route({ method: ['GET', 'POST'], url: '/:method', schema, handler: call });
};
