import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uniformRights } from '../../../src/core/access/rights.js';
import { secondAccount, startTestApp, type TestApp } from '../../support/app.js';
import { createUser } from '../../support/access.js';
import { BASE, kommo, problemOf, validationErrors } from '../../support/kommo.js';

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

const call = (method: 'GET' | 'POST', url: string, payload?: unknown, auth = test.auth) => kommo(test, method, url, payload, auth);

async function add(entity: 'leads' | 'contacts' | 'companies', name: string): Promise<number> {
  const response = await call('POST', `/api/v4/${entity}`, [{ name }]);
  expect(response.status).toBe(200);
  return (response.body as { _embedded: Record<string, { id: number }[]> })._embedded[entity]![0]!.id;
}

async function linksOf(entity: string, id: number): Promise<{ to_entity_id: number; to_entity_type: string }[]> {
  const response = await call('GET', `/api/v4/${entity}/${id}/links`);
  if (response.status === 204) return [];
  return (response.body as { _embedded: { links: { to_entity_id: number; to_entity_type: string }[] } })._embedded.links.map(({ to_entity_id, to_entity_type }) => ({ to_entity_id, to_entity_type }));
}

async function linkEvents() {
  const events = await test.store.repos.events.list(1, { types: ['entity_linked', 'entity_unlinked'], offset: 0, limit: 100 });
  // The feed is newest first; these tests read it in the order things happened.
  return events.reverse().map((event) => ({ type: event.type, entityType: event.entityType, entityId: event.entityId, valueBefore: event.valueBefore, valueAfter: event.valueAfter }));
}

const linked = (type: string, id: number) => [{ link: { entity: { type, id } } }];

