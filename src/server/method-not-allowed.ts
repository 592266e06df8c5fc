import type { FastifyInstance } from 'fastify';

/**
 * Fastify answers 404 for a known path with an unknown method; clients of these APIs expect 405.
 * Route patterns are collected as they are registered and matched when no route was found.
 */
export function trackRoutePatterns(app: FastifyInstance): (method: string, path: string) => boolean {
  const patterns: { methods: Set<string>; regex: RegExp }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    patterns.push({ methods: new Set(methods), regex: patternToRegex(route.url) });
  });
  return (method, url) => {
    const path = url.split('?')[0] ?? '';
    const matching = patterns.filter((pattern) => pattern.regex.test(path));
    return matching.length > 0 && matching.every((pattern) => !pattern.methods.has(method));
  };
}

function patternToRegex(url: string): RegExp {
  const escaped = url
    .split('/')
    .map((segment) => (segment.startsWith(':') || segment === '*' ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}/?$`);
}
