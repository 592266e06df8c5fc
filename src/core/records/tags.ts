import { authorize } from '../access/authorize.js';
import type { Principal } from '../access/principal.js';
import { checkName, planEach, type Created, type UseCaseContext } from '../use-cases.js';
import { DETAILS, errorItem } from '../errors.js';
import type { EntityType } from '../fields/model.js';
import type { Store } from '../ports.js';
import type { Tag } from './model.js';

/** The palette a tag's colour comes from, as hex digits without `#`. */
export const TAG_COLORS: readonly string[] = [
  'EBEBEB', 'D0D0D0', 'F2DDF7', 'D1A4DC', 'FF8F92', 'FFC8C8', 'C7DB8C', 'DDEBB5', '8699DA', 'AABDFF', 'FFCE5A', 'FFE193',
  '90CDB0', 'C6F4DE', 'A9A5D7', 'D8D5FF', '86C0FC', '832161', '6A0F49', '0C7C59', '10599D', '9D2B32', '247BA0',
];

export interface TagDraft {
  requestId?: string;
  name?: string;
  color?: string | null;
}

export interface TagFilter {
  ids?: number[];
  name?: string;
  query?: string;
  offset: number;
  limit: number;
}

export async function listTags(store: Store, principal: Principal, entityType: EntityType, filter: TagFilter): Promise<Tag[]> {
  authorize(principal, entityType, 'view');
  const { name, ...rest } = filter;
  return store.repos.tags.list(principal.accountId, entityType, { ...rest, ...(name !== undefined ? { names: [name] } : {}) });
}

/** Adds tags to an entity type's list; a name that exists already gives back the existing tag, colour unchanged. */
export async function addTags(context: UseCaseContext, entityType: EntityType, drafts: readonly TagDraft[]): Promise<Created<Tag>[]> {
  const { principal } = context;
  authorize(principal, entityType, 'edit');
  const planned = planEach(drafts, (draft, errors) => {
    const name = draft.name?.trim();
    checkName(name, 'name', errors);
    const color = draft.color?.toUpperCase() ?? null;
    if (color !== null && !TAG_COLORS.includes(color)) errors.push(errorItem('NotSupportedChoice', 'color', DETAILS.NotSupportedChoice));
    return { name: name ?? '', color };
  });
  return context.store.transaction(async (repos) => {
    const accountId = principal.accountId;
    const names = [...new Set(planned.map((tag) => tag.name))];
    const existing = await repos.tags.list(accountId, entityType, { names, offset: 0, limit: names.length });
    const missing = names.filter((name) => !existing.some((found) => found.name === name)).map((name) => planned.find((tag) => tag.name === name)!);
    const all = [...existing, ...(await repos.tags.create(accountId, entityType, missing))];
    return planned.map((tag, index) => ({ value: all.find((candidate) => candidate.name === tag.name)!, requestId: drafts[index]!.requestId ?? String(index) }));
  });
}
