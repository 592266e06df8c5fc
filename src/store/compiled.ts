import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Stands for one argument, or one item of a list argument, while a query is built and compiled. */
class Slot {
  constructor(
    readonly argument: number,
    readonly item: number | null,
  ) {}
}

/** Longest list argument whose statement is kept: a batch's worth of ids. */
const LONGEST_KEPT_LIST = 250;

type Argument = string | number | null | readonly (string | number)[];

/**
 * A query built and compiled once per dialect and per length of each list argument; each run only
 * swaps its arguments into the compiled parameters. Kysely otherwise builds and compiles the
 * statement again on every call, which takes longer than SQLite takes to answer a point lookup.
 *
 * `build` must give the same statement for any arguments of the same list lengths: it may pass them
 * to `where`, `in` or `values`, never branch on them.
 */
export function compiledQuery<Args extends readonly Argument[], Row>(
  build: (db: Kysely<Database>, ...args: Args) => Compilable<Row>,
): (db: Kysely<Database>, ...args: Args) => Promise<Row[]> {
  // Keyed by the dialect's adapter, which a database and its transactions share.
  const byDialect = new WeakMap<object, Map<string, CompiledQuery<Row>>>();
  return async (db, ...args) => {
    const executor = db.getExecutor();
    let compiled = byDialect.get(executor.adapter);
    if (!compiled) byDialect.set(executor.adapter, (compiled = new Map()));
    const shape = args.map((argument) => (Array.isArray(argument) ? argument.length : '')).join();
    let query = compiled.get(shape);
    if (!query) {
      const slots = args.map((argument, index) =>
        Array.isArray(argument) ? argument.map((_item, item) => new Slot(index, item)) : new Slot(index, null),
      ) as unknown as Args;
      query = build(db, ...slots).compile();
      // Each list length is its own statement; keeping every length of a long list would add up.
      if (args.every((argument) => !Array.isArray(argument) || argument.length <= LONGEST_KEPT_LIST)) compiled.set(shape, query);
    }
    const parameters = query.parameters.map((parameter) => (parameter instanceof Slot ? valueOf(args, parameter) : parameter));
    const result = await executor.executeQuery<Row>({ ...query, parameters });
    return result.rows;
  };
}

function valueOf(args: readonly Argument[], slot: Slot): unknown {
  const argument = args[slot.argument];
  return slot.item === null ? argument : (argument as readonly unknown[])[slot.item];
}
