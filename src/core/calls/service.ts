/**
 * The call use cases: recording a call (linked to the contact and lead its numbers match), reading
 * and listing calls, and setting a call's custom-field values by field uuid or name.
 *
 * Values go through the records engine in its canonical form, so validation, the not-editable
 * guard, indexing and history are the same as for any other record.
 */
import { randomUUID } from 'node:crypto';
import { authorize } from '../access/authorize.js';
import type { Principal } from '../access/principal.js';
import { DomainError, errorItem, type ErrorItem } from '../errors.js';
import { FieldCatalog } from '../fields/catalog.js';
import type { FieldDefinition } from '../fields/model.js';
import { phoneDigits } from '../fields/terms.js';
import type { Repositories, Store } from '../ports.js';
import type { RecordDraft } from '../records/draft.js';
import type { CrmRecord, Range } from '../records/model.js';
import { getRecord, listRecords, type RecordPage } from '../records/read.js';
import { updateRecords, writeRecordsWith, type WriteContext } from '../records/write.js';
import { leadsOfContacts } from '../records/duplicates.js';
import { callPropertiesOf, type CallProperties, type CallView } from './model.js';

const ENTITY = 'calls';
/** The predefined contact field whose values are indexed as bare digits. */
const PHONE_CODE = 'PHONE';
/** Paths of value entries, relative to the call, in the engine's canonical naming. */
const VALUES_PATH = 'custom_fields_values';

/**
 * One value to set on a call, naming its field by uuid or by name; the uuid wins when both are
 * given. `values` is in the engine's canonical form (`[{value}]`), null to clear.
 */
export interface CallValueEntry {
  fieldUuid?: string;
  fieldName?: string;
  values: unknown;
}

export type NewCall = Omit<CallProperties, 'callId'> & {
  /** Generated when absent. */
  callId?: string;
  /** The user who took or made the call; the caller when absent. */
  userId?: number;
  values?: CallValueEntry[];
};

