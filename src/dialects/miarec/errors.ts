/**
 * Every error a MiaRec route can produce is worded here, and nowhere else. MiaRec answers
 * `{"error": <kind>, "description": <text>}`; invalid records add `details`, one entry per bad item
 * keyed by its path in the request (`custom_fields.0.value`).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorCode, type ErrorItem } from '../../core/errors.js';

export interface MiarecError {
  error: string;
  description: string;
  details?: Record<string, string>;
}

/** MiaRec's words for the engine's error codes; the codes absent here keep the engine's detail. */
const MESSAGES: Partial<Record<ErrorCode, string>> = {
  TooLong: 'Value is too long',
  NotBlank: 'Value is required',
  FieldMissing: 'Value is required',
  Required: 'Value is required',
  InvalidType: 'Value has an invalid type',
  NotSupportedChoice: 'Value is not one of the allowed options',
  TooFew: 'Value is required',
  TooMany: 'Too many values',
  OutOfRange: 'Value is out of range',
  Immutable: 'Value cannot be changed',
  NotFound: 'Custom field not found',
};

/**
 * Engine paths in MiaRec's naming: a value entry's `values.0.value` is the entry's `value`, a field
 * named by name is `name`, and definition settings are MiaRec's own keys.
 */
const PATH_RENAMES: readonly [RegExp, string][] = [
  [/^custom_fields_values(?=\.|$)/, 'custom_fields'],
  [/^(custom_fields\.\d+)\.values(?:\.\d+(?:\.\w+)?)?$/, '$1.value'],
  [/^(custom_fields\.\d+)\.field_name$/, '$1.name'],
  [/^responsible_user_id$/, 'user_id'],
  [/^settings\.max_length$/, 'str_max_len'],
  [/^enums(?:\.(\d+)(?:\.\w+)?)?$/, 'options.$1'],
  [/^options\.$/, 'options'],
];

export function miarecPath(path: string): string {
  return PATH_RENAMES.reduce((renamed, [pattern, replacement]) => renamed.replace(pattern, replacement), path);
}

/** One entry per path; a second error on the same path adds to its text. */
export function invalidRecord(errors: readonly ErrorItem[]): MiarecError {
  const details: Record<string, string> = {};
  for (const item of errors) {
    const path = miarecPath(item.path);
    const message = MESSAGES[item.code] ?? item.detail.replace(/\.$/, '');
    details[path] = details[path] && details[path] !== message ? `${details[path]}; ${message}` : message;
  }
  return { error: 'InvalidRecord', description: 'Record Validation errors', details };
}

export function renderMiarecError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof DomainError) return sendDomainError(reply, error);
  const failure = error as FastifyError;
  if (failure.validation) {
    const errors = failure.validation.map((issue): ErrorItem => {
      const missing = (issue.params as { missingProperty?: string }).missingProperty;
      const path = [...issue.instancePath.split('/').filter(Boolean), ...(missing ? [missing] : [])].join('.');
      return { code: missing ? 'FieldMissing' : 'InvalidType', path: path || String(failure.validationContext ?? ''), detail: issue.message ?? 'is invalid' };
    });
    return sendMiarec(reply, 400, invalidRecord(errors));
  }
  const status = failure.statusCode ?? 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
    return sendMiarec(reply, 500, { error: 'InternalServerError', description: 'The server could not complete the request' });
  }
  return sendMiarec(reply, status, { error: 'BadRequest', description: bodyErrorDescription(failure) });
}

export function renderMiarecNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (request.server.isMethodNotAllowed(request.method, request.url)) {
    return sendMiarec(reply, 405, { error: 'MethodNotAllowed', description: `The method ${request.method} is not allowed for this resource` });
  }
  return sendMiarec(reply, 404, { error: 'NotFound', description: 'The requested resource could not be found' });
}

export function sendUnauthorized(reply: FastifyReply): FastifyReply {
  reply.header('www-authenticate', 'Basic realm="MiaRec"');
  return sendMiarec(reply, 401, { error: 'Unauthorized', description: 'Missing or invalid credentials' });
}

/** A 400 for what a route itself finds wrong with the request, before the engine sees it. */
export function invalidRequest(errors: ErrorItem[]): DomainError {
  return DomainError.invalid([{ index: 0, requestId: '0', errors }]);
}

function sendDomainError(reply: FastifyReply, error: DomainError): FastifyReply {
  switch (error.kind) {
    case 'invalid':
      return error.items.length > 0
        ? sendMiarec(reply, 400, invalidRecord(error.items.flatMap((item) => item.errors)))
        : sendMiarec(reply, 400, { error: 'BadRequest', description: error.message });
    case 'not_found':
      return sendMiarec(reply, 404, { error: 'NotFound', description: error.message });
    case 'forbidden':
      return sendMiarec(reply, 403, { error: 'Forbidden', description: `Access is denied: ${error.message}` });
    case 'conflict':
      return sendMiarec(reply, 409, { error: 'Conflict', description: error.message });
    case 'limit':
      return sendMiarec(reply, 400, { error: 'BadRequest', description: error.message });
    case 'rate_limited':
      reply.header('retry-after', String(error.retryAfter ?? 1));
      return sendMiarec(reply, 429, { error: 'TooManyRequests', description: 'Too many requests; try again later' });
    case 'unavailable':
      reply.header('retry-after', String(error.retryAfter ?? 1));
      return sendMiarec(reply, 503, { error: 'ServiceUnavailable', description: error.message });
  }
}

function sendMiarec(reply: FastifyReply, status: number, body: MiarecError): FastifyReply {
  return reply.code(status).type('application/json').send(body);
}

function bodyErrorDescription(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'Request body is empty';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'Request body is not valid JSON';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported Content-Type; send application/json';
    default:
      return error.message;
  }
}
