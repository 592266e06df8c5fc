import type { Kysely } from 'kysely';
import type { TagRepository } from '../../core/ports.js';
import type { Tag } from '../../core/records/model.js';
import type { Database } from '../schema.js';
import { sequenceRepository } from './sequences.js';
import { compiledQuery } from '../compiled.js';

const tagsOfRecords = compiledQuery((db, accountId: number, recordIds: readonly number[]) =>
  db
    .selectFrom('record_tags')
    .innerJoin('tags', (join) => join.onRef('tags.id', '=', 'record_tags.tag_id').onRef('tags.account_id', '=', 'record_tags.account_id'))
    .select(['record_tags.record_id', 'tags.id', 'tags.name', 'tags.color'])
    .where('record_tags.account_id', '=', accountId)
    .where('record_tags.record_id', 'in', recordIds)
    .orderBy('tags.id'),
);

/** Tags belong to one entity type, as in Kommo: the same name has a different id on leads and contacts. */
export function tagRepository(db: Kysely<Database>): TagRepository {
  const sequences = sequenceRepository(db);
  const repository: TagRepository = {
    async resolve(accountId, entityType, refs) {
      const ids = refs.flatMap((ref) => ('id' in ref ? [ref.id] : []));
      const names = refs.flatMap((ref) => ('name' in ref ? [ref.name] : []));
      const found =
        ids.length + names.length === 0
          ? []
          : await db
              .selectFrom('tags')
              .select(['id', 'name', 'color'])
              .where('account_id', '=', accountId)
              .where('entity_type', '=', entityType)
              .where((eb) => eb.or([eb('id', 'in', ids.length ? ids : [-1]), eb('name', 'in', names.length ? names : [''])]))
              .execute();
      const missing = [...new Set(names.filter((name) => !found.some((tag) => tag.name === name)))];
      const created = await repository.create(accountId, entityType, missing.map((name) => ({ name, color: null })));
      const all = [...found, ...created];
      return refs.flatMap((ref) => {
        const tag = 'id' in ref ? all.find((candidate) => candidate.id === ref.id) : all.find((candidate) => candidate.name === ref.name);
        return tag ? [tag] : [];
      });
    },
    async list(accountId, entityType, filter) {
      let query = db
        .selectFrom('tags')
        .select(['id', 'name', 'color'])
        .where('account_id', '=', accountId)
        .where('entity_type', '=', entityType);
      if (filter.ids) query = query.where('id', 'in', filter.ids.length ? filter.ids : [-1]);
      if (filter.names) query = query.where('name', 'in', filter.names.length ? filter.names : ['']);
      if (filter.query) query = query.where('name', 'like', `%${filter.query}%`);
      return query.orderBy('id').limit(filter.limit).offset(filter.offset).execute();
    },
    async create(accountId, entityType, tags) {
      if (tags.length === 0) return [];
      const first = await sequences.reserve('tags', tags.length);
      const rows = tags.map((tag, index) => ({ account_id: accountId, id: first + index, entity_type: entityType, name: tag.name, color: tag.color }));
      await db.insertInto('tags').values(rows).execute();
      return rows.map(({ id, name, color }) => ({ id, name, color }));
    },
    async ofRecords(accountId, recordIds) {
      const byRecord = new Map<number, Tag[]>();
      if (recordIds.length === 0) return byRecord;
      const rows = await tagsOfRecords(db, accountId, recordIds);
      for (const row of rows) {
        const tags = byRecord.get(row.record_id) ?? [];
        tags.push({ id: row.id, name: row.name, color: row.color });
        byRecord.set(row.record_id, tags);
      }
      return byRecord;
    },
    async setRecordTags(accountId, recordId, tagIds) {
      await db.deleteFrom('record_tags').where('account_id', '=', accountId).where('record_id', '=', recordId).execute();
      const unique = [...new Set(tagIds)];
      if (unique.length === 0) return;
      await db
        .insertInto('record_tags')
        .values(unique.map((tagId) => ({ account_id: accountId, record_id: recordId, tag_id: tagId })))
        .execute();
    },
  };
  return repository;
}
