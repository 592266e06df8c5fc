import type { Config } from '../server/config.js';
import { generateTokenSecret, hashTokenSecret } from '../core/access/tokens.js';
import { systemClock } from '../core/clock.js';
import { integerOption, withStore } from './with-store.js';
import { UsageError } from './usage-error.js';

interface TokenOptions {
  account?: string;
  user?: string;
  name?: string;
}

/** The first account is the demo account the bootstrap made, so it is the natural default. */
export const DEFAULT_ACCOUNT_ID = 1;

export async function tokenCommand(config: Config, args: string[], options: TokenOptions, print: (line: string) => void): Promise<void> {
  const [action, target] = args;
  const accountId = integerOption('account', options.account, DEFAULT_ACCOUNT_ID);
  await withStore(config, async (store) => {
    switch (action) {
      case 'create': {
        const user = options.user
          ? await store.repos.users.get(accountId, integerOption('user', options.user))
          : (await store.repos.users.list(accountId)).find((candidate) => candidate.role === 'admin');
        if (!user) throw new UsageError(`no such user in account ${accountId}`);
        const userId = user.id;
        const secret = generateTokenSecret();
        const token = await store.repos.tokens.create(
          accountId,
          { userId, name: options.name ?? 'cli', kind: 'api', tokenHash: hashTokenSecret(secret), expiresAt: null },
          systemClock(),
        );
        print(`Token ${token.id} for user ${userId} (login "${user.login}") in account ${accountId} (shown once):`);
        print(secret);
        return;
      }
      case 'list': {
        const tokens = await store.repos.tokens.list(accountId);
        print('id\tuser\tname\tcreated_at\tlast_used_at\trevoked_at');
        for (const token of tokens) {
          print([token.id, token.userId, token.name, token.createdAt, token.lastUsedAt ?? '-', token.revokedAt ?? '-'].join('\t'));
        }
        return;
      }
      case 'revoke': {
        const tokenId = integerOption('token-id', target);
        const revoked = await store.repos.tokens.revoke(accountId, tokenId, systemClock());
        if (!revoked) throw new UsageError(`no active token ${tokenId} in account ${accountId}`);
        print(`Revoked token ${tokenId}`);
        return;
      }
      default:
        throw new UsageError('usage: fieldwork token create|list|revoke');
    }
  });
}
