import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secondAccount, startTestApp, type TestApp } from '../../support/app.js';
import { createUser } from '../../support/access.js';
import { BASE, kommo, problemOf, validationErrors } from '../../support/kommo.js';

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

interface StatusJson {
  id: number;
  name: string;
  sort: number;
  type: number;
  color: string;
  is_editable: boolean;
}
interface PipelineJson {
  id: number;
  name: string;
  is_main: boolean;
  _embedded: { statuses: StatusJson[] };
}

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, auth = test.auth) => kommo(test, method, url, payload, auth);

async function pipelines(): Promise<PipelineJson[]> {
  return ((await call('GET', '/api/v4/leads/pipelines')).body as { _embedded: { pipelines: PipelineJson[] } })._embedded.pipelines;
}

async function createPipeline(body: Record<string, unknown> = {}): Promise<PipelineJson> {
  const response = await call('POST', '/api/v4/leads/pipelines', [{ name: 'Second', _embedded: { statuses: [{ name: 'Working', color: '#fffeb2' }] }, ...body }]);
  expect(response.status).toBe(200);
  return (response.body as { _embedded: { pipelines: PipelineJson[] } })._embedded.pipelines[0]!;
}

function working(pipeline: PipelineJson): StatusJson[] {
  return pipeline._embedded.statuses.filter((status) => status.type === 0 && status.id !== 142 && status.id !== 143);
}

async function addLead(pipelineId: number, statusId: number): Promise<void> {
  const response = await call('POST', '/api/v4/leads', [{ name: 'Deal', pipeline_id: pipelineId, status_id: statusId }]);
  expect(response.status).toBe(200);
}

describe('GET /api/v4/leads/pipelines', () => {
  it('lists the default pipeline with its stages in Kommo\'s HAL shape', async () => {
    const response = await call('GET', '/api/v4/leads/pipelines');
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/hal+json');
    const [main] = await pipelines();
    const status = (id: number, name: string, sort: number, color: string, type: number, editable: boolean) => ({
      id,
      name,
      sort,
      is_editable: editable,
      pipeline_id: main!.id,
      color,
      type,
      account_id: 1,
      _links: { self: { href: `${BASE}/api/v4/leads/pipelines/${main!.id}/statuses/${id}` } },
    });
    const ids = main!._embedded.statuses.map((one) => one.id);
    expect(response.body).toEqual({
      _total_items: 1,
      _links: { self: { href: `${BASE}/api/v4/leads/pipelines` } },
      _embedded: {
        pipelines: [
          {
            id: main!.id,
            name: 'Sales pipeline',
            sort: 1,
            is_main: true,
            is_unsorted_on: true,
            is_archive: false,
            account_id: 1,
            _links: { self: { href: `${BASE}/api/v4/leads/pipelines/${main!.id}` } },
            _embedded: {
              statuses: [
                status(ids[0]!, 'Incoming leads', 10, '#c1c1c1', 1, false),
                status(ids[1]!, 'Initial contact', 20, '#99ccff', 0, true),
                status(ids[2]!, 'Negotiation', 30, '#ffff99', 0, true),
                status(ids[3]!, 'Decision making', 40, '#ffcc66', 0, true),
                status(142, 'Closed - won', 10000, '#ccff66', 0, false),
                status(143, 'Closed - lost', 11000, '#d5d8db', 0, false),
              ],
            },
          },
        ],
      },
    });
  });

  it('lets a user who is not an administrator read the pipelines', async () => {
    const user = await createUser(test, { login: 'reader' });
    expect((await call('GET', '/api/v4/leads/pipelines', undefined, user.auth)).status).toBe(200);
  });

  it('shows another account only its own pipeline and none of the first account\'s', async () => {
    const [main] = await pipelines();
    const other = await secondAccount(test);
    const list = (await call('GET', '/api/v4/leads/pipelines', undefined, other.auth)).body as { _embedded: { pipelines: PipelineJson[] } };
    expect(list._embedded.pipelines.map((pipeline) => pipeline.id)).not.toContain(main!.id);
    expect(await call('GET', `/api/v4/leads/pipelines/${main!.id}`, undefined, other.auth)).toMatchObject({ status: 404 });
  });
});

