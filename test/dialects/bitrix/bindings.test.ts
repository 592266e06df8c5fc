import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { callBitrix, resultOf } from './support.js';

let test: TestApp;
beforeAll(async () => {
  test = await startTestApp();
});
afterAll(() => test.close());

describe('crm.lead.contact.*', () => {
  const contact = (name: string) => resultOf<number>(test, 'crm.contact.add', { fields: { NAME: name } });
  const lead = (fields: Record<string, unknown> = {}) => resultOf<number>(test, 'crm.lead.add', { fields: { TITLE: 'Bound', ...fields } });
  const items = (id: number) => resultOf<unknown[]>(test, 'crm.lead.contact.items.get', { id });
  const kommoContacts = async (id: number) => {
    const response = await test.app.inject({ method: 'GET', url: `/api/v4/leads/${id}?with=contacts`, headers: test.auth });
    const embedded = (response.json() as { _embedded: { contacts: { id: number; is_main: boolean }[] } })._embedded.contacts;
    return embedded.map((linked) => ({ id: linked.id, is_main: linked.is_main })).sort((a, b) => a.id - b.id);
  };

  it('describes its fields as Bitrix24 does', async () => {
    expect(await resultOf(test, 'crm.lead.contact.fields')).toEqual({
      SORT: { type: 'integer', isRequired: false, isReadOnly: false, isImmutable: false, isMultiple: false, isDynamic: false, title: 'Sort' },
      IS_PRIMARY: { type: 'char', isRequired: false, isReadOnly: false, isImmutable: false, isMultiple: false, isDynamic: false, title: 'Primary' },
      CONTACT_ID: { type: 'integer', isRequired: true, isReadOnly: false, isImmutable: false, isMultiple: false, isDynamic: false, title: 'Contact' },
    });
  });

  it('replaces the whole set with items.set and lists it by SORT, the primary one as Kommo\'s main contact', async () => {
    const [ann, bob, cid] = [await contact('Ann'), await contact('Bob'), await contact('Cid')];
    const id = await lead({ CONTACT_IDS: [ann, bob] });
    expect(
      await resultOf(test, 'crm.lead.contact.items.set', { id, items: [{ CONTACT_ID: cid, SORT: 5 }, { CONTACT_ID: bob, SORT: 20, IS_PRIMARY: 'Y' }] }),
    ).toBe(true);
    expect(await items(id)).toEqual([
      { CONTACT_ID: cid, SORT: 5, ROLE_ID: 0, IS_PRIMARY: 'N' },
      { CONTACT_ID: bob, SORT: 20, ROLE_ID: 0, IS_PRIMARY: 'Y' },
    ]);
    expect(await kommoContacts(id)).toEqual([{ id: bob, is_main: true }, { id: cid, is_main: false }]);
    expect((await resultOf<Record<string, unknown>>(test, 'crm.lead.get', { id })).CONTACT_ID).toBe(String(bob));
  });

  it('reads items sent as a form, numbering SORT 10, 20, … where none is sent', async () => {
    const [ann, bob] = [await contact('Ann'), await contact('Bob')];
    const id = await lead();
    await resultOf(test, 'crm.lead.contact.items.set', { id, items: [{ CONTACT_ID: String(ann) }, { CONTACT_ID: String(bob), IS_PRIMARY: 'Y' }] }, 'form');
    expect(await items(id)).toEqual([
      { CONTACT_ID: ann, SORT: 10, ROLE_ID: 0, IS_PRIMARY: 'N' },
      { CONTACT_ID: bob, SORT: 20, ROLE_ID: 0, IS_PRIMARY: 'Y' },
    ]);
  });

  it('adds one contact with add, changes its SORT when added again, and removes it with delete', async () => {
    const [ann, bob] = [await contact('Ann'), await contact('Bob')];
    const id = await lead({ CONTACT_ID: ann });
    expect(await resultOf(test, 'crm.lead.contact.add', { id, fields: { CONTACT_ID: bob } })).toBe(true);
    await resultOf(test, 'crm.lead.contact.add', { id, fields: { CONTACT_ID: ann, SORT: 30 } });
    expect(await items(id)).toEqual([
      { CONTACT_ID: bob, SORT: 10, ROLE_ID: 0, IS_PRIMARY: 'N' },
      { CONTACT_ID: ann, SORT: 30, ROLE_ID: 0, IS_PRIMARY: 'N' },
    ]);
    expect(await resultOf(test, 'crm.lead.contact.delete', { id, fields: { CONTACT_ID: ann } })).toBe(true);
    expect(await items(id)).toEqual([{ CONTACT_ID: bob, SORT: 10, ROLE_ID: 0, IS_PRIMARY: 'N' }]);
  });

  it('unlinks every contact with items.delete, also one deleted since it was linked', async () => {
    const [ann, bob] = [await contact('Ann'), await contact('Bob')];
    const id = await lead({ CONTACT_IDS: [ann, bob] });
    await resultOf(test, 'crm.contact.delete', { id: bob });
    expect(await resultOf(test, 'crm.lead.contact.items.delete', { id })).toBe(true);
    expect(await items(id)).toEqual([]);
  });

  it('changes nothing when one item names no contact, and says which item', async () => {
    const ann = await contact('Ann');
    const id = await lead({ CONTACT_ID: ann });
    expect(await callBitrix(test, 'crm.lead.contact.items.set', { id, items: [{ CONTACT_ID: 987654 }] })).toEqual({
      status: 400,
      body: { error: 'ERROR_CORE', error_description: 'items[0].CONTACT_ID: there is no contact with ID 987654.<br />' },
    });
    expect(await items(id)).toEqual([{ CONTACT_ID: ann, SORT: 10, ROLE_ID: 0, IS_PRIMARY: 'N' }]);
  });

  it('answers NOT_FOUND for a lead that does not exist', async () => {
    expect(await callBitrix(test, 'crm.lead.contact.items.get', { id: 987654 })).toEqual({
      status: 400,
      body: { error: 'NOT_FOUND', error_description: 'Not found.' },
    });
  });

  it('refuses items.set without items rather than unlinking everything', async () => {
    const id = await lead();
    expect(await callBitrix(test, 'crm.lead.contact.items.set', { id })).toEqual({
      status: 400,
      body: { error: '', error_description: "The parameter 'items' is required: an array of {CONTACT_ID, SORT, IS_PRIMARY}." },
    });
  });

  it('refuses add without a CONTACT_ID', async () => {
    const id = await lead();
    expect(await callBitrix(test, 'crm.lead.contact.add', { id, fields: { SORT: 10 } })).toEqual({
      status: 400,
      body: { error: '', error_description: 'fields.CONTACT_ID is required: send the ID of a contact, a positive integer.' },
    });
  });
});