describe('POST /api/v4/{entity}/{id}/link', () => {
  it('links a lead to a contact and answers with the links made', async () => {
    const lead = await add('leads', 'Deal');
    const contact = await add('contacts', 'Ann');
    const response = await call('POST', `/api/v4/leads/${lead}/link`, [{ to_entity_id: contact, to_entity_type: 'contacts', metadata: { is_main: true } }]);
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/hal+json');
    expect(response.body).toEqual({
      _total_items: 1,
      _links: { self: { href: `${BASE}/api/v4/leads/${lead}/link` } },
      _embedded: { links: [{ entity_id: lead, entity_type: 'leads', to_entity_id: contact, to_entity_type: 'contacts', metadata: { main_contact: true } }] },
    });
  });

  it('makes the link visible from both ends', async () => {
    const lead = await add('leads', 'Deal');
    const company = await add('companies', 'Acme');
    await call('POST', `/api/v4/leads/${lead}/link`, [{ to_entity_id: company, to_entity_type: 'companies' }]);
    expect(await linksOf('leads', lead)).toEqual([{ to_entity_id: company, to_entity_type: 'companies' }]);
    expect(await linksOf('companies', company)).toEqual([{ to_entity_id: lead, to_entity_type: 'leads' }]);
  });

  it('writes an entity_linked event on the linked record', async () => {
    const lead = await add('leads', 'Deal');
    const contact = await add('contacts', 'Ann');
    await call('POST', `/api/v4/leads/${lead}/link`, [{ to_entity_id: contact, to_entity_type: 'contacts' }]);
    expect(await linkEvents()).toEqual([{ type: 'entity_linked', entityType: 'lead', entityId: lead, valueBefore: [], valueAfter: linked('contact', contact) }]);
  });

  it('writes no second event for a link that exists', async () => {
    const lead = await add('leads', 'Deal');
    const contact = await add('contacts', 'Ann');
    await call('POST', `/api/v4/leads/${lead}/link`, [{ to_entity_id: contact, to_entity_type: 'contacts' }]);
    await call('POST', `/api/v4/leads/${lead}/link`, [{ to_entity_id: contact, to_entity_type: 'contacts', metadata: { is_main: true } }]);
    expect(await linkEvents()).toHaveLength(1);
  });

  it('replaces a contact\'s company when another is linked, and records the unlink', async () => {
    const contact = await add('contacts', 'Ann');
    const first = await add('companies', 'Old Co');
    const second = await add('companies', 'New Co');
    await call('POST', `/api/v4/contacts/${contact}/link`, [{ to_entity_id: first, to_entity_type: 'companies' }]);
    expect((await call('POST', `/api/v4/contacts/${contact}/link`, [{ to_entity_id: second, to_entity_type: 'companies' }])).status).toBe(200);
    expect(await linksOf('contacts', contact)).toEqual([{ to_entity_id: second, to_entity_type: 'companies' }]);
    expect(await linksOf('companies', first)).toEqual([]);
    expect((await linkEvents()).map((event) => [event.type, event.entityId])).toEqual([
      ['entity_linked', contact],
      ['entity_unlinked', contact],
      ['entity_linked', contact],
    ]);
  });

  it('replaces a lead\'s company when a company links the lead from its side', async () => {
    const lead = await add('leads', 'Deal');
    const first = await add('companies', 'Old Co');
    const second = await add('companies', 'New Co');
    await call('POST', `/api/v4/leads/${lead}/link`, [{ to_entity_id: first, to_entity_type: 'companies' }]);
    await call('POST', `/api/v4/companies/${second}/link`, [{ to_entity_id: lead, to_entity_type: 'leads' }]);
    expect(await linksOf('leads', lead)).toEqual([{ to_entity_id: second, to_entity_type: 'companies' }]);
  });

  it('refuses two companies for one contact in one request', async () => {
    const contact = await add('contacts', 'Ann');
    const first = await add('companies', 'A');
    const second = await add('companies', 'B');
    const response = await call('POST', `/api/v4/contacts/${contact}/link`, [
      { to_entity_id: first, to_entity_type: 'companies' },
      { to_entity_id: second, to_entity_type: 'companies' },
    ]);
    expect(response.body).toEqual(
      validationErrors({ request_id: '1', errors: [{ code: 'TooMany', path: 'to_entity_id', detail: 'A contact has one linked company; this request links two.' }] }),
    );
  });

  it('names an unknown target by its item and writes nothing', async () => {
    const lead = await add('leads', 'Deal');
    const contact = await add('contacts', 'Ann');
    const response = await call('POST', `/api/v4/leads/${lead}/link`, [
      { to_entity_id: contact, to_entity_type: 'contacts' },
      { to_entity_id: 999999, to_entity_type: 'contacts' },
    ]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      validationErrors({ request_id: '1', errors: [{ code: 'NotSupportedChoice', path: 'to_entity_id', detail: 'The value you selected is not a valid choice.' }] }),
    );
    expect(await linksOf('leads', lead)).toEqual([]);
    expect(await linkEvents()).toEqual([]);
  });

  it('refuses a target type the entity cannot be linked to', async () => {
    const lead = await add('leads', 'Deal');
    const other = await add('leads', 'Other');
    const response = await call('POST', `/api/v4/leads/${lead}/link`, [{ to_entity_id: other, to_entity_type: 'leads' }]);
    expect(response.body).toEqual(
      validationErrors({ request_id: '0', errors: [{ code: 'NotSupportedChoice', path: 'to_entity_type', detail: 'The value you selected is not a valid choice.' }] }),
    );
  });

  it('answers an unknown record in the address with 404', async () => {
    const contact = await add('contacts', 'Ann');
    const response = await call('POST', '/api/v4/leads/999999/link', [{ to_entity_id: contact, to_entity_type: 'contacts' }]);
    expect(response.status).toBe(404);
    expect(response.body).toEqual(problemOf(404, 'Not Found', 'Lead not found'));
  });

  it('refuses a user without the right to edit the record', async () => {
    const lead = await add('leads', 'Deal');
    const contact = await add('contacts', 'Ann');
    const user = await createUser(test, { login: 'viewer', rights: { ...uniformRights('all'), leads: { view: 'all', edit: 'own', add: 'all', delete: 'none' } } });
    const response = await call('POST', `/api/v4/leads/${lead}/link`, [{ to_entity_id: contact, to_entity_type: 'contacts' }], user.auth);
    expect(response.status).toBe(403);
    expect(response.body).toEqual(problemOf(403, 'Forbidden', 'You have no right to edit leads'));
  });

  it('cannot link another account\'s record', async () => {
    const lead = await add('leads', 'Deal');
    const other = await secondAccount(test);
    const response = await call('POST', `/api/v4/companies/${lead}/link`, [{ to_entity_id: lead, to_entity_type: 'leads' }], other.auth);
    expect(response.status).toBe(404);
    expect((await call('POST', `/api/v4/leads/${lead}/link`, [{ to_entity_id: lead, to_entity_type: 'companies' }], other.auth)).status).toBe(404);
  });
});

