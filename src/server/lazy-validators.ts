import AjvCompiler from '@fastify/ajv-compiler';

type Validator = ReturnType<ReturnType<AjvCompiler.ValidatorFactory>>;

/**
 * Fastify's own Ajv validators, each compiled on its route's first request instead of at start: compiling the
 * routes' schemas took about a tenth of a cold start. The first request of each route pays for its own (a few
 * milliseconds), and a schema Ajv cannot compile fails its route's first request instead of the start.
 * Fastify reads `schemaEnv` (so Ajv may coerce the root value) and `errors` off the function it was given, so
 * the stand-in forwards both.
 */
export const lazyValidators: AjvCompiler.ValidatorFactory = (externalSchemas, options) => {
  const compile = AjvCompiler()(externalSchemas, options);
  return (route) => {
    let validate: Validator | undefined;
    const compiled = () => (validate ??= compile(route));
    const standIn = (...args: Parameters<Validator>) => {
      const run = compiled();
      const result = run(...args);
      standIn.errors = run.errors;
      return result;
    };
    standIn.errors = undefined as Validator['errors'];
    Object.defineProperty(standIn, 'schemaEnv', { get: () => compiled().schemaEnv });
    return standIn as unknown as Validator;
  };
};
