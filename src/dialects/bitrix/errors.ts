/**
 * Every error a Bitrix24 method can produce becomes `{error, error_description}` here, and nowhere
 * else: the dialect's own refusals (`BitrixError`), the core's `DomainError`s with their item paths
 * translated back into the Bitrix field names of the request, and Fastify's transport errors.
 *
 * Codes and statuses follow Bitrix24: legacy CRM refusals such as "Not found" carry an empty code,
 * validation failures are `ERROR_CORE` with every message ended by `<br />`, as CCrmLead::CheckFields
 * joins them.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorItem, type ItemErrors } from '../../core/errors.js';
import type { FieldDefinition } from '../../core/fields/model.js';

export class BitrixError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
  ) {
    super(description);
    this.name = 'BitrixError';
  }
}

export const bitrixErrors = {
  noAuth: () => new BitrixError(401, 'NO_AUTH_FOUND', 'Wrong authorization data'),
  methodNotFound: (method: string) => new BitrixError(404, 'ERROR_METHOD_NOT_FOUND', `Method '${method}' not found!`),
  invalidId: () => new BitrixError(400, '', 'ID is not defined or invalid.'),
  notFound: () => new BitrixError(400, '', 'Not found'),
  entityNotFound: (id: number) => new BitrixError(404, 'ERROR_NOT_FOUND', `The entity with ID '${id}' is not found.`),
  fieldsNotArray: () => new BitrixError(400, '', "Parameter 'fields' must be array"),
  /** `fieldName` missing from a definition, worded as crm.*.userfield.add does. */
  definitionFieldMissing: (fieldName: string) => new BitrixError(400, '', `The '${fieldName}' field is not found.`),
  batchTooLong: (limit: number) => new BitrixError(400, 'ERROR_BATCH_LENGTH_EXCEEDED', `Max batch length exceeded (${limit} commands).`),
  nestedBatch: () => new BitrixError(405, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage'),
  /** A request the dialect could not read; each message names the Bitrix field and what to send instead. */
  invalidFields: (messages: readonly string[]) => new BitrixError(400, 'ERROR_CORE', joinMessages(messages)),
  invalidParameters: (description: string) => new BitrixError(400, 'INVALID_ARG_VALUE', description),
};

function joinMessages(messages: readonly string[]): string {
  return messages.map((message) => `${message}<br />`).join('');
}

export interface BitrixErrorBody {
  error: string;
  error_description: string;
}

export function errorBody(error: BitrixError): BitrixErrorBody {
  return { error: error.code, error_description: error.description };
}

// ---------------------------------------------------------------------------------------------
// Naming: how the paths of core errors read in Bitrix terms.

/** One `custom_fields_values` entry the dialect built from a Bitrix field, in the order built. */
export interface BuiltEntry {
  /** The Bitrix key it came from: `UF_CRM_…`, `PHONE`, … */
  key: string;
  definition: FieldDefinition;
  /** The values as the client sent them, one per engine value item. */
  sent: readonly unknown[];
}

/** What a record write's core errors need to be worded in the request's own field names. */
export interface RecordNaming {
  kind: 'record';
  entries: readonly BuiltEntry[];
  /** The entity's definitions, for errors that name a field by id. */
  definitions: readonly FieldDefinition[];
  /** Bitrix name of a record property path (`name` → `TITLE`). */
  properties: Readonly<Record<string, string>>;
  /** The stage the write moves a lead to, as `'Lost' (LOST)`. */
  stage: string | null;
  /** The Bitrix key of a field that has one (`UF_CRM_…` or a multifield code). */
  keyOf(definition: FieldDefinition): string | null;
}

/** Writes of a user field or a stage, whose core paths have fixed Bitrix names. */
export interface SettingsNaming {
  kind: 'userfield' | 'status';
}

/** A change of a record's links; `targets[i]` names the bound record (a `noun`) of link request `i` as the request did. */
export interface LinkNaming {
  kind: 'links';
  noun: string;
  targets: readonly { key: string; id: number }[];
}

export type ErrorNaming = RecordNaming | SettingsNaming | LinkNaming;

