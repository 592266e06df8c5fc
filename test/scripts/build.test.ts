import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle } from '../../scripts/build.js';
import { startServerProcess, storeEnv, type ServerProcess } from '../support/process.js';
import { freshLocation, type TestLocation } from '../support/backend.js';

const TOKEN = 'bundle-test-token-0123456789';

/** `npm start` runs the bundle, not the TypeScript the other tests run: this starts the bundle itself. */
describe('the bundled server, dist/fieldwork.mjs', () => {
  let location: TestLocation;
  let script: string;
  let server: ServerProcess;
  const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    location = await freshLocation();
    // Beside the sources' node_modules, so the libraries left out of the bundle resolve as they do from dist/.
    script = join(process.cwd(), 'dist', `fieldwork-test-${process.pid}.mjs`);
    await bundle(script);
    server = await startServerProcess({ ...storeEnv(location.location), FIELDWORK_BOOTSTRAP_TOKEN: TOKEN, FIELDWORK_RATE_LIMIT: '0' }, script);
  });
  afterAll(async () => {
    await server?.stop('SIGTERM');
    await Promise.all([rm(script, { force: true }), rm(`${script}.map`, { force: true })]);
    await location?.dispose();
  });

  it('uses no __dirname or __filename, which an ES module does not define', async () => {
    expect(await readFile(script, 'utf8')).not.toMatch(/\b__(dirname|filename)\b/);
  });

  it('writes and reads a lead through the Kommo API', async () => {
    const created = await fetch(`${server.url}/api/v4/leads`, { method: 'POST', headers: auth, body: JSON.stringify([{ name: 'From the bundle', price: 5 }]) });
    expect(created.status).toBe(200);
    const id = ((await created.json()) as { _embedded: { leads: { id: number }[] } })._embedded.leads[0]!.id;
    const read = await fetch(`${server.url}/api/v4/leads/${id}`, { headers: auth });
    expect(await read.json()).toMatchObject({ id, name: 'From the bundle', price: 5 });
  });

  it('serves the OpenAPI document and the swagger-ui assets it reads from its package', async () => {
    const document = await fetch(`${server.url}/openapi.json`);
    expect(((await document.json()) as { openapi: string }).openapi).toBe('3.1.0');
    const page = await fetch(`${server.url}/docs/static/index.html`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
  });
});
