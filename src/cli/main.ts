#!/usr/bin/env node
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../server/config.js';
import { startServer } from '../server/serve.js';
import { serveAsWorker, superviseWorkers } from '../server/workers.js';
import { StoreUnavailableError } from '../store/unavailable.js';
import { migrateCommand } from './migrate.js';
import { tokenCommand } from './token.js';
import { accountCommand } from './account.js';
import { integrationCommand } from './integration.js';
import { userCommand } from './user.js';
import { UsageError } from './usage-error.js';

const USAGE = `Usage: fieldwork <command>

Commands:
  serve                                   start the HTTP server (default)
  migrate                                 apply pending migrations and exit
  token create [--account ID] [--user ID] [--name NAME]
  token list [--account ID]
  token revoke <token-id> [--account ID]
  account create --name NAME --subdomain SUBDOMAIN
  integration create --name NAME --redirect-uri URI [--account ID]
  integration list [--account ID]
  integration revoke <integration-id> [--account ID]
  user create --login LOGIN --name NAME [--email EMAIL] [--admin] [--account ID]
  user password --login LOGIN [--account ID]
                                          (a user's password from FIELDWORK_PASSWORD or stdin)

Configuration comes from the environment: PORT, HOST, FIELDWORK_DATA_DIR, DATABASE_URL,
FIELDWORK_BOOTSTRAP_TOKEN, LOG_LEVEL, FIELDWORK_RATE_LIMIT, FIELDWORK_AUTH_FAILURE_LIMIT, REDIS_URL,
FIELDWORK_WORKERS.`;

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      account: { type: 'string' },
      user: { type: 'string' },
      name: { type: 'string' },
      subdomain: { type: 'string' },
      'redirect-uri': { type: 'string' },
      login: { type: 'string' },
      email: { type: 'string' },
      admin: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command = 'serve', ...rest] = positionals;
  if (values.help || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfig(process.env);
  const print = (line: string) => process.stdout.write(`${line}\n`);
  switch (command) {
    case 'serve': {
      if (cluster.isWorker) return serveAsWorker(config);
      if (config.workers > 1) return superviseWorkers(config, print);
      // Handlers go in before the server announces itself: until a listener exists, a signal that
      // follows the announcement at once would kill the process without closing the store.
      const starting = startServer(config, print);
      const shutdown = () => {
        starting
          .then((server) => server.stop())
          .then(
            () => process.exit(0),
            () => process.exit(1),
          );
      };
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
      await starting;
      return;
    }
    case 'migrate':
      return migrateCommand(config, print);
    case 'token':
      return tokenCommand(config, rest, values, print);
    case 'account':
      return accountCommand(config, rest, values, print);
    case 'integration':
      return integrationCommand(config, rest, values, print);
    case 'user':
      return userCommand(config, rest, values, print);
    default:
      throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof StoreUnavailableError || error instanceof UsageError;
  process.stderr.write(`fieldwork: ${error instanceof Error ? error.message : String(error)}\n`);
  if (!known && process.env.LOG_LEVEL === 'debug' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
