import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ItemErrors } from '../../core/errors.js';
import { OAuthError, type OAuthFailure } from '../../core/access/oauth.js';
import { problem, PROBLEM_CONTENT_TYPE, type Problem } from './problem.js';

/** Every error a Kommo route can produce becomes a problem document here, and nowhere else. */
export function renderKommoError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof DomainError) return sendDomainProblem(reply, error);
  if (error instanceof OAuthError) return sendProblem(reply, oauthProblem(error));
  return renderKommoHttpError(error as FastifyError, request, reply);
}

export function renderKommoHttpError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof DomainError) return sendDomainProblem(reply, error);
  if (error.validation) {
    const items = new Map<string, ItemErrors>();
    for (const issue of error.validation) {
      const segments = issue.instancePath.split('/').filter(Boolean);
      const isBatchItem = error.validationContext === 'body' && segments.length > 0 && /^\d+$/.test(segments[0] ?? '');
      const index = isBatchItem ? Number(segments.shift()) : 0;
      const missing = (issue.params as { missingProperty?: string }).missingProperty;
      const extra = (issue.params as { additionalProperty?: string }).additionalProperty;
      const path = [...segments, ...(missing ? [missing] : []), ...(extra ? [extra] : [])].join('.');
      const entry = items.get(String(index)) ?? { index, requestId: String(index), errors: [] };
      entry.errors.push({
        code: extra ? 'FieldNotExpected' : missing ? 'FieldMissing' : 'InvalidType',
        path: error.validationContext === 'body' ? path : [error.validationContext, path].filter(Boolean).join('.'),
        detail: extra ? 'This field was not expected.' : missing ? 'This field is missing.' : `This value ${issue.message ?? 'is not valid'}.`,
      });
      items.set(String(index), entry);
    }
    return sendProblem(reply, validationProblem([...items.values()]));
  }
  const status = error.statusCode ?? 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, {
      title: 'ErrInternalServer',
      type: 'https://httpstatus.es/500',
      status: 500,
      detail: 'Our team are probably already working on the elimination of the problem',
      trace_id: request.id,
    });
  }
  return sendProblem(reply, problem(status, httpErrorDetail(error)));
}

export function renderKommoNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (request.server.isMethodNotAllowed(request.method, request.url)) {
    return sendProblem(reply, problem(405, 'Method Not Allowed'));
  }
  const url = `${request.protocol}://${request.host}${request.url.split('?')[0] ?? ''}`;
  return sendProblem(reply, problem(404, `Cannot ${request.method} ${url}`));
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

export function validationProblem(items: ItemErrors[]): Problem {
  // Kommo puts the item errors first in the document.
  return {
    'validation-errors': items.map((item) => ({ request_id: item.requestId ?? String(item.index), errors: item.errors })),
    ...problem(400, 'Request validation failed'),
  };
}

function sendDomainProblem(reply: FastifyReply, error: DomainError): FastifyReply {
  if (error.retryAfter !== null) reply.header('retry-after', String(error.retryAfter));
  return sendProblem(reply, domainProblem(error));
}

/** Kommo words every refused OAuth grant as one problem type and tells the cases apart by `hint`. */
const OAUTH_STATUS: Record<OAuthFailure, number> = { invalid_request: 400, invalid_grant: 400, invalid_client: 401, revoked: 401 };

export function oauthProblem(error: OAuthError): Problem {
  return {
    hint: error.hint,
    title: 'Invalid request',
    type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
    status: OAUTH_STATUS[error.failure],
    detail: 'Some parameters are missing from the request or are invalid',
  };
}

function domainProblem(error: DomainError): Problem {
  switch (error.kind) {
    case 'invalid':
      return validationProblem(error.items);
    case 'not_found':
      return problem(404, error.message);
    case 'forbidden':
      return problem(403, error.message);
    case 'limit':
      return problem(422, error.message);
    case 'conflict':
      return problem(409, error.message);
    case 'rate_limited':
      return problem(429, 'You have sent too many requests in a given amount of time. Please try again later.', {
        retry_after: error.retryAfter,
      });
    case 'unavailable':
      return problem(503, error.message, { retry_after: error.retryAfter });
  }
}

function httpErrorDetail(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'Request data can not be empty';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'Request body is not valid JSON';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'Request body is too large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported Content-Type; send application/json';
    default:
      return error.message;
  }
}