describe('crm.company.contact.*', () => {
  const contact = (name: string) => resultOf<number>(test, 'crm.contact.add', { fields: { NAME: name } });
  const company = () => resultOf<number>(test, 'crm.company.add', { fields: { TITLE: 'Acme' } });
  const items = (id: number) => resultOf<unknown[]>(test, 'crm.company.contact.items.get', { id });

  it('describes its fields as Bitrix24 does', async () => {
    expect(await resultOf(test, 'crm.company.contact.fields')).toEqual({
      SORT: { type: 'integer', isRequired: false, isReadOnly: false, isImmutable: false, isMultiple: false, isDynamic: false, title: 'Sort' },
      IS_PRIMARY: { type: 'char', isRequired: false, isReadOnly: false, isImmutable: false, isMultiple: false, isDynamic: false, title: 'Primary' },
      CONTACT_ID: { type: 'integer', isRequired: true, isReadOnly: false, isImmutable: false, isMultiple: false, isDynamic: false, title: 'Contact' },
    });
  });

  it('replaces the company\'s contacts with items.set and lists them by SORT, with one primary', async () => {
    const [ann, bob] = [await contact('Ann'), await contact('Bob')];
    const id = await company();
    await resultOf(test, 'crm.company.contact.items.set', { id, items: [{ CONTACT_ID: bob, SORT: 20, IS_PRIMARY: 'Y' }, { CONTACT_ID: ann, SORT: 5 }] });
    expect(await items(id)).toEqual([
      { CONTACT_ID: ann, SORT: 5, ROLE_ID: 0, IS_PRIMARY: 'N' },
      { CONTACT_ID: bob, SORT: 20, ROLE_ID: 0, IS_PRIMARY: 'Y' },
    ]);
    expect(await resultOf(test, 'crm.company.contact.add', { id, fields: { CONTACT_ID: ann, SORT: 5, IS_PRIMARY: 'Y' } })).toBe(true);
    expect(await items(id)).toEqual([
      { CONTACT_ID: ann, SORT: 5, ROLE_ID: 0, IS_PRIMARY: 'Y' },
      { CONTACT_ID: bob, SORT: 20, ROLE_ID: 0, IS_PRIMARY: 'N' },
    ]);
  });

  it('shows a contact bound here as that contact\'s company, on both dialects', async () => {
    const ann = await contact('Ann');
    const id = await company();
    await resultOf(test, 'crm.company.contact.add', { id, fields: { CONTACT_ID: ann } });
    expect((await resultOf<Record<string, unknown>>(test, 'crm.contact.get', { id: ann })).COMPANY_ID).toBe(String(id));
    const response = await test.app.inject({ method: 'GET', url: `/api/v4/contacts/${ann}`, headers: test.auth });
    expect((response.json() as { _embedded: { companies: { id: number }[] } })._embedded.companies.map((linked) => linked.id)).toEqual([id]);
  });

  it('answers NOT_FOUND for a company that does not exist', async () => {
    expect(await callBitrix(test, 'crm.company.contact.items.get', { id: 987654 })).toEqual({
      status: 400,
      body: { error: 'NOT_FOUND', error_description: 'Not found.' },
    });
  });
});

