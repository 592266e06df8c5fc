/**
 * `/v1/contacts/{id}`: the part of Envoke's contacts API that reads and sets a contact's names, email and
 * custom-field values, which Envoke keys by field name (`"custom_fields": {"widget_name": "Gold"}`). `""`
 * or null clears a value; values not named keep theirs. The email is the first of the contact's EMAIL
 * values; setting it replaces that one and keeps the others. Contact properties Fieldwork does not keep
 * (title, phone, consent, …) are refused by name rather than dropped.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { isPlainObject } from '../../core/fields/issues.js';
import type { FieldDefinition, ValueItem } from '../../core/fields/model.js';
import type { CrmRecord } from '../../core/records/model.js';
import type { RecordDraft } from '../../core/records/draft.js';
import { getRecord } from '../../core/records/read.js';
import { updateRecords } from '../../core/records/write.js';
import { requirePrincipal } from '../../server/context.js';
import { requestWriteContext } from '../write-context.js';
import { contactFields } from './custom-fields.js';
import { envokeInvalid, envokeMessage, envokeNotFound, withContactValueNames } from './errors.js';
import { envokeFields } from './fields.js';

const tags = ['envoke'];
const ContactParams = Type.Object({ id: Type.String() });
const Body = Type.Unknown({ description: '{"first_name"?, "last_name"?, "email"?, "custom_fields": {"<field name>": <value>}}' });
const EMAIL_CODE = 'EMAIL';

export const contactRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/contacts/:id', { schema: { summary: "A contact's name and custom-field values", tags, params: ContactParams } }, async (request) => {
    return renderContact(await loadContact(request, request.params.id), await contactFields(request, true));
  });

  app.patch('/contacts/:id', { schema: { summary: "Set a contact's custom-field values by field name", tags, params: ContactParams, body: Body } }, async (request) => {
    if (!isPlainObject(request.body) || Object.keys(request.body).length === 0) throw envokeInvalid([envokeMessage.emptyBody()]);
    const { id: bodyId, first_name: firstName, last_name: lastName, email, custom_fields: values, ...others } = request.body;
    const contact = await loadContact(request, request.params.id);
    const definitions = await contactFields(request, true);
    const messages: string[] = [];
    // A client may send back what it read: the contact's own id is accepted, as everywhere in Envoke.
    if (bodyId !== undefined && String(bodyId) !== String(contact.id)) messages.push(envokeMessage.idMismatch(request.params.id, String(bodyId)));
    messages.push(...Object.keys(others).map((key) => envokeMessage.contactFieldNotKept(key)));
    const draft: RecordDraft = { id: contact.id };
    if (typeof firstName === 'string') draft.firstName = firstName;
    if (typeof lastName === 'string') draft.lastName = lastName;
    const named = isPlainObject(values) ? Object.entries(values) : [];
    if (values !== undefined && !isPlainObject(values)) messages.push("The field 'custom_fields' must be an object keyed by field name");
    const patch = named.flatMap(([name, value]) => {
      const field = envokeFields(definitions).find((definition) => definition.name === name);
      if (!field) {
        messages.push(envokeMessage.unknownContactField(name));
        return [];
      }
      return [{ field_id: field.id, values: value === null || value === '' ? null : [{ value }] }];
    });
    const emailEntry = email === undefined ? null : emailPatch(contact, definitions, email, messages);
    if (messages.length > 0) throw envokeInvalid(messages);
    const entries = emailEntry ? [...patch, emailEntry] : patch;
    if (entries.length > 0) draft.customFieldsValues = entries;
    try {
      await updateRecords(requestWriteContext(request), 'contacts', [draft]);
    } catch (error) {
      throw withContactValueNames(error, [...named.map(([name]) => `custom_fields.${name}`), 'email']);
    }
    return { success: true, result_text: 'Updated', result_data: renderContact(await loadContact(request, request.params.id), definitions) };
  });
};

/** The contact's EMAIL values with the first one replaced by `email`, or null when it is already the first. */
function emailPatch(contact: CrmRecord, definitions: readonly FieldDefinition[], email: unknown, messages: string[]) {
  const field = definitions.find((definition) => definition.code === EMAIL_CODE);
  if (typeof email !== 'string' || email.trim() === '' || !field) {
    messages.push(envokeMessage.emailType());
    return null;
  }
  const [first, ...others] = contact.customFields.find((value) => value.field_id === field.id)?.values ?? [];
  if (first?.value === email) return null;
  const kept = (item: ValueItem) => ({ value: item.value, ...(item.enum_id === undefined ? {} : { enum_id: item.enum_id }) });
  return { field_id: field.id, values: [{ ...(first ? kept(first) : {}), value: email }, ...others.map(kept)] };
}

async function loadContact(request: FastifyRequest, id: string): Promise<CrmRecord> {
  // An id that is not a whole number we could have handed out names no contact.
  const recordId = /^\d+$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : null;
  const page = recordId === null ? null : await getRecord(request.server.store, requirePrincipal(request.principal), 'contacts', recordId);
  const contact = page?.records[0];
  if (!contact) throw envokeNotFound(id);
  return contact;
}

function renderContact(contact: CrmRecord, definitions: readonly FieldDefinition[]) {
  const stored = new Map(contact.customFields.map((value) => [value.field_id, value.values]));
  const email = definitions.find((definition) => definition.code === EMAIL_CODE);
  const customFields = Object.fromEntries(
    envokeFields(definitions).map((definition) => [definition.name, wireValue(definition, stored.get(definition.id))]),
  );
  return {
    id: contact.id,
    email: email ? String(stored.get(email.id)?.[0]?.value ?? '') : '',
    first_name: contact.firstName ?? '',
    last_name: contact.lastName ?? '',
    custom_fields: customFields,
  };
}

/** Dates as `YYYY-MM-DD`, other values as their text; `""` when there is none. */
function wireValue(definition: FieldDefinition, items: readonly ValueItem[] | undefined): string {
  const value = items?.[0]?.value;
  if (value === undefined) return '';
  if (definition.type === 'date' && typeof value === 'number') return new Date(value * 1000).toISOString().slice(0, 10);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
