import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof crypto>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const { digestsEqual, hashTokenSecret } = await import('../../../src/core/access/tokens.js');
const { hashPassword, verifyPassword } = await import('../../../src/core/access/passwords.js');

describe('credential comparison', () => {
  it('compares token digests with crypto.timingSafeEqual', () => {
    vi.mocked(crypto.timingSafeEqual).mockClear();
    const digest = hashTokenSecret('a-secret');
    expect(digestsEqual(digest, hashTokenSecret('a-secret'))).toBe(true);
    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(1);
  });

  it('finds digests that differ only in their last character unequal', () => {
    const digest = hashTokenSecret('a-secret');
    const lastFlipped = digest.slice(0, -1) + (digest.endsWith('0') ? '1' : '0');
    expect(digestsEqual(digest, lastFlipped)).toBe(false);
  });

  it('answers false for digests of different lengths instead of throwing', () => {
    expect(digestsEqual(hashTokenSecret('a-secret'), 'abcd')).toBe(false);
  });

  it('compares password hashes with crypto.timingSafeEqual', async () => {
    const hash = await hashPassword('correct horse battery');
    vi.mocked(crypto.timingSafeEqual).mockClear();
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(1);
  });
});
