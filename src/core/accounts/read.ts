import { requireAdmin } from '../access/authorize.js';
import type { Principal } from '../access/principal.js';
import { DomainError } from '../errors.js';
import type { Repositories } from '../ports.js';
import type { Account, User } from './model.js';

/** The account a principal or an integration belongs to. */
export async function accountOf(repos: Repositories, accountId: number): Promise<Account> {
  const account = await repos.accounts.get(accountId);
  if (!account) throw DomainError.notFound('Account not found');
  return account;
}

/** Every user of the caller's account; only administrators may list them. */
export async function usersOf(repos: Repositories, principal: Principal): Promise<User[]> {
  requireAdmin(principal, 'list users');
  return repos.users.list(principal.accountId);
}

/** One user of the caller's account. */
export async function userOf(repos: Repositories, principal: Principal, userId: number): Promise<User> {
  const user = await repos.users.get(principal.accountId, userId);
  if (!user) throw DomainError.notFound('User not found');
  return user;
}
