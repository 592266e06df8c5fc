import type { Clock } from '../clock.js';
import type { Repositories, Store } from '../ports.js';
import { generateTokenSecret, hashTokenSecret } from '../access/tokens.js';
import { uniformRights } from '../access/rights.js';
import { defaultPipeline } from '../pipelines/model.js';
import { predefinedContactFields } from '../fields/predefined.js';
import { idsFrom, stampNewDefinition } from '../fields/stamp.js';
import type { Account, User } from './model.js';

/** PHONE's six and EMAIL's three options, on contacts and on companies. */
const PREDEFINED_OPTION_COUNT = 18;

export interface ProvisionInput {
  name: string;
  subdomain: string;
  /** The admin token's secret; a random one is made when absent. */
  tokenSecret?: string;
  currency?: string;
  timezone?: string;
  country?: string;
}

export interface ProvisionedAccount {
  account: Account;
  admin: User;
  tokenSecret: string;
}

/** A new tenant: its admin user, default lead pipeline, predefined PHONE/EMAIL fields and an admin token, in one transaction. */
export async function provisionAccount(store: Store, input: ProvisionInput, clock: Clock): Promise<ProvisionedAccount> {
  return store.transaction((repos) => provisionWith(repos, input, clock()));
}

async function provisionWith(repos: Repositories, input: ProvisionInput, now: number): Promise<ProvisionedAccount> {
  const account = await repos.accounts.create(
    {
      name: input.name,
      subdomain: input.subdomain,
      currency: input.currency ?? 'USD',
      timezone: input.timezone ?? 'UTC',
      country: input.country ?? 'US',
    },
    now,
  );
  const admin = await repos.users.create(
    account.id,
    { name: 'Administrator', email: `admin@${input.subdomain}.local`, login: 'admin', role: 'admin', rights: uniformRights('all') },
    now,
  );
  await repos.pipelines.create(account.id, defaultPipeline(), now);
  const optionIds = idsFrom(await repos.sequences.reserve('options', PREDEFINED_OPTION_COUNT), PREDEFINED_OPTION_COUNT);
  const fields = [...predefinedContactFields('contacts', optionIds), ...predefinedContactFields('companies', optionIds)];
  await repos.fields.insert(account.id, fields.map((field) => stampNewDefinition(field, now)));
  const tokenSecret = input.tokenSecret ?? generateTokenSecret();
  await repos.tokens.create(
    account.id,
    { userId: admin.id, name: 'bootstrap', kind: 'api', tokenHash: hashTokenSecret(tokenSecret), expiresAt: null },
    now,
  );
  return { account, admin, tokenSecret };
}

export const DEMO_SUBDOMAIN = 'demo';

/**
 * The first start on an empty store creates the `demo` account; any later start finds an account
 * and creates nothing, so the token is only ever shown once.
 */
export async function bootstrapStore(
  store: Store,
  tokenSecret: string | undefined,
  clock: Clock,
): Promise<ProvisionedAccount | null> {
  if ((await store.repos.accounts.count()) > 0) return null;
  return provisionAccount(store, { name: 'Demo', subdomain: DEMO_SUBDOMAIN, tokenSecret }, clock);
}
