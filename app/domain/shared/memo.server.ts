/**
 * Memoised aggregates: the few read-only computations that cost in proportion to the clients in a
 * viewer's scope (outcome reports, the coordinator's dashboard counts) are kept per process and
 * reused until the data they read may have changed.
 *
 * "May have changed" is exact, from SQLite itself: the connection's `total_changes()` moves with
 * every row this connection inserts, updates or deletes (raw or through the domain, triggers
 * included), and `PRAGMA data_version` moves whenever another connection commits (an import
 * worker, the command line, another process). The only writes left out are the audit rows that
 * record a read (a client's page viewed, an identity revealed, an export, notifications read):
 * recordAudit counts them here (`noteReadAudit`), so reading records does not throw the cache
 * away. That count is per thread, which holds because each thread writes audit rows through one
 * connection (the server's main thread through getDb(), an import worker through its own).
 * An entry also expires after MAX_AGE_MS, and the cache keeps at most MAX_ENTRIES (oldest out).
 *
 * A memoised value is shared between requests: it must be plain data that nobody mutates.
 */
import type { Db } from "#db/client";

type Connection = Pick<Db, "$client">;

/** Audit actions that record a read, not a change. */
export const READ_AUDIT_ACTIONS: ReadonlySet<string> = new Set(["view", "reveal_identity", "export", "read"]);

export const MAX_AGE_MS = 60_000;
export const MAX_ENTRIES = 500;

type Entry = { generation: string; at: number; value: unknown };
const entries = new Map<string, Entry>();
let readAuditRows = 0;
let hits = 0;
let misses = 0;

/** Called by recordAudit for each audit row that records a read. */
export function noteReadAudit(): void {
  readAuditRows += 1;
}

/** Each connection object gets a serial number: a database reopened (after a restore) starts afresh. */
const connections = new WeakMap<object, number>();
let lastConnection = 0;

/** A value that changes whenever data changes, and not when people only read. */
export function dataGeneration(db: Connection): string {
  const client = db.$client;
  let serial = connections.get(client);
  if (serial === undefined) connections.set(client, (serial = ++lastConnection));
  const version = client.pragma("data_version", { simple: true }) as number;
  const changes = (client.prepare("select total_changes() as n").get() as { n: number }).n;
  return `${serial}:${version}:${changes - readAuditRows}`;
}

/**
 * The value of `compute()` for `key`, from the cache when nothing was written since it was computed
 * and it is younger than MAX_AGE_MS. The key must name everything the value depends on besides the
 * data: the function, the viewer's scope and every parameter (including "today" where it matters).
 */
export function memoised<T>(db: Connection, key: string, compute: () => T, now: number = Date.now()): T {
  const generation = dataGeneration(db);
  const found = entries.get(key);
  if (found && found.generation === generation && now - found.at < MAX_AGE_MS) {
    hits += 1;
    return found.value as T;
  }
  misses += 1;
  const value = compute();
  entries.delete(key);
  entries.set(key, { generation, at: now, value });
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  return value;
}

/** For tests and the benchmark's notes: how often the cache answered. */
export function memoStats(): { hits: number; misses: number; entries: number } {
  return { hits, misses, entries: entries.size };
}

/** Empties the cache (tests, and after a restore replaces the database under the server). */
export function clearMemo(): void {
  entries.clear();
  hits = 0;
  misses = 0;
}
