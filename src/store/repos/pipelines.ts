import type { Kysely, Selectable } from 'kysely';
import type { PipelineRepository } from '../../core/ports.js';
import type { Pipeline, StageSemantics, Status } from '../../core/pipelines/model.js';
import type { Database, PipelineRow, StatusRow } from '../schema.js';
import { sequenceRepository } from './sequences.js';
import { toFlag } from './json.js';

export function pipelineRepository(db: Kysely<Database>): PipelineRepository {
  const sequences = sequenceRepository(db);
  return {
    async create(accountId, input, now) {
      const pipelineId = await sequences.reserve('pipelines', 1);
      const newStatuses = input.statuses.filter((status) => status.id === undefined);
      let nextStatusId = newStatuses.length > 0 ? await sequences.reserve('statuses', newStatuses.length) : 0;
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
      await db
        .insertInto('statuses')
        .values(
          input.statuses.map((status) => ({
            account_id: accountId,
            pipeline_id: pipelineId,
            id: status.id ?? nextStatusId++,
            name: status.name,
            sort: status.sort,
            color: status.color,
            type: status.type,
            is_editable: toFlag(status.isEditable),
            code: status.code,
            semantics: status.semantics,
          })),
        )
        .execute();
      const created = (await this.list(accountId)).find((pipeline) => pipeline.id === pipelineId);
      if (!created) throw new Error(`pipeline ${pipelineId} vanished after insert`);
      return created;
    },
    async list(accountId) {
      const [pipelines, statuses] = await Promise.all([
        db.selectFrom('pipelines').selectAll().where('account_id', '=', accountId).orderBy('sort').orderBy('id').execute(),
        db.selectFrom('statuses').selectAll().where('account_id', '=', accountId).orderBy('sort').orderBy('id').execute(),
      ]);
      return pipelines.map((row) => toPipeline(row, statuses.filter((status) => status.pipeline_id === row.id)));
    },
  };
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
