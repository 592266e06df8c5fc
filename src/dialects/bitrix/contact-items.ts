/**
 * `crm.lead.contact.*`: a lead's contacts as Bitrix24 lists them, each with `SORT` and `IS_PRIMARY`.
 * They are the lead's links to contacts, the same ones Kommo embeds (`IS_PRIMARY` is Kommo's
 * `is_main`); `SORT` is kept on the link, and a link made elsewhere reads as `SORT` 10.
 *
 * - `add` links one contact, or changes the `SORT` and `IS_PRIMARY` of one already linked;
 * - `delete` unlinks one; `items.set` makes the list the lead's whole set of contacts, in one
 *   transaction; `items.delete` unlinks them all;
 * - a lead has one primary contact: making one primary makes the others plain.
 */
import { changeRecordLinks, listLinks, replaceRecordLinks } from '../../core/records/links.js';
import type { Link } from '../../core/records/model.js';
import { BitrixError, withNaming, type LinkNaming } from './errors.js';
import { fieldsParam, idParam, param, type MethodTable } from './methods.js';
import { flag, isObject, positiveId, readFlag, wholeNumber } from './wire.js';

/** Bitrix24's default `SORT` of a binding added without one. */
const DEFAULT_SORT = 10;

interface ContactItem {
  CONTACT_ID: number;
  SORT: number;
  ROLE_ID: 0;
  IS_PRIMARY: 'Y' | 'N';
}

export const leadContactMethods: MethodTable = {
  'crm.lead.contact.fields': () =>
    Promise.resolve({
      result: {
        SORT: descriptor('integer', 'Sort', false),
        IS_PRIMARY: descriptor('char', 'Primary', false),
        CONTACT_ID: descriptor('integer', 'Contact', true),
      },
    }),
  'crm.lead.contact.items.get': async (call) => {
    const { store, principal } = call.context;
    const links = await onContacts([], () => listLinks(store, principal, 'leads', idParam(call.params)));
    return { result: links.filter((link) => link.toEntityType === 'contacts').map(contactItem).sort(bySort) };
  },
  'crm.lead.contact.add': async (call) => {
    const id = idParam(call.params);
    const fields = fieldsParam(call.params);
    const targets = readItems([fields], () => 'fields', () => DEFAULT_SORT);
    const links = targets.map((target) => ({ toEntityType: 'contacts', ...target }));
    await onContacts(namesOf(targets, () => 'fields'), () => changeRecordLinks(call.context, 'leads', id, links, 'link'));
    return { result: true };
  },
  'crm.lead.contact.delete': async (call) => {
    const id = idParam(call.params);
    const contactId = requiredContactId(fieldsParam(call.params), 'fields');
    const target = { toEntityType: 'contacts', toEntityId: contactId, metadata: {} };
    await onContacts([{ key: 'fields.CONTACT_ID', id: contactId }], () => changeRecordLinks(call.context, 'leads', id, [target], 'unlink'));
    return { result: true };
  },
  'crm.lead.contact.items.set': async (call) => {
    const id = idParam(call.params);
    const raw = param(call.params, 'items');
    // A missing list is refused rather than read as "no contacts": crm.lead.contact.items.delete says that.
    if (!Array.isArray(raw) && !isObject(raw)) throw missing("The parameter 'items' is required: an array of {CONTACT_ID, SORT, IS_PRIMARY}.");
    const items = Array.isArray(raw) ? raw : Object.values(raw);
    const itemName = (index: number) => `items[${index}]`;
    const targets = readItems(items, itemName, (index) => DEFAULT_SORT * (index + 1));
    await onContacts(namesOf(targets, itemName), () => replaceRecordLinks(call.context, 'leads', id, 'contacts', targets));
    return { result: true };
  },
  'crm.lead.contact.items.delete': async (call) => {
    const id = idParam(call.params);
    await onContacts([], () => replaceRecordLinks(call.context, 'leads', id, 'contacts', []));
    return { result: true };
  },
};

function descriptor(type: string, title: string, isRequired: boolean): Record<string, unknown> {
  return { type, isRequired, isReadOnly: false, isImmutable: false, isMultiple: false, isDynamic: false, title };
}

function contactItem(link: Link): ContactItem {
  return { CONTACT_ID: link.toEntityId, SORT: link.metadata.sort ?? DEFAULT_SORT, ROLE_ID: 0, IS_PRIMARY: flag(link.metadata.isMain === true) };
}

function bySort(a: ContactItem, b: ContactItem): number {
  return a.SORT - b.SORT || a.CONTACT_ID - b.CONTACT_ID;
}

function missing(description: string): BitrixError {
  return new BitrixError(400, '', description);
}

function requiredContactId(item: unknown, name: string): number {
  const contactId = isObject(item) ? positiveId(item.CONTACT_ID) : null;
  if (contactId === null) throw missing(`${name}.CONTACT_ID is required: send the ID of a contact, a positive integer.`);
  return contactId;
}

type Target = { toEntityId: number; metadata: Link['metadata'] };

/** The items as link targets; only the first item marked primary stays primary, as a lead has one. */
function readItems(items: readonly unknown[], nameOf: (index: number) => string, defaultSort: (index: number) => number): Target[] {
  let primaryTaken = false;
  return items.map((item, index) => {
    const toEntityId = requiredContactId(item, nameOf(index));
    const fields = item as Record<string, unknown>;
    const sort = fields.SORT === undefined || fields.SORT === '' ? defaultSort(index) : wholeNumber(fields.SORT);
    if (sort === null) throw new BitrixError(400, 'ERROR_CORE', `${nameOf(index)}.SORT: send a whole number.<br />`);
    const primary = readFlag(fields.IS_PRIMARY) === true && !primaryTaken;
    primaryTaken ||= primary;
    return { toEntityId, metadata: { isMain: primary, sort } };
  });
}

function namesOf(targets: readonly Target[], nameOf: (index: number) => string): LinkNaming['contacts'] {
  return targets.map((target, index) => ({ key: `${nameOf(index)}.CONTACT_ID`, id: target.toEntityId }));
}

/**
 * Runs a read or change of the lead's contacts, its core errors worded with `contacts`: how the
 * request named the contact of each link request, in order.
 */
function onContacts<T>(contacts: LinkNaming['contacts'], work: () => Promise<T>): Promise<T> {
  return withNaming({ kind: 'links', contacts }, work);
}
