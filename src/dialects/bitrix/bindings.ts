/**
 * Bitrix24's binding methods: `crm.lead.contact.*` (a lead's contacts), `crm.company.contact.*` (a
 * company's contacts) and `crm.contact.company.*` (a contact's companies), each item with `SORT` and
 * `IS_PRIMARY`. They are the engine's links, the same ones Kommo embeds; `SORT` is kept on the link,
 * and a link made elsewhere reads as `SORT` 10.
 *
 * - `add` binds one record, or changes the `SORT` and `IS_PRIMARY` of one already bound;
 * - `delete` unbinds one; `items.set` makes the list the whole set, in one transaction; `items.delete`
 *   unbinds them all;
 * - a lead or a company has one primary contact (Kommo's `is_main`): making one primary makes the others
 *   plain. A contact has one company, as in Kommo, so its company is always primary, and binding another
 *   replaces it; `items.set` with two companies is refused.
 */
import { changeRecordLinks, listLinks, replaceRecordLinks } from '../../core/records/links.js';
import type { EntityType } from '../../core/fields/model.js';
import type { Link } from '../../core/records/model.js';
import { BitrixError, withNaming, type LinkNaming } from './errors.js';
import { fieldsParam, idParam, param, type MethodTable } from './methods.js';
import { flag, isObject, positiveId, readFlag, wholeNumber } from './wire.js';

/** Bitrix24's default `SORT` of a binding added without one. */
const DEFAULT_SORT = 10;

interface Binding {
  /** The methods' common prefix. */
  method: string;
  owner: EntityType;
  bound: EntityType;
  idKey: 'CONTACT_ID' | 'COMPANY_ID';
  /** `main`: IS_PRIMARY is the link's main flag; `only`: the owner has one bound record, always primary. */
  primary: 'main' | 'only';
}

const BINDINGS: readonly Binding[] = [
  { method: 'crm.lead.contact', owner: 'leads', bound: 'contacts', idKey: 'CONTACT_ID', primary: 'main' },
  { method: 'crm.company.contact', owner: 'companies', bound: 'contacts', idKey: 'CONTACT_ID', primary: 'main' },
  { method: 'crm.contact.company', owner: 'contacts', bound: 'companies', idKey: 'COMPANY_ID', primary: 'only' },
];

const NOUNS: Partial<Record<EntityType, { noun: string; title: string }>> = {
  contacts: { noun: 'contact', title: 'Contact' },
  companies: { noun: 'company', title: 'Company' },
};

type Item = Record<Binding['idKey'], number> & { SORT: number; ROLE_ID: 0; IS_PRIMARY: 'Y' | 'N' };

export const bindingMethods: MethodTable = Object.fromEntries(BINDINGS.flatMap((binding) => Object.entries(methodsOf(binding))));

function methodsOf(binding: Binding): MethodTable {
  const { method, owner, bound, idKey } = binding;
  const title = NOUNS[bound]?.title ?? bound;
  const fieldList = `{${idKey}, SORT, IS_PRIMARY}`;
  return {
    [`${method}.fields`]: () =>
      Promise.resolve({
        result: { SORT: descriptor('integer', 'Sort', false), IS_PRIMARY: descriptor('char', 'Primary', false), [idKey]: descriptor('integer', title, true) },
      }),
    [`${method}.items.get`]: async (call) => {
      const { store, principal } = call.context;
      const links = await onBound(binding, [], () => listLinks(store, principal, owner, idParam(call.params)));
      return { result: links.filter((link) => link.toEntityType === bound).map((link) => itemOf(binding, link)).sort(bySort(idKey)) };
    },
    [`${method}.add`]: async (call) => {
      const id = idParam(call.params);
      const targets = readItems(binding, [fieldsParam(call.params)], () => 'fields', () => DEFAULT_SORT);
      const links = targets.map((target) => ({ toEntityType: bound, ...target }));
      await onBound(binding, namesOf(binding, targets, () => 'fields'), () => changeRecordLinks(call.context, owner, id, links, 'link'));
      return { result: true };
    },
    [`${method}.delete`]: async (call) => {
      const id = idParam(call.params);
      const boundId = requiredId(binding, fieldsParam(call.params), 'fields');
      const target = { toEntityType: bound, toEntityId: boundId, metadata: {} };
      await onBound(binding, [{ key: `fields.${idKey}`, id: boundId }], () => changeRecordLinks(call.context, owner, id, [target], 'unlink'));
      return { result: true };
    },
    [`${method}.items.set`]: async (call) => {
      const id = idParam(call.params);
      const raw = param(call.params, 'items');
      // A missing list is refused rather than read as "none": items.delete says that.
      if (!Array.isArray(raw) && !isObject(raw)) throw missing(`The parameter 'items' is required: an array of ${fieldList}.`);
      const items = Array.isArray(raw) ? raw : Object.values(raw);
      const itemName = (index: number) => `items[${index}]`;
      const targets = readItems(binding, items, itemName, (index) => DEFAULT_SORT * (index + 1));
      await onBound(binding, namesOf(binding, targets, itemName), () => replaceRecordLinks(call.context, owner, id, bound, targets));
      return { result: true };
    },
    [`${method}.items.delete`]: async (call) => {
      const id = idParam(call.params);
      await onBound(binding, [], () => replaceRecordLinks(call.context, owner, id, bound, []));
      return { result: true };
    },
  };
}

