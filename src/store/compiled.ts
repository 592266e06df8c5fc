import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Stands for one argument, one item of a list argument, or one column of a row, while a query is built and compiled. */
class Slot {
  constructor(
    readonly argument: number,
    readonly item: number | null,
    readonly column: string | null,
  ) {}
}

/** A query builder or a raw `sql` template: either compiles against the database it was built on. */
interface Buildable<Result> {
  compile(db: Kysely<Database>): CompiledQuery<Result>;
}

type Scalar = string | number | null;
type Row = Readonly<Record<string, Scalar | undefined>>;
type Argument = Scalar | readonly Scalar[] | readonly Row[];

/**
 * The SQL of every statement whose plan may be kept, with a name for it: the PostgreSQL client prepares a
 * named statement once per connection, so the server parses it once, and after a few runs plans it once
 * (PostgreSQL's default `plan_cache_mode`). Other statements go unnamed, so they are parsed and planned on
 * every run, for that run's values.
 */
const statementNames = new Map<string, string>();

export function reusedStatementName(text: string): string | undefined {
  return statementNames.get(text);
}

/** Longest list argument whose statement is kept: a batch's worth of ids, or a chunk's worth of rows. */
export const LONGEST_KEPT_LIST = 250;

export interface CompiledOptions {
  /**
   * The statement has one sensible plan whatever its values and however full its tables are: an INSERT of
   * values, or a lookup of one row by a unique key. PostgreSQL may then plan it once per connection;
   * planning took more of its time than running a lookup by id. Any other statement is planned on every
   * run: a plan made once while a table was small (links, early in an import) would go on scanning the
   * whole table as it grew, until the next ANALYZE.
   */
  planOnce?: boolean;
}

/**
 * A query built and compiled once per dialect and per shape of its list arguments; each run only
 * swaps its arguments into the compiled parameters. Kysely otherwise builds and compiles the
 * statement again on every call, which takes longer than SQLite takes to answer a point lookup, and
 * longer than it takes to insert a row.
 *
 * `build` must give the same statement for any arguments of the same shape: it may pass them to
 * `where`, `in` or `values`, never branch on them. A list of rows is shaped by its length and by the
 * columns of its first row; every row of one call must have those columns (a missing one is null).
 */
export function compiledQuery<Args extends readonly Argument[], Result>(
  build: (db: Kysely<Database>, ...args: Args) => Buildable<Result>,
  options: CompiledOptions = {},
): (db: Kysely<Database>, ...args: Args) => Promise<Result[]> {
  // Keyed by the dialect's adapter, which a database and its transactions share.
  const byDialect = new WeakMap<object, Map<string, CompiledQuery<Result>>>();
  return async (db, ...args) => {
    const executor = db.getExecutor();
    let compiled = byDialect.get(executor.adapter);
    if (!compiled) byDialect.set(executor.adapter, (compiled = new Map()));
    const shape = args.map(shapeOf).join(';');
    let query = compiled.get(shape);
    if (!query) {
      query = build(db, ...(args.map(slotsFor) as unknown as Args)).compile(db);
      // Each list length is its own statement; keeping every length of a long list would add up.
      if (args.every((argument) => !Array.isArray(argument) || argument.length <= LONGEST_KEPT_LIST)) {
        compiled.set(shape, query);
        if (options.planOnce && !statementNames.has(query.sql)) statementNames.set(query.sql, `fieldwork_${statementNames.size + 1}`);
      }
    }
    const parameters = query.parameters.map((parameter) => (parameter instanceof Slot ? valueOf(args, parameter) : parameter));
    const result = await executor.executeQuery<Result>({ ...query, parameters });
    return result.rows;
  };
}

/** The items of a list argument, and the columns of its rows when it is a list of rows. */
function listOf(argument: Argument): { items: readonly (Scalar | Row)[]; columns: string[] | null } | null {
  if (!Array.isArray(argument)) return null;
  const items = argument as readonly (Scalar | Row)[];
  const first = items[0];
  return { items, columns: typeof first === 'object' && first !== null ? Object.keys(first) : null };
}

function shapeOf(argument: Argument): string {
  const list = listOf(argument);
  if (!list) return '';
  return list.columns ? `${list.items.length}:${list.columns.join()}` : String(list.items.length);
}

function slotsFor(argument: Argument, index: number): unknown {
  const list = listOf(argument);
  if (!list) return new Slot(index, null, null);
  const { items, columns } = list;
  if (!columns) return items.map((_item, item) => new Slot(index, item, null));
  return items.map((_row, item) => Object.fromEntries(columns.map((column) => [column, new Slot(index, item, column)])));
}

function valueOf(args: readonly Argument[], slot: Slot): Scalar {
  const argument = args[slot.argument]!;
  if (slot.item === null) return argument as Scalar;
  const item = (argument as readonly (Scalar | Row)[])[slot.item]!;
  return slot.column === null ? (item as Scalar) : ((item as Row)[slot.column] ?? null);
}