/** A core error raised while the dialect knew how the request's fields are named. */
class NamedFailure extends Error {
  constructor(
    readonly failure: DomainError,
    readonly naming: ErrorNaming,
  ) {
    super(failure.message);
  }
}

/**
 * Runs a core call so that its validation errors are worded with `naming`; given as a function when the
 * naming is only known once the call has read what it writes (null: worded as they come).
 */
export async function withNaming<T>(naming: ErrorNaming | (() => ErrorNaming | null), work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const known = typeof naming === 'function' ? naming() : naming;
    throw error instanceof DomainError && known !== null ? new NamedFailure(error, known) : error;
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** The Bitrix error for anything a method or the transport threw. */
export function toBitrixError(error: unknown, request?: FastifyRequest): BitrixError {
  if (error instanceof BitrixError) return error;
  if (error instanceof NamedFailure) return fromDomain(error.failure, error.naming);
  if (error instanceof DomainError) return fromDomain(error, null);
  const fastifyError = error as Partial<FastifyError>;
  const status = fastifyError.statusCode ?? 500;
  if (status >= 500) {
    request?.log.error({ err: error }, 'request failed');
    return new BitrixError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  }
  if (status === 415) return new BitrixError(400, 'INVALID_REQUEST', 'Unsupported Content-Type: send JSON, a form or a query string');
  return new BitrixError(400, 'INVALID_REQUEST', fastifyError.message ?? 'Invalid request');
}

export function sendBitrixError(reply: FastifyReply, error: BitrixError): FastifyReply {
  return reply.code(error.status).send(errorBody(error));
}

function fromDomain(error: DomainError, naming: ErrorNaming | null): BitrixError {
  switch (error.kind) {
    case 'invalid': {
      if (naming?.kind === 'links') return bitrixErrors.invalidFields(error.items.flatMap((item) => describeLinkItems(item, naming)));
      const items = error.items.flatMap((item) => item.errors);
      if (items.length === 0) return new BitrixError(400, 'ERROR_CORE', joinMessages([error.message]));
      return bitrixErrors.invalidFields(items.map((item) => describeItem(item, naming)));
    }
    case 'not_found':
      // The binding methods (crm.lead.contact.*, …) answer with the REST layer's code, not the legacy CRM's.
      return naming?.kind === 'links' ? new BitrixError(400, 'NOT_FOUND', 'Not found.') : bitrixErrors.notFound();
    case 'forbidden':
      return new BitrixError(403, 'ACCESS_DENIED', `Access denied. ${error.message}.`);
    case 'rate_limited':
      return new BitrixError(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests');
    // Bitrix24 clients retry QUERY_LIMIT_EXCEEDED after a pause, which is what a busy store needs.
    case 'unavailable':
      return new BitrixError(503, 'QUERY_LIMIT_EXCEEDED', error.message);
    case 'conflict':
    case 'limit':
      return new BitrixError(400, 'ERROR_CORE', joinMessages([error.message]));
  }
}

function describeItem(item: ErrorItem, naming: ErrorNaming | null): string {
  if (naming?.kind === 'record') return describeRecordItem(item, naming);
  if (naming?.kind === 'userfield') return `${definitionKey(item.path)}: ${item.detail}`;
  if (naming?.kind === 'status') return `${item.path.toUpperCase() || 'ID'}: ${item.detail}`;
  return item.path === '' ? item.detail : `${item.path}: ${item.detail}`;
}

function describeLinkItems(item: ItemErrors, naming: LinkNaming): string[] {
  const target = naming.targets[item.index];
  return item.errors.map((error) =>
    target && error.path === 'to_entity_id' && error.code === 'NotSupportedChoice' ? `${target.key}: there is no ${naming.noun} with ID ${target.id}.` : `${target?.key ?? error.path}: ${error.detail}`,
  );
}

const ENTRY_PATH = /^custom_fields_values\.(\d+)(?:\.values\.(\d+))?/;
/** Core wording of a field in `Required` and `RequiredForStage` details: `"Name" (id 12)`. */
const FIELD_ID_IN_DETAIL = /\(id (\d+)\)/;
const HOLDERS: Record<string, string> = { contacts: ' on a linked contact', companies: ' on the linked company' };

function describeRecordItem(item: ErrorItem, naming: RecordNaming): string {
  const entryMatch = ENTRY_PATH.exec(item.path);
  const entry = entryMatch ? naming.entries[Number(entryMatch[1])] : undefined;
  if (entry && entryMatch) return describeValueError(item, entry, entryMatch[2] === undefined ? null : Number(entryMatch[2]));

  if (item.code === 'Required' || item.code === 'RequiredForStage') {
    const fieldId = Number(FIELD_ID_IN_DETAIL.exec(item.detail)?.[1]);
    const definition = naming.definitions.find((candidate) => candidate.id === fieldId);
    if (definition) {
      const field = fieldLabel(definition, naming.keyOf(definition));
      if (item.code === 'Required') return `The required field ${field} is missing.`;
      const where = HOLDERS[definition.entityType] ?? '';
      return `The field ${field} is required${where} in stage ${naming.stage ?? 'the lead is moved to'} and is missing: send it in the same request.`;
    }
  }
  const property = Object.entries(naming.properties).find(([path]) => item.path === path || item.path.startsWith(`${path}.`));
  return `${property?.[1] ?? item.path}: ${item.detail}`;
}

function fieldLabel(definition: FieldDefinition, key: string | null): string {
  return `'${definition.name}' (${key ?? `field id ${definition.id}, which has no Bitrix24 name`})`;
}

function describeValueError(item: ErrorItem, entry: BuiltEntry, valueIndex: number | null): string {
  const { definition, key } = entry;
  const field = `Field ${fieldLabel(definition, key)}`;
  const sent = valueIndex === null ? undefined : entry.sent[valueIndex];
  const enums = definition.enums ?? [];
  const picksOption = ['select', 'multiselect', 'radiobutton'].includes(definition.type);
  if (picksOption && (item.code === 'NotSupportedChoice' || item.code === 'InvalidType')) {
    const choices = enums.map((option) => `${option.id} (${option.value})`).join(', ');
    return `${field}: ${JSON.stringify(sent)} is not an ID of an item of this list; send one of ${choices || 'no items: add some with LIST first'}.`;
  }
  if (definition.type === 'url' && item.code === 'InvalidValue') {
    return `${field}: ${JSON.stringify(sent)} is not a valid URL; send an absolute http:// or https:// address such as https://www.example.com/page.`;
  }
  const position = valueIndex !== null && entry.sent.length > 1 ? ` value ${valueIndex + 1}` : '';
  const echo = sent === undefined ? '' : ` (sent ${JSON.stringify(sent)})`;
  return `${field}${position}: ${item.detail}${echo}`;
}

/** Core paths of a definition draft, in the names crm.*.userfield.* uses. */
const DEFINITION_KEYS: readonly [RegExp, (match: RegExpExecArray) => string][] = [
  [/^name$/, () => 'EDIT_FORM_LABEL'],
  [/^code$/, () => 'FIELD_NAME'],
  [/^type$/, () => 'USER_TYPE_ID'],
  [/^sort$/, () => 'SORT'],
  [/^external_id$/, () => 'XML_ID'],
  [/^currency$/, () => 'SETTINGS.CURRENCY'],
  [/^enums(?:\.(\d+))?(?:\.(value|code|sort|id))?/, (match) =>
    `LIST${match[1] === undefined ? '' : `[${match[1]}]`}${match[2] === undefined ? '' : `.${({ value: 'VALUE', code: 'XML_ID', sort: 'SORT', id: 'ID' } as const)[match[2] as 'value']}`}`],
];

function definitionKey(path: string): string {
  for (const [pattern, name] of DEFINITION_KEYS) {
    const match = pattern.exec(path);
    if (match) return name(match);
  }
  return path;
}

/** Bitrix24's 404 for any path the dialect does not route. */
export function renderBitrixNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const method = request.url.split('?')[0]?.split('/').pop() ?? '';
  return sendBitrixError(reply, bitrixErrors.methodNotFound(method));
}
