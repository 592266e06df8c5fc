import type { FastifyRequest } from 'fastify';

/** HAL links carry the host and scheme the client actually used. */
export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

export function selfLink(request: FastifyRequest, path: string): { self: { href: string } } {
  return { self: { href: `${baseUrl(request)}${path}` } };
}