export interface CallQuery {
  setupTime?: Range;
  userIds?: number[];
  /** Matches the call id and the text of its custom-field values. */
  search?: string;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export interface CallPage {
  calls: CallView[];
  /** The account's call field definitions, in display order. */
  definitions: FieldDefinition[];
}

/** One call with the account's call field definitions, in display order. */
export interface CallRead {
  call: CallView;
  definitions: FieldDefinition[];
}

/** The account's call field definitions, in display order. */
export async function callFields(store: Store, principal: Principal): Promise<FieldDefinition[]> {
  const definitions = await store.repos.fields.list(principal.accountId, ENTITY);
  return [...FieldCatalog.of(definitions).forEntity(ENTITY)];
}

/**
 * Records a call; it is linked to a contact holding one of its numbers, and to that contact's latest
 * lead. The duplicate check and the write share one transaction, and a unique index holds the
 * call_id when two requests race: the slower one is refused as a duplicate too, and writes nothing.
 */
export async function createCall(context: WriteContext, call: NewCall): Promise<CallRead> {
  const { store, principal } = context;
  const { values, userId, ...rest } = call;
  const properties: CallProperties = { ...rest, callId: call.callId ?? randomUUID() };
  const written = await store
    .transaction(async (repos) => {
      if (await findCallRecord(repos, principal.accountId, properties.callId)) throw duplicateCallId();
      const definitions = await repos.fields.list(principal.accountId);
      const match = await matchNumbers(repos, principal.accountId, definitions, [properties.fromNumber, properties.toNumber]);
      const draft: RecordDraft = {
        name: properties.callId,
        createdAt: properties.setupTime,
        responsibleUserId: userId ?? principal.userId,
        // The numbers as bare digits too, so a search finds a call by a number written in any format.
        attributes: { ...properties, numberDigits: [phoneDigits(properties.fromNumber), phoneDigits(properties.toNumber)].join(' ') },
        links: [
          ...(match.contactId === null ? [] : [{ entityType: 'contacts' as const, id: match.contactId }]),
          ...(match.leadId === null ? [] : [{ entityType: 'leads' as const, id: match.leadId }]),
        ],
        ...(values === undefined ? {} : { customFieldsValues: canonicalPatch(definitions, values) }),
      };
      return writeRecordsWith(repos, context, ENTITY, [draft], 'create');
    })
    .catch((error: unknown) => {
      throw error instanceof DomainError && error.kind === 'conflict' ? duplicateCallId() : error;
    });
  return getCall(store, principal, written[0]!.record.id);
}

function duplicateCallId(): DomainError {
  return DomainError.invalid([{ index: 0, requestId: '0', errors: [errorItem('Duplicate', 'call_id', 'A call with this call_id already exists.')] }]);
}

/** The call with this public id; not found when there is none. */
export async function findCall(store: Store, principal: Principal, callId: string): Promise<CallRead> {
  const record = await findCallRecord(store.repos, principal.accountId, callId);
  if (!record) throw callNotFound(callId);
  return getCall(store, principal, record.id);
}

/**
 * Sets or clears the listed values of a call; fields not listed keep theirs. Needs the edit right on
 * the call, and every changed field must be editable.
 */
export async function setCallValues(context: WriteContext, callId: string, entries: readonly CallValueEntry[]): Promise<CallRead> {
  const { store, principal } = context;
  const record = await findCallRecord(store.repos, principal.accountId, callId);
  if (!record) throw callNotFound(callId);
  // The right comes before the request's content: a caller without it learns nothing about fields.
  authorize(principal, ENTITY, 'edit', record);
  const definitions = await store.repos.fields.list(principal.accountId);
  await updateRecords(context, ENTITY, [{ id: record.id, customFieldsValues: canonicalPatch(definitions, entries) }]);
  return getCall(store, principal, record.id);
}

export async function listCalls(store: Store, principal: Principal, query: CallQuery): Promise<CallPage> {
  const page = await listRecords(
    store,
    principal,
    ENTITY,
    {
      createdAt: query.setupTime,
      responsibleUserIds: query.userIds,
      search: query.search,
      order: [{ field: 'created_at', direction: query.order }],
      offset: query.offset,
      limit: query.limit,
    },
    { links: true },
  );
  return viewsOf(page);
}

async function getCall(store: Store, principal: Principal, recordId: number): Promise<CallRead> {
  const page = viewsOf(await getRecord(store, principal, ENTITY, recordId, { links: true }));
  const call = page.calls[0];
  if (!call) throw DomainError.notFound(`Call ${recordId} not found`);
  return { call, definitions: page.definitions };
}

function viewsOf(page: RecordPage): CallPage {
  const linkOf = (record: CrmRecord, type: 'contacts' | 'leads') =>
    page.links.find((link) => link.entityId === record.id && link.toEntityType === type)?.toEntityId ?? null;
  return {
    calls: page.records.map((record) => ({
      record,
      properties: callPropertiesOf(record),
      contactId: linkOf(record, 'contacts'),
      leadId: linkOf(record, 'leads'),
    })),
    definitions: [...FieldCatalog.of(page.definitions).forEntity(ENTITY)],
  };
}

async function findCallRecord(repos: Repositories, accountId: number, callId: string): Promise<CrmRecord | null> {
  const [record] = await repos.records.list(accountId, ENTITY, { names: [callId], order: [{ field: 'id', direction: 'asc' }], offset: 0, limit: 1 });
  return record ?? null;
}

function callNotFound(callId: string): DomainError {
  return DomainError.notFound(`Call ${callId} not found`);
}

/**
 * The entries as the engine's canonical patch, each field named by its numeric id. Entries naming no
 * field, or one that does not exist, are refused here with every such error at once.
 */
function canonicalPatch(definitions: readonly FieldDefinition[], entries: readonly CallValueEntry[]): unknown[] {
  const callFieldsOnly = definitions.filter((definition) => definition.entityType === ENTITY);
  const errors: ErrorItem[] = [];
  const patch = entries.map((entry, index) => {
    const field = resolveField(callFieldsOnly, entry, `${VALUES_PATH}.${index}`);
    if (!field.ok) errors.push(field.error);
    return { field_id: field.ok ? field.definition.id : null, values: entry.values };
  });
  if (errors.length > 0) throw DomainError.invalid([{ index: 0, requestId: '0', errors }]);
  return patch;
}

type Resolved = { ok: true; definition: FieldDefinition } | { ok: false; error: ErrorItem };

function resolveField(definitions: readonly FieldDefinition[], entry: CallValueEntry, path: string): Resolved {
  if (entry.fieldUuid !== undefined) {
    const definition = definitions.find((candidate) => candidate.uuid === entry.fieldUuid);
    return definition
      ? { ok: true, definition }
      : { ok: false, error: errorItem('NotFound', `${path}.field_id`, `There is no call custom field with id ${entry.fieldUuid}.`) };
  }
  if (entry.fieldName === undefined) return { ok: false, error: errorItem('FieldMissing', `${path}.field_id`, 'Name the field by its id or its name.') };
  const named = definitions.filter((candidate) => candidate.name === entry.fieldName);
  if (named.length === 1) return { ok: true, definition: named[0]! };
  return {
    ok: false,
    error:
      named.length === 0
        ? errorItem('NotFound', `${path}.field_name`, `There is no call custom field named "${entry.fieldName}".`)
        : errorItem('NotSupportedChoice', `${path}.field_name`, `Several call custom fields are named "${entry.fieldName}"; name it by its id.`),
  };
}

/**
 * The contact holding one of `numbers` (compared as digits, as the PHONE field is indexed), and that
 * contact's most recently updated lead.
 */
async function matchNumbers(
  repos: Repositories,
  accountId: number,
  definitions: readonly FieldDefinition[],
  numbers: readonly string[],
): Promise<{ contactId: number | null; leadId: number | null }> {
  const phone = FieldCatalog.of(definitions).getByCode('contacts', PHONE_CODE);
  const digits = [...new Set(numbers.map(phoneDigits).filter((text) => text !== ''))];
  if (!phone || digits.length === 0) return { contactId: null, leadId: null };
  const contactId = (await repos.records.findByFieldText(accountId, 'contacts', phone.id, digits))[0]?.recordId;
  if (contactId === undefined) return { contactId: null, leadId: null };
  const leads = (await leadsOfContacts(repos, accountId, [contactId])).get(contactId) ?? [];
  const latest = leads.sort((a, b) => b.updatedAt - a.updatedAt || b.id - a.id)[0];
  return { contactId, leadId: latest?.id ?? null };
}
