import type { MigrationDb } from './columns.js';

/**
 * A counter per account that every change to its field definitions moves on. A process may then keep
 * the definitions in memory and learn with one point read whether they are still current, even when
 * another process (a second server, the CLI) changed them.
 */
export function definitionsVersion() {
  return {
    async up(db: MigrationDb): Promise<void> {
      await db.schema
        .alterTable('accounts')
        .addColumn('definitions_version', 'integer', (column) => column.notNull().defaultTo(0))
        .execute();
    },
  };
}
