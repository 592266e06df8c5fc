import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../../core/access/authenticate.js';
import { problem } from './problem.js';
import { sendProblem } from './errors.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Kommo carries the credential as `Authorization: Bearer <token>`; anything else is a 401 problem. */
export async function kommoAuthentication(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.routeOptions.config.public) return;
  const { authFailures } = request.server;
  await authFailures.assertAllowed(request.ip);
  const match = BEARER.exec(request.headers.authorization ?? '');
  const principal = match?.[1]
    ? await authenticate(request.server.store.repos, { kind: 'bearer', secret: match[1] }, request.server.clock())
    : null;
  if (!principal) {
    // Only a presented credential counts towards throttling; a forgotten header is no guess.
    if (match) await authFailures.recordFailure(request.ip);
    await sendProblem(reply, problem(401, 'Invalid user name or password'));
    return;
  }
  request.principal = principal;
}
