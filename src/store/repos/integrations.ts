import type { Kysely, Selectable } from 'kysely';
import { withoutSecret } from '../../core/access/oauth.js';
import type { AuthorizationCode, StoredIntegration } from '../../core/access/oauth-model.js';
import type { AuthorizationCodeRepository, IntegrationRepository } from '../../core/ports.js';
import type { AuthorizationCodeRow, Database, IntegrationRow } from '../schema.js';

export function integrationRepository(db: Kysely<Database>): IntegrationRepository {
  return {
    async create(accountId, input, now) {
      const row = await db
        .insertInto('integrations')
        .values({
          account_id: accountId,
          client_id: input.clientId,
          name: input.name,
          redirect_uri: input.redirectUri,
          secret_hash: input.secretHash,
          created_by: input.createdBy,
          created_at: now,
          revoked_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return withoutSecret(toIntegration(row));
    },
    async findByClientId(clientId) {
      const row = await db.selectFrom('integrations').selectAll().where('client_id', '=', clientId).executeTakeFirst();
      return row ? toIntegration(row) : null;
    },
    async get(accountId, integrationId) {
      const row = await db
        .selectFrom('integrations')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('id', '=', integrationId)
        .executeTakeFirst();
      return row ? withoutSecret(toIntegration(row)) : null;
    },
    async list(accountId) {
      const rows = await db.selectFrom('integrations').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
      return rows.map((row) => withoutSecret(toIntegration(row)));
    },
    async revoke(accountId, integrationId, now) {
      const result = await db
        .updateTable('integrations')
        .set({ revoked_at: now })
        .where('account_id', '=', accountId)
        .where('id', '=', integrationId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

export function authorizationCodeRepository(db: Kysely<Database>): AuthorizationCodeRepository {
  return {
    async create(accountId, input, now) {
      await db
        .insertInto('oauth_codes')
        .values({
          account_id: accountId,
          integration_id: input.integrationId,
          user_id: input.userId,
          code_hash: input.codeHash,
          created_at: now,
          expires_at: input.expiresAt,
          used_at: null,
        })
        .execute();
    },
    async findByHash(accountId, codeHash) {
      const row = await db
        .selectFrom('oauth_codes')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('code_hash', '=', codeHash)
        .executeTakeFirst();
      return row ? toCode(row) : null;
    },
    async markUsed(accountId, codeId, now) {
      const result = await db
        .updateTable('oauth_codes')
        .set({ used_at: now })
        .where('account_id', '=', accountId)
        .where('id', '=', codeId)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

function toIntegration(row: Selectable<IntegrationRow>): StoredIntegration {
  return {
    id: row.id,
    accountId: row.account_id,
    clientId: row.client_id,
    name: row.name,
    redirectUri: row.redirect_uri,
    secretHash: row.secret_hash,
    createdBy: row.created_by,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

function toCode(row: Selectable<AuthorizationCodeRow>): AuthorizationCode {
  return {
    id: row.id,
    accountId: row.account_id,
    integrationId: row.integration_id,
    userId: row.user_id,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
  };
}
