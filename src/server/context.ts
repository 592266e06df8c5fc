import type { Store } from '../core/ports.js';
import type { Clock } from '../core/clock.js';
import type { Principal } from '../core/access/principal.js';
import type { AuthFailureGuard } from './rate-limit.js';
import type { RouteEntry } from './route-table.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
    clock: Clock;
    /** True when the path is routed for other methods only: the answer is 405, not 404. */
    isMethodNotAllowed(method: string, url: string): boolean;
    /** Every dialect's authentication reports failures here and is refused while an IP has too many. */
    authFailures: AuthFailureGuard;
    routeTable: readonly RouteEntry[];
    /** Resolves once no request is under way (or a deadline passed): shutdown waits for it. */
    drain(): Promise<void>;
  }
  interface FastifyRequest {
    /** Set by the dialect's authentication hook; null only on public routes. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Routes that answer without credentials. */
    public?: boolean;
  }
}

export function requirePrincipal(principal: Principal | null): Principal {
  if (!principal) throw new Error('route reached without authentication');
  return principal;
}
