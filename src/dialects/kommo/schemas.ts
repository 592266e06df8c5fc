import { Type } from '@sinclair/typebox';

/**
 * Schemas every Kommo route shares. Their bounds are what the store can hold: a number past them is
 * refused with a 400 at its own path, before it reaches the store, where PostgreSQL would overflow a
 * bigint column or parameter and answer 500.
 */

/** Ids are positive and fit a JavaScript number; a larger one names nothing we could have handed out. */
export const ID_BOUNDS = { minimum: 1, maximum: Number.MAX_SAFE_INTEGER };
export const Id = Type.Integer(ID_BOUNDS);

/** The path of one object addressed by its id. */
export const IdParams = Type.Object({ id: Id });

/** A page number: far more pages than any account holds, and its offset still a safe integer at any limit. */
export const Page = Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 });
