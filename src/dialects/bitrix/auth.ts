import type { FastifyRequest } from 'fastify';
import { authenticate, type Credential } from '../../core/access/authenticate.js';
import type { Principal } from '../../core/access/principal.js';
import { bitrixErrors } from './errors.js';
import { isObject, positiveId } from './wire.js';

interface RestParams {
  userId?: string;
  secret?: string;
}

/**
 * The credential a Bitrix24 call carries: an inbound webhook's user id and secret in the path (the
 * secret is the user's API token), or an OAuth token in the `auth` parameter of the query string or
 * the body. Null when the request names none where `body` says to look.
 */
function credentialOf(request: FastifyRequest, body: unknown): Credential | null {
  const { userId, secret } = request.params as RestParams;
  if (userId !== undefined && secret !== undefined) {
    const id = positiveId(userId);
    // A malformed user id can match no user; the secret is still checked so that it counts as a failure.
    return { kind: 'webhook', userId: id ?? 0, secret };
  }
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.auth;
  const auth = typeof fromQuery === 'string' ? fromQuery : isObject(body) && typeof body.auth === 'string' ? body.auth : undefined;
  return auth === undefined || auth === '' ? null : { kind: 'bearer', secret: auth };
}

/**
 * Authenticates as early as the credential is readable: in `onRequest` for webhooks and query-string
 * tokens (so the rate limiter counts the caller, not its address), after the body is parsed for a
 * token sent in the body. Throws NO_AUTH_FOUND once there is nothing left to try.
 */
export async function authenticateCall(request: FastifyRequest, stage: 'onRequest' | 'preHandler'): Promise<void> {
  if (request.principal) return;
  const credential = credentialOf(request, stage === 'preHandler' ? request.body : undefined);
  if (!credential) {
    if (stage === 'preHandler') throw bitrixErrors.noAuth();
    return;
  }
  const { authFailures } = request.server;
  await authFailures.assertAllowed(request.ip);
  const principal: Principal | null = await authenticate(request.server.store.repos, credential, request.server.clock());
  if (!principal) {
    await authFailures.recordFailure(request.ip);
    throw bitrixErrors.noAuth();
  }
  request.principal = principal;
}
