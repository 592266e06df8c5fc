import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

describe('the HTTP app', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('answers /healthz with 200 when the store answers', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('gives every response a request id header', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a well-formed request id sent by the caller', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-42' } });
    expect(response.headers['x-request-id']).toBe('trace-42');
  });

  it('answers an unknown route with Kommo\'s 404 problem document', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/nowhere', headers: { host: 'demo.example.test' } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json()).toEqual({
      title: 'Not Found',
      type: 'https://httpstatus.es/404',
      status: 404,
      detail: 'Cannot GET http://demo.example.test/nowhere',
    });
  });

  it('answers a known path with a wrong method with a 405 problem document', async () => {
    const response = await test.app.inject({ method: 'DELETE', url: '/api/v4/account', headers: test.auth });
    expect(response.statusCode).toBe(405);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json()).toEqual({
      title: 'Method Not Allowed',
      type: 'https://httpstatus.es/405',
      status: 405,
      detail: 'Method Not Allowed',
    });
  });

  it('serves an OpenAPI 3.1 document that lists the routes', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json() as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/healthz', '/api/v4/account']));
  });

  it('serves the docs UI at /docs', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
  });
});
