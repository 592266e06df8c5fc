import type { Config } from '../server/config.js';
import { hashPassword, passwordProblem } from '../core/access/passwords.js';
import { systemClock } from '../core/clock.js';
import { addUsers, type UserDraft } from '../core/accounts/add-users.js';
import type { Principal } from '../core/access/principal.js';
import { uniformRights } from '../core/access/rights.js';
import { DomainError } from '../core/errors.js';
import { integerOption, withStore } from './with-store.js';
import { UsageError } from './usage-error.js';
import { DEFAULT_ACCOUNT_ID } from './token.js';

/** A password never goes on the command line, where `ps` and shell history would keep it. */
export const PASSWORD_ENV = 'FIELDWORK_PASSWORD';

interface UserOptions {
  account?: string;
  login?: string;
  name?: string;
  email?: string;
  admin?: boolean;
}

const USAGE = `usage: fieldwork user create --login LOGIN --name NAME [--email EMAIL] [--admin] [--account ID]
       fieldwork user password --login LOGIN [--account ID]
(the password comes from $${PASSWORD_ENV} or the first line of stdin)`;

export async function userCommand(config: Config, args: string[], options: UserOptions, print: (line: string) => void): Promise<void> {
  const accountId = integerOption('account', options.account, DEFAULT_ACCOUNT_ID);
  if (!options.login) throw new UsageError(`--login is required\n${USAGE}`);
  const login = options.login;
  switch (args[0]) {
    case 'create':
      return createUser(config, accountId, { ...options, login }, print);
    case 'password':
      return setPassword(config, accountId, login, print);
    default:
      throw new UsageError(USAGE);
  }
}

/** Adds a user as the account's first administrator would, through the same rules as Kommo's POST /api/v4/users. */
async function createUser(config: Config, accountId: number, options: UserOptions & { login: string }, print: (line: string) => void): Promise<void> {
  if (!options.name) throw new UsageError(`--name is required\n${USAGE}`);
  const password = await readPassword();
  await withStore(config, async (store) => {
    const admin = (await store.repos.users.list(accountId)).find((user) => user.role === 'admin');
    if (!admin) throw new UsageError(`account ${accountId} has no administrator to add users`);
    const principal: Principal = { accountId, userId: admin.id, role: 'admin', rights: admin.rights, tokenId: 0 };
    const draft: UserDraft = {
      name: options.name!,
      email: options.email ?? options.login,
      login: options.login,
      password,
      role: options.admin ? 'admin' : 'user',
      rights: uniformRights('all'),
    };
    try {
      const [user] = await addUsers({ store, principal, clock: systemClock }, [draft]);
      print(`Added ${user!.role === 'admin' ? 'administrator' : 'user'} ${user!.id} (login "${user!.login}") to account ${accountId}`);
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'invalid') {
        const flag = (path: string) => (path === 'password' ? `$${PASSWORD_ENV}` : `--${path}`);
        throw new UsageError(error.items.flatMap((item) => item.errors).map((item) => `${flag(item.path)}: ${item.detail}`).join('\n'));
      }
      throw error;
    }
  });
}

async function setPassword(config: Config, accountId: number, login: string, print: (line: string) => void): Promise<void> {
  const password = await readPassword();
  const problem = passwordProblem(password);
  if (problem) throw new UsageError(problem);
  const passwordHash = await hashPassword(password);
  await withStore(config, async (store) => {
    const found = await store.repos.users.findByLogin(accountId, login);
    if (!found) throw new UsageError(`no user with login "${login}" in account ${accountId}`);
    await store.repos.users.setPasswordHash(accountId, found.user.id, passwordHash, systemClock());
    print(`Set the password of user ${found.user.id} (login "${login}") in account ${accountId}`);
  });
}

async function readPassword(): Promise<string> {
  return process.env[PASSWORD_ENV] ?? firstLine(await readStdin());
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `echo secret | fieldwork user password …` sends a trailing newline that is no part of the password. */
function firstLine(text: string): string {
  return text.split(/\r?\n/)[0] ?? '';
}
