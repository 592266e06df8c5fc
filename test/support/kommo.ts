import type { TestApp } from './app.js';

export const HOST = 'crm.kommo.test';
export const BASE = `http://${HOST}`;

export interface KommoResponse {
  status: number;
  type: string | undefined;
  body: unknown;
}

/** A Kommo request as the admin (or the caller whose headers are given), with the body parsed when there is one. */
export async function kommo(test: TestApp, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, auth = test.auth): Promise<KommoResponse> {
  const response = await test.app.inject({
    method,
    url,
    headers: { ...auth, host: HOST },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  const contentType = response.headers['content-type'];
  return { status: response.statusCode, type: typeof contentType === 'string' ? contentType : undefined, body: response.body ? (JSON.parse(response.body) as unknown) : null };
}

/** The validation problem Kommo answers a 400 with. */
export function validationErrors(...items: { request_id: string; errors: { code: string; path: string; detail: string }[] }[]) {
  return { 'validation-errors': items, title: 'Bad Request', type: 'https://httpstatus.es/400', status: 400, detail: 'Request validation failed' };
}

export function problemOf(status: number, title: string, detail: string) {
  return { title, type: `https://httpstatus.es/${status}`, status, detail };
}
