import { connect, createServer } from 'node:net';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { freshLocation, type TestLocation } from '../support/backend.js';
import { runCli, startServerProcess, storeEnv } from '../support/process.js';

const TOKEN = 'process-test-token-0123456789';

describe('fieldwork serve', () => {
  let location: TestLocation | undefined;
  afterEach(async () => {
    await location?.dispose();
    location = undefined;
  });

  it('prints the URL and the token on the first start, and keeps data across a restart', async () => {
    location = await freshLocation();
    const env = { ...storeEnv(location.location), FIELDWORK_BOOTSTRAP_TOKEN: TOKEN };
    const first = await startServerProcess(env);
    expect(first.stdout()).toContain(`Admin API token (shown once): ${TOKEN}`);
    expect(await first.stop()).toBe(0);

    const second = await startServerProcess(env);
    try {
      expect(second.stdout()).not.toContain('token');
      const response = await fetch(`${second.url}/api/v4/account`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: 1, subdomain: 'demo' });
    } finally {
      await second.stop();
    }
  });

  it('finishes an in-flight request before it exits on SIGTERM', async () => {
    location = await freshLocation();
    const server = await startServerProcess({ ...storeEnv(location.location), FIELDWORK_BOOTSTRAP_TOKEN: TOKEN });
    const { hostname, port } = new URL(server.url);
    const body = JSON.stringify([{ name: 'in flight' }]);
    const socket = connect(Number(port), hostname);
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    // Headers and half the body; the server's 100 Continue proves it has the request under way.
    const underWay = new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.write(
      `POST /api/v4/leads HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${TOKEN}\r\nExpect: 100-continue\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`,
    );
    await underWay;
    const exit = server.stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The rest of the body, without half-closing: a client FIN would make Node abort the request.
    socket.write(body.slice(5));
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK/);
    expect(await exit).toBe(0);
  });
});

describe('bad configuration', () => {
  it('reports an unreachable PostgreSQL in one line and exits 1', async () => {
    const result = await runCli(['serve'], { DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/none' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('fieldwork: cannot connect to PostgreSQL at postgres://postgres:***@127.0.0.1:1/none (ECONNREFUSED)\n');
  });

  it('reports a DATABASE_URL that is not PostgreSQL', async () => {
    const result = await runCli(['serve'], { DATABASE_URL: 'mysql://localhost/x' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('fieldwork: DATABASE_URL must start with postgres:// or postgresql://\n');
  });

  it('reports a port that is not a number', async () => {
    const result = await runCli(['serve'], { PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('fieldwork: PORT must be an integer from 0 to 65535, got "eighty"\n');
  });

  it('reports a port in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const dir = mkdtempSync(join(tmpdir(), 'fieldwork-port-'));
    try {
      const result = await runCli(['serve'], { PORT: String(port), FIELDWORK_DATA_DIR: dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`fieldwork: port ${port} on 127.0.0.1 is already in use\n`);
    } finally {
      blocker.close();
    }
  });

  it('reports a data directory that cannot be written', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'fieldwork-file-'));
    const file = join(parent, 'not-a-directory');
    writeFileSync(file, 'x');
    const result = await runCli(['serve'], { FIELDWORK_DATA_DIR: join(file, 'data') });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`fieldwork: data directory ${join(file, 'data')} is not writable (ENOTDIR)\n`);
  });

  it('reports an unknown log level', async () => {
    const result = await runCli(['serve'], { LOG_LEVEL: 'loud' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('fieldwork: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent\n');
  });
});
