import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshLocation, type TestLocation } from '../support/backend.js';
import { runCli, storeEnv } from '../support/process.js';

describe('fieldwork commands', () => {
  let location: TestLocation;
  let env: Record<string, string>;
  beforeAll(async () => {
    location = await freshLocation();
    env = storeEnv(location.location);
  });
  afterAll(() => location.dispose());

  it('migrate applies the migrations once and then reports the store up to date', async () => {
    const first = await runCli(['migrate'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Applied 001_foundation/);
    const second = await runCli(['migrate'], env);
    expect(second.stdout).toMatch(/is up to date\n$/);
  });

  it('account create makes a second account with its own admin and token', async () => {
    const result = await runCli(['account', 'create', '--name', 'Acme', '--subdomain', 'acme'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Created account \d+ "acme" with admin user \d+ \(login "admin"\)\.\nAdmin API token \(shown once\): [\w-]{43}\n$/);
  });

  it('account create refuses a taken subdomain', async () => {
    await runCli(['account', 'create', '--name', 'Twice', '--subdomain', 'twice'], env);
    const result = await runCli(['account', 'create', '--name', 'Twice', '--subdomain', 'twice'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('fieldwork: subdomain "twice" is taken\n');
  });

  it('token create, list and revoke manage the tokens of an account', async () => {
    const created = await runCli(['account', 'create', '--name', 'Tokens', '--subdomain', 'tokens'], env);
    const accountId = /Created account (\d+)/.exec(created.stdout)?.[1] ?? '';
    const made = await runCli(['token', 'create', '--account', accountId, '--name', 'ci'], env);
    expect(made.code).toBe(0);
    const tokenId = /^Token (\d+)/.exec(made.stdout)?.[1] ?? '';

    const listed = await runCli(['token', 'list', '--account', accountId], env);
    expect(listed.stdout.split('\n').filter((line) => line.startsWith(`${tokenId}\t`))[0]).toMatch(/\tci\t\d+\t-\t-$/);

    const revoked = await runCli(['token', 'revoke', tokenId, '--account', accountId], env);
    expect(revoked.stdout).toBe(`Revoked token ${tokenId}\n`);
    const again = await runCli(['token', 'revoke', tokenId, '--account', accountId], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`fieldwork: no active token ${tokenId} in account ${accountId}\n`);
  });

  it('rejects an unknown command with the usage', async () => {
    const result = await runCli(['fly'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^fieldwork: unknown command "fly"\n\nUsage: fieldwork <command>/);
  });
});
