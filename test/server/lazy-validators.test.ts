import AjvCompiler from '@fastify/ajv-compiler';
import { describe, expect, it } from 'vitest';
import { lazyValidators } from '../../src/server/lazy-validators.js';

const OPTIONS = { customOptions: {} };
const ROUTE = { method: 'GET', url: '/things/:id', httpPart: 'params' } as const;
const ID_PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } };

describe('validators compiled on first use', () => {
  it('does not compile a schema until its route validates a request', () => {
    const validate = lazyValidators({}, OPTIONS)({ ...ROUTE, schema: { type: 'no such type' } });
    expect(() => validate({ id: 1 })).toThrow(/schema is invalid/);
  });

  it('accepts and refuses what the validator it stands in for does, with the same errors', () => {
    const eager = AjvCompiler()({}, OPTIONS)({ ...ROUTE, schema: ID_PARAMS });
    const lazy = lazyValidators({}, OPTIONS)({ ...ROUTE, schema: ID_PARAMS });
    expect(lazy({ id: 0 })).toBe(false);
    expect(eager({ id: 0 })).toBe(false);
    expect(lazy.errors).toEqual(eager.errors);
    expect(lazy({ id: 7 })).toBe(true);
    expect(lazy.errors).toBeNull();
  });

  it('coerces a value as Fastify’s validator does, through the schemaEnv it reads', () => {
    const lazy = lazyValidators({}, { customOptions: { coerceTypes: 'array' } })({ ...ROUTE, schema: ID_PARAMS });
    expect(lazy.schemaEnv).toBeDefined();
    const params: Record<string, unknown> = { id: '42' };
    expect(lazy(params)).toBe(true);
    expect(params).toEqual({ id: 42 });
  });
});
