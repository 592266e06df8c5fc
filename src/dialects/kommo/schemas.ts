import { Type } from '@sinclair/typebox';

/**
 * An id in a Kommo path. Ids are positive and fit a JavaScript number; a larger one names nothing we could
 * have handed out, and is refused here with a 400 before it reaches the store, where it would overflow
 * PostgreSQL's bigint.
 */
export const PathId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

/** The path of one object addressed by its id. */
export const IdParams = Type.Object({ id: PathId });
