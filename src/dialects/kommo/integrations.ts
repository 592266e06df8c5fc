import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { activeIntegration, activeIntegrations, isRedirectUri, registerIntegration, revokeIntegration } from '../../core/access/oauth.js';
import type { Integration } from '../../core/access/oauth-model.js';
import { DomainError, errorItem } from '../../core/errors.js';
import { requireAdminRequest } from '../../server/authorize.js';
import { HAL_CONTENT_TYPE } from './problem.js';
import { selfLink } from './links.js';
import { IdParams } from './schemas.js';

const IntegrationSchema = Type.Object({
  id: Type.Integer(),
  client_id: Type.String(),
  name: Type.String(),
  redirect_uri: Type.String(),
  created_by: Type.Integer(),
  created_at: Type.Integer(),
  _links: Type.Object({ self: Type.Object({ href: Type.String() }) }),
});

const CreatedSchema = Type.Composite([IntegrationSchema, Type.Object({ client_secret: Type.String() })]);
const MANAGE = 'manage integrations';

/** OAuth integrations of the caller's account (a Fieldwork addition; Kommo manages them in its UI). */
export const integrationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const common = { tags: ['kommo'], security: [{ bearer: [] }] };

  app.get(
    '/integrations',
    {
      schema: {
        ...common,
        summary: 'The account\'s active OAuth integrations; administrators only',
        response: { 200: Type.Object({ _total_items: Type.Integer(), _embedded: Type.Object({ integrations: Type.Array(IntegrationSchema) }) }) },
      },
    },
    async (request, reply) => {
      const principal = requireAdminRequest(request, MANAGE);
      const integrations = await activeIntegrations(app.store.repos, principal.accountId);
      return reply.type(HAL_CONTENT_TYPE).send({
        _total_items: integrations.length,
        _embedded: { integrations: integrations.map((integration) => kommoIntegration(request, integration)) },
      });
    },
  );

  app.post(
    '/integrations',
    {
      schema: {
        ...common,
        summary: 'Registers an OAuth integration; its client_secret is shown in this answer only',
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 255 }), redirect_uri: Type.String({ maxLength: 2048 }), request_id: Type.Optional(Type.String()) },
          { additionalProperties: false },
        ),
        response: { 201: CreatedSchema },
      },
    },
    async (request, reply) => {
      const principal = requireAdminRequest(request, MANAGE);
      if (!isRedirectUri(request.body.redirect_uri)) {
        throw DomainError.invalid([
          { index: 0, errors: [errorItem('InvalidValue', 'redirect_uri', 'This value should be an http or https URL without a fragment.')] },
        ]);
      }
      const { integration, clientSecret } = await registerIntegration(
        app.store.repos,
        principal.accountId,
        { name: request.body.name, redirectUri: request.body.redirect_uri, createdBy: principal.userId },
        app.clock(),
      );
      return reply
        .code(201)
        .type(HAL_CONTENT_TYPE)
        .send({ ...kommoIntegration(request, integration), client_secret: clientSecret });
    },
  );

  app.get(
    '/integrations/:id',
    { schema: { ...common, summary: 'One active OAuth integration', params: IdParams, response: { 200: IntegrationSchema } } },
    async (request, reply) => {
      const principal = requireAdminRequest(request, MANAGE);
      const integration = await activeIntegration(app.store.repos, principal.accountId, request.params.id);
      if (!integration) throw DomainError.notFound('Integration not found');
      return reply.type(HAL_CONTENT_TYPE).send(kommoIntegration(request, integration));
    },
  );

  app.delete(
    '/integrations/:id',
    { schema: { ...common, summary: 'Revokes an integration and every token granted to it', params: IdParams } },
    async (request, reply) => {
      const principal = requireAdminRequest(request, MANAGE);
      const revoked = await app.store.transaction((repos) => revokeIntegration(repos, principal.accountId, request.params.id, app.clock()));
      if (!revoked) throw DomainError.notFound('Integration not found');
      return reply.code(204).send();
    },
  );
};

function kommoIntegration(request: FastifyRequest, integration: Integration) {
  return {
    id: integration.id,
    client_id: integration.clientId,
    name: integration.name,
    redirect_uri: integration.redirectUri,
    created_by: integration.createdBy,
    created_at: integration.createdAt,
    _links: selfLink(request, `/api/v4/integrations/${integration.id}`),
  };
}
