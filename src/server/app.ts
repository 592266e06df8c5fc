import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Store } from '../core/ports.js';
import { systemClock, type Clock } from '../core/clock.js';
import { requestIdFor } from './request-id.js';
import { parseQueryString } from './query-string.js';
import { trackRequestsUnderWay } from './drain.js';
import { trackRoutePatterns } from './method-not-allowed.js';
import { collectRoutes } from './route-table.js';
import { installJsonBodyParser } from './json-body.js';
import { installLimits, type LimitOptions } from './rate-limit.js';
import { signInRoutes } from './sign-in.js';
import { kommoOAuth } from '../dialects/kommo/oauth.js';
import { kommoDialect } from '../dialects/kommo/index.js';
import { bitrixDialect } from '../dialects/bitrix/index.js';
import { miarecDialect } from '../dialects/miarec/index.js';
import { envokeV1Dialect, envokeV2Dialect } from '../dialects/envoke/index.js';
import { renderKommoError, renderKommoNotFound } from '../dialects/kommo/errors.js';
import './context.js';
import { lazyValidators } from './lazy-validators.js';
import { installResponseBuffers } from './response-buffers.js';

export interface AppOptions {
  store: Store;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  /** Largest accepted request body in bytes. */
  bodyLimit?: number;
  /** Request-rate and failed-authentication limits; absent (as the tests build the app), nothing is limited. */
  limits?: LimitOptions;
}

/**
 * Fastify appends `; charset=utf-8` to every JSON media type. Kommo's clients compare
 * `application/hal+json` and `application/problem+json` exactly, so those two go out bare.
 */
const BARE_MEDIA_TYPES = /^(application\/(?:hal|problem)\+json); charset=utf-8$/;

function exactMediaType(reply: FastifyReply): void {
  const contentType = reply.getHeader('content-type');
  const bare = typeof contentType === 'string' ? BARE_MEDIA_TYPES.exec(contentType)?.[1] : undefined;
  if (bare) reply.header('content-type', bare);
}

export const DEFAULT_BODY_LIMIT = 2 * 1024 * 1024;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: requestIdFor,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Trailing slashes and duplicate slashes are common in hand-built integration URLs.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, querystringParser: parseQueryString },
    return503OnClosing: true,
    schemaController: { compilersFactory: { buildValidator: lazyValidators } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Outside every dialect's prefix, Kommo's problem documents are the house style. Set before any plugin
  // is registered, so that every plugin without a handler of its own inherits them.
  app.setErrorHandler((error, request, reply) => renderKommoError(error, request, reply));
  app.setNotFoundHandler((request, reply) => renderKommoNotFound(request, reply));

  app.decorate('store', options.store);
  app.decorate('clock', options.clock ?? systemClock);
  app.decorateRequest('principal', null);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    exactMediaType(reply);
  });
  installResponseBuffers(app);

  app.decorate('isMethodNotAllowed', trackRoutePatterns(app));
  app.decorate('routeTable', collectRoutes(app));
  app.decorate('drain', trackRequestsUnderWay(app));
  installJsonBodyParser(app);
  await installLimits(app, options.limits);
  await app.register(cookie);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Fieldwork',
        description: 'A self-hosted CRM server speaking the Kommo, Bitrix24, MiaRec and Envoke dialects.',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, basic: { type: 'http', scheme: 'basic' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => app.swagger());

  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        summary: 'Liveness and store reachability',
        response: { 200: Type.Object({ status: Type.Literal('ok') }), 503: Type.Object({ status: Type.Literal('unavailable') }) },
      },
    },
    async (_request, reply) => {
      try {
        await app.store.ping();
        return { status: 'ok' as const };
      } catch {
        return reply.code(503).send({ status: 'unavailable' as const });
      }
    },
  );

  await app.register(kommoDialect, { prefix: '/api/v4' });
  await app.register(bitrixDialect, { prefix: '/rest' });
  await app.register(miarecDialect, { prefix: '/api/v2' });
  await app.register(envokeV2Dialect, { prefix: '/v2' });
  await app.register(envokeV1Dialect, { prefix: '/v1' });
  await app.register(signInRoutes);
  await app.register(kommoOAuth);

  return app;
}
