// Types of what the functions read and write, taken from the generated database.types.ts
// (`npm run gen:types`), so that `deno check` fails when a migration changes a table, a column or
// a function the code relies on.
//
// The generator describes values as PostgREST sends them in JSON. The functions read through
// postgres.js instead, which differs in ways the generator cannot see, so those columns are
// restated with `PgRow`:
// - timestamptz, timestamp and date arrive as `Date` (generated: string);
// - int8 (bigint, identity ids) arrives as a `string` (generated: number);
// - columns of a function's `returns table (...)` are generated as never null, though SQL may
//   return null in them.
import type { Database } from "./database.types.ts";

export type {
  Database,
  Enums,
  Json,
  Tables,
  TablesInsert,
  TablesUpdate,
} from "./database.types.ts";

/** Schemas in the generated types (`public`, and `private` for the helpers functions call). */
export type Schema = keyof Database;

/** Names of the SQL functions of a schema. */
export type FunctionName<S extends Schema = "public"> = keyof Database[S]["Functions"];

type FunctionOf<S extends Schema, N> = N extends keyof Database[S]["Functions"]
  ? Database[S]["Functions"][N]
  : never;

/** The named arguments of a SQL function (optional where the SQL has a default). */
export type FunctionArgs<N extends FunctionName<S>, S extends Schema = "public"> =
  FunctionOf<S, N> extends { Args: infer A } ? A : never;

/** What a SQL function returns, as generated (an array of rows for set-returning ones). */
export type FunctionReturns<N extends FunctionName<S>, S extends Schema = "public"> =
  FunctionOf<S, N> extends { Returns: infer R } ? R : never;

/** One row of a set-returning SQL function (`returns table (...)` or `returns setof ...`). */
export type FunctionRow<N extends FunctionName<S>, S extends Schema = "public"> =
  FunctionReturns<N, S> extends (infer R)[] ? R : never;

/**
 * A generated row with some columns restated as postgres.js delivers them. Every restated column
 * must exist in the generated row: a renamed or dropped column fails the type check.
 */
export type PgRow<
  Row,
  Restated extends { [K in keyof Restated]: K extends keyof Row ? unknown : never },
> =
  & Omit<Row, keyof Restated>
  & Restated;

/** A timestamptz/date value (generated as string) read through postgres.js. */
export type PgDate<Generated extends string | null> = Date | Extract<Generated, null>;

/** An int8 value (generated as number) read through postgres.js, which keeps its digits. */
export type PgInt8<Generated extends number | null> = string | Extract<Generated, null>;
