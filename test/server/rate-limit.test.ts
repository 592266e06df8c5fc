import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createUser } from '../support/access.js';

const NOW = 1_750_000_000;
const TOO_MANY = {
  title: 'Too Many Requests',
  type: 'https://httpstatus.es/429',
  status: 429,
  detail: 'You have sent too many requests in a given amount of time. Please try again later.',
  retry_after: 1,
};

describe('rate limits', () => {
  let test: TestApp | undefined;
  let now = NOW;
  afterEach(async () => {
    await test?.close();
    test = undefined;
    now = NOW;
  });

  const start = async (requestsPerSecond: number, authFailuresPerMinute = 0) => {
    test = await startTestApp({ clock: () => now, limits: { requestsPerSecond, authFailuresPerMinute } });
    return test;
  };
  const statuses = async (app: TestApp, count: number, headers: Record<string, string> = app.auth) => {
    const codes: number[] = [];
    for (let i = 0; i < count; i++) codes.push((await app.app.inject({ method: 'GET', url: '/api/v4/account', headers })).statusCode);
    return codes;
  };

  it('leaves the test harness unlimited when no limits are asked for', async () => {
    test = await startTestApp({ clock: () => now });
    expect(await statuses(test, 20)).toEqual(Array(20).fill(200));
  });

  it('answers the request over the per-second limit with Kommo\'s 429', async () => {
    const app = await start(3);
    expect(await statuses(app, 3)).toEqual([200, 200, 200]);
    const response = await app.app.inject({ method: 'GET', url: '/api/v4/account', headers: app.auth });
    expect(response.statusCode).toBe(429);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body).toBe(JSON.stringify(TOO_MANY));
  });

  it('lets requests through again in the next second', async () => {
    const app = await start(2);
    expect(await statuses(app, 3)).toEqual([200, 200, 429]);
    now += 1;
    expect(await statuses(app, 1)).toEqual([200]);
  });

  it('counts each token on its own', async () => {
    const app = await start(2);
    const other = await createUser(app, { login: 'second-token' });
    expect(await statuses(app, 3)).toEqual([200, 200, 429]);
    expect(await statuses(app, 2, other.auth)).toEqual([200, 200]);
  });

  it('lets an account\'s own setting override the server default', async () => {
    const app = await start(2);
    await app.store.db.updateTable('accounts').set({ settings: JSON.stringify({ rateLimit: 4 }) }).where('id', '=', 1).execute();
    expect(await statuses(app, 5)).toEqual([200, 200, 200, 200, 429]);
  });

  it('turns limiting off with 0', async () => {
    const app = await start(0);
    expect(await statuses(app, 20)).toEqual(Array(20).fill(200));
  });

  it('lets an account limit itself even when the server default is off', async () => {
    const app = await start(0);
    await app.store.db.updateTable('accounts').set({ settings: JSON.stringify({ rateLimit: 1 }) }).where('id', '=', 1).execute();
    expect(await statuses(app, 2)).toEqual([200, 429]);
  });

  it('applies a changed account limit from the next second', async () => {
    const app = await start(0);
    expect(await statuses(app, 1)).toEqual([200]);
    await app.store.db.updateTable('accounts').set({ settings: JSON.stringify({ rateLimit: 1 }) }).where('id', '=', 1).execute();
    expect(await statuses(app, 2)).toEqual([200, 200]);
    now += 1;
    expect(await statuses(app, 2)).toEqual([200, 429]);
  });

  it('refuses an IP after too many failed authentications, even with a valid token', async () => {
    const app = await start(0, 3);
    const wrong = { authorization: 'Bearer wrong-token-guess' };
    expect(await statuses(app, 3, wrong)).toEqual([401, 401, 401]);
    const response = await app.app.inject({ method: 'GET', url: '/api/v4/account', headers: app.auth });
    expect(response.statusCode).toBe(429);
    expect(response.json()).toMatchObject({ status: 429, retry_after: 60 - (NOW % 60) });
  });

  it('does not count a request without credentials as a failed authentication', async () => {
    const app = await start(0, 2);
    expect(await statuses(app, 4, {})).toEqual([401, 401, 401, 401]);
    expect(await statuses(app, 1)).toEqual([200]);
  });

  it('throttles failed sign-ins too', async () => {
    const app = await start(0, 2);
    const signIn = () =>
      app.app.inject({
        method: 'POST',
        url: '/oauth/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'account=demo&login=admin&password=guess-guess',
      });
    expect([(await signIn()).statusCode, (await signIn()).statusCode, (await signIn()).statusCode]).toEqual([401, 401, 429]);
  });

  it('forgives failures once the minute is over', async () => {
    const app = await start(0, 1);
    expect(await statuses(app, 1, { authorization: 'Bearer wrong-token-guess' })).toEqual([401]);
    expect(await statuses(app, 1)).toEqual([429]);
    now += 60;
    expect(await statuses(app, 1)).toEqual([200]);
  });
});
