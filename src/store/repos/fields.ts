import type { Kysely, Selectable } from 'kysely';
import type { FieldDefinitionRepository } from '../../core/ports.js';
import type { FieldDefinition } from '../../core/fields/model.js';
import type { Database, FieldDefinitionRow } from '../schema.js';
import { fromJson, toJson } from './json.js';

/**
 * A definition is one JSON document keyed by its id; `entity_type` and `code` are columns too because
 * lookups and the per-entity uniqueness of codes need them.
 */
export function fieldDefinitionRepository(db: Kysely<Database>): FieldDefinitionRepository {
  return {
    async list(accountId, entityType) {
      let query = db.selectFrom('field_definitions').selectAll().where('account_id', '=', accountId);
      if (entityType) query = query.where('entity_type', '=', entityType);
      const rows = await query.orderBy('id').execute();
      return rows.map(toDefinition);
    },
    async insert(accountId, definitions) {
      if (definitions.length === 0) return [];
      const rows = await db
        .insertInto('field_definitions')
        .values(
          definitions.map((definition) => ({
            account_id: accountId,
            entity_type: definition.entityType,
            code: definition.code,
            definition: toJson(definition),
            created_at: definition.createdAt,
            updated_at: definition.updatedAt,
          })),
        )
        .returningAll()
        .execute();
      return rows.map(toDefinition);
    },
    async update(accountId, definitions) {
      if (definitions.length === 0) return;
      // Codes are unique per entity type and checked per statement, so codes moving between the
      // fields of one batch (a swap) are let go first.
      await db
        .updateTable('field_definitions')
        .set({ code: null })
        .where('account_id', '=', accountId)
        .where('id', 'in', definitions.map((definition) => definition.id))
        .execute();
      for (const definition of definitions) {
        const { id, ...document } = definition;
        await db
          .updateTable('field_definitions')
          .set({ code: definition.code, definition: toJson(document), updated_at: definition.updatedAt })
          .where('account_id', '=', accountId)
          .where('id', '=', id)
          .execute();
      }
    },
    async delete(accountId, fieldIds) {
      if (fieldIds.length === 0) return;
      await db.deleteFrom('field_definitions').where('account_id', '=', accountId).where('id', 'in', fieldIds).execute();
    },
  };
}

function toDefinition(row: Selectable<FieldDefinitionRow>): FieldDefinition {
  return { ...fromJson<Omit<FieldDefinition, 'id'>>(row.definition), id: row.id };
}
