import type { FastifyRequest } from 'fastify';
import { authorize, requireAdmin, type OwnedRecord } from '../core/access/authorize.js';
import type { Principal } from '../core/access/principal.js';
import type { Action, RightEntity } from '../core/access/rights.js';
import { requirePrincipal } from './context.js';

/**
 * What an entity route calls before it acts: the caller's principal when the right is granted,
 * otherwise a `forbidden` DomainError naming the refused right, rendered by the route's dialect.
 */
export function authorizeRequest(request: FastifyRequest, entity: RightEntity, action: Action, record?: OwnedRecord): Principal {
  const principal = requirePrincipal(request.principal);
  authorize(principal, entity, action, record);
  return principal;
}

/** The same for what only administrators may do; `what` completes "Only administrators can …". */
export function requireAdminRequest(request: FastifyRequest, what: string): Principal {
  const principal = requirePrincipal(request.principal);
  requireAdmin(principal, what);
  return principal;
}
