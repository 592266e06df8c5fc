import type { FastifyInstance } from 'fastify';

export interface RouteEntry {
  method: string;
  url: string;
  isPublic: boolean;
}

/**
 * Every route as it is registered, for introspection: the security tests walk this table to prove
 * that no route lets one account reach another's data.
 */
export function collectRoutes(app: FastifyInstance): readonly RouteEntry[] {
  const routes: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const isPublic = (route.config as { public?: boolean } | undefined)?.public === true;
    for (const method of methods) routes.push({ method, url: route.url, isPublic });
  });
  return routes;
}
