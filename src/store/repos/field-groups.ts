import type { Kysely, Selectable } from 'kysely';
import type { FieldGroupRepository } from '../../core/ports.js';
import type { FieldGroup } from '../../core/fields/groups.js';
import type { EntityType } from '../../core/fields/model.js';
import type { Database, FieldGroupRow } from '../schema.js';
import { toFlag } from './json.js';

export function fieldGroupRepository(db: Kysely<Database>): FieldGroupRepository {
  return {
    async list(accountId, entityType) {
      const rows = await db
        .selectFrom('field_groups')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('entity_type', '=', entityType)
        .orderBy('sort')
        .orderBy('id')
        .execute();
      return rows.map(toGroup);
    },
    async insert(accountId, groups) {
      if (groups.length === 0) return;
      await db
        .insertInto('field_groups')
        .values(
          groups.map((group) => ({
            account_id: accountId,
            id: group.id,
            entity_type: group.entityType,
            name: group.name,
            sort: group.sort,
            is_predefined: toFlag(group.isPredefined),
          })),
        )
        .execute();
    },
    async update(accountId, group) {
      await db
        .updateTable('field_groups')
        .set({ name: group.name, sort: group.sort })
        .where('account_id', '=', accountId)
        .where('id', '=', group.id)
        .execute();
    },
    async delete(accountId, groupId) {
      await db.deleteFrom('field_groups').where('account_id', '=', accountId).where('id', '=', groupId).execute();
    },
  };
}

function toGroup(row: Selectable<FieldGroupRow>): FieldGroup {
  return {
    id: row.id,
    entityType: row.entity_type as EntityType,
    name: row.name,
    sort: row.sort,
    isPredefined: row.is_predefined === 1,
  };
}
