import type { FastifyPluginAsync } from 'fastify';
import { kommoAuthentication } from './auth.js';
import { renderKommoError, renderKommoNotFound } from './errors.js';
import { accountRoutes } from './account.js';

/** Kommo (amoCRM) REST API v4, mounted at /api/v4. */
export const kommoDialect: FastifyPluginAsync = async (app) => {
  app.setErrorHandler((error, request, reply) => renderKommoError(error, request, reply));
  app.setNotFoundHandler((request, reply) => renderKommoNotFound(request, reply));
  app.addHook('onRequest', kommoAuthentication);
  await app.register(accountRoutes);
};
