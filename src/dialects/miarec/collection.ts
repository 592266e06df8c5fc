/**
 * MiaRec collections: `limit` (20 by default, at most 1000) and `start` as an offset. The answer
 * carries `next_url`, null on the last page, and `total` only on the last page, because the server
 * reads one row more than asked to learn whether there is more rather than counting.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { issue } from '../../core/fields/issues.js';
import type { ErrorItem } from '../../core/errors.js';
import { invalidRequest } from './errors.js';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

/** The query parameters of every collection, for the routes' schemas; `parsePaging` reads them. */
export const PAGING_QUERY = {
  limit: Type.Optional(Type.String({ description: 'Rows per page, at most 1000 (20 by default)' })),
  start: Type.Optional(Type.String({ description: 'Offset of the first row' })),
};

export interface Paging {
  start: number;
  limit: number;
}

export function parsePaging(query: Record<string, unknown>): Paging {
  const errors: ErrorItem[] = [];
  const integer = (key: string, fallback: number, min: number, max: number): number => {
    const raw = query[key];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (typeof raw !== 'string' || !Number.isInteger(value)) errors.push(issue.invalidType(key, 'int'));
    else if (value < min || value > max) errors.push(issue.outOfRange(key, min, max));
    return value;
  };
  const paging = { start: integer('start', 0, 0, Number.MAX_SAFE_INTEGER), limit: integer('limit', DEFAULT_LIMIT, 1, MAX_LIMIT) };
  if (errors.length > 0) throw invalidRequest(errors);
  return paging;
}

/** The page of `rows` (read with one row to spare) under `key`, with `next_url` and, on the last page, `total`. */
export function collectionPage<T>(request: FastifyRequest, key: string, rows: readonly T[], paging: Paging): Record<string, unknown> {
  const items = rows.slice(0, paging.limit);
  if (rows.length <= paging.limit) return { [key]: items, next_url: null, total: paging.start + items.length };
  const [path, search = ''] = request.url.split('?');
  const params = new URLSearchParams(search);
  params.set('start', String(paging.start + paging.limit));
  return { [key]: items, next_url: `${path ?? ''}?${params.toString()}` };
}
