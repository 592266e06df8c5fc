import type { Kysely } from 'kysely';
import type { Account, AccountSettings } from '../../core/accounts/model.js';
import type { AccountRepository } from '../../core/ports.js';
import type { AccountRow, Database } from '../schema.js';
import type { Selectable } from 'kysely';
import { fromJson, toJson } from './json.js';
import { compiledQuery } from '../compiled.js';

/** Read on every request: the rate limit looks up the account's own setting. */
const accountById = compiledQuery((db, accountId: number) => db.selectFrom('accounts').selectAll().where('id', '=', accountId), { planOnce: true });

/**
 * The account row stands for the account-wide lists that change rarely (its field definitions, its
 * users): one lock on it orders every change to them. PostgreSQL only; on SQLite a write transaction
 * already holds the whole database's write lock from its start (`BEGIN IMMEDIATE`).
 */
export const lockAccountRow = compiledQuery((db, accountId: number) => db.selectFrom('accounts').select('id').where('id', '=', accountId).forUpdate(), {
  planOnce: true,
});

export function accountRepository(db: Kysely<Database>): AccountRepository {
  return {
    async count() {
      const row = await db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async create(input, now) {
      const row = await db
        .insertInto('accounts')
        .values({ ...input, settings: toJson({}), created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toAccount(row);
    },
    async get(accountId) {
      const [row] = await accountById(db, accountId);
      return row ? toAccount(row) : null;
    },
    async findBySubdomain(subdomain) {
      const row = await db.selectFrom('accounts').selectAll().where('subdomain', '=', subdomain).executeTakeFirst();
      return row ? toAccount(row) : null;
    },
  };
}

function toAccount(row: Selectable<AccountRow>): Account {
  return {
    id: row.id,
    name: row.name,
    subdomain: row.subdomain,
    currency: row.currency,
    timezone: row.timezone,
    country: row.country,
    settings: fromJson<AccountSettings>(row.settings),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
