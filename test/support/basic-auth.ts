import type { TestApp } from './app.js';
import type { TestUser } from './access.js';

/** An `Authorization: Basic` header: a user's login with an API token as the password (MiaRec, Envoke). */
export function basicAuth(login: string, secret: string): { authorization: string } {
  return { authorization: `Basic ${Buffer.from(`${login}:${secret}`).toString('base64')}` };
}

/** The demo admin (`admin`) with the demo token. */
export function adminBasic(test: TestApp): { authorization: string } {
  return basicAuth('admin', test.token);
}

/** A user made by `createUser`, with the token it was given. */
export function userBasic(user: TestUser): { authorization: string } {
  return basicAuth(user.user.login, user.auth.authorization.replace(/^Bearer /, ''));
}

export interface JsonResponse {
  status: number;
  body: unknown;
  headers: Record<string, unknown>;
}

/** A request through the app with the given headers, and its body parsed when there is one. */
export async function jsonRequest(test: TestApp, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload: unknown, headers: Record<string, string>): Promise<JsonResponse> {
  const response = await test.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: response.statusCode, body: response.body ? (JSON.parse(response.body) as unknown) : null, headers: response.headers };
}
