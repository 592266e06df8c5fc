import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from '../../../src/core/access/passwords.js';

describe('password hashing', () => {
  it('stores scrypt with its parameters and a salt, never the password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(hash).not.toContain('correct horse');
  });

  it('salts every hash, so one password hashes differently twice', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('verifies the right password', async () => {
    expect(await verifyPassword('correct horse battery', await hashPassword('correct horse battery'))).toBe(true);
  });

  it('refuses a wrong password', async () => {
    expect(await verifyPassword('wrong horse battery', await hashPassword('correct horse battery'))).toBe(false);
  });

  it('refuses every password when none is set or the hash is malformed', async () => {
    expect(await verifyPassword('anything at all', null)).toBe(false);
    expect(await verifyPassword('anything at all', 'scrypt$garbage')).toBe(false);
  });

  it('treats composed and decomposed Unicode as the same password', async () => {
    expect(await verifyPassword('caf\u0065\u0301-secret', await hashPassword('caf\u00e9-secret'))).toBe(true);
  });

  it('names what is wrong with a password that is too short', () => {
    expect(passwordProblem('short')).toBe('a password needs at least 8 characters');
    expect(passwordProblem('long enough')).toBeNull();
  });
});
