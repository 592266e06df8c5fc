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
  /** Moved on by every change to the account's field definitions; see DefinitionCache. */
  definitions_version: Generated<number>;
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
  integration_id: number | null;
  rotated_from_id: number | null;
}

export interface IntegrationRow {
  id: Generated<number>;
  account_id: number;
  client_id: string;
  name: string;
  redirect_uri: string;
  secret_hash: string;
  created_by: number;
  created_at: number;
  revoked_at: number | null;
}

export interface AuthorizationCodeRow {
  id: Generated<number>;
  account_id: number;
  integration_id: number;
  user_id: number;
  code_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
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

export interface RecordRow {
  id: Generated<number>;
  account_id: number;
  entity_type: string;
  name: string;
  first_name: string | null;
  last_name: string | null;
  price: number | null;
  pipeline_id: number | null;
  status_id: number | null;
  loss_reason_id: number | null;
  responsible_user_id: number;
  group_id: number;
  created_by: number;
  updated_by: number;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  closest_task_at: number | null;
  is_deleted: number;
  score: number | null;
  labor_cost: number | null;
  source_id: number | null;
  is_price_modified_by_robot: number;
  custom_fields: string;
  attributes: string;
}

export interface FieldIndexRow {
  account_id: number;
  record_id: number;
  field_id: number;
  position: number;
  text_value: string | null;
  number_value: number | null;
  enum_id: number | null;
}

export interface TagRow {
  account_id: number;
  id: number;
  entity_type: string;
  name: string;
  color: string | null;
}

export interface RecordTagRow {
  account_id: number;
  record_id: number;
  tag_id: number;
}

export interface LinkRow {
  account_id: number;
  entity_type: string;
  entity_id: number;
  to_entity_type: string;
  to_entity_id: number;
  metadata: string;
}

export interface LossReasonRow {
  account_id: number;
  id: number;
  name: string;
  sort: number;
  created_at: number;
  updated_at: number;
}

export interface FieldGroupRow {
  account_id: number;
  id: string;
  entity_type: string;
  name: string;
  sort: number;
  is_predefined: number;
}

export interface Database {
  sequences: SequenceRow;
  accounts: AccountRow;
  users: UserRow;
  api_tokens: ApiTokenRow;
  integrations: IntegrationRow;
  oauth_codes: AuthorizationCodeRow;
  pipelines: PipelineRow;
  statuses: StatusRow;
  field_definitions: FieldDefinitionRow;
  events: EventRow;
  records: RecordRow;
  field_index: FieldIndexRow;
  tags: TagRow;
  record_tags: RecordTagRow;
  links: LinkRow;
  loss_reasons: LossReasonRow;
  field_groups: FieldGroupRow;
}
