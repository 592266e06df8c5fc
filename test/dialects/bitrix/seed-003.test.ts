/**
 * Seed 003: set a lead's STATUS_ID to LOST together with an enumeration user field (by item id) and a
 * URL user field in one crm.lead.update, with the stage requiring the URL. The PHP, JavaScript and
 * cURL examples of the seed are sent as written, in JSON, as a form and as a query string; only the
 * lead id and the enumeration item id, which the seed marks as placeholders, are the real ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { callBitrix, ENCODINGS, resultOf } from './support.js';

const ENUM_FIELD = 'UF_CRM_1234567890';
const URL_FIELD = 'UF_CRM_0987654321';
const COMPETITOR_URL = 'https://www.example.com/competitor-product';

/** The `fields` each example of the seed sends, with its own id and enumeration value types. */
const EXAMPLES = {
  php: (leadId: number, competitorId: number) => ({
    id: leadId,
    fields: {
      STATUS_ID: 'LOST',
      [ENUM_FIELD]: competitorId,
      [URL_FIELD]: COMPETITOR_URL,
      COMMENTS: `Lead lost due to competitor product: ${competitorId}`,
      TITLE: 'Lost Lead - Updated via API',
      NAME: 'John',
      LAST_NAME: 'Doe',
      PHONE: '+1234567890',
      EMAIL: 'john.doe@example.com',
    },
  }),
  javascript: (leadId: number, competitorId: number) => ({
    id: leadId,
    fields: {
      STATUS_ID: 'LOST',
      [ENUM_FIELD]: competitorId,
      [URL_FIELD]: COMPETITOR_URL,
      TITLE: 'Lost Lead - Updated via API',
      NAME: 'John',
      LAST_NAME: 'Doe',
      PHONE: '+1234567890',
      EMAIL: 'john.doe@example.com',
    },
  }),
  // The cURL example quotes the id: "id": "'${LEAD_ID}'".
  curl: (leadId: number, competitorId: number) => ({
    id: String(leadId),
    fields: {
      STATUS_ID: 'LOST',
      [ENUM_FIELD]: competitorId,
      [URL_FIELD]: COMPETITOR_URL,
      TITLE: 'Lost Lead - Updated via API',
      NAME: 'John',
      LAST_NAME: 'Doe',
      PHONE: '+1234567890',
      EMAIL: 'john.doe@example.com',
    },
  }),
};

