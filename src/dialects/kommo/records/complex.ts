import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DETAILS, DomainError, errorItem, type ErrorItem, type ItemErrors } from '../../../core/errors.js';
import { complexAdd, type ComplexDraft } from '../../../core/records/complex.js';
import { problem } from '../problem.js';
import { sendProblem } from '../errors.js';
import { decodeRecord, type KommoEntity } from './codec.js';
import { writeContext } from './routes.js';

const COMPLEX_LIMIT = 50;
const VALUES_PER_ENTITY = 40;
/** Keys of a complex lead's `_embedded` that carry whole objects rather than links. */
const COMPLEX_EMBEDDED = ['contacts', 'companies', 'metadata', 'source'];
/** Kommo's categories of incoming leads. */
const INCOMING_CATEGORIES = ['sip', 'forms'];

export const complexRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/leads/complex',
    {
      schema: {
        summary: `Add up to ${COMPLEX_LIMIT} leads, each with a contact and a company, with duplicate control`,
        tags: ['kommo'],
        body: Type.Unknown(),
      },
    },
    async (request, reply) => {
      if (!Array.isArray(request.body)) return sendProblem(reply, problem(405, 'Method Not Allowed'));
      const drafts = decodeComplex(request.body);
      const results = await complexAdd(writeContext(request), drafts);
      // Kommo answers complex add with a plain array, not a HAL document.
      return reply.send(
        results.map((result) => ({
          id: result.leadId,
          contact_id: result.contactId,
          company_id: result.companyId,
          request_id: result.requestIds,
          merged: result.merged,
        })),
      );
    },
  );
};

function decodeComplex(items: unknown[]): ComplexDraft[] {
  if (items.length === 0) throw new DomainError('invalid', 'Request data can not be empty');
  if (items.length > COMPLEX_LIMIT) throw new DomainError('limit', `Limit ${COMPLEX_LIMIT} per page`);
  const failures: ItemErrors[] = [];
  const drafts = items.map((item, index): ComplexDraft => {
    const errors: ErrorItem[] = [];
    const { lead, contact, company, metadata, source } = splitEmbedded(item, errors);
    const leadDecoded = decodeEntity('leads', lead, index, '', errors);
    const draft: ComplexDraft = { requestId: leadDecoded.requestId ?? String(index), lead: leadDecoded };
    if (metadata !== undefined) draft.incoming = readIncoming(metadata, errors);
    // Sources are not modelled: a lead sent with one would land where its source does not say.
    if (source !== undefined) errors.push(errorItem('FieldNotExpected', '_embedded.source', 'Lead sources are not modelled here; send the lead without _embedded.source.'));
    if (contact !== undefined) draft.contact = decodeEntity('contacts', contact, index, '_embedded.contacts.0', errors);
    if (company !== undefined) draft.company = decodeEntity('companies', company, index, '_embedded.companies.0', errors);
    if (errors.length > 0) failures.push({ index, requestId: draft.requestId, errors });
    return draft;
  });
  if (failures.length > 0) throw DomainError.invalid(failures);
  return drafts;
}

/**
 * `_embedded.metadata` makes the lead an incoming one, from a form or a call. What else it carries
 * describes the form or the call for Kommo's unsorted list, which Fieldwork has not: it is not kept.
 */
function readIncoming(metadata: unknown, errors: ErrorItem[]): boolean {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    errors.push(errorItem('InvalidType', '_embedded.metadata', 'This value should be of type object.'));
    return false;
  }
  const { category } = metadata as Record<string, unknown>;
  if (typeof category === 'string' && INCOMING_CATEGORIES.includes(category)) return true;
  const path = '_embedded.metadata.category';
  errors.push(category === undefined ? errorItem('FieldMissing', path, DETAILS.FieldMissing) : errorItem('NotSupportedChoice', path, DETAILS.NotSupportedChoice));
  return false;
}

interface SplitItem {
  lead: unknown;
  contact?: unknown;
  company?: unknown;
  metadata?: unknown;
  source?: unknown;
}

function splitEmbedded(item: unknown, errors: ErrorItem[]): SplitItem {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return { lead: item };
  const { _embedded: embedded, ...lead } = item as Record<string, unknown>;
  if (embedded === undefined) return { lead };
  if (typeof embedded !== 'object' || embedded === null || Array.isArray(embedded)) {
    errors.push(errorItem('InvalidType', '_embedded', 'This value should be of type object.'));
    return { lead };
  }
  const rest = Object.fromEntries(Object.entries(embedded).filter(([key]) => !COMPLEX_EMBEDDED.includes(key)));
  const single = (key: 'contacts' | 'companies'): unknown => {
    const list = (embedded as Record<string, unknown>)[key];
    if (list === undefined) return undefined;
    if (!Array.isArray(list)) {
      errors.push(errorItem('InvalidType', `_embedded.${key}`, 'This value should be of type array.'));
      return undefined;
    }
    if (list.length > 1) errors.push(errorItem('TooMany', `_embedded.${key}`, `A complex lead takes at most one of ${key}.`));
    return list[0];
  };
  const { metadata, source } = embedded as Record<string, unknown>;
  return { lead: Object.keys(rest).length > 0 ? { ...lead, _embedded: rest } : lead, contact: single('contacts'), company: single('companies'), metadata, source };
}

function decodeEntity(entity: KommoEntity, raw: unknown, index: number, prefix: string, errors: ErrorItem[]) {
  const { draft, errors: own } = decodeRecord(entity, raw, index);
  const values = draft.customFieldsValues;
  if (Array.isArray(values) && values.length > VALUES_PER_ENTITY) {
    own.push(errorItem('TooMany', 'custom_fields_values', `At most ${VALUES_PER_ENTITY} custom field values per entity.`));
  }
  errors.push(...own.map((error) => ({ ...error, path: [prefix, error.path].filter(Boolean).join('.') })));
  return draft;
}
