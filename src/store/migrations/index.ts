import type { Backend, MigrationDb } from './columns.js';
import { foundation } from './001_foundation.js';
import { records } from './002_records.js';
import { access } from './004_access.js';
import { fieldIndexTerms } from './005_field_index_terms.js';
import { definitionsVersion } from './006_definitions_version.js';
import { callIds } from './007_call_ids.js';

export interface Migration {
  up(db: MigrationDb): Promise<void>;
}

/** Versioned migrations in the order they apply. A new migration is one file and one line here. */
export function migrations(backend: Backend): Record<string, Migration> {
  return {
    '001_foundation': foundation(backend),
    '002_records': records(backend),
    '004_access': access(backend),
    '005_field_index_terms': fieldIndexTerms(backend),
    '006_definitions_version': definitionsVersion(),
    '007_call_ids': callIds(),
  };
}
