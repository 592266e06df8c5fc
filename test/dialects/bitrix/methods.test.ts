import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { callBitrix, resultOf } from './support.js';

describe('Bitrix24 methods', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('patches multifields by ID: edits, appends, deletes by DELETE or an empty VALUE', async () => {
    const id = await resultOf<number>(test, 'crm.contact.add', {
      fields: { NAME: 'Ann', LAST_NAME: 'Lee', PHONE: [{ VALUE: '+1 555 0001', VALUE_TYPE: 'MOBILE' }, { VALUE: '+1 555 0002' }], EMAIL: [{ VALUE: 'ann@example.com', VALUE_TYPE: 'HOME' }] },
    });
    type Contact = { PHONE: { ID: string; VALUE: string; VALUE_TYPE: string }[]; EMAIL: { ID: string; VALUE: string; VALUE_TYPE: string }[]; NAME: string };
    const before = await resultOf<Contact>(test, 'crm.contact.get', { id });
    expect(before.PHONE.map((phone) => [phone.VALUE, phone.VALUE_TYPE])).toEqual([['+1 555 0001', 'MOBILE'], ['+1 555 0002', 'WORK']]);
    expect(before.EMAIL[0]).toMatchObject({ VALUE: 'ann@example.com', VALUE_TYPE: 'HOME' });

    await resultOf(test, 'crm.contact.update', {
      id,
      fields: { PHONE: [{ ID: before.PHONE[0]!.ID, VALUE: '+1 555 0009' }, { ID: before.PHONE[1]!.ID, DELETE: 'Y' }, { VALUE: '+1 555 0003', VALUE_TYPE: 'FAX' }], EMAIL: [{ ID: before.EMAIL[0]!.ID, VALUE: '' }] },
    }, 'form');
    const after = await resultOf<Contact>(test, 'crm.contact.get', { id });
    expect(after.PHONE.map((phone) => [phone.VALUE, phone.VALUE_TYPE])).toEqual([['+1 555 0009', 'MOBILE'], ['+1 555 0003', 'FAX']]);
    expect(after.EMAIL).toBeUndefined();
    expect(after.NAME).toBe('Ann');

    expect((await callBitrix(test, 'crm.contact.update', { id, fields: { PHONE: [{ ID: 1, VALUE: 'x' }] } })).body.error_description).toBe(
      'PHONE[0].ID: 1 is not the ID of a PHONE value of this record; read the record for the current IDs, or leave ID out to add a value.<br />',
    );
  });

  it('keeps every value appended to a multifield by updates sent at the same time', async () => {
    const id = await resultOf<number>(test, 'crm.contact.add', { fields: { NAME: 'Busy', PHONE: [{ VALUE: '+1 555 1000' }] } });
    const phones = Array.from({ length: 6 }, (_, index) => `+1 555 100${index + 1}`);
    await Promise.all(phones.map((phone) => resultOf(test, 'crm.contact.update', { id, fields: { PHONE: [{ VALUE: phone }] } })));
    const after = await resultOf<{ PHONE: { VALUE: string }[] }>(test, 'crm.contact.get', { id });
    expect(after.PHONE.map((phone) => phone.VALUE).sort()).toEqual(['+1 555 1000', ...phones]);
  });

  it('writes what Kommo reads: a Bitrix24 lead appears in the Kommo API with its stage, phone and user field', async () => {
    await resultOf(test, 'crm.lead.userfield.add', { fields: { FIELD_NAME: 'BUDGET', USER_TYPE_ID: 'double', EDIT_FORM_LABEL: 'Budget' } });
    const companyId = await resultOf<number>(test, 'crm.company.add', { fields: { TITLE: 'Acme', PHONE: [{ VALUE: '+44 20 0000' }] } });
    const leadId = await resultOf<number>(test, 'crm.lead.add', {
      fields: { TITLE: 'From Bitrix', STATUS_ID: 'IN_PROCESS', OPPORTUNITY: '1200', UF_CRM_BUDGET: '99.5', PHONE: '+1 555 0100', COMPANY_ID: companyId },
    });
    const kommo = await test.app.inject({ method: 'GET', url: `/api/v4/leads/${leadId}`, headers: test.auth });
    const lead = kommo.json() as { name: string; price: number; status_id: number; custom_fields_values: { field_code: string; values: { value: unknown }[] }[]; _embedded: { companies: { id: number }[] } };
    expect(lead).toMatchObject({ name: 'From Bitrix', price: 1200 });
    expect(lead.custom_fields_values.map((value) => [value.field_code, value.values[0]!.value])).toEqual([
      ['UF_CRM_BUDGET', '99.5'],
      ['PHONE', '+1 555 0100'],
    ]);
    expect(lead._embedded.companies).toMatchObject([{ id: companyId }]);
    const read = await resultOf<Record<string, unknown>>(test, 'crm.lead.get', { id: leadId });
    expect(read).toMatchObject({ STATUS_ID: 'IN_PROCESS', STATUS_SEMANTIC_ID: 'P', OPPORTUNITY: '1200.00', UF_CRM_BUDGET: '99.5', COMPANY_ID: String(companyId) });
  });

  it('links a lead to every contact of CONTACT_IDS, adds more on update, and never shows the field', async () => {
    const ann = await resultOf<number>(test, 'crm.contact.add', { fields: { NAME: 'Ann' } });
    const bob = await resultOf<number>(test, 'crm.contact.add', { fields: { NAME: 'Bob' } });
    const cid = await resultOf<number>(test, 'crm.contact.add', { fields: { NAME: 'Cid' } });
    const leadId = await resultOf<number>(test, 'crm.lead.add', { fields: { TITLE: 'Several contacts', CONTACT_IDS: [ann, bob, ann] } });
    const linkedContacts = async () => {
      const kommo = await test.app.inject({ method: 'GET', url: `/api/v4/leads/${leadId}?with=contacts`, headers: test.auth });
      return (kommo.json() as { _embedded: { contacts: { id: number }[] } })._embedded.contacts.map((contact) => contact.id).sort((a, b) => a - b);
    };
    expect(await linkedContacts()).toEqual([ann, bob]);

    await resultOf(test, 'crm.lead.update', { id: leadId, fields: { CONTACT_IDS: [bob, cid] } }, 'form');
    expect(await linkedContacts()).toEqual([ann, bob, cid]);

    const read = await resultOf<Record<string, unknown>>(test, 'crm.lead.get', { id: leadId });
    expect(read).not.toHaveProperty('CONTACT_IDS');
    const fields = await resultOf<Record<string, Record<string, unknown>>>(test, 'crm.lead.fields');
    expect(fields.CONTACT_IDS).toEqual({ type: 'crm_contact', isRequired: false, isReadOnly: false, isImmutable: false, isMultiple: true, isDynamic: false, title: 'Contacts' });
  });

  it('orders a list by every key of order in turn, then by ID', async () => {
    const added = await test.app.inject({
      method: 'POST',
      url: '/api/v4/leads',
      headers: test.auth,
      payload: [{ name: 'Order A', created_at: 5000 }, { name: 'Order B', created_at: 5000 }, { name: 'Order C', created_at: 4000 }],
    });
    expect(added.statusCode).toBe(200);
    const titles = async (order: Record<string, string>) =>
      (await resultOf<{ TITLE: string }[]>(test, 'crm.lead.list', { filter: { '%TITLE': 'Order ' }, order, select: ['TITLE'] })).map((row) => row.TITLE);
    expect(await titles({ DATE_CREATE: 'DESC', ID: 'DESC' })).toEqual(['Order B', 'Order A', 'Order C']);
    expect(await titles({ DATE_CREATE: 'DESC', ID: 'ASC' })).toEqual(['Order A', 'Order B', 'Order C']);
  });

  it('filters lists with Bitrix24 operators, orders them and selects fields', async () => {
    const ids: number[] = [];
    for (const [title, status, amount] of [['Alpha', 'NEW', 100], ['Beta', 'IN_PROCESS', 200], ['Gamma', 'PROCESSED', 300]] as const) {
      ids.push(await resultOf<number>(test, 'crm.lead.add', { fields: { TITLE: `Filter ${title}`, STATUS_ID: status, OPPORTUNITY: amount } }));
    }
    const titles = async (filter: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      (await resultOf<{ TITLE: string }[]>(test, 'crm.lead.list', { filter: { '%TITLE': 'Filter', ...filter }, ...extra }, 'get')).map((row) => row.TITLE);
    expect(await titles({ '>OPPORTUNITY': 100 })).toEqual(['Filter Beta', 'Filter Gamma']);
    expect(await titles({ '<=OPPORTUNITY': 200, '!STATUS_ID': 'NEW' })).toEqual(['Filter Beta']);
    expect(await titles({ '@STATUS_ID': ['NEW', 'PROCESSED'] })).toEqual(['Filter Alpha', 'Filter Gamma']);
    expect(await titles({ '!@ID': [ids[0]] })).toEqual(['Filter Beta', 'Filter Gamma']);
    expect(await titles({ '>=ID': ids[1] })).toEqual(['Filter Beta', 'Filter Gamma']);
    expect(await titles({}, { order: { ID: 'DESC' } })).toEqual(['Filter Gamma', 'Filter Beta', 'Filter Alpha']);

    const [row] = await resultOf<Record<string, unknown>[]>(test, 'crm.lead.list', { filter: { ID: ids[0] }, select: ['TITLE', 'STATUS_ID'] });
    expect(row).toEqual({ ID: String(ids[0]), TITLE: 'Filter Alpha', STATUS_ID: 'NEW' });

    const countless = await callBitrix(test, 'crm.lead.list', { filter: { '%TITLE': 'Filter' }, start: -1 });
    expect(countless.body.total).toBeUndefined();
    expect(countless.body.result).toHaveLength(3);
    expect((await callBitrix(test, 'crm.lead.list', { filter: { '%TITLE': 'Filter' } })).body.total).toBe(3);

    expect((await callBitrix(test, 'crm.lead.list', { filter: { '%COMMENTS': 'x' } })).body).toEqual({
      error: 'INVALID_ARG_VALUE',
      error_description:
        'filter: "%COMMENTS" names no field Fieldwork can filter leads by; use ID, TITLE, STATUS_ID, ASSIGNED_BY_ID, OPPORTUNITY, DATE_CREATE, DATE_MODIFY, DATE_CLOSED, PHONE, EMAIL, WEB, IM or a UF_CRM_ field.',
    });
  });

  it('changes enumeration items by ID, adds new ones, removes DEL ones and deletes the field', async () => {
    const fieldId = await resultOf<number>(test, 'crm.lead.userfield.add', {
      fields: { FIELD_NAME: 'uf_tier', USER_TYPE_ID: 'enumeration', MULTIPLE: 'Y', LIST: [{ VALUE: 'Gold' }, { VALUE: 'Silver' }, { VALUE: '' }] },
    }, 'form');
    type Field = { FIELD_NAME: string; MULTIPLE: string; LIST: { ID: string; VALUE: string }[] };
    const created = await resultOf<Field>(test, 'crm.lead.userfield.get', { id: fieldId });
    expect(created).toMatchObject({ FIELD_NAME: 'UF_CRM_TIER', MULTIPLE: 'Y' });
    const [gold, silver] = created.LIST;
    const leadId = await resultOf<number>(test, 'crm.lead.add', { fields: { TITLE: 'Tiered', UF_CRM_TIER: [gold!.ID, silver!.ID] } }, 'form');
    expect((await resultOf<Record<string, unknown>>(test, 'crm.lead.get', { id: leadId })).UF_CRM_TIER).toEqual([gold!.ID, silver!.ID]);

    await resultOf(test, 'crm.lead.userfield.update', { id: fieldId, fields: { LIST: [{ ID: gold!.ID, VALUE: 'Platinum' }, { ID: silver!.ID, DEL: 'Y' }, { VALUE: 'Bronze' }] } });
    const updated = await resultOf<Field>(test, 'crm.lead.userfield.get', { id: fieldId });
    expect(updated.LIST.map((item) => item.VALUE)).toEqual(['Platinum', 'Bronze']);
    expect(updated.LIST[0]!.ID).toBe(gold!.ID);
    expect((await resultOf<Record<string, unknown>>(test, 'crm.lead.get', { id: leadId })).UF_CRM_TIER).toEqual([gold!.ID]);

    expect(await resultOf(test, 'crm.lead.userfield.delete', { id: fieldId })).toBe(true);
    expect((await callBitrix(test, 'crm.lead.userfield.get', { id: fieldId })).status).toBe(404);
    expect((await resultOf<Record<string, unknown>>(test, 'crm.lead.get', { id: leadId })).UF_CRM_TIER).toBeUndefined();
  });

  it('keeps an integer user field an integer: its type reads back, a fraction is refused, ranges filter it', async () => {
    const fieldId = await resultOf<number>(test, 'crm.lead.userfield.add', { fields: { FIELD_NAME: 'SEATS', USER_TYPE_ID: 'integer', EDIT_FORM_LABEL: 'Seats' } }, 'form');
    expect(await resultOf<Record<string, unknown>>(test, 'crm.lead.userfield.get', { id: fieldId })).toMatchObject({ FIELD_NAME: 'UF_CRM_SEATS', USER_TYPE_ID: 'integer' });
    expect((await resultOf<Record<string, Record<string, unknown>>>(test, 'crm.lead.fields')).UF_CRM_SEATS).toMatchObject({ type: 'integer', isDynamic: true });

    const five = await resultOf<number>(test, 'crm.lead.add', { fields: { TITLE: 'Seats five', UF_CRM_SEATS: '5' } }, 'form');
    await resultOf<number>(test, 'crm.lead.add', { fields: { TITLE: 'Seats six', UF_CRM_SEATS: 6 } });
    expect((await resultOf<Record<string, unknown>>(test, 'crm.lead.get', { id: five })).UF_CRM_SEATS).toBe('5');
    expect(await callBitrix(test, 'crm.lead.add', { fields: { TITLE: 'Seats and a half', UF_CRM_SEATS: '5.5' } })).toEqual({
      status: 400,
      body: { error: 'ERROR_CORE', error_description: 'Field \'Seats\' (UF_CRM_SEATS): This value should be a whole number. (sent "5.5")<br />' },
    });
    const titles = await resultOf<{ TITLE: string }[]>(test, 'crm.lead.list', { filter: { '>UF_CRM_SEATS': '5.5' }, select: ['TITLE'] }, 'get');
    expect(titles.map((row) => row.TITLE)).toEqual(['Seats six']);
  });

  it('keeps a user field\'s XML_ID, so an integration finds its own fields again by it', async () => {
    const fieldId = await resultOf<number>(test, 'crm.lead.userfield.add', { fields: { FIELD_NAME: 'SYNC_KEY', USER_TYPE_ID: 'string', XML_ID: 'acme-sync-key' } });
    const mine = await resultOf<{ ID: string; XML_ID: string | null }[]>(test, 'crm.lead.userfield.list', { filter: { XML_ID: 'acme-sync-key' } });
    expect(mine.map((row) => [row.ID, row.XML_ID])).toEqual([[String(fieldId), 'acme-sync-key']]);
    await resultOf(test, 'crm.lead.userfield.update', { id: fieldId, fields: { XML_ID: '' } });
    expect(await resultOf<Record<string, unknown>>(test, 'crm.lead.userfield.get', { id: fieldId })).toMatchObject({ XML_ID: null });
    expect(await callBitrix(test, 'crm.lead.userfield.update', { id: fieldId, fields: { XML_ID: 'x'.repeat(256) } })).toEqual({
      status: 400,
      body: { error: 'ERROR_CORE', error_description: 'XML_ID: This value is too long. It should have 255 characters or less.<br />' },
    });
  });

  it('keeps an employee user field an employee field: its type reads back, an id that names no user is refused', async () => {
    const fieldId = await resultOf<number>(test, 'crm.lead.userfield.add', { fields: { FIELD_NAME: 'MANAGER', USER_TYPE_ID: 'employee', EDIT_FORM_LABEL: 'Manager' } });
    expect(await resultOf<Record<string, unknown>>(test, 'crm.lead.userfield.get', { id: fieldId })).toMatchObject({ FIELD_NAME: 'UF_CRM_MANAGER', USER_TYPE_ID: 'employee' });
    expect((await resultOf<Record<string, Record<string, unknown>>>(test, 'crm.lead.fields')).UF_CRM_MANAGER).toMatchObject({ type: 'employee', isDynamic: true });

    const managed = await resultOf<number>(test, 'crm.lead.add', { fields: { TITLE: 'Managed', UF_CRM_MANAGER: '1' } }, 'form');
    expect((await resultOf<Record<string, unknown>>(test, 'crm.lead.get', { id: managed })).UF_CRM_MANAGER).toBe('1');
    expect(await callBitrix(test, 'crm.lead.add', { fields: { TITLE: 'Unmanaged', UF_CRM_MANAGER: 999 } })).toEqual({
      status: 400,
      body: { error: 'ERROR_CORE', error_description: "Field 'Manager' (UF_CRM_MANAGER): There is no user with id 999 in this account. (sent 999)<br />" },
    });
    const titles = await resultOf<{ TITLE: string }[]>(test, 'crm.lead.list', { filter: { UF_CRM_MANAGER: 1 }, select: ['TITLE'] }, 'get');
    expect(titles.map((row) => row.TITLE)).toEqual(['Managed']);
  });

  it('keeps every LIST item added to one enumeration by updates sent at the same time', async () => {
    const fieldId = await resultOf<number>(test, 'crm.lead.userfield.add', { fields: { FIELD_NAME: 'REGION', USER_TYPE_ID: 'enumeration', LIST: [{ VALUE: 'North' }] } });
    const regions = ['East', 'South', 'West', 'Centre', 'Islands'];
    await Promise.all(regions.map((region) => resultOf(test, 'crm.lead.userfield.update', { id: fieldId, fields: { LIST: [{ VALUE: region }] } })));
    const field = await resultOf<{ LIST: { VALUE: string }[] }>(test, 'crm.lead.userfield.get', { id: fieldId });
    expect(field.LIST.map((item) => item.VALUE).sort()).toEqual(['North', ...regions].sort());
  });

  it('refuses a user field name with invalid characters and a multiple non-list field', async () => {
    expect((await callBitrix(test, 'crm.lead.userfield.add', { fields: { FIELD_NAME: 'bad-name', USER_TYPE_ID: 'string' } })).body).toEqual({
      error: 'ERROR_CORE',
      error_description: "Field name contains invalid characters: 'bad-name'. Use only Latin letters, digits and underscores.",
    });
    expect((await callBitrix(test, 'crm.lead.userfield.add', { fields: { USER_TYPE_ID: 'string' } })).body).toEqual({ error: '', error_description: "The 'FIELD_NAME' field is not found." });
    expect((await callBitrix(test, 'crm.lead.userfield.add', { fields: { FIELD_NAME: 'NOTES', USER_TYPE_ID: 'string', MULTIPLE: 'Y' } })).body.error).toBe('ERROR_CORE');
  });

  it('renames, and deletes, a stage added through crm.status', async () => {
    const id = await resultOf<number>(test, 'crm.status.add', { fields: { ENTITY_ID: 'STATUS', STATUS_ID: 'QUALIFYING', NAME: 'Qualifying', SORT: 35 } });
    await resultOf(test, 'crm.status.update', { id, fields: { NAME: 'Qualification' } });
    const items = await resultOf<{ STATUS_ID: string; NAME: string }[]>(test, 'crm.status.entity.items', { entityId: 'STATUS' });
    expect(items.map((item) => item.STATUS_ID)).toEqual(['INCOMING', 'NEW', 'IN_PROCESS', 'QUALIFYING', 'PROCESSED', 'CONVERTED', 'JUNK']);
    expect(items.find((item) => item.STATUS_ID === 'QUALIFYING')!.NAME).toBe('Qualification');
    expect(await resultOf(test, 'crm.status.delete', { id })).toBe(true);
    expect((await resultOf<unknown[]>(test, 'crm.status.entity.items', { entityId: 'STATUS' })).length).toBe(6);
  });

  it('reports failing batch commands in result_error, stops with halt, and refuses more than 50 commands', async () => {
    const answer = await callBitrix(test, 'batch', { halt: 0, cmd: { bad: 'crm.lead.get?id=0', good: 'crm.lead.list?filter[ID]=1&select[]=ID' } }, 'form');
    expect(answer.status).toBe(200);
    expect(answer.body.result).toMatchObject({
      result: { good: [] },
      result_error: { bad: { error: '', error_description: 'ID is not defined or invalid.' } },
      result_total: { good: 0 },
      result_next: [],
    });
    const halted = await callBitrix(test, 'batch', { halt: 1, cmd: ['crm.lead.get?id=0', 'crm.lead.list'] });
    expect(halted.body.result).toMatchObject({ result: [], result_error: [{ error: '' }] });

    const tooMany = await callBitrix(test, 'batch', { cmd: Array.from({ length: 51 }, () => 'crm.lead.fields') });
    expect(tooMany).toEqual({ status: 400, body: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded (50 commands).' } });
  });

  it('deletes a lead', async () => {
    const id = await resultOf<number>(test, 'crm.lead.add', { fields: { TITLE: 'Short-lived' } });
    expect(await resultOf(test, 'crm.lead.delete', { id })).toBe(true);
    expect((await callBitrix(test, 'crm.lead.get', { id })).body).toEqual({ error: '', error_description: 'Not found' });
    expect((await callBitrix(test, 'crm.lead.delete', { id })).body).toEqual({ error: '', error_description: 'Not found' });
  });
});