describe('POST /api/v4/leads/pipelines', () => {
  it('creates a pipeline with incoming leads, its working stages and the fixed stages 142 and 143', async () => {
    const response = await call('POST', '/api/v4/leads/pipelines', [
      {
        name: 'Partners',
        sort: 20,
        is_main: false,
        is_unsorted_on: true,
        request_id: 'p1',
        _embedded: { statuses: [{ name: 'Qualified', sort: 10, color: '#FFFEB2' }, { name: 'Proposal', color: '#98cbff' }, { id: 142, name: 'Signed' }] },
      },
    ]);
    expect(response.status).toBe(200);
    const created = (response.body as { _total_items: number; _embedded: { pipelines: (PipelineJson & { request_id: string })[] } });
    expect(created._total_items).toBe(1);
    const pipeline = created._embedded.pipelines[0]!;
    expect(pipeline).toMatchObject({ name: 'Partners', sort: 20, is_main: false, is_unsorted_on: true, is_archive: false, request_id: 'p1' });
    expect(pipeline._embedded.statuses.map(({ id, name, type, color, is_editable }) => ({ id, name, type, color, is_editable }))).toEqual([
      { id: expect.any(Number), name: 'Incoming leads', type: 1, color: '#c1c1c1', is_editable: false },
      { id: expect.any(Number), name: 'Qualified', type: 0, color: '#fffeb2', is_editable: true },
      { id: expect.any(Number), name: 'Proposal', type: 0, color: '#98cbff', is_editable: true },
      { id: 142, name: 'Signed', type: 0, color: '#ccff66', is_editable: false },
      { id: 143, name: 'Closed - lost', type: 0, color: '#d5d8db', is_editable: false },
    ]);
    expect((await pipelines()).map((one) => one.name)).toEqual(['Sales pipeline', 'Partners']);
  });

  it('refuses a sort outside 32 bits for the pipeline and each of its stages, and writes nothing', async () => {
    const response = await call('POST', '/api/v4/leads/pipelines', [{ name: 'Far', sort: 2 ** 31, _embedded: { statuses: [{ name: 'Stage', sort: -(2 ** 31) - 1 }] } }]);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ 'validation-errors': [
      {
        request_id: '0',
        errors: [
          { code: 'OutOfRange', path: 'sort', detail: 'This value should be between -2147483648 and 2147483647.' },
          { code: 'OutOfRange', path: '_embedded.statuses.0.sort', detail: 'This value should be between -2147483648 and 2147483647.' },
        ],
      },
    ] });
    const list = await call('GET', '/api/v4/leads/pipelines');
    expect((list.body as { _embedded: { pipelines: unknown[] } })._embedded.pipelines).toHaveLength(1);
  });

  it('gives new stages process semantics and a code derived from their id, for other dialects to map', async () => {
    const pipeline = await createPipeline();
    const [stage] = working(pipeline);
    const stored = (await test.store.repos.pipelines.list(1)).find((one) => one.id === pipeline.id)!;
    expect(stored.statuses.find((status) => status.id === stage!.id)).toMatchObject({ code: `UC_${stage!.id}`, semantics: 'process' });
    expect(stored.statuses.find((status) => status.id === 142)).toMatchObject({ code: 'CONVERTED', semantics: 'success' });
  });

  it('makes a new pipeline created with is_main the only main pipeline', async () => {
    const created = await createPipeline({ is_main: true });
    expect((await pipelines()).map((pipeline) => [pipeline.id === created.id, pipeline.is_main])).toEqual([
      [false, false],
      [true, true],
    ]);
  });

  it('names every invalid item of the batch by its request id and path', async () => {
    const response = await call('POST', '/api/v4/leads/pipelines', [
      { _embedded: { statuses: [{ name: 'A' }] } },
      { name: 'Colours', request_id: 'r2', _embedded: { statuses: [{ name: 'B', color: '#123456' }, { id: 7, name: 'C' }] } },
    ]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      validationErrors(
        { request_id: '0', errors: [{ code: 'FieldMissing', path: 'name', detail: 'This field is missing.' }] },
        {
          request_id: 'r2',
          errors: [
            { code: 'NotSupportedChoice', path: '_embedded.statuses.0.color', detail: 'The value you selected is not a valid choice.' },
            { code: 'NotSupportedChoice', path: '_embedded.statuses.1.id', detail: 'Only the fixed stages 142 and 143 can be named by id.' },
          ],
        },
      ),
    );
    expect(await pipelines()).toHaveLength(1);
  });

  it('refuses a pipeline without a working stage', async () => {
    const response = await call('POST', '/api/v4/leads/pipelines', [{ name: 'Empty' }]);
    expect(response.body).toEqual(
      validationErrors({ request_id: '0', errors: [{ code: 'TooFew', path: '_embedded.statuses', detail: 'A pipeline needs at least one working stage.' }] }),
    );
  });

  it('answers 422 when the account would have more than 50 pipelines', async () => {
    const batch = (count: number) => Array.from({ length: count }, (_, index) => ({ name: `P${index}`, _embedded: { statuses: [{ name: 'Work' }] } }));
    expect((await call('POST', '/api/v4/leads/pipelines', batch(49))).status).toBe(200);
    const response = await call('POST', '/api/v4/leads/pipelines', batch(1));
    expect(response.status).toBe(422);
    expect(response.body).toEqual(problemOf(422, 'Unprocessable Entity', 'An account can have at most 50 pipelines'));
  });

  it('answers 422 for a pipeline of more than 100 stages, the three system stages included', async () => {
    const stages = (count: number) => Array.from({ length: count }, (_, index) => ({ name: `S${index}` }));
    expect((await call('POST', '/api/v4/leads/pipelines', [{ name: 'Full', _embedded: { statuses: stages(97) } }])).status).toBe(200);
    const response = await call('POST', '/api/v4/leads/pipelines', [{ name: 'Too full', _embedded: { statuses: stages(98) } }]);
    expect(response.status).toBe(422);
    expect(response.body).toEqual(problemOf(422, 'Unprocessable Entity', 'A pipeline can have at most 100 stages, system stages included'));
  });

  it('refuses a user who is not an administrator with 403', async () => {
    const user = await createUser(test, { login: 'manager' });
    const response = await call('POST', '/api/v4/leads/pipelines', [{ name: 'Mine', _embedded: { statuses: [{ name: 'A' }] } }], user.auth);
    expect(response.status).toBe(403);
    expect(response.body).toEqual(problemOf(403, 'Forbidden', 'Only administrators can change pipelines'));
  });
});

