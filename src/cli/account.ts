import type { Config } from '../server/config.js';
import { provisionAccount } from '../core/accounts/provision.js';
import { systemClock } from '../core/clock.js';
import { DomainError } from '../core/errors.js';
import { withStore } from './with-store.js';
import { UsageError } from './usage-error.js';

const SUBDOMAIN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export async function accountCommand(
  config: Config,
  args: string[],
  options: { name?: string; subdomain?: string },
  print: (line: string) => void,
): Promise<void> {
  if (args[0] !== 'create') throw new UsageError('usage: fieldwork account create --name NAME --subdomain SUBDOMAIN');
  const { name, subdomain } = options;
  if (!name) throw new UsageError('--name is required');
  if (!subdomain || !SUBDOMAIN.test(subdomain)) throw new UsageError('--subdomain must be lower-case letters, digits and dashes');
  await withStore(config, async (store) => {
    const created = await provisionAccount(store, { name, subdomain }, systemClock).catch((error: unknown) => {
      // The one unique key an account's provisioning can meet is its subdomain.
      if (error instanceof DomainError && error.kind === 'conflict') throw new UsageError(`subdomain "${subdomain}" is taken`);
      throw error;
    });
    print(`Created account ${created.account.id} "${created.account.subdomain}" with admin user ${created.admin.id} (login "admin").`);
    print(`Admin API token (shown once): ${created.tokenSecret}`);
  });
}
