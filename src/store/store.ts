import { sql, type Kysely } from 'kysely';
import type { Repositories, Store } from '../core/ports.js';
import type { Database } from './schema.js';
import { migrateToLatest, openDatabase, type StoreLocation } from './database.js';
import { accountRepository } from './repos/accounts.js';
import { userRepository } from './repos/users.js';
import { tokenRepository } from './repos/tokens.js';
import { pipelineRepository } from './repos/pipelines.js';
import { fieldDefinitionRepository } from './repos/fields.js';
import { fieldGroupRepository } from './repos/field-groups.js';
import { eventRepository } from './repos/events.js';
import { sequenceRepository } from './repos/sequences.js';
import { recordRepository } from './repos/records.js';
import { tagRepository } from './repos/tags.js';
import { linkRepository } from './repos/links.js';
import { lossReasonRepository } from './repos/loss-reasons.js';
import { authorizationCodeRepository, integrationRepository } from './repos/integrations.js';
import { DefinitionCache } from './repos/definition-cache.js';
import { CredentialCache } from './repos/credential-cache.js';
import { transactionErrorAsDomain } from './transaction-errors.js';

interface StoreCaches {
  definitions: DefinitionCache;
  credentials: CredentialCache;
}

/** Repositories over `db`; `caches` outlive them and are shared by all of one store's repositories. */
export function repositories(db: Kysely<Database>, caches: StoreCaches, inTransaction: boolean): Repositories {
  const fields = fieldDefinitionRepository(db, { cache: caches.definitions, inTransaction });
  return {
    accounts: accountRepository(db),
    users: userRepository(db, inTransaction),
    tokens: tokenRepository(db, caches.credentials, inTransaction),
    integrations: integrationRepository(db),
    authorizationCodes: authorizationCodeRepository(db),
    pipelines: pipelineRepository(db),
    fields,
    fieldGroups: fieldGroupRepository(db),
    events: eventRepository(db),
    sequences: sequenceRepository(db),
    records: recordRepository(db, fields),
    tags: tagRepository(db),
    links: linkRepository(db),
    lossReasons: lossReasonRepository(db),
  };
}

export interface SqlStore extends Store {
  /** The query builder, for the store's own tests and bulk tools; the domain only sees `repos`. */
  readonly db: Kysely<Database>;
}

/** Opens the store at `location` and brings its schema to the latest migration. */
export async function openStore(location: StoreLocation): Promise<SqlStore> {
  const open = await openDatabase(location);
  await migrateToLatest(open).catch(async (error: unknown) => {
    await open.close();
    throw error;
  });
  const { db, backend } = open;
  const caches: StoreCaches = { definitions: new DefinitionCache(), credentials: new CredentialCache() };
  return {
    backend,
    db,
    repos: repositories(db, caches, false),
    transaction: (work) => db.transaction().execute((trx) => work(repositories(trx, caches, true))).catch(transactionErrorAsDomain),
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => open.close(),
  };
}
