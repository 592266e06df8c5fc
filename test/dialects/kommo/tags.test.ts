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

interface TagJson {
  id: number;
  name: string;
  color: string | null;
  request_id?: string;
}

const call = (method: 'GET' | 'POST', url: string, payload?: unknown, auth = test.auth) => kommo(test, method, url, payload, auth);

async function addTags(entity: string, tags: unknown[]): Promise<TagJson[]> {
  const response = await call('POST', `/api/v4/${entity}/tags`, tags);
  expect(response.status).toBe(200);
  return (response.body as { _embedded: { tags: TagJson[] } })._embedded.tags;
}

async function tagNames(query: string): Promise<string[]> {
  const response = await call('GET', `/api/v4/leads/tags?${query}`);
  return response.status === 204 ? [] : (response.body as { _embedded: { tags: TagJson[] } })._embedded.tags.map((tag) => tag.name);
}

describe('POST /api/v4/{entity}/tags', () => {
  it('adds tags and echoes their request ids, the index when none was sent', async () => {
    const response = await call('POST', '/api/v4/leads/tags', [{ name: 'VIP' }, { name: 'Hot', color: 'd0d0d0', request_id: 'mine' }]);
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/hal+json');
    expect(response.body).toEqual({
      _total_items: 2,
      _embedded: {
        tags: [
          { id: expect.any(Number), name: 'VIP', color: null, request_id: '0' },
          { id: expect.any(Number), name: 'Hot', color: 'D0D0D0', request_id: 'mine' },
        ],
      },
    });
  });

  it('gives back the existing tag for a name that exists', async () => {
    const [first] = await addTags('leads', [{ name: 'VIP', color: 'EBEBEB' }]);
    const [again] = await addTags('leads', [{ name: 'VIP' }]);
    expect(again).toEqual({ ...first, request_id: '0' });
  });

  it('gives one tag for a name repeated in one request', async () => {
    const [one, two] = await addTags('leads', [{ name: 'Twice' }, { name: 'Twice' }]);
    expect(two!.id).toBe(one!.id);
  });

  it('keeps tag ids per entity type', async () => {
    const [lead] = await addTags('leads', [{ name: 'Shared' }]);
    const [contact] = await addTags('contacts', [{ name: 'Shared' }]);
    expect(contact!.id).not.toBe(lead!.id);
    expect(await call('GET', '/api/v4/companies/tags')).toMatchObject({ status: 204 });
  });

  it('refuses a blank name and a colour outside the palette', async () => {
    const response = await call('POST', '/api/v4/leads/tags', [{ name: '  ' }, { name: 'Red', color: 'FF0000' }]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      validationErrors(
        { request_id: '0', errors: [{ code: 'NotBlank', path: 'name', detail: 'This value should not be blank.' }] },
        { request_id: '1', errors: [{ code: 'NotSupportedChoice', path: 'color', detail: 'The value you selected is not a valid choice.' }] },
      ),
    );
    expect(await tagNames('')).toEqual([]);
  });

  it('answers more than 250 tags in one request with 422', async () => {
    const response = await call('POST', '/api/v4/leads/tags', Array.from({ length: 251 }, (_, index) => ({ name: `T${index}` })));
    expect(response.status).toBe(422);
    expect(response.body).toEqual(problemOf(422, 'Unprocessable Entity', 'Limit 250 per page'));
  });

  it('refuses a user who may not edit the entity', async () => {
    const user = await createUser(test, { login: 'viewer', rights: { ...uniformRights('all'), contacts: { view: 'all', edit: 'none', add: 'none', delete: 'none' } } });
    const response = await call('POST', '/api/v4/contacts/tags', [{ name: 'Mine' }], user.auth);
    expect(response.status).toBe(403);
    expect(response.body).toEqual(problemOf(403, 'Forbidden', 'You have no right to edit contacts'));
  });
});

describe('GET /api/v4/{entity}/tags', () => {
  it('lists the tags of the entity type with HAL paging', async () => {
    const [alpha, beta] = await addTags('leads', [{ name: 'Alpha' }, { name: 'Beta', color: 'C7DB8C' }, { name: 'Gamma' }]);
    const response = await call('GET', '/api/v4/leads/tags?limit=2');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      _page: 1,
      _links: {
        self: { href: `${BASE}/api/v4/leads/tags?limit=2&page=1` },
        next: { href: `${BASE}/api/v4/leads/tags?limit=2&page=2` },
      },
      _embedded: {
        tags: [
          { id: alpha!.id, name: 'Alpha', color: null },
          { id: beta!.id, name: 'Beta', color: 'C7DB8C' },
        ],
      },
    });
    expect(await tagNames('limit=2&page=2')).toEqual(['Gamma']);
  });

  it('answers 204 with no body when there are no tags', async () => {
    const response = await call('GET', '/api/v4/leads/tags');
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('filters by exact name', async () => {
    await addTags('leads', [{ name: 'Gold' }, { name: 'Golden' }]);
    expect(await tagNames('filter[name]=Gold')).toEqual(['Gold']);
  });

  it('filters by one id or by several', async () => {
    const [one, , three] = await addTags('leads', [{ name: 'One' }, { name: 'Two' }, { name: 'Three' }]);
    expect(await tagNames(`filter[id]=${one!.id}`)).toEqual(['One']);
    expect(await tagNames(`filter[id][]=${one!.id}&filter[id][]=${three!.id}`)).toEqual(['One', 'Three']);
  });

  it('refuses an id filter that is not a number', async () => {
    const response = await call('GET', '/api/v4/leads/tags?filter[id]=abc');
    expect(response.body).toEqual(
      validationErrors({ request_id: '0', errors: [{ code: 'InvalidType', path: 'filter.id', detail: 'This value should be of type int.' }] }),
    );
  });

  it('searches a part of the name with query', async () => {
    await addTags('leads', [{ name: 'Gold' }, { name: 'Golden' }, { name: 'Silver' }]);
    expect(await tagNames('query=old')).toEqual(['Gold', 'Golden']);
  });

  it('refuses a limit over 250', async () => {
    expect((await call('GET', '/api/v4/leads/tags?limit=251')).status).toBe(400);
  });

  it('refuses a user who may not view the entity', async () => {
    const user = await createUser(test, { login: 'blind', rights: uniformRights('none') });
    expect((await call('GET', '/api/v4/leads/tags', undefined, user.auth)).status).toBe(403);
  });

  it('never shows one account\'s tags to another', async () => {
    await addTags('leads', [{ name: 'Private' }]);
    const other = await secondAccount(test);
    expect((await call('GET', '/api/v4/leads/tags', undefined, other.auth)).status).toBe(204);
  });
});
