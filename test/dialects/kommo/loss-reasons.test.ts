import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secondAccount, startTestApp, type TestApp } from '../../support/app.js';
import { createUser } from '../../support/access.js';
import { BASE, kommo, problemOf, validationErrors } from '../../support/kommo.js';

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

interface LossReasonJson {
  id: number;
  name: string;
  sort: number;
  request_id?: string;
}

const NOT_FOUND = { title: 'Not Found', type: 'https://httpstatus.es/404', status: 404, detail: 'Loss reason not found' };

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, auth = test.auth) => kommo(test, method, url, payload, auth);

async function addReasons(reasons: unknown[]): Promise<LossReasonJson[]> {
  const response = await call('POST', '/api/v4/leads/loss_reasons', reasons);
  expect(response.status).toBe(200);
  return (response.body as { _embedded: { loss_reasons: LossReasonJson[] } })._embedded.loss_reasons;
}

describe('/api/v4/leads/loss_reasons', () => {
  it('adds loss reasons, sorting those without a sort after the last', async () => {
    const response = await call('POST', '/api/v4/leads/loss_reasons', [{ name: 'Too expensive', sort: 10 }, { name: 'Went silent', request_id: 'q' }]);
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/hal+json');
    const reasons = (response.body as { _embedded: { loss_reasons: LossReasonJson[] } })._embedded.loss_reasons;
    expect(response.body).toEqual({
      _total_items: 2,
      _links: { self: { href: `${BASE}/api/v4/leads/loss_reasons` } },
      _embedded: {
        loss_reasons: reasons.map((reason, index) => ({
          id: reason.id,
          name: ['Too expensive', 'Went silent'][index],
          sort: [10, 11][index],
          created_at: expect.any(Number),
          updated_at: expect.any(Number),
          request_id: ['0', 'q'][index],
          _links: { self: { href: `${BASE}/api/v4/leads/loss_reasons/${reason.id}` } },
        })),
      },
    });
  });

  it('lists the loss reasons by sort', async () => {
    await addReasons([{ name: 'B', sort: 20 }, { name: 'A', sort: 10 }]);
    const response = await call('GET', '/api/v4/leads/loss_reasons');
    expect(response.status).toBe(200);
    const body = response.body as { _total_items: number; _embedded: { loss_reasons: LossReasonJson[] } };
    expect(body._total_items).toBe(2);
    expect(body._embedded.loss_reasons.map((reason) => reason.name)).toEqual(['A', 'B']);
  });

  it('answers 204 when there are no loss reasons', async () => {
    const response = await call('GET', '/api/v4/leads/loss_reasons');
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('returns one loss reason', async () => {
    const [reason] = await addReasons([{ name: 'Chose a rival' }]);
    const response = await call('GET', `/api/v4/leads/loss_reasons/${reason!.id}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ...reason, request_id: undefined });
  });

  it('answers an unknown loss reason with Kommo\'s 404', async () => {
    const response = await call('GET', '/api/v4/leads/loss_reasons/999999');
    expect(response.status).toBe(404);
    expect(response.type).toBe('application/problem+json');
    expect(response.body).toEqual(NOT_FOUND);
  });

  it('deletes a loss reason', async () => {
    const [reason] = await addReasons([{ name: 'Gone' }]);
    const response = await call('DELETE', `/api/v4/leads/loss_reasons/${reason!.id}`);
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
    expect((await call('GET', `/api/v4/leads/loss_reasons/${reason!.id}`)).status).toBe(404);
  });

  it('answers a delete of an unknown loss reason with 404', async () => {
    const response = await call('DELETE', '/api/v4/leads/loss_reasons/999999');
    expect(response.status).toBe(404);
    expect(response.body).toEqual(NOT_FOUND);
  });

  it('refuses a loss reason without a name', async () => {
    const response = await call('POST', '/api/v4/leads/loss_reasons', [{ sort: 1 }]);
    expect(response.body).toEqual(validationErrors({ request_id: '0', errors: [{ code: 'FieldMissing', path: 'name', detail: 'This field is missing.' }] }));
  });

  it('refuses changes from a user who is not an administrator', async () => {
    const [reason] = await addReasons([{ name: 'Kept' }]);
    const user = await createUser(test, { login: 'manager' });
    const added = await call('POST', '/api/v4/leads/loss_reasons', [{ name: 'Mine' }], user.auth);
    expect(added.status).toBe(403);
    expect(added.body).toEqual(problemOf(403, 'Forbidden', 'Only administrators can change loss reasons'));
    expect((await call('DELETE', `/api/v4/leads/loss_reasons/${reason!.id}`, undefined, user.auth)).status).toBe(403);
    expect((await call('GET', '/api/v4/leads/loss_reasons', undefined, user.auth)).status).toBe(200);
  });

  it('never shows or deletes one account\'s loss reason from another', async () => {
    const [reason] = await addReasons([{ name: 'Private' }]);
    const other = await secondAccount(test);
    expect((await call('GET', `/api/v4/leads/loss_reasons/${reason!.id}`, undefined, other.auth)).status).toBe(404);
    expect((await call('DELETE', `/api/v4/leads/loss_reasons/${reason!.id}`, undefined, other.auth)).status).toBe(404);
    expect((await call('GET', `/api/v4/leads/loss_reasons/${reason!.id}`)).status).toBe(200);
  });
});
