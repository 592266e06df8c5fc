import type { Kysely, Selectable } from 'kysely';
import type { FieldDefinitionRepository } from '../../core/ports.js';
import type { FieldDefinition } from '../../core/fields/model.js';
import type { Database, FieldDefinitionRow } from '../schema.js';
import { fromJson, toJson } from './json.js';
import type { DefinitionCache } from './definition-cache.js';
import { compiledQuery } from '../compiled.js';
import { isPostgres } from './backend.js';
import { lockAccountRow } from './accounts.js';

const versionOf = compiledQuery((db, accountId: number) => db.selectFrom('accounts').select('definitions_version').where('id', '=', accountId), {
  planOnce: true,
});
const definitionsOf = compiledQuery((db, accountId: number) =>
  db.selectFrom('field_definitions').selectAll().where('account_id', '=', accountId).orderBy('id'),
);

export interface DefinitionCaching {
  cache: DefinitionCache;
  inTransaction: boolean;
}

export interface DefinitionsAtVersion {
  /**
   * The account's definitions at `version`, which the caller read in the same statement as the rows
   * that need them: from memory when it holds that version, so the version costs no lookup of its own.
   */
  atVersion(accountId: number, version: number | undefined): Promise<FieldDefinition[]>;
}

/**
 * A definition is one JSON document keyed by its id; `entity_type` and `code` are columns too because
 * lookups and the per-entity uniqueness of codes need them. Every write moves the account's
 * `definitions_version` on after changing the rows, so a reader that sees the new version also sees
 * the new rows.
 */
export function fieldDefinitionRepository(db: Kysely<Database>, caching: DefinitionCaching): FieldDefinitionRepository & DefinitionsAtVersion {
  // Once a transaction has changed definitions, what it reads may never commit, and the version it
  // moved on to could be reached again by another transaction with other definitions.
  let readsUncommitted = false;
  // A transaction reads the definitions once (a complex add has three write passes) and sees one
  // consistent set throughout, until it changes them itself.
  let readInTransaction: { accountId: number; definitions: readonly FieldDefinition[] } | null = null;
  const changed = async (accountId: number) => {
    readsUncommitted = caching.inTransaction;
    readInTransaction = null;
    await db
      .updateTable('accounts')
      .set((eb) => ({ definitions_version: eb('definitions_version', '+', 1) }))
      .where('id', '=', accountId)
      .execute();
  };

  const allOf = async (accountId: number): Promise<readonly FieldDefinition[]> => {
    if (readInTransaction?.accountId === accountId) return readInTransaction.definitions;
    const definitions = await currentOf(accountId);
    if (caching.inTransaction) readInTransaction = { accountId, definitions };
    return definitions;
  };

  const currentOf = async (accountId: number): Promise<readonly FieldDefinition[]> => {
    // The version first: definitions read after it are at least as new as it says.
    const [account] = await versionOf(db, accountId);
    const version = account?.definitions_version;
    const cached = version === undefined ? undefined : caching.cache.get(accountId, version);
    if (cached) return cached;
    const definitions = (await definitionsOf(db, accountId)).map(toDefinition);
    if (version !== undefined && !readsUncommitted) caching.cache.set(accountId, version, definitions);
    return definitions;
  };

  return {
    async lockForChange(accountId) {
      if (!isPostgres(db)) return;
      await lockAccountRow(db, accountId);
      readInTransaction = null;
    },
    async list(accountId, entityType) {
      const definitions = await allOf(accountId);
      return entityType ? definitions.filter((definition) => definition.entityType === entityType) : [...definitions];
    },
    async atVersion(accountId, version) {
      // A transaction keeps to the definitions it read first, or to its own changes.
      const cached = version === undefined || caching.inTransaction ? undefined : caching.cache.get(accountId, version);
      return [...(cached ?? (await allOf(accountId)))];
    },
    async insert(accountId, definitions) {
      if (definitions.length === 0) return [];
      const rows = await db
        .insertInto('field_definitions')
        .values(
          definitions.map((definition) => ({
            account_id: accountId,
            entity_type: definition.entityType,
            code: definition.code,
            definition: toJson(definition),
            created_at: definition.createdAt,
            updated_at: definition.updatedAt,
          })),
        )
        .returningAll()
        .execute();
      await changed(accountId);
      return rows.map(toDefinition);
    },
    async update(accountId, definitions) {
      if (definitions.length === 0) return;
      // Codes are unique per entity type and checked per statement, so codes moving between the
      // fields of one batch (a swap) are let go first.
      await db
        .updateTable('field_definitions')
        .set({ code: null })
        .where('account_id', '=', accountId)
        .where('id', 'in', definitions.map((definition) => definition.id))
        .execute();
      for (const definition of definitions) {
        const { id, ...document } = definition;
        await db
          .updateTable('field_definitions')
          .set({ code: definition.code, definition: toJson(document), updated_at: definition.updatedAt })
          .where('account_id', '=', accountId)
          .where('id', '=', id)
          .execute();
      }
      await changed(accountId);
    },
    async delete(accountId, fieldIds) {
      if (fieldIds.length === 0) return;
      await db.deleteFrom('field_definitions').where('account_id', '=', accountId).where('id', 'in', fieldIds).execute();
      await changed(accountId);
    },
  };
}

function toDefinition(row: Selectable<FieldDefinitionRow>): FieldDefinition {
  // Definitions stored before externalId existed read it as null.
  const stored = fromJson<Omit<FieldDefinition, 'id' | 'externalId'> & { externalId?: string | null }>(row.definition);
  return { ...stored, externalId: stored.externalId ?? null, id: row.id };
}