describe('POST /api/v4/{entity}/{id}/unlink', () => {
  it('unlinks, answers 204 and writes an entity_unlinked event', async () => {
    const company = await add('companies', 'Acme');
    const contact = await add('contacts', 'Ann');
    await call('POST', `/api/v4/companies/${company}/link`, [{ to_entity_id: contact, to_entity_type: 'contacts' }]);
    const response = await call('POST', `/api/v4/companies/${company}/unlink`, [{ to_entity_id: contact, to_entity_type: 'contacts' }]);
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
    expect(await linksOf('contacts', contact)).toEqual([]);
    expect((await linkEvents()).find((event) => event.type === 'entity_unlinked')).toEqual({ type: 'entity_unlinked', entityType: 'company', entityId: company, valueBefore: linked('contact', contact), valueAfter: [] });
  });

  it('writes no event for a link that was not there', async () => {
    const company = await add('companies', 'Acme');
    const contact = await add('contacts', 'Ann');
    expect((await call('POST', `/api/v4/companies/${company}/unlink`, [{ to_entity_id: contact, to_entity_type: 'contacts' }])).status).toBe(204);
    expect(await linkEvents()).toEqual([]);
  });
});

describe('POST /api/v4/{entity}/link and /unlink (mass)', () => {
  it('links several records at once', async () => {
    const [one, two] = [await add('leads', 'One'), await add('leads', 'Two')];
    const contact = await add('contacts', 'Ann');
    const response = await call('POST', '/api/v4/leads/link', [
      { entity_id: one, to_entity_id: contact, to_entity_type: 'contacts' },
      { entity_id: two, to_entity_id: contact, to_entity_type: 'contacts', metadata: { is_main: true } },
    ]);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      _total_items: 2,
      _links: { self: { href: `${BASE}/api/v4/leads/link` } },
      _embedded: {
        links: [
          { entity_id: one, entity_type: 'leads', to_entity_id: contact, to_entity_type: 'contacts', metadata: { main_contact: false } },
          { entity_id: two, entity_type: 'leads', to_entity_id: contact, to_entity_type: 'contacts', metadata: { main_contact: true } },
        ],
      },
    });
    expect(await linksOf('contacts', contact)).toEqual([
      { to_entity_id: one, to_entity_type: 'leads' },
      { to_entity_id: two, to_entity_type: 'leads' },
    ]);
  });

  it('names an unknown entity_id by its item', async () => {
    const lead = await add('leads', 'One');
    const contact = await add('contacts', 'Ann');
    const response = await call('POST', '/api/v4/leads/link', [
      { entity_id: lead, to_entity_id: contact, to_entity_type: 'contacts' },
      { entity_id: 999999, to_entity_id: contact, to_entity_type: 'contacts' },
    ]);
    expect(response.body).toEqual(
      validationErrors({ request_id: '1', errors: [{ code: 'NotSupportedChoice', path: 'entity_id', detail: 'The value you selected is not a valid choice.' }] }),
    );
  });

  it('unlinks several records at once', async () => {
    const [one, two] = [await add('leads', 'One'), await add('leads', 'Two')];
    const contact = await add('contacts', 'Ann');
    const pairs = [one, two].map((lead) => ({ entity_id: lead, to_entity_id: contact, to_entity_type: 'contacts' }));
    await call('POST', '/api/v4/leads/link', pairs);
    expect((await call('POST', '/api/v4/leads/unlink', pairs)).status).toBe(204);
    expect(await linksOf('contacts', contact)).toEqual([]);
  });
});

