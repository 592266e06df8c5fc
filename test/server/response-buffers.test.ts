import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installResponseBuffers, sendTextPieces } from '../../src/server/response-buffers.js';

/** One-, two-, three- and four-byte characters, different for every `seed`. */
function patternOf(seed: number): string {
  return `${seed}€Жü😀a€€`;
}

/** A body of about `chars` UTF-16 code units. */
function bodyOf(seed: number, chars: number): { seed: number; text: string } {
  const pattern = patternOf(seed);
  return { seed, text: pattern.repeat(Math.floor(chars / pattern.length)) };
}

/** The text of `bodyOf(seed, chars)` in pieces of a few hundred code units, none splitting a character. */
function piecesOf(seed: number, chars: number): string[] {
  const { text } = bodyOf(seed, chars);
  const step = patternOf(seed).length * 50;
  const pieces = [`{"seed":${seed},"text":"`];
  for (let start = 0; start < text.length; start += step) pieces.push(text.slice(start, start + step));
  pieces.push('"}');
  return pieces;
}

/**
 * A GET over a Unix socket, read only after `delayMs`. A Unix socket buffers a few hundred kilobytes,
 * so the server's write of a larger body stays pending until the client reads.
 */
function slowGet(socketPath: string, path: string, delayMs: number): Promise<{ head: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
      socket.pause();
      setTimeout(() => socket.resume(), delayMs);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const raw = Buffer.concat(chunks);
      const split = raw.indexOf('\r\n\r\n');
      resolve({ head: raw.subarray(0, split).toString('latin1'), body: raw.subarray(split + 4) });
    });
  });
}

describe('large response bodies', () => {
  let app: FastifyInstance;
  let base: string;
  let socketPath: string;
  beforeAll(async () => {
    app = Fastify();
    installResponseBuffers(app);
    app.get<{ Params: { seed: string; chars: string } }>('/body/:seed/:chars', async (request) => bodyOf(Number(request.params.seed), Number(request.params.chars)));
    app.get<{ Params: { seed: string; chars: string } }>('/pieces/:seed/:chars', (request, reply) =>
      sendTextPieces(reply.type('application/json'), piecesOf(Number(request.params.seed), Number(request.params.chars))),
    );
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    // The same routes on a Unix socket too: Fastify's own server listens once, so a second server shares its handler.
    socketPath = join(mkdtempSync(join(tmpdir(), 'fieldwork-buffers-')), 'http.sock');
    await new Promise<void>((resolve) => unixServer.listen(socketPath, resolve));
  });
  const unixServer = createServer((request, response) => app.routing(request, response));
  afterAll(async () => {
    await new Promise((resolve) => unixServer.close(resolve));
    await app.close();
  });

  it('arrive byte for byte with their exact Content-Length, small, large and beyond a slab, many at once', async () => {
    // 1,390,000 code units still fit a slab (up to 3 bytes each); 2,000,000 go out as a string.
    const sizes = [100, 70_000, 450_000, 1_390_000, 2_000_000];
    const requests = sizes.flatMap((chars) => [1, 2, 3].map((seed) => ({ seed, chars })));
    const responses = await Promise.all(
      requests.map(async ({ seed, chars }) => {
        const response = await fetch(`${base}/body/${seed}/${chars}`);
        return { seed, chars, length: response.headers.get('content-length'), text: await response.text() };
      }),
    );
    for (const { seed, chars, length, text } of responses) {
      const expected = JSON.stringify(bodyOf(seed, chars));
      expect(text).toBe(expected);
      expect(length).toBe(String(Buffer.byteLength(expected)));
    }
  });

  it('given in pieces, arrive byte for byte as the pieces joined, small, large and beyond a slab, many at once', async () => {
    const sizes = [100, 70_000, 450_000, 1_390_000, 2_000_000];
    const requests = sizes.flatMap((chars) => [4, 5].map((seed) => ({ seed, chars })));
    const responses = await Promise.all(
      requests.map(async ({ seed, chars }) => {
        const response = await fetch(`${base}/pieces/${seed}/${chars}`);
        return { seed, chars, type: response.headers.get('content-type'), length: response.headers.get('content-length'), text: await response.text() };
      }),
    );
    for (const { seed, chars, type, length, text } of responses) {
      const expected = JSON.stringify(bodyOf(seed, chars));
      expect(piecesOf(seed, chars).join('')).toBe(expected);
      expect(text).toBe(expected);
      expect(length).toBe(String(Buffer.byteLength(expected)));
      expect(type).toMatch(/^application\/json/);
    }
  });

  it('keep a body intact while its client reads slowly and other large bodies go out meanwhile', async () => {
    const slow = slowGet(socketPath, '/body/7/450000', 300);
    const others = await Promise.all([8, 9, 10, 11].map((seed) => slowGet(socketPath, `/${seed % 2 ? 'pieces' : 'body'}/${seed}/450000`, 0)));
    others.forEach(({ body }, index) => expect(body.toString('utf8')).toBe(JSON.stringify(bodyOf(8 + index, 450_000))));
    const { head, body } = await slow;
    expect(head).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(body.toString('utf8')).toBe(JSON.stringify(bodyOf(7, 450_000)));
  });
});
