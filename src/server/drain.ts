import type { FastifyInstance, FastifyRequest } from 'fastify';

/** How long a shutdown waits for requests under way before it closes regardless. */
const DRAIN_DEADLINE_MS = 10_000;
const DRAIN_POLL_MS = 10;

/**
 * Counts requests from their first hook to their response (or abort). Fastify's close() alone may
 * drop a request whose body is still arriving, so shutdown first waits for this count to reach zero.
 */
export function trackRequestsUnderWay(app: FastifyInstance): () => Promise<void> {
  const underWay = new Set<FastifyRequest>();
  app.addHook('onRequest', async (request) => {
    underWay.add(request);
  });
  const finished = async (request: FastifyRequest) => {
    underWay.delete(request);
  };
  app.addHook('onResponse', finished);
  app.addHook('onRequestAbort', finished);
  return async () => {
    const deadline = Date.now() + DRAIN_DEADLINE_MS;
    while (underWay.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  };
}
