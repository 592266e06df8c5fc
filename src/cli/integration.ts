import type { Config } from '../server/config.js';
import { isRedirectUri, registerIntegration, revokeIntegration } from '../core/access/oauth.js';
import { systemClock } from '../core/clock.js';
import { integerOption, withStore } from './with-store.js';
import { UsageError } from './usage-error.js';
import { DEFAULT_ACCOUNT_ID } from './token.js';

interface IntegrationOptions {
  account?: string;
  name?: string;
  'redirect-uri'?: string;
}

const USAGE = 'usage: fieldwork integration create --name NAME --redirect-uri URI [--account ID] | list [--account ID] | revoke ID [--account ID]';

export async function integrationCommand(
  config: Config,
  args: string[],
  options: IntegrationOptions,
  print: (line: string) => void,
): Promise<void> {
  const [action, target] = args;
  const accountId = integerOption('account', options.account, DEFAULT_ACCOUNT_ID);
  await withStore(config, async (store) => {
    switch (action) {
      case 'create': {
        const { name, 'redirect-uri': redirectUri } = options;
        if (!name) throw new UsageError('--name is required');
        if (!redirectUri || !isRedirectUri(redirectUri)) throw new UsageError('--redirect-uri must be an http or https URL without a fragment');
        const admin = (await store.repos.users.list(accountId)).find((user) => user.role === 'admin');
        if (!admin) throw new UsageError(`no account ${accountId} with an administrator`);
        const { integration, clientSecret } = await registerIntegration(
          store.repos,
          accountId,
          { name, redirectUri, createdBy: admin.id },
          systemClock(),
        );
        print(`Integration ${integration.id} "${integration.name}" in account ${accountId}`);
        print(`client_id: ${integration.clientId}`);
        print(`client_secret (shown once): ${clientSecret}`);
        return;
      }
      case 'list': {
        print('id\tclient_id\tname\tredirect_uri\tcreated_at\trevoked_at');
        for (const integration of await store.repos.integrations.list(accountId)) {
          const { id, clientId, name, redirectUri, createdAt, revokedAt } = integration;
          print([id, clientId, name, redirectUri, createdAt, revokedAt ?? '-'].join('\t'));
        }
        return;
      }
      case 'revoke': {
        const integrationId = integerOption('integration-id', target);
        const revoked = await store.transaction((repos) => revokeIntegration(repos, accountId, integrationId, systemClock()));
        if (!revoked) throw new UsageError(`no active integration ${integrationId} in account ${accountId}`);
        print(`Revoked integration ${integrationId} and its tokens`);
        return;
      }
      default:
        throw new UsageError(USAGE);
    }
  });
}
