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

/** The better-sqlite3 connection under a Drizzle database. */
export type Sqlite = Db["$client"];

/**
 * For the large scaled demo: `insert into table (columns…) values (?…)` prepared once on the raw
 * connection, run with positional values (booleans as 0/1, JSON already stringified); answers the
 * new row's id. Several times faster than a Drizzle prepared insert per row. The columns are SQL
 * names (snake_case); the migrations stay the only source of the tables.
 */
export function rawInsert(sqlite: Sqlite, table: string, columns: readonly string[]): (...values: unknown[]) => number {
  // created_at and updated_at: the moment the statement was prepared, bound once instead of computed for every row
  const now = new Date().toISOString();
  const statement = sqlite.prepare(
    `insert into ${table} (${columns.join(", ")}, created_at, updated_at) values (${columns.map(() => "?").join(", ")}, '${now}', '${now}')`,
  );
  return (...values) => Number(statement.run(values).lastInsertRowid);
}

/**
 * Runs a bulk load with pragmas that suit it: the rollback journal in memory instead of the WAL
 * (every page is written once, not to the WAL and then again), no fsync until the end, and a
 * large page cache for the indexes. The connection's own settings (WAL, synchronous NORMAL) are
 * restored afterwards, even when the load fails. Only for a database nobody else has open: the
 * demo command fills a new file, and a crash mid-load leaves a file to throw away anyway.
 */
export async function withBulkLoadPragmas<T>(sqlite: Sqlite, load: () => Promise<T>): Promise<T> {
  const journal = String(sqlite.pragma("journal_mode", { simple: true }));
  const synchronous = Number(sqlite.pragma("synchronous", { simple: true }));
  const cacheSize = Number(sqlite.pragma("cache_size", { simple: true }));
  sqlite.pragma("journal_mode = MEMORY");
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("cache_size = -262144");
  try {
    return await load();
  } finally {
    sqlite.pragma(`cache_size = ${cacheSize}`);
    sqlite.pragma(`synchronous = ${synchronous}`);
    sqlite.pragma(`journal_mode = ${journal}`);
  }
}

/**
 * Runs a bulk load into `tables` with their secondary indexes dropped, then builds them again
 * from their own definitions as the migrations created them (read from sqlite_master before
 * dropping, so the migrations stay the only source of the schema). Building an index once over
 * sorted rows is much faster than growing it row by row; a unique index that the loaded rows
 * break fails the rebuild, so nothing is checked less. Call it inside the load's transaction.
 */
export function withIndexesBuiltAfter<T>(sqlite: Sqlite, tables: readonly string[], load: () => T): T {
  const placeholders = tables.map(() => "?").join(", ");
  const indexes = sqlite
    .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${placeholders}) order by name`)
    .all(...tables) as { name: string; sql: string }[];
  for (const index of indexes) sqlite.exec(`drop index "${index.name}"`);
  const result = load();
  for (const index of indexes) sqlite.exec(index.sql);
  return result;
}
