import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { BACKEND } from '../support/backend.js';
import { adminBasic } from '../support/basic-auth.js';
import { callBitrix } from '../dialects/bitrix/support.js';

const BUSY = 'The store is busy with other writes; nothing was written, try again';
// Each request waits out busy_timeout (5 s) before it is refused.
const WAIT = { timeout: 20_000 };

/**
 * Runs `request` while another process (the CLI, a second worker) holds the SQLite write lock for longer
 * than the server waits for it.
 */
async function whileAnotherProcessWrites<T>(test: TestApp, request: () => Promise<T>): Promise<T> {
  const other = new SQLite(join(test.location.where, 'fieldwork.sqlite'));
  other.prepare('begin immediate').run();
  try {
    return await request();
  } finally {
    other.prepare('rollback').run();
    other.close();
  }
}

describe.runIf(BACKEND === 'sqlite')('a write that cannot get the store in time', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('answers Kommo clients 503 with Retry-After and writes nothing', WAIT, async () => {
    const response = await whileAnotherProcessWrites(test, () =>
      test.app.inject({ method: 'POST', url: '/api/v4/leads', headers: test.auth, payload: [{ name: 'Waited too long' }] }),
    );
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json()).toEqual({ title: 'Service Unavailable', type: 'https://httpstatus.es/503', status: 503, detail: BUSY, retry_after: 1 });
    const listed = await test.app.inject({ method: 'GET', url: '/api/v4/leads', headers: test.auth });
    expect(listed.statusCode).toBe(204);
  });

  it('answers Bitrix24 clients QUERY_LIMIT_EXCEEDED, which their SDKs retry', WAIT, async () => {
    const answer = await whileAnotherProcessWrites(test, () => callBitrix(test, 'crm.lead.add', { fields: { TITLE: 'Waited too long' } }));
    expect(answer).toEqual({ status: 503, body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: BUSY } });
  });

  it('answers MiaRec clients 503 in their error shape', WAIT, async () => {
    const response = await whileAnotherProcessWrites(test, () =>
      test.app.inject({ method: 'POST', url: '/api/v2/custom_fields.json', headers: adminBasic(test), payload: { custom_field: { name: 'Waited too long', type: 'option', options: ['A', 'B'], enable: true, editable: true } } }),
    );
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json()).toEqual({ error: 'ServiceUnavailable', description: BUSY });
  });

  it('answers Envoke clients 503 in their envelope', WAIT, async () => {
    const response = await whileAnotherProcessWrites(test, () =>
      test.app.inject({ method: 'POST', url: '/v2/customfields', headers: adminBasic(test), payload: { name: 'waited_too_long', field_type: 'text' } }),
    );
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json()).toEqual({ success: false, result_text: 'Service unavailable', result_data: { errors: [BUSY] } });
  });
});
