import type { FastifyInstance } from 'fastify';

/** Deep enough for any real document; shallow enough that no later recursion can overflow. */
export const MAX_JSON_DEPTH = 64;
/** Longest string value or key accepted anywhere in a JSON body, in UTF-16 code units. */
export const MAX_JSON_STRING_LENGTH = 65_536;

/** `application/vnd.api+json`, `application/merge-patch+json` and the like parse as JSON too. */
const JSON_SUFFIX_MEDIA_TYPE = /^application\/[\w.-]+\+json(?:;|$)/;

/**
 * A request body refused before any route sees it. Every dialect's error handler renders errors
 * carrying a 4xx `statusCode` and a message, so each shows it in its own shape.
 */
export class RequestBodyError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RequestBodyError';
  }
}

/**
 * One JSON parser for the whole server: it refuses invalid UTF-8, nesting beyond MAX_JSON_DEPTH and
 * overlong strings with a 400, and keeps Fastify's protection against prototype poisoning. Plain
 * text is no longer accepted, so a body in any other media type is a 415.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parser = (request: Parameters<typeof parseJson>[0], body: Buffer, done: (error: Error | null, value?: unknown) => void) => {
    let text: string;
    try {
      text = decoder.decode(body);
    } catch {
      done(new RequestBodyError(400, 'FW_BODY_INVALID_UTF8', 'Request body is not valid UTF-8'));
      return;
    }
    if (nestingDepth(text) > MAX_JSON_DEPTH) {
      done(new RequestBodyError(400, 'FW_BODY_TOO_DEEP', `Request body is nested deeper than ${MAX_JSON_DEPTH} levels`));
      return;
    }
    parseJson(request, text, (error, value) => {
      if (error) done(error);
      else if (hasOverlongString(value)) {
        done(new RequestBodyError(400, 'FW_BODY_STRING_TOO_LONG', `Request body has a string longer than ${MAX_JSON_STRING_LENGTH} characters`));
      } else done(null, value);
    });
  };
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, parser);
  app.addContentTypeParser(JSON_SUFFIX_MEDIA_TYPE, { parseAs: 'buffer' }, parser);
}

/** The deepest nesting of arrays and objects, found without parsing (and so without recursion). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++; // a backslash escapes the next character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x5d || char === 0x7d) depth--;
  }
  return deepest;
}

/** Recursion is safe here: the depth was bounded before parsing. */
function hasOverlongString(value: unknown): boolean {
  if (typeof value === 'string') return value.length > MAX_JSON_STRING_LENGTH;
  if (Array.isArray(value)) return value.some(hasOverlongString);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, item]) => key.length > MAX_JSON_STRING_LENGTH || hasOverlongString(item));
  }
  return false;
}