function descriptor(type: string, title: string, isRequired: boolean): Record<string, unknown> {
  return { type, isRequired, isReadOnly: false, isImmutable: false, isMultiple: false, isDynamic: false, title };
}

function itemOf(binding: Binding, link: Link): Item {
  const primary = binding.primary === 'only' || link.metadata.isMain === true;
  return { [binding.idKey]: link.toEntityId, SORT: link.metadata.sort ?? DEFAULT_SORT, ROLE_ID: 0, IS_PRIMARY: flag(primary) } as Item;
}

function bySort(idKey: Binding['idKey']): (a: Item, b: Item) => number {
  return (a, b) => a.SORT - b.SORT || a[idKey] - b[idKey];
}

function missing(description: string): BitrixError {
  return new BitrixError(400, '', description);
}

function requiredId(binding: Binding, item: unknown, name: string): number {
  const id = isObject(item) ? positiveId(item[binding.idKey]) : null;
  if (id === null) throw missing(`${name}.${binding.idKey} is required: send the ID of a ${NOUNS[binding.bound]?.noun ?? binding.bound}, a positive integer.`);
  return id;
}

type Target = { toEntityId: number; metadata: Link['metadata'] };

/**
 * The items as link targets; only the first item marked primary stays primary. Where the owner has one
 * bound record, IS_PRIMARY is not stored: the link's main flag belongs to the other end.
 */
function readItems(binding: Binding, items: readonly unknown[], nameOf: (index: number) => string, defaultSort: (index: number) => number): Target[] {
  let primaryTaken = false;
  return items.map((item, index) => {
    const toEntityId = requiredId(binding, item, nameOf(index));
    const fields = item as Record<string, unknown>;
    const sort = fields.SORT === undefined || fields.SORT === '' ? defaultSort(index) : wholeNumber(fields.SORT);
    if (sort === null) throw new BitrixError(400, 'ERROR_CORE', `${nameOf(index)}.SORT: send a whole number.<br />`);
    if (binding.primary === 'only') return { toEntityId, metadata: { sort } };
    const primary = readFlag(fields.IS_PRIMARY) === true && !primaryTaken;
    primaryTaken ||= primary;
    return { toEntityId, metadata: { isMain: primary, sort } };
  });
}

function namesOf(binding: Binding, targets: readonly Target[], nameOf: (index: number) => string): LinkNaming['targets'] {
  return targets.map((target, index) => ({ key: `${nameOf(index)}.${binding.idKey}`, id: target.toEntityId }));
}

/**
 * Runs a read or change of the owner's bindings, its core errors worded with `targets`: how the request
 * named the bound record of each link request, in order.
 */
function onBound<T>(binding: Binding, targets: LinkNaming['targets'], work: () => Promise<T>): Promise<T> {
  return withNaming({ kind: 'links', noun: NOUNS[binding.bound]?.noun ?? binding.bound, targets }, work);
}
