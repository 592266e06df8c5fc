import type { FastifyPluginAsync } from 'fastify';
import { kommoAuthentication } from './auth.js';
import { renderKommoError, renderKommoNotFound } from './errors.js';
import { accountRoutes } from './account.js';
import { userRoutes } from './users.js';
import { integrationRoutes } from './integrations.js';
import { recordRoutes } from './records/routes.js';
import { customFieldRoutes } from './custom-fields/routes.js';
import { eventRoutes } from './events.js';
import { complexRoutes } from './records/complex.js';
import { pipelineRoutes } from './pipelines.js';
import { lossReasonRoutes } from './loss-reasons.js';
import { tagRoutes } from './tags.js';
import { entityLinkRoutes } from './entity-links.js';

/** Kommo (amoCRM) REST API v4, mounted at /api/v4. */
export const kommoDialect: FastifyPluginAsync = async (app) => {
  app.setErrorHandler((error, request, reply) => renderKommoError(error, request, reply));
  app.setNotFoundHandler((request, reply) => renderKommoNotFound(request, reply));
  app.addHook('onRequest', kommoAuthentication);
  await app.register(accountRoutes);
  await app.register(userRoutes);
  await app.register(integrationRoutes);
  for (const entity of ['leads', 'contacts', 'companies'] as const) await app.register(recordRoutes(entity));
  for (const entity of ['leads', 'contacts', 'companies'] as const) await app.register(customFieldRoutes(entity));
  await app.register(eventRoutes);
  await app.register(complexRoutes);
  await app.register(pipelineRoutes);
  await app.register(lossReasonRoutes);
  for (const entity of ['leads', 'contacts', 'companies'] as const) {
    await app.register(tagRoutes(entity));
    await app.register(entityLinkRoutes(entity));
  }
};
