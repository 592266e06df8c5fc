import type { FastifyRequest } from 'fastify';
import type { WriteContext } from '../core/records/write.js';
import { requirePrincipal } from '../server/context.js';

/** What a write use case needs from an authenticated request: the store, the caller and the clock. */
export function requestWriteContext(request: FastifyRequest): WriteContext {
  return { store: request.server.store, principal: requirePrincipal(request.principal), clock: request.server.clock };
}
