import { columns, type Backend, type MigrationDb } from './columns.js';

/**
 * Leads, contacts, companies and calls share one table: the engine treats them alike, and the
 * columns only one kind uses stay null on the others. Custom-field values live as one JSON document
 * per record (one read per record) and, for filtering and search, as index terms beside it.
 */
export function records(backend: Backend) {
  const col = columns(backend);
  return {
    async up(db: MigrationDb): Promise<void> {
      await col
        .generatedId(db.schema.createTable('records'))
        .addColumn('account_id', col.bigint, (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('first_name', 'text')
        .addColumn('last_name', 'text')
        .addColumn('price', col.bigint)
        .addColumn('pipeline_id', col.bigint)
        .addColumn('status_id', col.bigint)
        .addColumn('loss_reason_id', col.bigint)
        .addColumn('responsible_user_id', col.bigint, (c) => c.notNull())
        .addColumn('group_id', col.bigint, (c) => c.notNull())
        .addColumn('created_by', col.bigint, (c) => c.notNull())
        .addColumn('updated_by', col.bigint, (c) => c.notNull())
        .addColumn('created_at', col.bigint, (c) => c.notNull())
        .addColumn('updated_at', col.bigint, (c) => c.notNull())
        .addColumn('closed_at', col.bigint)
        .addColumn('closest_task_at', col.bigint)
        .addColumn('is_deleted', 'integer', (c) => c.notNull())
        .addColumn('score', col.bigint)
        .addColumn('labor_cost', col.bigint)
        .addColumn('source_id', col.bigint)
        .addColumn('is_price_modified_by_robot', 'integer', (c) => c.notNull())
        .addColumn('custom_fields', 'text', (c) => c.notNull())
        .addColumn('attributes', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('records_account_type_id').on('records').columns(['account_id', 'entity_type', 'id']).execute();
      await db.schema
        .createIndex('records_account_stage')
        .on('records')
        .columns(['account_id', 'entity_type', 'pipeline_id', 'status_id', 'id'])
        .execute();
      await db.schema
        .createIndex('records_account_created')
        .on('records')
        .columns(['account_id', 'entity_type', 'created_at'])
        .execute();
      await db.schema
        .createIndex('records_account_updated')
        .on('records')
        .columns(['account_id', 'entity_type', 'updated_at'])
        .execute();

      await db.schema
        .createTable('field_index')
        .addColumn('account_id', col.bigint, (c) => c.notNull())
        .addColumn('record_id', col.bigint, (c) => c.notNull())
        .addColumn('field_id', col.bigint, (c) => c.notNull())
        .addColumn('text_value', 'text')
        .addColumn('number_value', 'double precision')
        .addColumn('enum_id', col.bigint)
        .execute();
      await db.schema.createIndex('field_index_record').on('field_index').columns(['account_id', 'record_id']).execute();
      await db.schema
        .createIndex('field_index_enum')
        .on('field_index')
        .columns(['account_id', 'field_id', 'enum_id', 'record_id'])
        .execute();
      await db.schema
        .createIndex('field_index_number')
        .on('field_index')
        .columns(['account_id', 'field_id', 'number_value', 'record_id'])
        .execute();
      await db.schema
        .createIndex('field_index_text')
        .on('field_index')
        .columns(['account_id', 'field_id', 'text_value', 'record_id'])
        .execute();

      await db.schema
        .createTable('tags')
        .addColumn('account_id', col.bigint, (c) => c.notNull())
        .addColumn('id', col.bigint, (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('color', 'text')
        .addPrimaryKeyConstraint('tags_pk', ['account_id', 'id'])
        .execute();
      await db.schema.createIndex('tags_name').unique().on('tags').columns(['account_id', 'entity_type', 'name']).execute();

      await db.schema
        .createTable('record_tags')
        .addColumn('account_id', col.bigint, (c) => c.notNull())
        .addColumn('record_id', col.bigint, (c) => c.notNull())
        .addColumn('tag_id', col.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('record_tags_pk', ['account_id', 'record_id', 'tag_id'])
        .execute();

      await db.schema
        .createTable('links')
        .addColumn('account_id', col.bigint, (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', col.bigint, (c) => c.notNull())
        .addColumn('to_entity_type', 'text', (c) => c.notNull())
        .addColumn('to_entity_id', col.bigint, (c) => c.notNull())
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('links_pk', ['account_id', 'entity_id', 'to_entity_type', 'to_entity_id'])
        .execute();
      await db.schema.createIndex('links_reverse').on('links').columns(['account_id', 'to_entity_id', 'entity_type']).execute();

      await db.schema
        .createTable('loss_reasons')
        .addColumn('account_id', col.bigint, (c) => c.notNull())
        .addColumn('id', col.bigint, (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull())
        .addColumn('created_at', col.bigint, (c) => c.notNull())
        .addColumn('updated_at', col.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('loss_reasons_pk', ['account_id', 'id'])
        .execute();

      await db.schema
        .createTable('field_groups')
        .addColumn('account_id', col.bigint, (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull())
        .addColumn('is_predefined', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('field_groups_pk', ['account_id', 'id'])
        .execute();
    },
  };
}
