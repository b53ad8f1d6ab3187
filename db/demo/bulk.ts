/**
 * Prepared bulk inserts for the demo generator: one Drizzle statement per table, prepared once
 * with a placeholder per column and run for every row (no per-row audit; the demo records one
 * "generate" audit row). Column mapping (JSON, booleans) applies to placeholder values too.
 */
import { sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../client";

/** The transaction handle `db.transaction((tx) => …)` passes in. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

type Insert<T extends SQLiteTable> = T["$inferInsert"];

/**
 * Prepares `insert into table (keys…) values (?…)` and returns a function that inserts one row
 * and answers the new row's id.
 */
export function preparedInsert<T extends SQLiteTable, K extends keyof Insert<T> & string>(
  tx: Tx,
  table: T,
  keys: readonly K[],
): (row: Pick<Insert<T>, K>) => number {
  const values = Object.fromEntries(keys.map((k) => [k, sql.placeholder(k)])) as unknown as Insert<T>;
  const statement = tx.insert(table).values(values).prepare();
  return (row) => Number(statement.run(row as Record<string, unknown>).lastInsertRowid);
}
