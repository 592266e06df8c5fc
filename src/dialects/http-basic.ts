import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../core/access/authenticate.js';
import type { Principal } from '../core/access/principal.js';

const BASIC = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i;

/**
 * An onRequest hook for dialects that carry credentials as HTTP Basic — the user's login and an API
 * token as the password (MiaRec, Envoke). A caller without valid ones gets the dialect's own 401.
 */
export function basicAuthentication(refuse: (reply: FastifyReply) => FastifyReply) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const principal = await basicAuthPrincipal(request);
    if (principal) request.principal = principal;
    else await refuse(reply);
  };
}

async function basicAuthPrincipal(request: FastifyRequest): Promise<Principal | null> {
  const { authFailures } = request.server;
  await authFailures.assertAllowed(request.ip);
  const encoded = BASIC.exec(request.headers.authorization ?? '')?.[1];
  if (encoded === undefined) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  const principal =
    separator > 0
      ? await authenticate(
          request.server.store.repos,
          { kind: 'basic', login: decoded.slice(0, separator), secret: decoded.slice(separator + 1) },
          request.server.clock(),
        )
      : null;
  // Only a presented credential counts towards throttling; a forgotten header is no guess.
  if (!principal) await authFailures.recordFailure(request.ip);
  return principal;
}