describe('GET, PATCH and DELETE /api/v4/leads/pipelines/{id}', () => {
  it('returns one pipeline', async () => {
    const created = await createPipeline();
    const response = await call('GET', `/api/v4/leads/pipelines/${created.id}`);
    expect(response.status).toBe(200);
    // The created answer differs only by the echoed request id.
    expect(response.body).toEqual({ ...created, request_id: undefined });
  });

  it('answers an unknown pipeline with 404', async () => {
    const response = await call('GET', '/api/v4/leads/pipelines/999999');
    expect(response.status).toBe(404);
    expect(response.body).toEqual(problemOf(404, 'Not Found', 'Pipeline not found'));
  });

  it('renames and re-sorts a pipeline', async () => {
    const created = await createPipeline();
    const response = await call('PATCH', `/api/v4/leads/pipelines/${created.id}`, { name: 'Renamed', sort: 99 });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: created.id, name: 'Renamed', sort: 99, is_main: false });
  });

  it('moves "main" to the pipeline patched with is_main: true', async () => {
    const [main] = await pipelines();
    const created = await createPipeline();
    expect((await call('PATCH', `/api/v4/leads/pipelines/${created.id}`, { is_main: true })).status).toBe(200);
    const after = await pipelines();
    expect(after.find((pipeline) => pipeline.id === main!.id)!.is_main).toBe(false);
    expect(after.find((pipeline) => pipeline.id === created.id)!.is_main).toBe(true);
  });

  it('refuses to unset is_main on the main pipeline', async () => {
    const [main] = await pipelines();
    const response = await call('PATCH', `/api/v4/leads/pipelines/${main!.id}`, { is_main: false });
    expect(response.body).toEqual(
      validationErrors({ request_id: '0', errors: [{ code: 'NotEditable', path: 'is_main', detail: 'There must be a main pipeline: make another pipeline main instead.' }] }),
    );
  });

  it('refuses to archive the main pipeline', async () => {
    const [main] = await pipelines();
    const response = await call('PATCH', `/api/v4/leads/pipelines/${main!.id}`, { is_archive: true });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ 'validation-errors': [{ errors: [{ code: 'NotEditable', path: 'is_archive' }] }] });
  });

  it('refuses a pipeline change from a user who is not an administrator', async () => {
    const [main] = await pipelines();
    const user = await createUser(test, { login: 'manager' });
    expect((await call('PATCH', `/api/v4/leads/pipelines/${main!.id}`, { name: 'Mine' }, user.auth)).status).toBe(403);
  });

  it('deletes an empty pipeline with its stages', async () => {
    const created = await createPipeline();
    const response = await call('DELETE', `/api/v4/leads/pipelines/${created.id}`);
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
    expect((await call('GET', `/api/v4/leads/pipelines/${created.id}`)).status).toBe(404);
  });

  it('refuses to delete the main pipeline', async () => {
    const [main] = await pipelines();
    const response = await call('DELETE', `/api/v4/leads/pipelines/${main!.id}`);
    expect(response.body).toEqual(validationErrors({ request_id: '0', errors: [{ code: 'NotDeletable', path: 'id', detail: 'The main pipeline cannot be deleted.' }] }));
  });

  it('refuses to delete a pipeline that holds leads', async () => {
    const created = await createPipeline();
    await addLead(created.id, working(created)[0]!.id);
    const response = await call('DELETE', `/api/v4/leads/pipelines/${created.id}`);
    expect(response.body).toEqual(
      validationErrors({ request_id: '0', errors: [{ code: 'NotDeletable', path: 'id', detail: 'The pipeline holds leads; move them to another pipeline first.' }] }),
    );
  });

  it('answers a delete of an unknown pipeline with 404', async () => {
    expect((await call('DELETE', '/api/v4/leads/pipelines/999999')).status).toBe(404);
  });
});

