import { accountOf } from '../../core/accounts/read.js';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import {
  exchangeAuthorizationCode,
  findActiveIntegration,
  issueAuthorizationCode,
  OAuthError,
  refreshTokenPair,
  type ClientCredentials,
  type TokenPair,
} from '../../core/access/oauth.js';
import { csrfTokenFor, isCsrfTokenValid } from '../../core/access/sessions.js';
import { currentSession, formField, signInUrl } from '../../server/sign-in.js';
import { escapeHtml, hiddenInputs, sendPage } from '../../server/html.js';
import { renderKommoError } from './errors.js';

/**
 * Kommo's OAuth 2.0: the consent page at /oauth and the token endpoint at /oauth2/access_token,
 * outside the /api/v4 prefix as in Kommo. Both accept urlencoded forms; the token endpoint JSON too.
 */
export const kommoOAuth: FastifyPluginAsync = async (app) => {
  app.setErrorHandler((error, request, reply) => renderKommoError(error, request, reply));
  await app.register(formbody);

  app.get<{ Querystring: { client_id?: string; state?: string } }>(
    '/oauth',
    { config: { public: true }, schema: { hide: true } },
    async (request, reply) => {
      const { client_id: clientId = '', state = '' } = request.query;
      const integration = await findActiveIntegration(app.store.repos, clientId);
      if (!integration) return sendPage(reply, 400, 'Unknown integration', '<p>No active integration has this client_id.</p>');
      const current = await currentSession(request);
      if (!current) {
        const account = await accountOf(app.store.repos, integration.accountId);
        return reply.redirect(signInUrl(request.url, account.subdomain), 303);
      }
      if (current.session.user.accountId !== integration.accountId) {
        return sendPage(reply, 403, 'Access denied', '<p>This integration belongs to another account.</p>');
      }
      return sendPage(
        reply,
        200,
        `Allow ${integration.name}?`,
        `<p>${escapeHtml(integration.name)} asks to act in this account as ${escapeHtml(current.session.user.login)}, ` +
          'with your rights.</p><form method="post" action="/oauth">' +
          hiddenInputs({ client_id: clientId, state, csrf: csrfTokenFor(current.secret) }) +
          '<button type="submit" name="decision" value="allow">Allow</button>' +
          '<button type="submit" name="decision" value="deny">Decline</button></form>',
      );
    },
  );

  app.post('/oauth', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const clientId = formField(request.body, 'client_id');
    const state = formField(request.body, 'state');
    const current = await currentSession(request);
    if (!current) return reply.redirect(signInUrl(`/oauth?${new URLSearchParams({ client_id: clientId, state }).toString()}`), 303);
    if (!isCsrfTokenValid(current.secret, formField(request.body, 'csrf'))) {
      return sendPage(reply, 403, 'Access denied', '<p>The form has expired; open the consent page again.</p>');
    }
    const integration = await findActiveIntegration(app.store.repos, clientId);
    if (!integration) return sendPage(reply, 400, 'Unknown integration', '<p>No active integration has this client_id.</p>');
    if (current.session.user.accountId !== integration.accountId) {
      return sendPage(reply, 403, 'Access denied', '<p>This integration belongs to another account.</p>');
    }
    if (formField(request.body, 'decision') !== 'allow') {
      return reply.redirect(withQuery(integration.redirectUri, { error: 'access_denied', client_id: clientId, state }), 303);
    }
    const code = await issueAuthorizationCode(app.store.repos, integration, current.session.user.id, app.clock());
    const account = await accountOf(app.store.repos, integration.accountId);
    const referer = refererHost(request, account.subdomain);
    return reply.redirect(withQuery(integration.redirectUri, { code, state, referer, client_id: clientId }), 303);
  });

  app.post(
    '/oauth2/access_token',
    { config: { public: true }, schema: { summary: 'Exchanges an authorization code or a refresh token for tokens', tags: ['kommo'] } },
    async (request, reply) => {
      await app.authFailures.assertAllowed(request.ip);
      const pair = await grant(request).catch(async (error: unknown) => {
        if (error instanceof OAuthError && error.failure === 'invalid_client') await app.authFailures.recordFailure(request.ip);
        throw error;
      });
      return reply.header('cache-control', 'no-store').send({
        token_type: 'Bearer',
        expires_in: pair.expiresIn,
        server_time: pair.serverTime,
        access_token: pair.accessToken,
        refresh_token: pair.refreshToken,
      });
    },
  );
};

async function grant(request: FastifyRequest): Promise<TokenPair> {
  const { store, clock } = request.server;
  const body = request.body;
  const client: ClientCredentials = {
    clientId: required(body, 'client_id'),
    clientSecret: required(body, 'client_secret'),
    redirectUri: formField(body, 'redirect_uri') || undefined,
  };
  switch (formField(body, 'grant_type')) {
    case 'authorization_code': {
      const code = required(body, 'code');
      return store.transaction((repos) => exchangeAuthorizationCode(repos, client, code, clock()));
    }
    case 'refresh_token': {
      const refreshToken = required(body, 'refresh_token');
      return store.transaction((repos) => refreshTokenPair(repos, client, refreshToken, clock()));
    }
    default:
      throw new OAuthError('invalid_request', 'Check the "grant_type" parameter');
  }
}

function required(body: unknown, name: string): string {
  const value = formField(body, name);
  if (!value) throw new OAuthError('invalid_request', `Check the "${name}" parameter`);
  return value;
}

function withQuery(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

/** Kommo names the account's host: `{subdomain}.{host}`, unless the request already came to it. */
function refererHost(request: FastifyRequest, subdomain: string): string {
  return request.host.startsWith(`${subdomain}.`) ? request.host : `${subdomain}.${request.host}`;
}
