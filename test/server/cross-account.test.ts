import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secondAccount, startTestApp, type TestApp } from '../support/app.js';
import { createIntegration, createUser } from '../support/access.js';

const VICTIM = 'victim-tenant';
const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

type Row = Record<string, unknown>;

/** Every row of every table that belongs to `accountId`, in a stable order. */
async function snapshot(test: TestApp, accountId: number): Promise<Record<string, Row[]>> {
  const tables = await test.store.db.introspection.getTables();
  const result: Record<string, Row[]> = {};
  for (const table of tables) {
    const key = table.columns.some((column) => column.name === 'account_id') ? 'account_id' : table.name === 'accounts' ? 'id' : null;
    if (!key) continue;
    const rows = (await test.store.db
      .selectFrom(table.name as 'accounts')
      .selectAll()
      .where(key as 'id', '=', accountId)
      .execute()) as Row[];
    result[table.name] = rows.map((row) => JSON.stringify(row)).sort().map((text) => JSON.parse(text) as Row);
  }
  return result;
}

/** Ids that name one of the victim's objects and none of the attacker's, table by table. */
function victimIds(victim: Record<string, Row[]>, attacker: Record<string, Row[]>): number[] {
  const ids = new Set<number>();
  for (const [table, rows] of Object.entries(victim)) {
    const own = new Set((attacker[table] ?? []).map((row) => row.id));
    for (const row of rows) if (typeof row.id === 'number' && !own.has(row.id)) ids.add(row.id);
  }
  return [...ids];
}

describe('account isolation on every route', () => {
  let test: TestApp;
  let victimAccountId: number;
  let markers: string[];
  beforeAll(async () => {
    test = await startTestApp();
    const victim = await secondAccount(test, VICTIM);
    victimAccountId = victim.account.id;
    const user = await createUser(test, { login: 'victim-user', accountId: victimAccountId });
    const integration = await createIntegration(test, victim.auth);
    for (const entity of ['leads', 'contacts', 'companies']) {
      if (test.app.routeTable.some((route) => route.method === 'POST' && route.url === `/api/v4/${entity}`)) {
        await test.app.inject({ method: 'POST', url: `/api/v4/${entity}`, headers: victim.auth, payload: [{ name: `Victim secret ${entity}` }] });
      }
    }
    markers = [VICTIM, `admin@${VICTIM}.local`, user.user.login, integration.clientId, 'Victim secret'];
  });
  afterAll(() => test.close());

  it('lets the demo account\'s admin token neither read nor change the other account\'s data', async () => {
    const before = await snapshot(test, victimAccountId);
    const ids = victimIds(before, await snapshot(test, 1));
    expect(ids.length).toBeGreaterThan(3);

    const failures: string[] = [];
    const routes = test.app.routeTable.filter((route) => !route.url.startsWith('/docs'));
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      const hasParams = /[:*]/.test(route.url);
      for (const id of hasParams ? ids : [ids[0] ?? 0]) {
        const url = route.url.replace(/:[^/]+|\*/g, String(id));
        const bodies = WRITE_METHODS.has(route.method)
          ? [[{ id, name: 'hijacked', responsible_user_id: id }], { id, name: 'hijacked' }]
          : [undefined];
        for (const payload of bodies) {
          const response = await test.app.inject({
            method: route.method as 'GET',
            url: hasParams ? url : `${url}?filter[id]=${id}`,
            headers: test.auth,
            ...(payload === undefined ? {} : { payload }),
          });
          const leaked = markers.filter((marker) => response.body.includes(marker));
          if (response.statusCode >= 500 || leaked.length > 0) {
            failures.push(`${route.method} ${url} → ${response.statusCode} ${leaked.join(', ')}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot(test, victimAccountId)).toEqual(before);
  });
});
