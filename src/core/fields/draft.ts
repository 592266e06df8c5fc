/**
 * What a client may send to create or change a field definition, in the engine's camelCase.
 * Dialects translate their wire objects into drafts; JSON types are expected to be right
 * (the edge schema checks them), meanings are checked by `definitions.ts`.
 */
import type { FieldSettings, StageRef } from './model.js';

export interface EnumDraft {
  /** Present to keep (and possibly rename) an existing option. */
  id?: number;
  value: string;
  sort?: number;
  code?: string | null;
}

export interface NestedDraft {
  id?: number;
  parentId?: number | null;
  value: string;
  sort?: number;
  /** A name, valid only within the request, that children use to point at an option not yet created. */
  requestId?: string | null;
  parentRequestId?: string | null;
}

export interface ChainedListDraft {
  catalogId: number;
  parentCatalogId?: number | null;
  title: string;
}

export interface DefinitionDraft {
  name?: string;
  type?: string;
  code?: string | null;
  sort?: number;
  groupId?: string | null;
  description?: string | null;
  isApiOnly?: boolean;
  isEditable?: boolean;
  isRequired?: boolean;
  requiredStatuses?: StageRef[] | null;
  hiddenStatuses?: StageRef[] | null;
  enums?: EnumDraft[] | null;
  nested?: NestedDraft[] | null;
  remind?: string | null;
  currency?: string | null;
  chainedLists?: ChainedListDraft[] | null;
  trackingCallback?: string | null;
  searchIn?: string | null;
  settings?: FieldSettings | null;
  externalId?: string | null;
}
