import type { Kysely, Selectable } from 'kysely';
import type { StoredToken, TokenKind, ApiToken } from '../../core/access/tokens.js';
import type { TokenRepository } from '../../core/ports.js';
import type { ApiTokenRow, Database } from '../schema.js';
import { toUser } from './users.js';
import { compiledQuery } from '../compiled.js';
import { isRetryable } from '../transaction-errors.js';
import type { CredentialCache } from './credential-cache.js';

/** The token and its user in one round trip: every authenticated request asks for both. */
const credentialOf = compiledQuery((db, tokenHash: string) =>
  db
    .selectFrom('api_tokens')
    .innerJoin('users', (join) => join.onRef('users.id', '=', 'api_tokens.user_id').onRef('users.account_id', '=', 'api_tokens.account_id'))
    .selectAll('api_tokens')
    .select([
      'users.name as user_name',
      'users.email as user_email',
      'users.login as user_login',
      'users.role as user_role',
      'users.rights as user_rights',
      'users.password_hash as user_password_hash',
      'users.is_active as user_is_active',
      'users.created_at as user_created_at',
      'users.updated_at as user_updated_at',
    ])
    .where('api_tokens.token_hash', '=', tokenHash),
  { planOnce: true },
);

/** `credentials`: read outside a transaction only, where what is read has been committed. */
export function tokenRepository(db: Kysely<Database>, credentials: CredentialCache, inTransaction: boolean): TokenRepository {
  /** Revokes the account's live tokens whose `column` is `value`; answers how many it revoked. */
  const revokeWhere = async (accountId: number, column: 'id' | 'rotated_from_id' | 'integration_id', value: number, now: number) => {
    const result = await db
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('account_id', '=', accountId)
      .where(column, '=', value)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    // After the change: a request between the two would cache the token again as it was.
    credentials.clear();
    return Number(result.numUpdatedRows);
  };
  return {
    async create(accountId, input, now) {
      const row = await db
        .insertInto('api_tokens')
        .values({
          account_id: accountId,
          user_id: input.userId,
          name: input.name,
          kind: input.kind,
          token_hash: input.tokenHash,
          created_at: now,
          last_used_at: null,
          expires_at: input.expiresAt,
          revoked_at: null,
          integration_id: input.integrationId ?? null,
          rotated_from_id: input.rotatedFromId ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return withoutHash(toToken(row));
    },
    async findCredential(tokenHash) {
      const cached = inTransaction ? undefined : credentials.get(tokenHash);
      if (cached) return cached;
      const [row] = await credentialOf(db, tokenHash);
      if (!row) return null;
      const user = toUser({
        id: row.user_id,
        account_id: row.account_id,
        name: row.user_name,
        email: row.user_email,
        login: row.user_login,
        role: row.user_role,
        rights: row.user_rights,
        password_hash: row.user_password_hash,
        is_active: row.user_is_active,
        created_at: row.user_created_at,
        updated_at: row.user_updated_at,
      });
      const found = { token: toToken(row), user };
      if (!inTransaction) credentials.set(tokenHash, found);
      return found;
    },
    async findByHash(tokenHash) {
      const row = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return row ? toToken(row) : null;
    },
    async list(accountId) {
      const rows = await db
        .selectFrom('api_tokens')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('kind', '=', 'api')
        .orderBy('id')
        .execute();
      return rows.map((row) => withoutHash(toToken(row)));
    },
    async revoke(accountId, tokenId, now) {
      return (await revokeWhere(accountId, 'id', tokenId, now)) > 0;
    },
    async revokeSuccessors(accountId, tokenId, now) {
      await revokeWhere(accountId, 'rotated_from_id', tokenId, now);
    },
    async revokeByIntegration(accountId, integrationId, now) {
      await revokeWhere(accountId, 'integration_id', integrationId, now);
    },
    async touch(accountId, tokenId, now) {
      // Bookkeeping, not the caller's request: when another writer holds the store too long it is
      // skipped, and a later request records the use.
      await db
        .updateTable('api_tokens')
        .set({ last_used_at: now })
        .where('account_id', '=', accountId)
        .where('id', '=', tokenId)
        .execute()
        .then(() => credentials.used(tokenId, now))
        .catch((error: unknown) => {
          if (!isRetryable(error)) throw error;
        });
    },
  };
}

function toToken(row: Selectable<ApiTokenRow>): StoredToken {
  return {
    id: row.id,
    accountId: row.account_id,
    userId: row.user_id,
    name: row.name,
    kind: row.kind as TokenKind,
    tokenHash: row.token_hash,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    integrationId: row.integration_id,
    rotatedFromId: row.rotated_from_id,
  };
}

function withoutHash({ tokenHash: _hash, ...token }: StoredToken): ApiToken {
  return token;
}
