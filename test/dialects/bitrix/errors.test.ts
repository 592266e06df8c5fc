import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { callBitrix, resultOf } from './support.js';

describe('Bitrix24 errors', () => {
  let test: TestApp;
  let rivalId: string;
  let spreadsheetId: string;

  beforeAll(async () => {
    test = await startTestApp();
    await resultOf(test, 'crm.lead.userfield.add', {
      fields: { FIELD_NAME: 'COMPETITOR', USER_TYPE_ID: 'enumeration', EDIT_FORM_LABEL: 'Competitor product', LIST: [{ VALUE: 'Rival CRM' }, { VALUE: 'Spreadsheet' }] },
    });
    await resultOf(test, 'crm.lead.userfield.add', { fields: { FIELD_NAME: 'COMPETITOR_URL', USER_TYPE_ID: 'url', EDIT_FORM_LABEL: 'Competitor URL' } });
    const [field] = await resultOf<{ LIST: { ID: string }[] }[]>(test, 'crm.lead.userfield.list', { filter: { FIELD_NAME: 'UF_CRM_COMPETITOR' } });
    [rivalId, spreadsheetId] = field!.LIST.map((item) => item.ID) as [string, string];
  });
  afterAll(() => test.close());

  it('names every missing mandatory field on add, and adds nothing', async () => {
    await resultOf(test, 'crm.lead.userfield.add', { fields: { FIELD_NAME: 'BUDGET', USER_TYPE_ID: 'double', EDIT_FORM_LABEL: 'Budget', MANDATORY: 'Y' } });
    await resultOf(test, 'crm.lead.userfield.add', { fields: { FIELD_NAME: 'DECISION_MAKER', USER_TYPE_ID: 'string', EDIT_FORM_LABEL: 'Decision maker', MANDATORY: 'Y' } });
    const answer = await callBitrix(test, 'crm.lead.add', { fields: { TITLE: 'New lead' } }, 'form');
    expect(answer).toEqual({
      status: 400,
      body: {
        error: 'ERROR_CORE',
        error_description: "The required field 'Budget' (UF_CRM_BUDGET) is missing.<br />The required field 'Decision maker' (UF_CRM_DECISION_MAKER) is missing.<br />",
      },
    });
    const oneMissing = await callBitrix(test, 'crm.lead.add', { fields: { TITLE: 'New lead', UF_CRM_BUDGET: '1500' } }, 'form');
    expect(oneMissing.body.error_description).toBe("The required field 'Decision maker' (UF_CRM_DECISION_MAKER) is missing.<br />");
    expect(await resultOf(test, 'crm.lead.list', { filter: { TITLE: 'New lead' } })).toEqual([]);

    const added = await callBitrix(test, 'crm.lead.add', { fields: { TITLE: 'New lead', UF_CRM_BUDGET: '1500', UF_CRM_DECISION_MAKER: 'Ann' } }, 'form');
    expect(added.status).toBe(200);
    await resultOf(test, 'crm.lead.userfield.update', { id: await fieldId(test, 'UF_CRM_BUDGET'), fields: { MANDATORY: 'N' } });
    await resultOf(test, 'crm.lead.userfield.update', { id: await fieldId(test, 'UF_CRM_DECISION_MAKER'), fields: { MANDATORY: 'N' } });
  });

  it('refuses an enumeration item id the list does not have, listing the ids it does', async () => {
    const leadId = await resultOf<number>(test, 'crm.lead.add', { fields: { TITLE: 'Lead' } });
    const answer = await callBitrix(test, 'crm.lead.update', { id: leadId, fields: { UF_CRM_COMPETITOR: 999999 } });
    expect(answer).toEqual({
      status: 400,
      body: {
        error: 'ERROR_CORE',
        error_description: `Field 'Competitor product' (UF_CRM_COMPETITOR): 999999 is not an ID of an item of this list; send one of ${rivalId} (Rival CRM), ${spreadsheetId} (Spreadsheet).<br />`,
      },
    });
  });

  it('refuses a stage SORT outside 32 bits, and adds no stage', async () => {
    const answer = await callBitrix(test, 'crm.status.add', { fields: { ENTITY_ID: 'STATUS', STATUS_ID: 'FAR_AWAY', NAME: 'Far away', SORT: 3_000_000_000 } });
    expect(answer).toEqual({
      status: 400,
      body: { error: 'ERROR_CORE', error_description: 'SORT: This value should be between -2147483648 and 2147483647.<br />' },
    });
    const stages = await resultOf<{ STATUS_ID: string }[]>(test, 'crm.status.list', { filter: { ENTITY_ID: 'STATUS' } });
    expect(stages.map((stage) => stage.STATUS_ID)).not.toContain('FAR_AWAY');
  });

  it('refuses a malformed URL and says what to send', async () => {
    const leadId = await resultOf<number>(test, 'crm.lead.add', { fields: { TITLE: 'Lead' } });
    const answer = await callBitrix(test, 'crm.lead.update', { id: leadId, fields: { UF_CRM_COMPETITOR_URL: 'www.example.com/page' } }, 'get');
    expect(answer).toEqual({
      status: 400,
      body: {
        error: 'ERROR_CORE',
        error_description:
          "Field 'Competitor URL' (UF_CRM_COMPETITOR_URL): \"www.example.com/page\" is not a valid URL; send an absolute http:// or https:// address such as https://www.example.com/page.<br />",
      },
    });
  });

  it('reports every invalid field of one request together, and changes nothing', async () => {
    const leadId = await resultOf<number>(test, 'crm.lead.add', { fields: { TITLE: 'Lead' } });
    const answer = await callBitrix(test, 'crm.lead.update', {
      id: leadId,
      fields: { TITLE: 'Changed', STATUS_ID: 'NO_SUCH', UF_CRM_NOPE: 'x' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error_description).toBe(
      'STATUS_ID: "NO_SUCH" is not a lead stage; use one of INCOMING, NEW, IN_PROCESS, PROCESSED, CONVERTED, JUNK, or add it first with crm.status.add (ENTITY_ID STATUS).<br />' +
        'UF_CRM_NOPE: there is no such user field on leads; create it with crm.lead.userfield.add or check the name (user fields: UF_CRM_COMPETITOR, UF_CRM_COMPETITOR_URL, UF_CRM_BUDGET, UF_CRM_DECISION_MAKER).<br />',
    );
    expect((await resultOf<{ TITLE: string }>(test, 'crm.lead.get', { id: leadId })).TITLE).toBe('Lead');
  });

  it('answers a missing record, a bad id, an unknown method and bad credentials as Bitrix24 does', async () => {
    expect(await callBitrix(test, 'crm.lead.get', { id: 987654 })).toEqual({ status: 400, body: { error: '', error_description: 'Not found' } });
    expect(await callBitrix(test, 'crm.lead.update', { id: 'abc', fields: {} })).toEqual({ status: 400, body: { error: '', error_description: 'ID is not defined or invalid.' } });
    expect(await callBitrix(test, 'crm.lead.userfield.get', { id: 987654 })).toEqual({
      status: 404,
      body: { error: 'ERROR_NOT_FOUND', error_description: "The entity with ID '987654' is not found." },
    });
    expect(await callBitrix(test, 'crm.lead.teleport', {})).toEqual({
      status: 404,
      body: { error: 'ERROR_METHOD_NOT_FOUND', error_description: "Method 'crm.lead.teleport' not found!" },
    });
    const wrongSecret = await test.app.inject({ method: 'POST', url: '/rest/1/not-the-secret/crm.lead.list.json', payload: {} });
    expect(wrongSecret.statusCode).toBe(401);
    expect(wrongSecret.json()).toEqual({ error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' });
    const wrongUser = await test.app.inject({ method: 'GET', url: `/rest/2/${test.token}/crm.lead.list` });
    expect(wrongUser.statusCode).toBe(401);
  });

  it('takes an OAuth token as the auth parameter, in the query string or the body', async () => {
    const inQuery = await test.app.inject({ method: 'GET', url: `/rest/crm.lead.fields?auth=${test.token}` });
    expect(inQuery.statusCode).toBe(200);
    const inBody = await test.app.inject({ method: 'POST', url: '/rest/crm.status.entity.items.json', payload: { auth: test.token, entityId: 'STATUS' } });
    expect(inBody.statusCode).toBe(200);
    expect((inBody.json() as { result: { STATUS_ID: string }[] }).result[1]).toEqual({ NAME: 'Initial contact', SORT: 20, STATUS_ID: 'NEW' });
    expect((await test.app.inject({ method: 'GET', url: '/rest/crm.lead.fields' })).json()).toEqual({ error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' });
  });
});

async function fieldId(test: TestApp, name: string): Promise<string> {
  const [field] = await resultOf<{ ID: string }[]>(test, 'crm.lead.userfield.list', { filter: { FIELD_NAME: name } });
  return field!.ID;
}

describe('Bitrix24 request limit', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp({ clock: () => 1_700_000_000, limits: { requestsPerSecond: 1, authFailuresPerMinute: 0 } });
  });
  afterAll(() => test.close());

  it('answers QUERY_LIMIT_EXCEEDED with 503 once the caller is over its rate', async () => {
    expect((await callBitrix(test, 'crm.lead.fields')).status).toBe(200);
    expect(await callBitrix(test, 'crm.lead.fields')).toEqual({ status: 503, body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' } });
  });
});
