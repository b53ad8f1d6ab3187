/**
 * Restore from a backup (issue 6, item 3). The file is checked before anything is touched
 * (an SQLite file, Tongban's tables, integrity, migrations not newer than this code's); a
 * database a running server has open is refused unless forced; the current database is kept
 * beside the restored one as `<database>.before-restore-<time>` (with its -wal and -shm).
 *
 * The checks run on a copy made next to the database, never on the backup itself: opening a
 * file with SQLite may create -wal and -shm files beside it, and a backup folder stays as it was.
 * The copy is migrated to this code's schema before it replaces the database, so a failure at
 * any step leaves the database exactly as it was.
 *
 * Encryption (ADR 0006): the backup is opened with the key (DATABASE_KEY unless given); an
 * encrypted backup without a key, or with a key it was not made with, is refused. An unencrypted
 * backup restored while a key is set is encrypted with it on the working copy, so the restored
 * database opens with the key the server has.
 */
import type Database from "better-sqlite3";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { closeSync, copyFileSync, existsSync, openSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import {
  closeDatabase,
  isDatabaseKeyError,
  keyPragma,
  migrateDatabase,
  migrationsFolder,
  openDatabase,
  openSqlite,
  setSqlcipher4,
} from "#db/client";
import { env } from "~/env.server";
import { recordAudit, type Actor } from "~/domain/audit";
import { countMainTables, integrityOf } from "./backup.server";
import { databaseUser } from "./restore-lock";

/** A one-line reason; nothing was changed. */
export class RestoreError extends Error {}

/** Tables every Tongban database has had since the first migration. */
export const TONGBAN_TABLES = ["__drizzle_migrations", "users", "user_roles", "districts", "settings", "audit_log"] as const;

const SQLITE_HEADER = "SQLite format 3\0";

export type RestoreResult = {
  /** where the replaced database now is, or null when there was none */
  previous: string | null;
  counts: Record<string, number>;
  bytes: number;
};

function stamp(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, "Z").replace(/[-:]/g, "");
}

function removeWithSidecars(file: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
}

