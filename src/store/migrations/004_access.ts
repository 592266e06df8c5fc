import { columns, type Backend, type MigrationDb } from './columns.js';

/** OAuth integrations, their authorization codes, and the OAuth links of tokens. */
export function access(backend: Backend) {
  const col = columns(backend);
  return {
    async up(db: MigrationDb): Promise<void> {
      await col
        .generatedId(db.schema.createTable('integrations'))
        .addColumn('account_id', col.bigint, (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('redirect_uri', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('created_by', col.bigint, (c) => c.notNull())
        .addColumn('created_at', col.bigint, (c) => c.notNull())
        .addColumn('revoked_at', col.bigint)
        .execute();
      // A client id arrives at the token endpoint before its account is known, like a token digest.
      await db.schema.createIndex('integrations_client_id').unique().on('integrations').column('client_id').execute();
      await db.schema.createIndex('integrations_account').on('integrations').column('account_id').execute();

      await col
        .generatedId(db.schema.createTable('oauth_codes'))
        .addColumn('account_id', col.bigint, (c) => c.notNull())
        .addColumn('integration_id', col.bigint, (c) => c.notNull())
        .addColumn('user_id', col.bigint, (c) => c.notNull())
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', col.bigint, (c) => c.notNull())
        .addColumn('expires_at', col.bigint, (c) => c.notNull())
        .addColumn('used_at', col.bigint)
        .execute();
      await db.schema.createIndex('oauth_codes_hash').unique().on('oauth_codes').columns(['account_id', 'code_hash']).execute();

      // SQLite adds one column per statement.
      await db.schema.alterTable('api_tokens').addColumn('integration_id', col.bigint).execute();
      await db.schema.alterTable('api_tokens').addColumn('rotated_from_id', col.bigint).execute();
      await db.schema.createIndex('api_tokens_rotated_from').on('api_tokens').columns(['account_id', 'rotated_from_id']).execute();
    },
  };
}
