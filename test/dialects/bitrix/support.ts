import qs from 'qs';
import type { TestApp } from '../../support/app.js';

export type Encoding = 'json' | 'form' | 'get';
export const ENCODINGS: readonly Encoding[] = ['json', 'form', 'get'];

export interface BitrixAnswer {
  status: number;
  body: Record<string, unknown> & { result?: unknown; error?: string; error_description?: string };
}

/** Calls a method through the demo admin's inbound webhook, in one of the encodings clients use. */
export async function callBitrix(test: TestApp, method: string, params: Record<string, unknown> = {}, encoding: Encoding = 'json'): Promise<BitrixAnswer> {
  const url = `/rest/1/${test.token}/${method}`;
  const response =
    encoding === 'json'
      ? await test.app.inject({ method: 'POST', url, payload: params })
      : encoding === 'form'
        ? await test.app.inject({ method: 'POST', url, payload: qs.stringify(params), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
        : await test.app.inject({ method: 'GET', url: `${url}?${qs.stringify(params)}` });
  return { status: response.statusCode, body: response.json() };
}

/** The `result` of a call that must succeed. */
export async function resultOf<T = unknown>(test: TestApp, method: string, params: Record<string, unknown> = {}, encoding: Encoding = 'json'): Promise<T> {
  const answer = await callBitrix(test, method, params, encoding);
  if (answer.status !== 200 || answer.body.error !== undefined) throw new Error(`${method} failed with ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body.result as T;
}
