import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createUser, signInCookie, type TestUser } from '../support/access.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('signing in', () => {
  let test: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    test = await startTestApp();
    user = await createUser(test, { login: 'signer' });
  });
  afterAll(() => test.close());

  const signIn = (fields: Record<string, string>) =>
    test.app.inject({ method: 'POST', url: '/oauth/login', headers: FORM, payload: new URLSearchParams(fields).toString() });

  it('shows the sign-in form', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/oauth/login?account=demo' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<input name="account" value="demo" required>');
  });

  it('answers a body it cannot read with the house problem document', async () => {
    const response = await test.app.inject({ method: 'POST', url: '/oauth/login', headers: { 'content-type': 'application/json' }, payload: '{"account":' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json()).toEqual({ title: 'Bad Request', type: 'https://httpstatus.es/400', status: 400, detail: 'Request body is not valid JSON' });
  });

  it('sets an HttpOnly, SameSite=Lax session cookie and redirects to return_to', async () => {
    const response = await signIn({ account: 'demo', login: 'signer', password: user.password, return_to: '/oauth?client_id=x' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/oauth?client_id=x');
    const cookie = response.cookies.find((candidate) => candidate.name === 'fieldwork_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 7 * 24 * 3600 });
    expect(cookie?.secure).toBeUndefined();
  });

  it('finds the login in any letter case, as logins are told apart', async () => {
    const response = await signIn({ account: 'demo', login: 'SIGNER', password: user.password, return_to: '/oauth?client_id=x' });
    expect(response.statusCode).toBe(303);
    expect(response.cookies.map((cookie) => cookie.name)).toEqual(['fieldwork_session']);
  });

  it('refuses a wrong password with 401 and no cookie', async () => {
    const response = await signIn({ account: 'demo', login: 'signer', password: 'not-the-password' });
    expect(response.statusCode).toBe(401);
    expect(response.cookies).toEqual([]);
    expect(response.body).toContain('Wrong account, login or password.');
  });

  it('refuses an unknown account the same way', async () => {
    const response = await signIn({ account: 'nowhere', login: 'signer', password: user.password });
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain('Wrong account, login or password.');
  });

  it('refuses a user who has no password yet', async () => {
    const response = await signIn({ account: 'demo', login: 'admin', password: 'anything-at-all' });
    expect(response.statusCode).toBe(401);
  });

  it('never redirects to another site after signing in', async () => {
    const response = await signIn({ account: 'demo', login: 'signer', password: user.password, return_to: '//evil.example.test/' });
    expect(response.headers.location).toBe('/oauth/login');
  });

  it('does not accept a session cookie as a bearer token', async () => {
    const session = await signInCookie(test, 'demo', 'signer', user.password);
    const secret = session.cookie.split('=')[1];
    const response = await test.app.inject({ method: 'GET', url: '/api/v4/account', headers: { authorization: `Bearer ${secret}` } });
    expect(response.statusCode).toBe(401);
  });

  it('ends the session on sign-out', async () => {
    const session = await signInCookie(test, 'demo', 'signer', user.password);
    const out = await test.app.inject({ method: 'POST', url: '/oauth/logout', headers: session });
    expect(out.statusCode).toBe(303);
    const page = await test.app.inject({ method: 'GET', url: '/oauth/login', headers: session });
    expect(page.body).toContain('Sign in to Fieldwork');
  });

  it('marks the session cookie Secure when the request came over TLS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fieldwork-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) =>
        test.app.routing(req, res),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const setCookie = await new Promise<string[]>((resolve, reject) => {
          const body = new URLSearchParams({ account: 'demo', login: 'signer', password: user.password }).toString();
          const request = httpsRequest(
            { host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/oauth/login', method: 'POST', headers: FORM, rejectUnauthorized: false },
            (response) => {
              response.resume();
              resolve(response.headers['set-cookie'] ?? []);
            },
          );
          request.on('error', reject);
          request.end(body);
        });
        expect(setCookie[0]).toMatch(/^fieldwork_session=[\w-]+; Max-Age=604800; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
