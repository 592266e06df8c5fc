import { requireAdmin } from '../access/authorize.js';
import type { Principal } from '../access/principal.js';
import { checkName, nextSort, planEach, sortErrors, type Created, type UseCaseContext } from '../use-cases.js';
import { DomainError } from '../errors.js';
import type { Store } from '../ports.js';
import type { LossReason } from './model.js';

export interface LossReasonDraft {
  requestId?: string;
  name?: string;
  sort?: number;
}

export async function listLossReasons(store: Store, principal: Principal): Promise<LossReason[]> {
  return store.repos.lossReasons.list(principal.accountId);
}

export async function getLossReason(store: Store, principal: Principal, id: number): Promise<LossReason> {
  const reason = (await store.repos.lossReasons.list(principal.accountId)).find((candidate) => candidate.id === id);
  if (!reason) throw DomainError.notFound('Loss reason not found');
  return reason;
}

/** Adds loss reasons; one without a sort goes after the last. */
export async function addLossReasons(context: UseCaseContext, drafts: readonly LossReasonDraft[]): Promise<Created<LossReason>[]> {
  const { principal } = context;
  requireAdmin(principal, 'change loss reasons');
  planEach(drafts, (draft, errors) => {
    checkName(draft.name, 'name', errors);
    errors.push(...sortErrors(draft.sort, 'sort'));
  });
  return context.store.transaction(async (repos) => {
    const accountId = principal.accountId;
    let sort = Math.max(0, ...(await repos.lossReasons.list(accountId)).map((reason) => reason.sort));
    const reasons = drafts.map((draft) => {
      sort = draft.sort ?? nextSort(sort, 1);
      return { name: draft.name!, sort };
    });
    const created = await repos.lossReasons.create(accountId, reasons, context.clock());
    return created.map((reason, index) => ({ value: reason, requestId: drafts[index]!.requestId ?? String(index) }));
  });
}

export async function deleteLossReason(context: UseCaseContext, id: number): Promise<void> {
  requireAdmin(context.principal, 'change loss reasons');
  const deleted = await context.store.transaction((repos) => repos.lossReasons.delete(context.principal.accountId, id));
  if (!deleted) throw DomainError.notFound('Loss reason not found');
}
