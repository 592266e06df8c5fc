/**
 * The official Bitrix24 JS SDK against a listening server. The SDK insists on https webhooks, so the
 * harness points it at a made-up https portal and rewrites each request to the local http server.
 */
import { ApiVersion, B24Hook, type AjaxResult } from '@bitrix24/b24jssdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';

const PORTAL = 'https://fieldwork.bitrix24.test';

describe('@bitrix24/b24jssdk through an inbound webhook', () => {
  let test: TestApp;
  let b24: B24Hook;

  beforeAll(async () => {
    test = await startTestApp();
    const address = await test.app.listen({ port: 0, host: '127.0.0.1' });
    b24 = B24Hook.fromWebhookUrl(`${PORTAL}/rest/1/${test.token}`);
    b24.getHttpClient(ApiVersion.v2).ajaxClient.interceptors.request.use((config) => ({ ...config, url: config.url?.replace(PORTAL, address) }));
  });
  afterAll(() => test.close());

  async function call<T>(method: string, params: Record<string, unknown>): Promise<T> {
    const response = (await b24.actions.v2.call.make({ method, params })) as AjaxResult<T>;
    if (!response.isSuccess) throw new Error(`${method}: ${response.getErrorMessages().join('; ')}`);
    return response.getData()!.result;
  }

  it('creates user fields, writes a lead with STATUS_ID, an enumeration and a URL, and reads it back', async () => {
    const enumFieldId = await call<number>('crm.lead.userfield.add', {
      fields: { FIELD_NAME: 'SDK_COMPETITOR', USER_TYPE_ID: 'enumeration', EDIT_FORM_LABEL: { en: 'Competitor' }, LIST: [{ VALUE: 'Rival CRM', SORT: 10 }, { VALUE: 'Spreadsheet', SORT: 20 }] },
    });
    await call('crm.lead.userfield.add', { fields: { FIELD_NAME: 'SDK_COMPETITOR_URL', USER_TYPE_ID: 'url', EDIT_FORM_LABEL: 'Competitor URL' } });
    const field = await call<{ FIELD_NAME: string; LIST: { ID: string; VALUE: string }[] }>('crm.lead.userfield.get', { id: enumFieldId });
    expect(field.FIELD_NAME).toBe('UF_CRM_SDK_COMPETITOR');
    const spreadsheet = field.LIST.find((item) => item.VALUE === 'Spreadsheet')!.ID;
    await call('crm.status.add', { fields: { ENTITY_ID: 'STATUS', STATUS_ID: 'LOST', NAME: 'Lost', SEMANTICS: 'F' } });

    const leadId = await call<number>('crm.lead.add', { fields: { TITLE: 'SDK lead', PHONE: [{ VALUE: '+1 555 0100', VALUE_TYPE: 'WORK' }] } });
    expect(await call('crm.lead.update', {
      id: leadId,
      fields: { STATUS_ID: 'LOST', UF_CRM_SDK_COMPETITOR: spreadsheet, UF_CRM_SDK_COMPETITOR_URL: 'https://rival.example.com/pricing' },
    })).toBe(true);

    const lead = await call<Record<string, unknown>>('crm.lead.get', { id: leadId, select: ['*', 'UF_*'] });
    expect(lead).toMatchObject({
      ID: String(leadId),
      TITLE: 'SDK lead',
      STATUS_ID: 'LOST',
      STATUS_SEMANTIC_ID: 'F',
      UF_CRM_SDK_COMPETITOR: spreadsheet,
      UF_CRM_SDK_COMPETITOR_URL: 'https://rival.example.com/pricing',
      PHONE: [{ ID: expect.any(String), VALUE_TYPE: 'WORK', VALUE: '+1 555 0100', TYPE_ID: 'PHONE' }],
    });
  });

  it('pages a filtered list to the end, by start and by the SDK\'s id cursor', async () => {
    const calls = Array.from({ length: 61 }, (_, index) => ['crm.lead.add', { fields: { TITLE: `Paged lead ${index}` } }] as [string, Record<string, unknown>]);
    const added = await b24.actions.v2.batchByChunk.make({ calls, options: { isHaltOnError: true } });
    expect(added.isSuccess).toBe(true);

    const params = { filter: { '%TITLE': 'Paged lead' }, select: ['ID', 'TITLE'], order: { ID: 'ASC' } };
    let page = (await b24.actions.v2.call.make({ method: 'crm.lead.list', params })) as AjaxResult<{ ID: string }[]> | false;
    expect((page as AjaxResult).getTotal()).toBe(61);
    const byStart: string[] = [];
    while (page) {
      byStart.push(...page.getData()!.result.map((row) => row.ID));
      page = (await page.getNext(b24.getHttpClient(ApiVersion.v2))) as AjaxResult<{ ID: string }[]> | false;
    }
    expect(byStart).toHaveLength(61);
    expect(new Set(byStart).size).toBe(61);

    const byCursor = await b24.actions.v2.callList.make<{ ID: string }>({ method: 'crm.lead.list', params: { filter: { '%TITLE': 'Paged lead' }, select: ['ID'] }, idKey: 'ID' });
    expect(byCursor.isSuccess).toBe(true);
    expect((byCursor.getData() as { ID: string }[]).map((row) => row.ID)).toEqual(byStart);
  });

  it('runs a batch whose later command uses an earlier one\'s result', async () => {
    const response = await b24.actions.v2.batch.make({
      calls: {
        add: { method: 'crm.lead.add', params: { fields: { TITLE: 'Batch lead', OPPORTUNITY: 250 } } },
        read: { method: 'crm.lead.get', params: { id: '$result[add]' } },
        rename: { method: 'crm.lead.update', params: { id: '$result[read][ID]', fields: { TITLE: 'Renamed $result[read][TITLE]' } } },
      },
      options: { isHaltOnError: true, returnAjaxResult: true },
    });
    expect(response.isSuccess).toBe(true);
    const results = response.getData() as Record<string, AjaxResult<Record<string, unknown>>>;
    const id = results.add!.getData()!.result as unknown as number;
    expect(results.read!.getData()!.result).toMatchObject({ ID: String(id), TITLE: 'Batch lead', OPPORTUNITY: '250.00' });
    expect(await call<Record<string, unknown>>('crm.lead.get', { id })).toMatchObject({ TITLE: 'Renamed Batch lead' });
  });
});
