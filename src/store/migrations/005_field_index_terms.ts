import { sql } from 'kysely';
import { columns, type Backend, type MigrationDb } from './columns.js';

/**
 * field_index keyed by (account, record, field, position) and, on SQLite, stored without a rowid:
 * the key is the table, so the per-record lookup needs no index of its own. Each lookup index is
 * partial and holds only the rows that have its kind of term, so writing a term touches two or
 * three B-trees instead of five.
 */
export function fieldIndexTerms(backend: Backend) {
  const col = columns(backend);
  return {
    async up(db: MigrationDb): Promise<void> {
      await db.schema
        .createTable('field_index_terms')
        .addColumn('account_id', col.bigint, (c) => c.notNull())
        .addColumn('record_id', col.bigint, (c) => c.notNull())
        .addColumn('field_id', col.bigint, (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('text_value', 'text')
        .addColumn('number_value', 'double precision')
        .addColumn('enum_id', col.bigint)
        .addPrimaryKeyConstraint('field_index_pk', ['account_id', 'record_id', 'field_id', 'position'])
        .$call((table) => (backend === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table))
        .execute();
      await sql`insert into field_index_terms (account_id, record_id, field_id, position, text_value, number_value, enum_id)
        select account_id, record_id, field_id,
               row_number() over (partition by account_id, record_id, field_id) - 1,
               text_value, number_value, enum_id
          from field_index`.execute(db);
      await db.schema.dropTable('field_index').execute();
      await db.schema.alterTable('field_index_terms').renameTo('field_index').execute();
      for (const [name, column] of [
        ['field_index_enum', 'enum_id'],
        ['field_index_number', 'number_value'],
        ['field_index_text', 'text_value'],
      ] as const) {
        await db.schema
          .createIndex(name)
          .on('field_index')
          .columns(['account_id', 'field_id', column, 'record_id'])
          .where(sql.ref(column), 'is not', null)
          .execute();
      }
    },
  };
}