describe('crm.contact.company.*', () => {
  const contact = () => resultOf<number>(test, 'crm.contact.add', { fields: { NAME: 'Ann' } });
  const company = (title: string) => resultOf<number>(test, 'crm.company.add', { fields: { TITLE: title } });
  const items = (id: number) => resultOf<unknown[]>(test, 'crm.contact.company.items.get', { id });

  it('lists the contact\'s one company as primary, and binding another replaces it', async () => {
    const [acme, globex] = [await company('Acme'), await company('Globex')];
    const id = await contact();
    expect(await resultOf(test, 'crm.contact.company.add', { id, fields: { COMPANY_ID: acme, SORT: 30, IS_PRIMARY: 'N' } })).toBe(true);
    expect(await items(id)).toEqual([{ COMPANY_ID: acme, SORT: 30, ROLE_ID: 0, IS_PRIMARY: 'Y' }]);
    await resultOf(test, 'crm.contact.company.add', { id, fields: { COMPANY_ID: globex } });
    expect(await items(id)).toEqual([{ COMPANY_ID: globex, SORT: 10, ROLE_ID: 0, IS_PRIMARY: 'Y' }]);
    expect(await resultOf(test, 'crm.contact.company.delete', { id, fields: { COMPANY_ID: globex } })).toBe(true);
    expect(await items(id)).toEqual([]);
  });

  it('keeps the contact primary at its company when the contact changes the binding\'s SORT', async () => {
    const acme = await company('Acme');
    const id = await contact();
    await resultOf(test, 'crm.company.contact.add', { id: acme, fields: { CONTACT_ID: id, IS_PRIMARY: 'Y' } });
    await resultOf(test, 'crm.contact.company.add', { id, fields: { COMPANY_ID: acme, SORT: 40 } });
    expect(await resultOf(test, 'crm.company.contact.items.get', { id: acme })).toEqual([{ CONTACT_ID: id, SORT: 40, ROLE_ID: 0, IS_PRIMARY: 'Y' }]);
  });

  it('refuses items.set with two companies, since a contact has one, and changes nothing', async () => {
    const [acme, globex] = [await company('Acme'), await company('Globex')];
    const id = await contact();
    await resultOf(test, 'crm.contact.company.add', { id, fields: { COMPANY_ID: acme } });
    expect(await callBitrix(test, 'crm.contact.company.items.set', { id, items: [{ COMPANY_ID: acme }, { COMPANY_ID: globex }] })).toEqual({
      status: 400,
      body: { error: 'ERROR_CORE', error_description: 'items[1].COMPANY_ID: A contact has one linked company; this request links two.<br />' },
    });
    expect(await items(id)).toEqual([{ COMPANY_ID: acme, SORT: 10, ROLE_ID: 0, IS_PRIMARY: 'Y' }]);
  });

  it('says which item names no company', async () => {
    const id = await contact();
    expect(await callBitrix(test, 'crm.contact.company.items.set', { id, items: [{ COMPANY_ID: 987654 }] })).toEqual({
      status: 400,
      body: { error: 'ERROR_CORE', error_description: 'items[0].COMPANY_ID: there is no company with ID 987654.<br />' },
    });
  });

  it('refuses add without a COMPANY_ID', async () => {
    const id = await contact();
    expect(await callBitrix(test, 'crm.contact.company.add', { id, fields: { SORT: 10 } })).toEqual({
      status: 400,
      body: { error: '', error_description: 'fields.COMPANY_ID is required: send the ID of a company, a positive integer.' },
    });
  });
});
