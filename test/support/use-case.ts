import type { Principal } from '../../src/core/access/principal.js';
import { uniformRights } from '../../src/core/access/rights.js';
import type { UseCaseContext } from '../../src/core/use-cases.js';
import type { TestApp } from './app.js';

/** The demo account's administrator, as a core use case sees the caller. */
export const DEMO_ADMIN: Principal = { accountId: 1, userId: 1, role: 'admin', rights: uniformRights('all'), tokenId: 0 };

/** The time every use case of a test runs at, so stored times can be asserted exactly. */
export const TEST_NOW = 1_700_000_000;

/** A use case's context on the test app's store, for `principal` (the demo administrator by default). */
export function useCaseContext(test: TestApp, principal: Principal = DEMO_ADMIN): UseCaseContext {
  return { store: test.store, principal, clock: () => TEST_NOW };
}
