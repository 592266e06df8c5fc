/**
 * Every error an Envoke route can produce is worded here, and nowhere else. Envoke answers
 * `{"success": false, "result_text": ..., "result_data": {"errors": [<message>, ...]}}`, with the
 * messages of its documentation reproduced exactly.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, errorItem, type ErrorItem } from '../../core/errors.js';

const VALIDATION_FAILED = "Validation failed, see 'result_data' -> 'errors'";
export const FIELD_TYPE_VALUES = ['text', 'note', 'date', 'url'] as const;

/** Envoke's messages, by what was wrong; paths name the custom-field property or the contact value. */
export const envokeMessage = {
  emptyBody: () => 'Request body may not be empty',
  nameRequired: () => "The field 'name' is required",
  nameCharacters: () => 'Only alphanumeric and underscore characters are permitted in the name field',
  nameTaken: (name: string) => `A custom field named '${name}' already exists`,
  fieldTypeRequired: () => 'field_type is required',
  fieldTypeInvalid: () => `Invalid 'field_type'; allowed values are: ${FIELD_TYPE_VALUES.join(', ')}`,
  fieldTypeImmutable: () => "The field 'field_type' cannot be changed after creation",
  nothingToUpdate: () => "At least one of 'name' or 'description' must be provided",
  idMismatch: (urlId: string, bodyId: string) => `Provided 'id': ${urlId} does not match 'id' in request body (${bodyId})`,
  notFound: (id: string) => `Item with id '${id}' not found`,
  descriptionType: () => "The field 'description' must be a string",
  unknownContactField: (name: string) => `Unknown custom field '${name}'`,
  contactFieldNotKept: (key: string) => `The field '${key}' is not kept here; send first_name, last_name, email or custom_fields`,
  emailType: () => "The field 'email' must be a non-empty string",
  limitTooLarge: (max: number) => `'limit' may be at most ${max}, unless 'fields' or 'result_type' is given`,
  notFilterable: (key: string, known: readonly string[]) => `Cannot filter by '${key}'; filter by ${known.join(', ')}`,
  notSortable: (key: string, known: readonly string[]) => `Cannot sort by '${key}'; sort by ${known.join(', ')}`,
  notProjectable: (key: string, known: readonly string[]) => `Unknown field '${key}' in 'fields'; choose from ${known.join(', ')}`,
};

/** A refusal already worded in Envoke's terms: the items' details are the messages. */
export function envokeInvalid(messages: readonly string[]): DomainError {
  return DomainError.invalid([{ index: 0, requestId: '0', errors: messages.map((message) => errorItem('InvalidValue', '', message)) }]);
}

export function envokeNotFound(id: string): DomainError {
  return DomainError.notFound(envokeMessage.notFound(id));
}

/**
 * The engine names a contact value by its place in the canonical patch; Envoke clients named it by
 * the field's name, so the paths are rewritten to what the request sent: `custom_fields.<name>`, or `email`.
 */
export function withContactValueNames(error: unknown, paths: readonly string[]): unknown {
  if (!(error instanceof DomainError) || error.kind !== 'invalid') return error;
  const items = error.items.map((item) => ({
    ...item,
    errors: item.errors.map((entry) => ({
      ...entry,
      path: entry.path.replace(/^custom_fields_values\.(\d+)(?:\.[\w.]*)?$/, (_match, index: string) => paths[Number(index)] ?? `custom_fields.${index}`),
    })),
  }));
  return DomainError.invalid(items, error.message);
}

export function renderEnvokeError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof DomainError) return sendDomainError(reply, error);
  const failure = error as FastifyError;
  if (failure.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return sendFailure(reply, 400, VALIDATION_FAILED, [envokeMessage.emptyBody()]);
  if (failure.validation) {
    return sendFailure(reply, 400, VALIDATION_FAILED, failure.validation.map((issue) => `${issue.instancePath || failure.validationContext || 'request'} ${issue.message ?? 'is invalid'}`));
  }
  const status = failure.statusCode ?? 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
    return sendFailure(reply, 500, 'Internal server error', []);
  }
  return sendFailure(reply, status, failure.message, [failure.message]);
}

export function renderEnvokeNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (request.server.isMethodNotAllowed(request.method, request.url)) return sendFailure(reply, 405, 'Method not allowed', []);
  return sendFailure(reply, 404, 'Not found', []);
}

export function sendUnauthorized(reply: FastifyReply): FastifyReply {
  reply.header('www-authenticate', 'Basic realm="Envoke"');
  return sendFailure(reply, 401, 'Authentication failed', ['Invalid API ID or API key']);
}

/** Engine errors name a property by path; Envoke's messages name it in words. */
function messageOf(item: ErrorItem): string {
  if (item.path === '') return item.detail;
  if (item.path === 'name' && item.code === 'TooLong') return `The field 'name' is too long: ${item.detail}`;
  return `The field '${item.path}' is invalid: ${item.detail}`;
}

function sendDomainError(reply: FastifyReply, error: DomainError): FastifyReply {
  switch (error.kind) {
    case 'invalid': {
      const messages = error.items.flatMap((item) => item.errors.map(messageOf));
      return sendFailure(reply, 400, VALIDATION_FAILED, messages.length > 0 ? messages : [error.message]);
    }
    case 'not_found':
      // Envoke reports an unknown id as a validation error.
      return sendFailure(reply, 400, VALIDATION_FAILED, [error.message]);
    case 'forbidden':
      return sendFailure(reply, 403, 'Forbidden', [error.message]);
    case 'conflict':
    case 'limit':
      return sendFailure(reply, 400, VALIDATION_FAILED, [error.message]);
    case 'rate_limited':
      reply.header('retry-after', String(error.retryAfter ?? 1));
      return sendFailure(reply, 429, 'Too many requests', [`Try again in ${error.retryAfter ?? 1} seconds`]);
    case 'unavailable':
      reply.header('retry-after', String(error.retryAfter ?? 1));
      return sendFailure(reply, 503, 'Service unavailable', [error.message]);
  }
}

function sendFailure(reply: FastifyReply, status: number, resultText: string, errors: string[]): FastifyReply {
  return reply.code(status).type('application/json').send({ success: false, result_text: resultText, result_data: { errors } });
}
