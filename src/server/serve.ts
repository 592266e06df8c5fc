import type { FastifyInstance } from 'fastify';
import { openStore, type SqlStore } from '../store/store.js';
import { bootstrapStore, type ProvisionedAccount } from '../core/accounts/provision.js';
import { systemClock } from '../core/clock.js';
import { buildApp } from './app.js';
import { ConfigError, type Config } from './config.js';
import { loggerOptions } from './logging.js';

export interface RunningServer {
  app: FastifyInstance;
  store: SqlStore;
  url: string;
  stop(): Promise<void>;
}

/** Opens the store, bootstraps an empty one, and listens. Failures surface as one-line errors. */
export async function startServer(config: Config, print: (line: string) => void): Promise<RunningServer> {
  const store = await openStore(config.store);
  let app: FastifyInstance | undefined;
  try {
    const created = await bootstrapStore(store, config.bootstrapToken, systemClock);
    app = await buildApp({
      store,
      logger: loggerOptions(config.logLevel),
      limits: { requestsPerSecond: config.rateLimit, authFailuresPerMinute: config.authFailureLimit, redisUrl: config.redisUrl },
    });
    const address = await listen(app, config);
    const url = `http://${address}`;
    print(announcement(url, store.backend, created));
    const running = app;
    return {
      app: running,
      store,
      url,
      async stop() {
        // Requests under way finish first; only then do the listener and the store go.
        await running.drain();
        await running.close();
        await store.close();
      },
    };
  } catch (error) {
    await app?.close();
    await store.close();
    throw error;
  }
}

/**
 * What a start prints, in one write so that whoever waits for the URL also has the token in the same
 * chunk. `serving` says how it runs: the backend, and the workers when there are several.
 */
export function announcement(url: string, serving: string, created: ProvisionedAccount | null): string {
  const lines = [`Fieldwork is listening on ${url} (${serving})`];
  if (created) {
    lines.push(`Created account "${created.account.subdomain}" with admin user ${created.admin.id} (login "${created.admin.login}").`);
    lines.push(`Admin API token (shown once): ${created.tokenSecret}`);
  }
  return lines.join('\n');
}

async function listen(app: FastifyInstance, config: Config): Promise<string> {
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new ConfigError(`port ${config.port} on ${config.host} is already in use`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new ConfigError(`HOST ${config.host} is not an address of this machine`);
    if (code === 'EACCES') throw new ConfigError(`no permission to listen on port ${config.port}`);
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `${host}:${port}`;
}
