import type { Kysely } from 'kysely';
import type { LossReasonRepository } from '../../core/ports.js';
import type { Database } from '../schema.js';
import { sequenceRepository } from './sequences.js';

export function lossReasonRepository(db: Kysely<Database>): LossReasonRepository {
  const sequences = sequenceRepository(db);
  return {
    async list(accountId) {
      const rows = await db.selectFrom('loss_reasons').selectAll().where('account_id', '=', accountId).orderBy('sort').orderBy('id').execute();
      return rows.map((row) => ({ id: row.id, name: row.name, sort: row.sort, createdAt: row.created_at, updatedAt: row.updated_at }));
    },
    async create(accountId, reasons, now) {
      if (reasons.length === 0) return [];
      const first = await sequences.reserve('loss_reasons', reasons.length);
      const rows = reasons.map((reason, index) => ({
        account_id: accountId,
        id: first + index,
        name: reason.name,
        sort: reason.sort,
        created_at: now,
        updated_at: now,
      }));
      await db.insertInto('loss_reasons').values(rows).execute();
      return rows.map((row) => ({ id: row.id, name: row.name, sort: row.sort, createdAt: now, updatedAt: now }));
    },
    async delete(accountId, id) {
      const result = await db.deleteFrom('loss_reasons').where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
