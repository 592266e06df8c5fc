import type { Kysely, Selectable } from 'kysely';
import type { User } from '../../core/accounts/model.js';
import type { UserRepository } from '../../core/ports.js';
import type { Rights, Role } from '../../core/access/rights.js';
import type { Database, UserRow } from '../schema.js';
import { fromJson, toJson } from './json.js';
import { compiledQuery } from '../compiled.js';
import { isPostgres } from './backend.js';
import { lockAccountRow } from './accounts.js';

/** Every write checks its responsible users against these. */
const usersOf = compiledQuery((db, accountId: number) => db.selectFrom('users').selectAll().where('account_id', '=', accountId).orderBy('id'));

/** `inTransaction`: the account's users are read once per transaction, until it adds one. */
export function userRepository(db: Kysely<Database>, inTransaction: boolean): UserRepository {
  const readInTransaction = new Map<number, User[]>();
  return {
    async lockForChange(accountId) {
      readInTransaction.delete(accountId);
      if (isPostgres(db)) await lockAccountRow(db, accountId);
    },
    async create(accountId, input, now) {
      readInTransaction.delete(accountId);
      const row = await db
        .insertInto('users')
        .values({
          account_id: accountId,
          name: input.name,
          email: input.email,
          login: input.login,
          role: input.role,
          rights: toJson(input.rights),
          password_hash: null,
          is_active: 1,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toUser(row);
    },
    async get(accountId, userId) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('id', '=', userId)
        .executeTakeFirst();
      return row ? toUser(row) : null;
    },
    async findByLogin(accountId, login) {
      // Compared in JavaScript, as adding users compares them: SQLite's lower() folds ASCII letters only.
      const wanted = login.toLowerCase();
      const rows = await db.selectFrom('users').selectAll().where('account_id', '=', accountId).execute();
      const row = rows.find((candidate) => candidate.login === login) ?? rows.find((candidate) => candidate.login.toLowerCase() === wanted);
      return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
    },
    async setPasswordHash(accountId, userId, passwordHash, now) {
      const result = await db
        .updateTable('users')
        .set({ password_hash: passwordHash, updated_at: now })
        .where('account_id', '=', accountId)
        .where('id', '=', userId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async list(accountId) {
      const known = readInTransaction.get(accountId);
      if (known) return [...known];
      const users = (await usersOf(db, accountId)).map(toUser);
      if (inTransaction) readInTransaction.set(accountId, users);
      return [...users];
    },
  };
}

export function toUser(row: Selectable<UserRow>): User {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    email: row.email,
    login: row.login,
    role: row.role as Role,
    rights: fromJson<Rights>(row.rights),
    isActive: row.is_active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
