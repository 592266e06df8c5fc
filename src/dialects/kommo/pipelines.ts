import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Pipeline, Status } from '../../core/pipelines/model.js';
import {
  addStatuses,
  createPipelines,
  deletePipeline,
  deleteStatus,
  getPipeline,
  getStatus,
  listPipelines,
  updatePipeline,
  updateStatus,
  type StatusDraft,
} from '../../core/pipelines/service.js';
import { requirePrincipal } from '../../server/context.js';
import { withinBatchLimit } from './batch.js';
import { selfLink } from './links.js';
import { HAL_CONTENT_TYPE } from './problem.js';
import { writeContext } from './records/routes.js';
import { Id, IdParams } from './schemas.js';

const StatusParams = Type.Object({ pipeline_id: Id, id: Id });
const StatusListParams = Type.Object({ pipeline_id: Id });

const StatusBody = Type.Object({
  id: Type.Optional(Type.Integer({ description: 'Only 142 or 143, to rename a fixed stage when creating a pipeline' })),
  name: Type.Optional(Type.String()),
  sort: Type.Optional(Type.Integer()),
  color: Type.Optional(Type.String({ description: 'One of the palette, e.g. #fffeb2' })),
  request_id: Type.Optional(Type.String()),
});
const PipelineBody = Type.Object({
  name: Type.Optional(Type.String()),
  sort: Type.Optional(Type.Integer()),
  is_main: Type.Optional(Type.Boolean()),
  is_unsorted_on: Type.Optional(Type.Boolean()),
  is_archive: Type.Optional(Type.Boolean()),
  request_id: Type.Optional(Type.String()),
  _embedded: Type.Optional(Type.Object({ statuses: Type.Optional(Type.Array(StatusBody)) })),
});

const tags = ['kommo'];
const PIPELINES_PATH = '/api/v4/leads/pipelines';