/** The first 100 bytes of a file (an SQLite header is 100 bytes), or null when it cannot be read. */
function readHeader(file: string): Buffer | null {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const buf = Buffer.alloc(100);
    const n = readSync(fd, buf, 0, 100, 0);
    return buf.subarray(0, n);
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Encrypts an unencrypted database nothing else has open (rekeying needs a rollback journal, not WAL). */
function encryptInPlace(sqlite: Database.Database, key: string): void {
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.pragma("journal_mode = DELETE");
  setSqlcipher4(sqlite);
  sqlite.pragma(keyPragma("rekey", key));
}

/** The newest migration this code knows (drizzle/meta/_journal.json), as drizzle records it. */
export function latestKnownMigration(): number {
  return Math.max(0, ...readMigrationFiles({ migrationsFolder: migrationsFolder() }).map((m) => m.folderMillis));
}

/**
 * Checks an open copy: Tongban's tables, no migration newer than this code's, integrity.
 * Throws RestoreError with the reason.
 */
export function checkTongbanDatabase(sqlite: Database.Database, shownName: string): { counts: Record<string, number> } {
  let tables: Set<string>;
  try {
    tables = new Set((sqlite.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name));
  } catch (e) {
    throw new RestoreError(`${shownName} cannot be read as a database: ${(e as Error).message.split("\n")[0]}`);
  }
  const missing = TONGBAN_TABLES.filter((t) => !tables.has(t));
  if (missing.length) throw new RestoreError(`${shownName} is not a Tongban database (no ${missing.join(", ")} table)`);

  const applied = sqlite.prepare("select max(cast(created_at as integer)) as latest, count(*) as n from __drizzle_migrations").get() as {
    latest: number | null;
    n: number;
  };
  if (!applied.n) throw new RestoreError(`${shownName} is not a Tongban database (no migration was ever applied to it)`);
  const known = latestKnownMigration();
  if ((applied.latest ?? 0) > known) {
    throw new RestoreError(
      `${shownName} is from a newer schema (migration of ${new Date(applied.latest!).toISOString()}; this Tongban knows up to ${new Date(known).toISOString()}): update Tongban before restoring it`,
    );
  }
  const integrity = integrityOf(sqlite);
  if (integrity !== "ok") throw new RestoreError(`${shownName} is damaged (integrity_check: ${integrity.slice(0, 200)})`);
  return { counts: countMainTables(sqlite) };
}

/**
 * Replaces the database `target` with the backup `source`.
 * Refuses (RestoreError, nothing changed): a missing file, a file that is not SQLite, not
 * Tongban's, from a newer schema or damaged; a target a running server has open (unless force).
 */
export function restoreDatabase(
  source: string,
  target: string,
  options: {
    force?: boolean;
    actor: Actor;
    now?: Date;
    /** the database's key; undefined: DATABASE_KEY from the environment; null: none */
    key?: string | null;
  },
): RestoreResult {
  const key = options.key === undefined ? (env().DATABASE_KEY ?? null) : options.key;
  const now = options.now ?? new Date();
  const from = path.resolve(source);
  const to = path.resolve(target);
  const shown = path.basename(source);

  if (!existsSync(from)) throw new RestoreError(`no such file: ${source}`);
  if (!statSync(from).isFile()) throw new RestoreError(`${source} is not a file`);
  if (from === to) throw new RestoreError(`${source} is the database itself; restore from a backup file`);
  const header = readHeader(from);
  // an SQLite file, encrypted or not, is whole pages: at least 512 bytes, a multiple of 512
  const size = statSync(from).size;
  if (!header || header.length < 100 || size < 512 || size % 512 !== 0) throw new RestoreError(`${shown} is not an SQLite database`);
  const plain = header.subarray(0, 16).toString("latin1") === SQLITE_HEADER;
  if (!plain && !key) {
    throw new RestoreError(`${shown} is encrypted (or is not an SQLite database) and DATABASE_KEY is not set: set it to the key the backup was made with`);
  }

  const user = databaseUser(to);
  if (user !== null && !options.force) {
    throw new RestoreError(
      `${target} is in use by a running Tongban server (process ${user}); stop it first, or give --force and restart it right after`,
    );
  }

  const work = `${to}.restoring-${stamp(now)}`;
  removeWithSidecars(work);
  let counts: Record<string, number>;
  try {
    copyFileSync(from, work);
    // a backup left in WAL mode may carry committed pages in its -wal; they belong to it
    if ((!plain || header[18] === 2) && existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${work}-wal`);

    let check: Database.Database;
    try {
      check = openSqlite(work, { key: plain ? null : key, fileMustExist: true });
    } catch (e) {
      if (isDatabaseKeyError(e)) {
        throw new RestoreError(`${shown} does not open with DATABASE_KEY: it was made with another key (or is not an SQLite database)`);
      }
      throw e;
    }
    try {
      counts = checkTongbanDatabase(check, shown).counts;
      if (plain && key) encryptInPlace(check, key);
    } finally {
      check.close();
    }

    const db = openDatabase(work, { key });
    try {
      migrateDatabase(db);
      recordAudit(db, options.actor, {
        action: "restore",
        entity: "data",
        entityId: shown,
        details: { previous: existsSync(to) ? `${path.basename(to)}.before-restore-${stamp(now)}` : null },
      });
    } finally {
      closeDatabase(db);
    }
  } catch (e) {
    removeWithSidecars(work);
    if (e instanceof RestoreError) throw e;
    if ((e as { code?: string }).code === "SQLITE_NOTADB") throw new RestoreError(`${shown} is not an SQLite database`);
    throw new RestoreError(`${shown} could not be prepared for restore: ${(e as Error).message.split("\n")[0]}`);
  }

  let previous: string | null = null;
  if (existsSync(to)) {
    previous = `${to}.before-restore-${stamp(now)}`;
    renameSync(to, previous);
  }
  for (const suffix of ["-wal", "-shm"]) {
    if (existsSync(to + suffix)) renameSync(to + suffix, (previous ?? `${to}.before-restore-${stamp(now)}`) + suffix);
  }
  renameSync(work, to);
  for (const suffix of ["-wal", "-shm"]) if (existsSync(work + suffix)) renameSync(work + suffix, to + suffix);
  return { previous, counts, bytes: statSync(to).size };
}
