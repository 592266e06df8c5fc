import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { LossReason } from '../../core/records/model.js';
import { addLossReasons, deleteLossReason, getLossReason, listLossReasons } from '../../core/records/loss-reasons.js';
import { requirePrincipal } from '../../server/context.js';
import { withinBatchLimit } from './batch.js';
import { selfLink } from './links.js';
import { HAL_CONTENT_TYPE } from './problem.js';
import { writeContext } from './records/routes.js';
import { IdParams } from './schemas.js';

const LossReasonBody = Type.Array(
  Type.Object({ name: Type.Optional(Type.String()), sort: Type.Optional(Type.Integer()), request_id: Type.Optional(Type.String()) }),
  { minItems: 1 },
);
const LOSS_REASONS_PATH = '/api/v4/leads/loss_reasons';

/** Why leads were lost; a lead names one in `loss_reason_id`. Only administrators change the list. */
export const lossReasonRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['kommo'];
  app.get('/leads/loss_reasons', { schema: { summary: 'The loss reasons', tags } }, async (request, reply) => {
    const reasons = await listLossReasons(app.store, requirePrincipal(request.principal));
    if (reasons.length === 0) return reply.code(204).send();
    return reply.type(HAL_CONTENT_TYPE).send({
      _total_items: reasons.length,
      _links: selfLink(request, LOSS_REASONS_PATH),
      _embedded: { loss_reasons: reasons.map((reason) => renderLossReason(request, reason)) },
    });
  });

  app.post('/leads/loss_reasons', { schema: { summary: 'Add loss reasons', tags, body: LossReasonBody } }, async (request, reply) => {
    const drafts = withinBatchLimit(request.body).map((item) => ({ name: item.name, sort: item.sort, requestId: item.request_id }));
    const created = await addLossReasons(writeContext(request), drafts);
    return reply.type(HAL_CONTENT_TYPE).send({
      _total_items: created.length,
      _links: selfLink(request, LOSS_REASONS_PATH),
      _embedded: { loss_reasons: created.map(({ value, requestId }) => ({ ...renderLossReason(request, value), request_id: requestId })) },
    });
  });

  app.get('/leads/loss_reasons/:id', { schema: { summary: 'One loss reason', tags, params: IdParams } }, async (request, reply) => {
    const reason = await getLossReason(app.store, requirePrincipal(request.principal), request.params.id);
    return reply.type(HAL_CONTENT_TYPE).send(renderLossReason(request, reason));
  });

  app.delete('/leads/loss_reasons/:id', { schema: { summary: 'Delete a loss reason', tags, params: IdParams } }, async (request, reply) => {
    await deleteLossReason(writeContext(request), request.params.id);
    return reply.code(204).send();
  });
};

function renderLossReason(request: FastifyRequest, reason: LossReason) {
  return {
    id: reason.id,
    name: reason.name,
    sort: reason.sort,
    created_at: reason.createdAt,
    updated_at: reason.updatedAt,
    _links: selfLink(request, `${LOSS_REASONS_PATH}/${reason.id}`),
  };
}