describe('seed 003: STATUS_ID LOST with enumeration and URL user fields in one crm.lead.update', () => {
  let test: TestApp;
  let competitorId: number;
  let urlFieldId: number;
  let lostStageId: number;

  beforeAll(async () => {
    test = await startTestApp();
    await resultOf(test, 'crm.lead.userfield.add', {
      fields: { FIELD_NAME: '1234567890', USER_TYPE_ID: 'enumeration', EDIT_FORM_LABEL: 'Competitor product', LIST: [{ VALUE: 'Rival CRM' }, { VALUE: 'Spreadsheet' }] },
    });
    urlFieldId = await resultOf<number>(test, 'crm.lead.userfield.add', { fields: { FIELD_NAME: URL_FIELD, USER_TYPE_ID: 'url', EDIT_FORM_LABEL: 'Competitor URL' } });
    const listField = await resultOf<{ LIST: { ID: string; VALUE: string }[] }[]>(test, 'crm.lead.userfield.list', { filter: { FIELD_NAME: ENUM_FIELD } });
    competitorId = Number(listField[0]!.LIST.find((item) => item.VALUE === 'Rival CRM')!.ID);
    lostStageId = await resultOf<number>(test, 'crm.status.add', { fields: { ENTITY_ID: 'STATUS', STATUS_ID: 'LOST', NAME: 'Lost', SEMANTICS: 'F' } });

    // The gate is set the Kommo way: the lost stage requires the competitor URL.
    const pipelines = await test.app.inject({ method: 'GET', url: '/api/v4/leads/pipelines', headers: test.auth });
    const main = (pipelines.json() as { _embedded: { pipelines: { id: number; is_main: boolean }[] } })._embedded.pipelines.find((pipeline) => pipeline.is_main)!;
    const gate = await test.app.inject({
      method: 'PATCH',
      url: `/api/v4/leads/custom_fields/${urlFieldId}`,
      headers: test.auth,
      payload: { required_statuses: [{ pipeline_id: main.id, status_id: lostStageId }] },
    });
    expect(gate.statusCode).toBe(200);
  });
  afterAll(() => test.close());

  it('lists LOST as a failure stage of the lead directory', async () => {
    const stages = await resultOf<{ STATUS_ID: string; SEMANTICS: string | null }[]>(test, 'crm.status.list', { filter: { ENTITY_ID: 'STATUS' } });
    expect(stages.map((stage) => stage.STATUS_ID)).toEqual(['INCOMING', 'NEW', 'IN_PROCESS', 'PROCESSED', 'CONVERTED', 'JUNK', 'LOST']);
    expect(stages.find((stage) => stage.STATUS_ID === 'LOST')!.SEMANTICS).toBe('F');
  });

  for (const [name, example] of Object.entries(EXAMPLES)) {
    for (const encoding of ENCODINGS) {
      it(`the ${name} example succeeds sent as ${encoding}`, async () => {
        const leadId = await resultOf<number>(test, 'crm.lead.add', { fields: { TITLE: 'Inbound lead' } });
        const answer = await callBitrix(test, 'crm.lead.update', example(leadId, competitorId), encoding);
        expect(answer).toMatchObject({ status: 200, body: { result: true } });

        const lead = await resultOf<Record<string, unknown>>(test, 'crm.lead.get', { id: leadId, select: ['*', 'UF_*'] });
        expect(lead).toMatchObject({
          ID: String(leadId),
          STATUS_ID: 'LOST',
          STATUS_SEMANTIC_ID: 'F',
          [ENUM_FIELD]: String(competitorId),
          [URL_FIELD]: COMPETITOR_URL,
          TITLE: 'Lost Lead - Updated via API',
          NAME: 'John',
          LAST_NAME: 'Doe',
          PHONE: [{ ID: expect.any(String), VALUE_TYPE: 'WORK', VALUE: '+1234567890', TYPE_ID: 'PHONE' }],
          EMAIL: [{ ID: expect.any(String), VALUE_TYPE: 'WORK', VALUE: 'john.doe@example.com', TYPE_ID: 'EMAIL' }],
        });

        // Sending the same request again appends no second phone.
        await resultOf(test, 'crm.lead.update', example(leadId, competitorId), encoding);
        expect((await resultOf<{ PHONE: unknown[] }>(test, 'crm.lead.get', { id: leadId })).PHONE).toHaveLength(1);
      });
    }
  }

  it('says which field the LOST stage still needs when the URL is left out', async () => {
    const leadId = await resultOf<number>(test, 'crm.lead.add', { fields: { TITLE: 'Inbound lead' } });
    const { fields } = EXAMPLES.php(leadId, competitorId);
    const { [URL_FIELD]: _url, ...withoutUrl } = fields;
    const answer = await callBitrix(test, 'crm.lead.update', { id: leadId, fields: withoutUrl }, 'form');
    expect(answer).toEqual({
      status: 400,
      body: {
        error: 'ERROR_CORE',
        error_description: `The field 'Competitor URL' (${URL_FIELD}) is required in stage 'Lost' (LOST) and is missing: send it in the same request.<br />`,
      },
    });
    expect((await resultOf<{ STATUS_ID: string }>(test, 'crm.lead.get', { id: leadId })).STATUS_ID).toBe('NEW');
  });

  it('names the user field to use when the seed\'s unprefixed placeholder names are sent', async () => {
    await resultOf(test, 'crm.lead.userfield.add', { fields: { FIELD_NAME: 'COMPETITOR_URL', USER_TYPE_ID: 'url', EDIT_FORM_LABEL: 'Competitor site' } });
    const leadId = await resultOf<number>(test, 'crm.lead.add', { fields: { TITLE: 'Inbound lead' } });
    const answer = await callBitrix(test, 'crm.lead.update', { id: leadId, fields: { STATUS_ID: 'NEW', COMPETITOR_URL: 'https://example.com' } });
    expect(answer).toEqual({
      status: 400,
      body: {
        error: 'ERROR_CORE',
        error_description: 'COMPETITOR_URL: there is no such field; the user field is named UF_CRM_COMPETITOR_URL, send the value under that name.<br />',
      },
    });
  });
});
