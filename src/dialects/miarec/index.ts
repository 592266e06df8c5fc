import type { FastifyPluginAsync } from 'fastify';
import { basicAuthentication } from '../http-basic.js';
import { callRoutes } from './calls.js';
import { customFieldRoutes } from './custom-fields.js';
import { renderMiarecError, renderMiarecNotFound, sendUnauthorized } from './errors.js';

/**
 * A MiaRec-style call-recording REST API v2, mounted at /api/v2: calls and their custom fields.
 * Credentials are HTTP Basic with the user's login and an API token as the password.
 */
export const miarecDialect: FastifyPluginAsync = async (app) => {
  app.setErrorHandler((error, request, reply) => renderMiarecError(error, request, reply));
  app.setNotFoundHandler((request, reply) => renderMiarecNotFound(request, reply));
  app.addHook('onRequest', basicAuthentication(sendUnauthorized));
  await app.register(callRoutes);
  await app.register(customFieldRoutes);
};
