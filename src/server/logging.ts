/**
 * The server's log settings. Fastify logs a request's method, URL and status, never its headers or
 * body; the redaction keeps credentials out should a header ever be logged (a debugging hook, an error).
 */
export function loggerOptions(level: string) {
  return {
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
  };
}
