import type { Generated } from 'kysely';

/**
 * Row types of the one schema both backends share. JSON documents are stored as text and booleans as
 * 0/1 integers so that SQLite and PostgreSQL return identical rows to the repositories.
 */
export interface SequenceRow {
  name: string;
  value: number;
}

export interface AccountRow {
  id: Generated<number>;
  name: string;
  subdomain: string;
  currency: string;
  timezone: string;
  country: string;
  settings: string;
  created_at: number;
  updated_at: number;
}

export interface UserRow {
  id: Generated<number>;
  account_id: number;
  name: string;
  email: string;
  login: string;
  role: string;
  rights: string;
  password_hash: string | null;
  is_active: number;
  created_at: number;
  updated_at: number;
}

export interface ApiTokenRow {
  id: Generated<number>;
  account_id: number;
  user_id: number;
  name: string;
  kind: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
}

export interface PipelineRow {
  id: number;
  account_id: number;
  name: string;
  sort: number;
  is_main: number;
  is_unsorted_on: number;
  is_archive: number;
  created_at: number;
  updated_at: number;
}

export interface StatusRow {
  id: number;
  account_id: number;
  pipeline_id: number;
  name: string;
  sort: number;
  color: string;
  type: number;
  is_editable: number;
  code: string | null;
  semantics: string;
}

export interface FieldDefinitionRow {
  id: Generated<number>;
  account_id: number;
  entity_type: string;
  code: string | null;
  definition: string;
  created_at: number;
  updated_at: number;
}

export interface EventRow {
  id: Generated<number>;
  account_id: number;
  type: string;
  entity_type: string;
  entity_id: number;
  created_by: number;
  created_at: number;
  value_before: string;
  value_after: string;
}

export interface Database {
  sequences: SequenceRow;
  accounts: AccountRow;
  users: UserRow;
  api_tokens: ApiTokenRow;
  pipelines: PipelineRow;
  statuses: StatusRow;
  field_definitions: FieldDefinitionRow;
  events: EventRow;
}
