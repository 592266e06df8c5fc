import { columns, type Backend, type MigrationDb } from './columns.js';

export function foundation(backend: Backend) {
  const col = columns(backend);
  return {
    async up(db: MigrationDb): Promise<void> {
      await db.schema
        .createTable('sequences')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', col.bigint, (c) => c.notNull())
        .execute();

      await col
        .generatedId(db.schema.createTable('accounts'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('subdomain', 'text', (c) => c.notNull().unique())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('timezone', 'text', (c) => c.notNull())
        .addColumn('country', 'text', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('created_at', col.bigint, (c) => c.notNull())
        .addColumn('updated_at', col.bigint, (c) => c.notNull())
        .execute();

      await col
        .generatedId(db.schema.createTable('users'))
        .addColumn('account_id', col.bigint, (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('login', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('rights', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('is_active', 'integer', (c) => c.notNull())
        .addColumn('created_at', col.bigint, (c) => c.notNull())
        .addColumn('updated_at', col.bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('users_account_login').unique().on('users').columns(['account_id', 'login']).execute();

      await col
        .generatedId(db.schema.createTable('api_tokens'))
        .addColumn('account_id', col.bigint, (c) => c.notNull())
        .addColumn('user_id', col.bigint, (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', col.bigint, (c) => c.notNull())
        .addColumn('last_used_at', col.bigint)
        .addColumn('expires_at', col.bigint)
        .addColumn('revoked_at', col.bigint)
        .execute();
      // Credentials are looked up by hash before the account is known; the hash is the only global key.
      await db.schema.createIndex('api_tokens_hash').unique().on('api_tokens').column('token_hash').execute();
      await db.schema.createIndex('api_tokens_account').on('api_tokens').columns(['account_id', 'user_id']).execute();

      await db.schema
        .createTable('pipelines')
        .addColumn('account_id', col.bigint, (c) => c.notNull())
        .addColumn('id', col.bigint, (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull())
        .addColumn('is_main', 'integer', (c) => c.notNull())
        .addColumn('is_unsorted_on', 'integer', (c) => c.notNull())
        .addColumn('is_archive', 'integer', (c) => c.notNull())
        .addColumn('created_at', col.bigint, (c) => c.notNull())
        .addColumn('updated_at', col.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('pipelines_pk', ['account_id', 'id'])
        .execute();

      // 142 and 143 exist in every pipeline, so a stage is keyed by its pipeline too.
      await db.schema
        .createTable('statuses')
        .addColumn('account_id', col.bigint, (c) => c.notNull())
        .addColumn('pipeline_id', col.bigint, (c) => c.notNull())
        .addColumn('id', col.bigint, (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull())
        .addColumn('color', 'text', (c) => c.notNull())
        .addColumn('type', 'integer', (c) => c.notNull())
        .addColumn('is_editable', 'integer', (c) => c.notNull())
        .addColumn('code', 'text')
        .addColumn('semantics', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('statuses_pk', ['account_id', 'pipeline_id', 'id'])
        .execute();

      await col
        .generatedId(db.schema.createTable('field_definitions'))
        .addColumn('account_id', col.bigint, (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('code', 'text')
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_at', col.bigint, (c) => c.notNull())
        .addColumn('updated_at', col.bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('field_definitions_code')
        .unique()
        .on('field_definitions')
        .columns(['account_id', 'entity_type', 'code'])
        .execute();

      await col
        .generatedId(db.schema.createTable('events'))
        .addColumn('account_id', col.bigint, (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', col.bigint, (c) => c.notNull())
        .addColumn('created_by', col.bigint, (c) => c.notNull())
        .addColumn('created_at', col.bigint, (c) => c.notNull())
        .addColumn('value_before', 'text', (c) => c.notNull())
        .addColumn('value_after', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_account_created').on('events').columns(['account_id', 'created_at']).execute();
      await db.schema
        .createIndex('events_account_entity')
        .on('events')
        .columns(['account_id', 'entity_type', 'entity_id'])
        .execute();
    },
  };
}
