import { STATUS_CODES } from 'node:http';

/** RFC 7807 problem documents as Kommo writes them, with its `httpstatus.es` type URLs. */
export interface Problem {
  title: string;
  type: string;
  status: number;
  detail: string;
  [extra: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const HAL_CONTENT_TYPE = 'application/hal+json';

export function problem(status: number, detail: string, extra: Record<string, unknown> = {}): Problem {
  return { title: STATUS_CODES[status] ?? 'Error', type: `https://httpstatus.es/${status}`, status, detail, ...extra };
}
