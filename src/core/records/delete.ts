import { authorize } from '../access/authorize.js';
import { DomainError } from '../errors.js';
import type { EntityType } from '../fields/model.js';
import { eventBase, recordEvent } from './events.js';
import type { WriteContext } from './write.js';

/**
 * Moves records to the bin: they stay stored, flagged deleted, so history and links keep pointing
 * at something, but reads and lists no longer show them. Every id must name a live record.
 */
export function deleteRecords(context: WriteContext, entityType: EntityType, ids: readonly number[]): Promise<void> {
  const { principal } = context;
  return context.store.transaction(async (repos) => {
    const now = context.clock();
    const found = (await repos.records.getMany(principal.accountId, entityType, ids)).filter((record) => !record.isDeleted);
    const missing = ids.filter((id) => !found.some((record) => record.id === id));
    if (missing.length > 0) throw DomainError.notFound(`There is no ${entityType} record with id ${missing.join(', ')}`);
    for (const record of found) authorize(principal, entityType, 'delete', record);
    const deleted = found.map((record) => ({ ...record, isDeleted: true, updatedAt: now, updatedBy: principal.userId }));
    await repos.records.update(principal.accountId, deleted.map((after, index) => ({ before: found[index]!, after })));
    await repos.events.append(
      principal.accountId,
      deleted.map((record) => {
        const base = eventBase(record, principal.userId, now);
        return recordEvent(base, `${base.entityType}_deleted`, [], []);
      }),
    );
  });
}