describe('GET /api/v4/{entity}/{id}/links', () => {
  it('lists a record\'s links in Kommo\'s shape', async () => {
    const contact = await add('contacts', 'Ann');
    const company = await add('companies', 'Acme');
    await call('POST', `/api/v4/contacts/${contact}/link`, [{ to_entity_id: company, to_entity_type: 'companies' }]);
    const response = await call('GET', `/api/v4/contacts/${contact}/links`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      _total_items: 1,
      _links: { self: { href: `${BASE}/api/v4/contacts/${contact}/links` } },
      _embedded: { links: [{ entity_id: contact, entity_type: 'contacts', to_entity_id: company, to_entity_type: 'companies', metadata: { main_contact: false } }] },
    });
  });

  it('filters by one target', async () => {
    const lead = await add('leads', 'Deal');
    const [ann, bob] = [await add('contacts', 'Ann'), await add('contacts', 'Bob')];
    await call('POST', `/api/v4/leads/${lead}/link`, [ann, bob].map((id) => ({ to_entity_id: id, to_entity_type: 'contacts' })));
    const response = await call('GET', `/api/v4/leads/${lead}/links?filter[to_entity_id]=${bob}&filter[to_entity_type]=contacts`);
    expect((response.body as { _embedded: { links: { to_entity_id: number }[] } })._embedded.links.map((link) => link.to_entity_id)).toEqual([bob]);
  });

  it('refuses half a target filter', async () => {
    const lead = await add('leads', 'Deal');
    const response = await call('GET', `/api/v4/leads/${lead}/links?filter[to_entity_id]=5`);
    expect(response.body).toEqual(
      validationErrors({ request_id: '0', errors: [{ code: 'FieldMissing', path: 'filter.to_entity_type', detail: 'This field is missing.' }] }),
    );
  });

  it('answers 204 for a record without links', async () => {
    const lead = await add('leads', 'Deal');
    expect(await call('GET', `/api/v4/leads/${lead}/links`)).toMatchObject({ status: 204, body: null });
  });

  it('answers 404 for another account\'s record', async () => {
    const lead = await add('leads', 'Deal');
    const other = await secondAccount(test);
    expect((await call('GET', `/api/v4/leads/${lead}/links`, undefined, other.auth)).status).toBe(404);
  });
});

describe('GET /api/v4/{entity}/links', () => {
  it('lists the links of many records at once', async () => {
    const first = await add('leads', 'First');
    const second = await add('leads', 'Second');
    const contact = await add('contacts', 'Ann');
    await call('POST', '/api/v4/leads/link', [
      { entity_id: first, to_entity_id: contact, to_entity_type: 'contacts' },
      { entity_id: second, to_entity_id: contact, to_entity_type: 'contacts' },
    ]);
    const response = await call('GET', `/api/v4/leads/links?filter[entity_id][]=${first}&filter[entity_id][]=${second}`);
    expect(response.status).toBe(200);
    const links = (response.body as { _embedded: { links: { entity_id: number; to_entity_id: number }[] } })._embedded.links;
    expect(links.map((link) => [link.entity_id, link.to_entity_id])).toEqual([
      [first, contact],
      [second, contact],
    ]);
  });

  it('answers 204 when none of the records has a link', async () => {
    const lead = await add('leads', 'Alone');
    expect((await call('GET', `/api/v4/leads/links?filter[entity_id]=${lead}`)).status).toBe(204);
  });

  it('refuses a request without entity ids', async () => {
    expect((await call('GET', '/api/v4/leads/links?filter[entity_id]=abc')).status).toBe(400);
  });
});
