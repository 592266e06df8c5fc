import type { Kysely, Selectable } from 'kysely';
import type { PipelineRepository } from '../../core/ports.js';
import type { Pipeline, StageSemantics, Status } from '../../core/pipelines/model.js';
import type { Database, PipelineRow, StatusRow } from '../schema.js';
import { sequenceRepository } from './sequences.js';
import { toFlag } from './json.js';
import { compiledQuery } from '../compiled.js';

/** Every lead write checks its stages against these. */
const pipelinesOf = compiledQuery((db, accountId: number) =>
  db.selectFrom('pipelines').selectAll().where('account_id', '=', accountId).orderBy('sort').orderBy('id'),
);
const statusesOf = compiledQuery((db, accountId: number) =>
  db.selectFrom('statuses').selectAll().where('account_id', '=', accountId).orderBy('sort').orderBy('id'),
);

export function pipelineRepository(db: Kysely<Database>): PipelineRepository {
  const sequences = sequenceRepository(db);
  const repository: PipelineRepository = {
    async create(accountId, input, now) {
      const pipelineId = await sequences.reserve('pipelines', 1);
      await db
        .insertInto('pipelines')
        .values({
          account_id: accountId,
          id: pipelineId,
          name: input.name,
          sort: input.sort,
          is_main: toFlag(input.isMain),
          is_unsorted_on: toFlag(input.isUnsortedOn),
          is_archive: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const statuses = await repository.addStatuses(accountId, pipelineId, input.statuses);
      return {
        id: pipelineId,
        name: input.name,
        sort: input.sort,
        isMain: input.isMain,
        isUnsortedOn: input.isUnsortedOn,
        isArchive: false,
        createdAt: now,
        updatedAt: now,
        statuses: [...statuses].sort((a, b) => a.sort - b.sort || a.id - b.id),
      };
    },
    async list(accountId) {
      const [pipelines, statuses] = await Promise.all([
        pipelinesOf(db, accountId),
        statusesOf(db, accountId),
      ]);
      return pipelines.map((row) => toPipeline(row, statuses.filter((status) => status.pipeline_id === row.id)));
    },
    async update(accountId, pipelineId, changes, now) {
      await db
        .updateTable('pipelines')
        .set({
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.sort !== undefined ? { sort: changes.sort } : {}),
          ...(changes.isMain !== undefined ? { is_main: toFlag(changes.isMain) } : {}),
          ...(changes.isUnsortedOn !== undefined ? { is_unsorted_on: toFlag(changes.isUnsortedOn) } : {}),
          ...(changes.isArchive !== undefined ? { is_archive: toFlag(changes.isArchive) } : {}),
          updated_at: now,
        })
        .where('account_id', '=', accountId)
        .where('id', '=', pipelineId)
        .execute();
    },
    async setMain(accountId, pipelineId, now) {
      await db
        .updateTable('pipelines')
        .set((eb) => ({ is_main: eb.case().when('id', '=', pipelineId).then(1).else(0).end(), updated_at: now }))
        .where('account_id', '=', accountId)
        .where((eb) => eb.or([eb('id', '=', pipelineId), eb('is_main', '=', 1)]))
        .execute();
    },
    async delete(accountId, pipelineId) {
      await db.deleteFrom('statuses').where('account_id', '=', accountId).where('pipeline_id', '=', pipelineId).execute();
      await db.deleteFrom('pipelines').where('account_id', '=', accountId).where('id', '=', pipelineId).execute();
    },
    async addStatuses(accountId, pipelineId, statuses) {
      if (statuses.length === 0) return [];
      const unnumbered = statuses.filter((status) => status.id === undefined).length;
      let nextId = unnumbered > 0 ? await sequences.reserve('statuses', unnumbered) : 0;
      const rows = statuses.map((status) => ({
        account_id: accountId,
        pipeline_id: pipelineId,
        id: status.id ?? nextId++,
        name: status.name,
        sort: status.sort,
        color: status.color,
        type: status.type,
        is_editable: toFlag(status.isEditable),
        code: status.code,
        semantics: status.semantics,
      }));
      await db.insertInto('statuses').values(rows).execute();
      return rows.map(toStatus);
    },
    async updateStatus(accountId, pipelineId, statusId, changes) {
      const values = {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.sort !== undefined ? { sort: changes.sort } : {}),
        ...(changes.color !== undefined ? { color: changes.color } : {}),
        ...(changes.code !== undefined ? { code: changes.code } : {}),
        ...(changes.semantics !== undefined ? { semantics: changes.semantics } : {}),
      };
      if (Object.keys(values).length === 0) return;
      await db
        .updateTable('statuses')
        .set(values)
        .where('account_id', '=', accountId)
        .where('pipeline_id', '=', pipelineId)
        .where('id', '=', statusId)
        .execute();
    },
    async deleteStatus(accountId, pipelineId, statusId) {
      await db.deleteFrom('statuses').where('account_id', '=', accountId).where('pipeline_id', '=', pipelineId).where('id', '=', statusId).execute();
    },
  };
  return repository;
}

function toPipeline(row: Selectable<PipelineRow>, statuses: Selectable<StatusRow>[]): Pipeline {
  return {
    id: row.id,
    name: row.name,
    sort: row.sort,
    isMain: row.is_main === 1,
    isUnsortedOn: row.is_unsorted_on === 1,
    isArchive: row.is_archive === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    statuses: statuses.map(toStatus),
  };
}

function toStatus(row: Selectable<StatusRow>): Status {
  return {
    id: row.id,
    pipelineId: row.pipeline_id,
    name: row.name,
    sort: row.sort,
    color: row.color,
    type: row.type,
    isEditable: row.is_editable === 1,
    code: row.code,
    semantics: row.semantics as StageSemantics,
  };
}
