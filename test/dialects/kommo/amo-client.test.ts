import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Amo } from '@shevernitskiy/amo';
import { startTestApp, type TestApp } from '../../support/app.js';

/**
 * @shevernitskiy/amo always calls https://<domain>; the harness sends its requests to the test server
 * instead. The server itself is untouched: this is the only redirect.
 */
const CLIENT_DOMAIN = 'fieldwork-demo.amocrm.test';

/**
 * The client turns Kommo's 204 into its NoContentError, but it is compiled to ES5, where a subclass of
 * Error loses its prototype and `instanceof` fails; its message says what it is.
 */
function isNoContent(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('204 No Content');
}

describe('the @shevernitskiy/amo client against a started server', () => {
  let test: TestApp;
  let amo: Amo;
  const realFetch = globalThis.fetch;

  beforeAll(async () => {
    test = await startTestApp();
    const origin = await test.app.listen({ port: 0, host: '127.0.0.1' });
    globalThis.fetch = (input, init) => realFetch(String(input).replace(`https://${CLIENT_DOMAIN}`, origin), init);
    amo = new Amo(
      CLIENT_DOMAIN,
      {
        client_id: 'unused',
        client_secret: 'unused',
        redirect_uri: 'https://example.test',
        token_type: 'Bearer',
        expires_in: 86400,
        access_token: test.token,
        refresh_token: 'unused',
        expires_at: Date.now() + 86_400_000,
      },
      { request_delay: 0 },
    );
  });
  afterAll(async () => {
    globalThis.fetch = realFetch;
    await test.close();
  });

  it('runs a realistic integration: fields, pipelines, leads, updates, filtered paging, get and complex add', async () => {
    const account = await amo.account.getAccount();
    expect(account.subdomain).toBe('demo');

    const created = await amo.custom_fields.addCustomFields('leads', [
      { name: 'Client type', type: 'select', enums: [{ value: 'New', sort: 1 }, { value: 'Regular', sort: 2 }] },
      { name: 'Website', type: 'url' },
    ] as never);
    // The client's typings call an option's id `enum_id`; Kommo (and Fieldwork) answer with `id`.
    const [clientType, website] = created._embedded.custom_fields as unknown as { id: number; enums: { id: number; value: string }[] }[];
    const regular = clientType!.enums.find((option) => option.value === 'Regular')!;

    const pipelines = await amo.pipeline.getPipelines();
    const pipeline = pipelines._embedded.pipelines.find((candidate) => candidate.is_main)!;
    const working = pipeline._embedded.statuses.filter((status) => status.type === 0 && status.id !== 142 && status.id !== 143);

    const added = await amo.lead.addLeads(Array.from({ length: 7 }, (_, index) => ({ name: `Lead ${index + 1}`, price: (index + 1) * 100 })));
    const ids = added._embedded.leads!.map((lead) => lead.id!);
    expect(ids).toHaveLength(7);

    const updated = await amo.lead.updateLeads(
      ids.slice(0, 4).map((id) => ({
        id,
        status_id: working[1]!.id,
        pipeline_id: pipeline.id,
        custom_fields_values: [
          { field_id: clientType!.id, values: [{ enum_id: regular.id }] },
          { field_id: website!.id, values: [{ value: 'https://fieldwork.example/deal' }] },
        ],
      })) as never,
    );
    expect(updated._embedded.leads.map((lead) => lead.id)).toEqual(ids.slice(0, 4));

    const seen: number[] = [];
    for (let page = 1; ; page += 1) {
      try {
        const found = await amo.lead.getLeads({
          page,
          limit: 3,
          filter: (filter) => filter.custom_field(clientType!.id, regular.id).statuses([[pipeline.id, working[1]!.id]]),
        });
        seen.push(...found._embedded.leads.map((lead) => lead.id));
        if (!found._links.next) break;
      } catch (error) {
        if (isNoContent(error)) break;
        throw error;
      }
    }
    expect(seen).toEqual(ids.slice(0, 4));

    const one = await amo.lead.getLeadById(ids[0]!);
    expect(one.custom_fields_values).toEqual([
      { field_id: clientType!.id, field_name: 'Client type', field_code: null, field_type: 'select', values: [{ value: 'Regular', enum_id: regular.id, enum_code: null }] },
      { field_id: website!.id, field_name: 'Website', field_code: null, field_type: 'url', values: [{ value: 'https://fieldwork.example/deal' }] },
    ]);

    const complex = await amo.lead.addComplex([
      {
        name: 'Complex lead',
        _embedded: {
          contacts: [{ first_name: 'Grace', custom_fields_values: [{ field_code: 'EMAIL', values: [{ value: 'grace@example.test', enum_code: 'WORK' }] }] }],
          companies: [{ name: 'Navy' }],
        },
      },
    ] as never);
    expect(complex).toEqual([{ id: expect.any(Number), contact_id: expect.any(Number), company_id: expect.any(Number), request_id: ['0'], merged: false }]);

    const missing = await amo.lead.getLeadById(999_999).catch((error: unknown) => error);
    expect(isNoContent(missing)).toBe(true);
  });

  it('adds a user through the client and reads them back by id', async () => {
    const added = await amo.user.addUsers([
      { name: 'Olga', email: 'olga@example.test', password: 'correct-horse-battery', rights: { leads: { view: 'M', edit: 'M' } }, request_id: 'olga' },
    ] as never);
    const [olga] = added._embedded.users;
    expect(olga).toMatchObject({ name: 'Olga', email: 'olga@example.test', request_id: 'olga' });
    const read = await amo.user.getUserById(olga!.id);
    expect(read.rights.leads).toEqual({ view: 'M', edit: 'M', add: 'A', delete: 'A', export: 'M' });
  });
});
