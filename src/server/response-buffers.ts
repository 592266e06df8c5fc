import type { FastifyInstance } from 'fastify';

/** Shorter bodies go out as strings: encoding them into new memory costs little. */
const POOLED_FROM_CHARS = 64 * 1024;
const SLAB_BYTES = 4 * 1024 * 1024;
/** UTF-8 takes at most three bytes per UTF-16 code unit, so a body this long always fits in a slab. */
const POOLED_UP_TO_CHARS = Math.floor(SLAB_BYTES / 3);
/** Slabs kept for reuse; more responses than this in flight at once get slabs of their own. */
const KEPT_SLABS = 8;

/**
 * Encodes large response bodies (a page of 250 leads is some 450 KB of JSON) into reused buffers.
 * Sent as a string, a body is measured for its Content-Length and then encoded into memory allocated
 * for that one response, and on the virtual machines this server is measured on, every first touch
 * of a fresh page costs a page fault: a tenth of a filtered list's time. A slab goes back to the
 * pool only once its response has closed, when the socket no longer holds any of it.
 */
export function installResponseBuffers(app: FastifyInstance): void {
  const free: Buffer[] = [];
  // The callback form: an async hook would cost every response a promise, large or not.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (typeof payload !== 'string' || payload.length < POOLED_FROM_CHARS || payload.length > POOLED_UP_TO_CHARS) {
      done(null, payload);
      return;
    }
    const slab = free.pop() ?? Buffer.allocUnsafeSlow(SLAB_BYTES);
    const length = slab.write(payload, 'utf8');
    reply.raw.once('close', () => {
      if (free.length < KEPT_SLABS) free.push(slab);
    });
    done(null, slab.subarray(0, length));
  });
}
