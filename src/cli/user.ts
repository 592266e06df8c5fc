import type { Config } from '../server/config.js';
import { hashPassword, passwordProblem } from '../core/access/passwords.js';
import { systemClock } from '../core/clock.js';
import { integerOption, withStore } from './with-store.js';
import { UsageError } from './usage-error.js';
import { DEFAULT_ACCOUNT_ID } from './token.js';

/** A password never goes on the command line, where `ps` and shell history would keep it. */
export const PASSWORD_ENV = 'FIELDWORK_PASSWORD';

export async function userCommand(
  config: Config,
  args: string[],
  options: { account?: string; login?: string },
  print: (line: string) => void,
): Promise<void> {
  if (args[0] !== 'password') throw new UsageError(`usage: fieldwork user password --login LOGIN [--account ID] (password from $${PASSWORD_ENV} or stdin)`);
  const accountId = integerOption('account', options.account, DEFAULT_ACCOUNT_ID);
  if (!options.login) throw new UsageError('--login is required');
  const login = options.login;
  const password = process.env[PASSWORD_ENV] ?? firstLine(await readStdin());
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

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `echo secret | fieldwork user password …` sends a trailing newline that is no part of the password. */
function firstLine(text: string): string {
  return text.split(/\r?\n/)[0] ?? '';
}