describe('/api/v4/leads/pipelines/{pipeline_id}/statuses', () => {
  it('lists the stages of a pipeline', async () => {
    const created = await createPipeline();
    const response = await call('GET', `/api/v4/leads/pipelines/${created.id}/statuses`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      _total_items: 4,
      _links: { self: { href: `${BASE}/api/v4/leads/pipelines/${created.id}/statuses` } },
      _embedded: { statuses: created._embedded.statuses },
    });
  });

  it('adds working stages after the last one, echoing request ids', async () => {
    const created = await createPipeline();
    const response = await call('POST', `/api/v4/leads/pipelines/${created.id}/statuses`, [{ name: 'Demo', color: '#87f2c0', request_id: 'x' }, { name: 'Trial' }]);
    expect(response.status).toBe(200);
    const body = response.body as { _total_items: number; _embedded: { statuses: (StatusJson & { request_id: string })[] } };
    expect(body._total_items).toBe(2);
    expect(body._embedded.statuses.map(({ name, sort, color, type, request_id }) => ({ name, sort, color, type, request_id }))).toEqual([
      { name: 'Demo', sort: 30, color: '#87f2c0', type: 0, request_id: 'x' },
      { name: 'Trial', sort: 40, color: '#fffeb2', type: 0, request_id: '1' },
    ]);
  });

  it('answers 422 when a pipeline would have more than 100 stages', async () => {
    const created = await createPipeline();
    const stages = (count: number) => Array.from({ length: count }, (_, index) => ({ name: `S${index}` }));
    expect((await call('POST', `/api/v4/leads/pipelines/${created.id}/statuses`, stages(96))).status).toBe(200);
    const response = await call('POST', `/api/v4/leads/pipelines/${created.id}/statuses`, stages(1));
    expect(response.status).toBe(422);
    expect(response.body).toEqual(problemOf(422, 'Unprocessable Entity', 'A pipeline can have at most 100 stages, system stages included'));
  });

  it('returns one stage and answers an unknown one with 404', async () => {
    const created = await createPipeline();
    const stage = working(created)[0]!;
    expect((await call('GET', `/api/v4/leads/pipelines/${created.id}/statuses/${stage.id}`)).body).toEqual(stage);
    const missing = await call('GET', `/api/v4/leads/pipelines/${created.id}/statuses/999999`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(problemOf(404, 'Not Found', 'Status not found'));
  });

  it('changes a working stage\'s name, sort and colour', async () => {
    const created = await createPipeline();
    const stage = working(created)[0]!;
    const response = await call('PATCH', `/api/v4/leads/pipelines/${created.id}/statuses/${stage.id}`, { name: 'Hot', sort: 15, color: '#ff8f92' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: stage.id, name: 'Hot', sort: 15, color: '#ff8f92', pipeline_id: created.id });
  });

  it('refuses a colour outside the palette', async () => {
    const created = await createPipeline();
    const stage = working(created)[0]!;
    const response = await call('PATCH', `/api/v4/leads/pipelines/${created.id}/statuses/${stage.id}`, { color: 'red' });
    expect(response.body).toEqual(
      validationErrors({ request_id: '0', errors: [{ code: 'NotSupportedChoice', path: 'color', detail: 'The value you selected is not a valid choice.' }] }),
    );
  });

  it('renames the fixed stage 142 of one pipeline only', async () => {
    const created = await createPipeline();
    const response = await call('PATCH', `/api/v4/leads/pipelines/${created.id}/statuses/142`, { name: 'Paid' });
    expect(response.body).toMatchObject({ id: 142, name: 'Paid', pipeline_id: created.id });
    const [main] = await pipelines();
    expect(main!._embedded.statuses.find((status) => status.id === 142)!.name).toBe('Closed - won');
  });

  it('keeps a system stage in its place', async () => {
    const created = await createPipeline();
    const response = await call('PATCH', `/api/v4/leads/pipelines/${created.id}/statuses/143`, { sort: 5 });
    expect(response.body).toEqual(validationErrors({ request_id: '0', errors: [{ code: 'NotEditable', path: 'sort', detail: 'A system stage keeps its place.' }] }));
  });

  it('deletes an empty working stage', async () => {
    const created = await createPipeline({ _embedded: { statuses: [{ name: 'One' }, { name: 'Two' }] } });
    const stage = working(created)[0]!;
    expect((await call('DELETE', `/api/v4/leads/pipelines/${created.id}/statuses/${stage.id}`)).status).toBe(204);
    expect((await call('GET', `/api/v4/leads/pipelines/${created.id}/statuses/${stage.id}`)).status).toBe(404);
  });

  it.each([
    ['won', 142],
    ['lost', 143],
  ])('refuses to delete the fixed %s stage', async (_name, statusId) => {
    const created = await createPipeline();
    const response = await call('DELETE', `/api/v4/leads/pipelines/${created.id}/statuses/${statusId}`);
    expect(response.body).toEqual(
      validationErrors({ request_id: '0', errors: [{ code: 'NotDeletable', path: 'id', detail: 'The incoming leads, Closed - won and Closed - lost stages cannot be deleted.' }] }),
    );
  });

  it('refuses to delete the incoming leads stage', async () => {
    const created = await createPipeline();
    const incoming = created._embedded.statuses.find((status) => status.type === 1)!;
    expect((await call('DELETE', `/api/v4/leads/pipelines/${created.id}/statuses/${incoming.id}`)).status).toBe(400);
  });

  it('refuses to delete the last working stage of a pipeline', async () => {
    const created = await createPipeline();
    const response = await call('DELETE', `/api/v4/leads/pipelines/${created.id}/statuses/${working(created)[0]!.id}`);
    expect(response.body).toEqual(validationErrors({ request_id: '0', errors: [{ code: 'NotDeletable', path: 'id', detail: 'A pipeline needs at least one working stage.' }] }));
  });

  it('refuses to delete a stage that holds leads', async () => {
    const created = await createPipeline({ _embedded: { statuses: [{ name: 'One' }, { name: 'Two' }] } });
    const stage = working(created)[0]!;
    await addLead(created.id, stage.id);
    const response = await call('DELETE', `/api/v4/leads/pipelines/${created.id}/statuses/${stage.id}`);
    expect(response.body).toEqual(
      validationErrors({ request_id: '0', errors: [{ code: 'NotDeletable', path: 'id', detail: 'The stage holds leads; move them to another stage first.' }] }),
    );
  });

  it('refuses stage changes from a user who is not an administrator', async () => {
    const created = await createPipeline();
    const user = await createUser(test, { login: 'manager' });
    expect((await call('POST', `/api/v4/leads/pipelines/${created.id}/statuses`, [{ name: 'Mine' }], user.auth)).status).toBe(403);
    expect((await call('DELETE', `/api/v4/leads/pipelines/${created.id}/statuses/${working(created)[0]!.id}`, undefined, user.auth)).status).toBe(403);
  });

  it('lists the pipeline routes in the OpenAPI document', async () => {
    const document = (await test.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v4/leads/pipelines', '/api/v4/leads/pipelines/{id}', '/api/v4/leads/pipelines/{pipeline_id}/statuses', '/api/v4/leads/pipelines/{pipeline_id}/statuses/{id}']),
    );
  });
});
