import type Database from "better-sqlite3";
import { migrateDatabase, openDatabase, type Db } from "#db/client";
import { env } from "./env.server";

/**
 * SQLite answers that mean "the database cannot be written now" (a read-only file or file
 * system, a full disk, an I/O error, a file that cannot be opened, a lock held past the busy
 * timeout). Any other error is a bug and stays an error.
 */
const UNAVAILABLE = /^SQLITE_(READONLY|FULL|IOERR|CANTOPEN|BUSY)/;

/** The SQLite code if `e` is one of those answers. */
export function unavailableCode(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && UNAVAILABLE.test(code) ? code : null;
}

/** The answer to a request that could not be saved: 503, rendered by the root error boundary in the person's language. */
export function databaseUnavailable(code: string): Response {
  return new Response(`Service Unavailable: the database cannot be written (${code})`, {
    status: 503,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "60", "Cache-Control": "no-store" },
  });
}

/** Prepared statements kept per connection, the least recently used dropped first. */
export const STATEMENT_CACHE_SIZE = 2000;

function translated(e: unknown): unknown {
  const code = unavailableCode(e);
  if (!code) return e;
  console.error(`tongban: the database cannot be written (${code}); the request was answered 503 and nothing was saved`);
  return databaseUnavailable(code);
}

function guarded<F extends (...args: never[]) => unknown>(f: F): F {
  return function (this: unknown, ...args: Parameters<F>) {
    try {
      return f.apply(this, args);
    } catch (e) {
      throw translated(e);
    }
  } as F;
}

/**
 * The one place where "cannot write" becomes a 503 answer instead of a 500 (issue 8, item 6):
 * statements and transactions of the app's handle throw a 503 Response for those SQLite codes.
 * Transactions roll back before the Response is thrown, so nothing half-written remains; reads
 * keep working on a read-only or full database.
 */
export function guardWrites(sqlite: Database.Database): Database.Database {
  const prepare = sqlite.prepare.bind(sqlite);
  const fresh = (source: string): Database.Statement => {
    const statement = guarded(prepare)(source);
    statement.run = guarded(statement.run);
    statement.get = guarded(statement.get);
    statement.all = guarded(statement.all);
    return statement;
  };
  // Prepared statements are kept and reused by their SQL text (Drizzle prepares every query anew:
  // SQLite's parse and plan were an eighth of a page's time). A statement still iterating is not
  // handed out twice, and one reused has Drizzle's raw mode (arrays) switched back off.
  const statements = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const kept = statements.get(source);
    if (kept && !kept.busy) {
      statements.delete(source);
      statements.set(source, kept);
      if (kept.reader) kept.raw(false);
      return kept;
    }
    const statement = fresh(source);
    if (!kept) {
      statements.set(source, statement);
      if (statements.size > STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
    }
    return statement;
  }) as typeof sqlite.prepare;
  const transaction = sqlite.transaction.bind(sqlite);
  sqlite.transaction = ((fn: (...args: never[]) => unknown) => {
    const tx = transaction(fn);
    return Object.assign(guarded(tx), {
      deferred: guarded(tx.deferred),
      immediate: guarded(tx.immediate),
      exclusive: guarded(tx.exclusive),
    });
  }) as typeof sqlite.transaction;
  sqlite.exec = guarded(sqlite.exec.bind(sqlite)) as typeof sqlite.exec;
  return sqlite;
}

// Kept on globalThis so that the server (server/index.ts, a separate bundle) closes the very
// handle the app opened, at shutdown (server/app.ts closeAppDatabase uses the same symbol).
const HANDLE = Symbol.for("tongban.db");
const holder = globalThis as typeof globalThis & { [HANDLE]?: Db };

/** The process-wide database handle, opened (and migrated) on first use. */
export function getDb(): Db {
  let instance = holder[HANDLE];
  if (!instance) {
    instance = openDatabase(env().DATABASE_URL);
    migrateDatabase(instance);
    guardWrites(instance.$client);
    holder[HANDLE] = instance;
  }
  return instance;
}

export function closeDb(): void {
  holder[HANDLE]?.$client.close();
  holder[HANDLE] = undefined;
}

export type { Db };