/** Lead pipelines and their stages. Anyone may read them; only administrators change them. */
export const pipelineRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/leads/pipelines', { schema: { summary: 'List lead pipelines with their stages', tags } }, async (request, reply) => {
    const pipelines = await listPipelines(app.store, requirePrincipal(request.principal));
    return reply.type(HAL_CONTENT_TYPE).send({
      _total_items: pipelines.length,
      _links: selfLink(request, PIPELINES_PATH),
      _embedded: { pipelines: pipelines.map((pipeline) => renderPipeline(request, pipeline)) },
    });
  });

  app.post(
    '/leads/pipelines',
    { schema: { summary: 'Add pipelines; each gets incoming leads, 142 "Closed - won" and 143 "Closed - lost"', tags, body: Type.Array(PipelineBody, { minItems: 1 }) } },
    async (request, reply) => {
      const drafts = withinBatchLimit(request.body).map((item) => ({ ...pipelineDraft(item), statuses: item._embedded?.statuses?.map(statusDraft) }));
      const created = await createPipelines(writeContext(request), drafts);
      return reply.type(HAL_CONTENT_TYPE).send({
        _total_items: created.length,
        _links: selfLink(request, PIPELINES_PATH),
        _embedded: { pipelines: created.map(({ value, requestId }) => ({ ...renderPipeline(request, value), request_id: requestId })) },
      });
    },
  );

  app.get('/leads/pipelines/:id', { schema: { summary: 'One pipeline with its stages', tags, params: IdParams } }, async (request, reply) => {
    const pipeline = await getPipeline(app.store, requirePrincipal(request.principal), request.params.id);
    return reply.type(HAL_CONTENT_TYPE).send(renderPipeline(request, pipeline));
  });

  app.patch(
    '/leads/pipelines/:id',
    { schema: { summary: 'Change a pipeline; is_main: true takes "main" from the pipeline that had it', tags, params: IdParams, body: Type.Omit(PipelineBody, ['_embedded']) } },
    async (request, reply) => {
      const pipeline = await updatePipeline(writeContext(request), request.params.id, pipelineDraft(request.body));
      return reply.type(HAL_CONTENT_TYPE).send(renderPipeline(request, pipeline));
    },
  );

  app.delete(
    '/leads/pipelines/:id',
    { schema: { summary: 'Delete a pipeline that is not the main one and holds no leads', tags, params: IdParams } },
    async (request, reply) => {
      await deletePipeline(writeContext(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/leads/pipelines/:pipeline_id/statuses',
    { schema: { summary: 'The stages of a pipeline', tags, params: StatusListParams } },
    async (request, reply) => {
      const pipeline = await getPipeline(app.store, requirePrincipal(request.principal), request.params.pipeline_id);
      return reply.type(HAL_CONTENT_TYPE).send({
        _total_items: pipeline.statuses.length,
        _links: selfLink(request, `${PIPELINES_PATH}/${pipeline.id}/statuses`),
        _embedded: { statuses: pipeline.statuses.map((status) => renderStatus(request, status)) },
      });
    },
  );

  app.post(
    '/leads/pipelines/:pipeline_id/statuses',
    {
      schema: {
        summary: 'Add working stages to a pipeline (at most 100 stages, system ones included)',
        tags,
        params: StatusListParams,
        body: Type.Array(Type.Omit(StatusBody, ['id']), { minItems: 1 }),
      },
    },
    async (request, reply) => {
      const created = await addStatuses(writeContext(request), request.params.pipeline_id, withinBatchLimit(request.body).map(statusDraft));
      return reply.type(HAL_CONTENT_TYPE).send({
        _total_items: created.length,
        _links: selfLink(request, `${PIPELINES_PATH}/${request.params.pipeline_id}/statuses`),
        _embedded: { statuses: created.map(({ value, requestId }) => ({ ...renderStatus(request, value), request_id: requestId })) },
      });
    },
  );

  app.get('/leads/pipelines/:pipeline_id/statuses/:id', { schema: { summary: 'One stage', tags, params: StatusParams } }, async (request, reply) => {
    const status = await getStatus(app.store, requirePrincipal(request.principal), request.params.pipeline_id, request.params.id);
    return reply.type(HAL_CONTENT_TYPE).send(renderStatus(request, status));
  });

  app.patch(
    '/leads/pipelines/:pipeline_id/statuses/:id',
    { schema: { summary: 'Change a stage; system stages change only their name', tags, params: StatusParams, body: Type.Omit(StatusBody, ['id']) } },
    async (request, reply) => {
      const status = await updateStatus(writeContext(request), request.params.pipeline_id, request.params.id, statusDraft(request.body));
      return reply.type(HAL_CONTENT_TYPE).send(renderStatus(request, status));
    },
  );

  app.delete(
    '/leads/pipelines/:pipeline_id/statuses/:id',
    { schema: { summary: 'Delete a working stage that holds no leads', tags, params: StatusParams } },
    async (request, reply) => {
      await deleteStatus(writeContext(request), request.params.pipeline_id, request.params.id);
      return reply.code(204).send();
    },
  );
};

function pipelineDraft(body: Omit<Static<typeof PipelineBody>, '_embedded'>) {
  return { name: body.name, sort: body.sort, isMain: body.is_main, isUnsortedOn: body.is_unsorted_on, isArchive: body.is_archive, requestId: body.request_id };
}

function statusDraft(body: Static<typeof StatusBody>): StatusDraft {
  return { id: body.id, name: body.name, sort: body.sort, color: body.color, requestId: body.request_id };
}

function renderPipeline(request: FastifyRequest, pipeline: Pipeline) {
  return {
    id: pipeline.id,
    name: pipeline.name,
    sort: pipeline.sort,
    is_main: pipeline.isMain,
    is_unsorted_on: pipeline.isUnsortedOn,
    is_archive: pipeline.isArchive,
    account_id: request.principal?.accountId,
    _links: selfLink(request, `${PIPELINES_PATH}/${pipeline.id}`),
    _embedded: { statuses: pipeline.statuses.map((status) => renderStatus(request, status)) },
  };
}

function renderStatus(request: FastifyRequest, status: Status) {
  return {
    id: status.id,
    name: status.name,
    sort: status.sort,
    is_editable: status.isEditable,
    pipeline_id: status.pipelineId,
    color: status.color,
    type: status.type,
    account_id: request.principal?.accountId,
    _links: selfLink(request, `${PIPELINES_PATH}/${status.pipelineId}/statuses/${status.id}`),
  };
}
