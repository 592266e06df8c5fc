import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import { resumeSession, signIn, SESSION_LIFETIME, type Session } from '../core/access/sessions.js';
import { escapeHtml, hiddenInputs, sendPage } from './html.js';

export const SESSION_COOKIE = 'fieldwork_session';
const SIGN_IN_PATH = '/oauth/login';

export interface CurrentSession {
  session: Session;
  /** The cookie's secret, from which forms derive their anti-forgery token. */
  secret: string;
}

export async function currentSession(request: FastifyRequest): Promise<CurrentSession | null> {
  const secret = request.cookies[SESSION_COOKIE];
  if (!secret) return null;
  const session = await resumeSession(request.server.store.repos, secret, request.server.clock());
  return session ? { session, secret } : null;
}

/** Where a page that needs a signed-in user sends a visitor, to come back to `returnTo` afterwards. */
export function signInUrl(returnTo: string, subdomain?: string): string {
  const query = new URLSearchParams({ return_to: returnTo, ...(subdomain ? { account: subdomain } : {}) });
  return `${SIGN_IN_PATH}?${query.toString()}`;
}

/** Form fields as strings, whether the form came urlencoded or as JSON. */
export function formField(body: unknown, name: string): string {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}

/** Only paths of this server, never `//elsewhere`, so signing in cannot redirect to another site. */
function safeReturnPath(candidate: string): string {
  return /^\/(?![/\\])/.test(candidate) ? candidate : SIGN_IN_PATH;
}

/** Users sign in with their account's subdomain, login and password; the session lives in a cookie. */
export const signInRoutes: FastifyPluginAsync = async (app) => {
  await app.register(formbody);

  app.get<{ Querystring: { return_to?: string; account?: string } }>(
    SIGN_IN_PATH,
    { config: { public: true }, schema: { hide: true } },
    async (request, reply) => {
      const current = await currentSession(request);
      if (current) {
        return sendPage(
          reply,
          200,
          'Signed in',
          `<p>Signed in as ${escapeHtml(current.session.user.login)}.</p>` +
            `<form method="post" action="/oauth/logout"><button type="submit">Sign out</button></form>`,
        );
      }
      return sendSignInForm(reply, 200, request.query.account ?? '', safeReturnPath(request.query.return_to ?? ''), '');
    },
  );

  app.post(SIGN_IN_PATH, { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const subdomain = formField(request.body, 'account');
    const returnTo = safeReturnPath(formField(request.body, 'return_to'));
    await app.authFailures.assertAllowed(request.ip);
    const signedIn = await signIn(
      app.store.repos,
      { subdomain, login: formField(request.body, 'login'), password: formField(request.body, 'password') },
      app.clock(),
    );
    if (!signedIn) {
      await app.authFailures.recordFailure(request.ip);
      return sendSignInForm(reply, 401, subdomain, returnTo, 'Wrong account, login or password.');
    }
    reply.setCookie(SESSION_COOKIE, signedIn.sessionSecret, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
      maxAge: SESSION_LIFETIME,
    });
    return reply.redirect(returnTo, 303);
  });

  app.post('/oauth/logout', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const current = await currentSession(request);
    if (current) await app.store.repos.tokens.revoke(current.session.user.accountId, current.session.tokenId, app.clock());
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect(SIGN_IN_PATH, 303);
  });
};

function sendSignInForm(reply: FastifyReply, status: number, subdomain: string, returnTo: string, message: string): FastifyReply {
  return sendPage(
    reply,
    status,
    'Sign in to Fieldwork',
    (message ? `<p role="alert">${escapeHtml(message)}</p>` : '') +
      `<form method="post" action="${SIGN_IN_PATH}">${hiddenInputs({ return_to: returnTo })}` +
      `<label>Account <input name="account" value="${escapeHtml(subdomain)}" required></label>` +
      '<label>Login <input name="login" autocomplete="username" required></label>' +
      '<label>Password <input name="password" type="password" autocomplete="current-password" required></label>' +
      '<button type="submit">Sign in</button></form>',
  );
}
