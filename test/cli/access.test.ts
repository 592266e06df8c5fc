import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshLocation, type TestLocation } from '../support/backend.js';
import { runCli, storeEnv } from '../support/process.js';
import { openStore } from '../../src/store/store.js';
import { verifyPassword } from '../../src/core/access/passwords.js';
import { hashTokenSecret } from '../../src/core/access/tokens.js';

describe('fieldwork integration and user commands', () => {
  let location: TestLocation;
  let env: Record<string, string>;
  beforeAll(async () => {
    location = await freshLocation();
    env = storeEnv(location.location);
    await runCli(['account', 'create', '--name', 'Cli', '--subdomain', 'cli'], env);
  });
  afterAll(() => location.dispose());

  const withStore = async <T>(work: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>) => {
    const store = await openStore(location.location);
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  };

  it('integration create prints the client id and the secret once, storing only its digest', async () => {
    const result = await runCli(['integration', 'create', '--name', 'Shop', '--redirect-uri', 'https://shop.example.test/cb'], env);
    expect(result.code).toBe(0);
    const match = /^Integration (\d+) "Shop" in account 1\nclient_id: ([0-9a-f-]{36})\nclient_secret \(shown once\): ([\w-]{43})\n$/.exec(result.stdout);
    expect(match).not.toBeNull();
    const stored = await withStore((store) => store.repos.integrations.findByClientId(match?.[2] ?? ''));
    expect(stored?.secretHash).toBe(hashTokenSecret(match?.[3] ?? ''));
  });

  it('integration create refuses a redirect URI that is not http(s)', async () => {
    const result = await runCli(['integration', 'create', '--name', 'Bad', '--redirect-uri', 'ftp://x'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('fieldwork: --redirect-uri must be an http or https URL without a fragment\n');
  });

  it('integration list and revoke manage the integrations of an account', async () => {
    const created = await runCli(['integration', 'create', '--name', 'Doomed', '--redirect-uri', 'https://d.example.test/', '--account', '1'], env);
    const id = /^Integration (\d+)/.exec(created.stdout)?.[1] ?? '';
    const revoked = await runCli(['integration', 'revoke', id], env);
    expect(revoked.stdout).toBe(`Revoked integration ${id} and its tokens\n`);
    const listed = await runCli(['integration', 'list'], env);
    expect(listed.stdout.split('\n').find((line) => line.startsWith(`${id}\t`))).toMatch(/\tDoomed\thttps:\/\/d\.example\.test\/\t\d+\t\d+$/);
  });

  it('user create adds a user who signs in with the login and the password from FIELDWORK_PASSWORD', async () => {
    const result = await runCli(['user', 'create', '--login', 'maria', '--name', 'Maria', '--email', 'maria@example.test'], { ...env, FIELDWORK_PASSWORD: 'a long enough secret' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Added user \d+ \(login "maria"\) to account 1\n$/);
    const found = await withStore((store) => store.repos.users.findByLogin(1, 'maria'));
    expect(found?.user).toMatchObject({ name: 'Maria', email: 'maria@example.test', role: 'user' });
    expect(await verifyPassword('a long enough secret', found?.passwordHash ?? null)).toBe(true);
  });

  it('user create --admin adds an administrator, reading the password from stdin', async () => {
    const result = await runCli(['user', 'create', '--login', 'boss@example.test', '--name', 'Boss', '--admin'], env, 'a long enough secret\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Added administrator \d+ \(login "boss@example.test"\) to account 1\n$/);
    const found = await withStore((store) => store.repos.users.findByLogin(1, 'boss@example.test'));
    expect(found?.user).toMatchObject({ email: 'boss@example.test', role: 'admin' });
  });

  it('user create names every problem by its option and adds nobody', async () => {
    const result = await runCli(['user', 'create', '--login', 'admin', '--name', 'Twin'], { ...env, FIELDWORK_PASSWORD: 'short' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      [
        'fieldwork: --email: This value is not a valid email address.',
        '--login: A user of this account already signs in with this login.',
        '$FIELDWORK_PASSWORD: This value is not a valid password: a password needs at least 8 characters.',
        '',
      ].join('\n'),
    );
    expect(await withStore((store) => store.repos.users.list(1))).toHaveLength(3);
  });

  it('user password sets a scrypt password read from FIELDWORK_PASSWORD', async () => {
    const result = await runCli(['user', 'password', '--login', 'admin', '--account', '1'], { ...env, FIELDWORK_PASSWORD: 'a long enough secret' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Set the password of user \d+ \(login "admin"\) in account 1\n$/);
    const found = await withStore((store) => store.repos.users.findByLogin(1, 'admin'));
    expect(await verifyPassword('a long enough secret', found?.passwordHash ?? null)).toBe(true);
  });

  it('user password refuses a password that is too short', async () => {
    const result = await runCli(['user', 'password', '--login', 'admin'], { ...env, FIELDWORK_PASSWORD: 'short' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('fieldwork: a password needs at least 8 characters\n');
  });

  it('user password refuses an unknown login', async () => {
    const result = await runCli(['user', 'password', '--login', 'ghost'], { ...env, FIELDWORK_PASSWORD: 'a long enough secret' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('fieldwork: no user with login "ghost" in account 1\n');
  });
});
