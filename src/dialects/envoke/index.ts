import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { basicAuthentication } from '../http-basic.js';
import { contactRoutes } from './contacts.js';
import { customFieldRoutes } from './custom-fields.js';
import { renderEnvokeError, renderEnvokeNotFound, sendUnauthorized } from './errors.js';

/** Envoke's custom fields API v2, mounted at /v2. */
export const envokeV2Dialect: FastifyPluginAsync = async (app) => {
  installEnvokeHandlers(app);
  await app.register(customFieldRoutes);
};

/** The custom-field values of Envoke's contacts API v1, mounted at /v1. */
export const envokeV1Dialect: FastifyPluginAsync = async (app) => {
  installEnvokeHandlers(app);
  await app.register(contactRoutes);
};

/**
 * Each version has its own prefix and so its own scope; both answer errors alike and take HTTP Basic
 * with the user's login as the API ID and an API token as the API key.
 */
function installEnvokeHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => renderEnvokeError(error, request, reply));
  app.setNotFoundHandler((request, reply) => renderEnvokeNotFound(request, reply));
  app.addHook('onRequest', basicAuthentication(sendUnauthorized));
}
