import { STATUS_CODES } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { DEFAULT_BODY_LIMIT } from '../../src/server/app.js';

/** Every refusal of a body is a Kommo problem document with a 4xx status, never a 500. */
function badRequest(detail: string, status = 400) {
  return { title: STATUS_CODES[status], type: `https://httpstatus.es/${status}`, status, detail };
}

describe('request bodies', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  const post = (payload: string | Buffer, contentType = 'application/json') =>
    test.app.inject({ method: 'POST', url: '/api/v4/integrations', headers: { ...test.auth, 'content-type': contentType }, payload });
  const valid = JSON.stringify({ name: 'Parsed', redirect_uri: 'https://parsed.example.test/' });

  it('accepts a well-formed JSON body', async () => {
    expect((await post(valid)).statusCode).toBe(201);
  });

  it('accepts an application/*+json media type as JSON', async () => {
    expect((await post(valid, 'application/merge-patch+json')).statusCode).toBe(201);
  });

  it('refuses a body larger than the limit with 413', async () => {
    const response = await post(`{"name":"${'x'.repeat(DEFAULT_BODY_LIMIT)}"}`);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual(badRequest('Request body is too large', 413));
  });

  it('refuses JSON nested deeper than 64 levels with 400', async () => {
    const response = await post(`${'['.repeat(65)}${']'.repeat(65)}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json()).toEqual(badRequest('Request body is nested deeper than 64 levels'));
  });

  it('refuses pathologically deep JSON without crashing', async () => {
    const response = await post(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
    expect(response.statusCode).toBe(400);
  });

  it('does not count brackets inside strings as nesting', async () => {
    const response = await post(JSON.stringify({ name: '['.repeat(100), redirect_uri: 'https://brackets.example.test/' }));
    expect(response.statusCode).toBe(201);
  });

  it('refuses a string longer than 65536 characters with 400', async () => {
    const response = await post(JSON.stringify({ name: 'x'.repeat(65_537), redirect_uri: 'https://long.example.test/' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(badRequest('Request body has a string longer than 65536 characters'));
  });

  it('refuses broken JSON with 400', async () => {
    const response = await post('{"name": "unterminated');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(badRequest('Request body is not valid JSON'));
  });

  it('refuses invalid UTF-8 with 400', async () => {
    const response = await post(Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(badRequest('Request body is not valid UTF-8'));
  });

  it('refuses a prototype-poisoning body with 400', async () => {
    const response = await post('{"__proto__": {"admin": true}}');
    expect(response.statusCode).toBe(400);
  });

  it('refuses a body in another media type with 415', async () => {
    const response = await post(valid, 'text/plain');
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual(badRequest('Unsupported Content-Type; send application/json', 415));
  });
});
