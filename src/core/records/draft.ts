import type { EntityType } from '../fields/model.js';

export type TagRef = { id: number } | { name: string };

/**
 * A record write as the engine receives it from a dialect: only the properties present change.
 * `customFieldsValues` stays raw because the field engine validates it against the definitions.
 */
export interface RecordDraft {
  /** The record to update; absent on create. */
  id?: number;
  /** The client's correlation id, echoed back and named in errors. */
  requestId?: string;
  name?: string;
  firstName?: string | null;
  lastName?: string | null;
  price?: number | null;
  pipelineId?: number;
  statusId?: number;
  lossReasonId?: number | null;
  responsibleUserId?: number;
  createdBy?: number;
  updatedBy?: number;
  createdAt?: number;
  updatedAt?: number;
  closedAt?: number | null;
  customFieldsValues?: unknown;
  /** Replaces the tag set; null removes every tag. */
  tags?: TagRef[] | null;
  tagsToAdd?: TagRef[];
  tagsToDelete?: TagRef[];
  /** Existing records to link to this one. */
  links?: { entityType: EntityType; id: number; isMain?: boolean }[];
  attributes?: Record<string, unknown>;
}
