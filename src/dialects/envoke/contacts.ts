/**
 * `/v1/contacts/{id}`: the part of Envoke's contacts API that reads and sets custom-field values,
 * which Envoke keys by field name (`"custom_fields": {"widget_name": "Gold"}`). `""` or null clears a
 * value; values not named keep theirs.
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
const Body = Type.Unknown({ description: '{"first_name"?, "last_name"?, "custom_fields": {"<field name>": <value>}}' });
const EMAIL_CODE = 'EMAIL';

export const contactRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/contacts/:id', { schema: { summary: "A contact's name and custom-field values", tags, params: ContactParams } }, async (request) => {
    return renderContact(await loadContact(request, request.params.id), await contactFields(request, true));
  });

  app.patch('/contacts/:id', { schema: { summary: "Set a contact's custom-field values by field name", tags, params: ContactParams, body: Body } }, async (request) => {
    if (!isPlainObject(request.body) || Object.keys(request.body).length === 0) throw envokeInvalid([envokeMessage.emptyBody()]);
    const { first_name: firstName, last_name: lastName, custom_fields: values } = request.body;
    const contact = await loadContact(request, request.params.id);
    const definitions = await contactFields(request, true);
    const messages: string[] = [];
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
    if (messages.length > 0) throw envokeInvalid(messages);
    if (patch.length > 0) draft.customFieldsValues = patch;
    try {
      await updateRecords(requestWriteContext(request), 'contacts', [draft]);
    } catch (error) {
      throw withContactValueNames(error, named.map(([name]) => name));
    }
    return { success: true, result_text: 'Updated', result_data: renderContact(await loadContact(request, request.params.id), definitions) };
  });
};

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
