/**
 * Online backup of the database (issue 6, item 3). The copy is made with SQLite's backup API
 * while the app keeps serving, then verified (integrity_check, row counts of the main tables)
 * before it gets its final name. The last backup is kept in the settings table for the admin page.
 *
 * Consistency: the backup API copies pages in steps. Writes made through the same connection
 * are copied into the backup as they happen; a write through another connection (the server,
 * while the CLI backs up) restarts the copy. After a restart the rest is copied in one step,
 * which holds a read snapshot for its duration (in WAL mode this never blocks writers), so
 * the backup always ends, and always as one consistent snapshot taken after it began.
 *
 * An encrypted database (ADR 0006) cannot go through the backup API (SQLite3MultipleCiphers
 * refuses an encrypted source). It is copied with `VACUUM INTO` on the keyed connection instead:
 * one read transaction (one snapshot, which in WAL mode never blocks writers) writes a compacted
 * copy encrypted with the same key, and the check opens the copy with that key.
 */
import type Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { encryptionStatus, isEncrypted, openSqliteLike, type Db, type EncryptionStatus } from "#db/client";
import { settings } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";

/** The tables whose row counts a backup reports (those present in the file). */
export const MAIN_TABLES = [
  "districts",
  "users",
  "persons",
  "clients",
  "contacts",
  "substance_events",
  "peer_tutors",
  "certificates",
  "group_sessions",
  "attendance",
  "volunteer_hours",
  "audit_log",
] as const;

export const LAST_BACKUP_KEY = "lastBackup";

export type DatabaseCheck = {
  ok: boolean;
  /** "ok", or the first problem integrity_check reported */
  integrity: string;
  counts: Record<string, number>;
  bytes: number;
};

export type BackupRecord = {
  at: string;
  file: string;
  bytes: number;
  ok: boolean;
  counts: Record<string, number>;
  /** why it failed, one line (only when ok is false) */
  error?: string;
};

export type BackupProgress = {
  totalPages: number;
  remainingPages: number;
  restarts: number;
};

export type BackupOptions = {
  /** pages copied per step before any restart (default 1000: small steps keep the server responsive) */
  pagesPerStep?: number;
  /** called after every step (synchronously, before the next); tests use it to write between steps */
  onStep?: (progress: BackupProgress) => void;
};

/** Total size of a database on disk: the file plus its write-ahead log. */
export function databaseBytes(file: string): number {
  let total = 0;
  for (const suffix of ["", "-wal"]) {
    try {
      total += statSync(file + suffix).size;
    } catch {
      // no such part
    }
  }
  return total;
}

function tableNames(sqlite: Database.Database): Set<string> {
  const rows = sqlite.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

/** Row counts of the main tables present in an open database. */
export function countMainTables(sqlite: Database.Database): Record<string, number> {
  const present = tableNames(sqlite);
  const counts: Record<string, number> = {};
  for (const table of MAIN_TABLES) {
    if (!present.has(table)) continue;
    counts[table] = (
      sqlite.prepare(`select count(*) as n from "${table}"`).get() as {
        n: number;
      }
    ).n;
  }
  return counts;
}

/** integrity_check on an open database: "ok" or the first problem found. */
export function integrityOf(sqlite: Database.Database): string {
  const rows = sqlite.pragma("integrity_check") as {
    integrity_check: string;
  }[];
  return rows[0]?.integrity_check ?? "no answer";
}

/**
 * Checks a database file: integrity_check and the main tables' row counts. Opened read-write
 * so that the copy can be switched to a single self-contained file (journal_mode=DELETE); only
 * call it on a file nothing else has open (a fresh copy). `source`: the connection the copy was
 * made from; the copy is opened with its key (none when it has none).
 */
export function verifyCopy(file: string, source?: Database.Database): DatabaseCheck {
  const sqlite = openSqliteLike(file, source ?? null, { fileMustExist: true });
  try {
    sqlite.pragma("journal_mode = DELETE");
    const integrity = integrityOf(sqlite);
    const counts = countMainTables(sqlite);
    return { ok: integrity === "ok", integrity, counts, bytes: 0 };
  } finally {
    sqlite.close();
    for (const suffix of ["-wal", "-shm"]) rmSync(file + suffix, { force: true });
  }
}

export class BackupError extends Error {}

/**
 * Copies the database open in `source` to `dest` (which must not exist) and verifies the copy.
 * The copy is written as `<dest>.partial` and renamed only when verified, so `dest` either is a
 * good backup or does not exist.
 */
export async function backupDatabase(
  source: Database.Database,
  dest: string,
  options: BackupOptions = {},
): Promise<DatabaseCheck & { file: string }> {
  const file = path.resolve(dest);
  if (source.name && path.resolve(source.name) === file) throw new BackupError("the backup file cannot be the database itself");
  if (existsSync(file)) throw new BackupError(`${dest} already exists; choose a new file name`);
  const dir = path.dirname(file);
  if (!existsSync(dir)) throw new BackupError(`the folder ${dir} does not exist`);
  const partial = `${file}.partial`;
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(partial + suffix, { force: true });

  const pagesPerStep = Math.max(1, options.pagesPerStep ?? 1000);
  let restarts = 0;
  let lastRemaining = Number.POSITIVE_INFINITY;
  let wholeRest = false;
  try {
    if (isEncrypted(source)) {
      // one snapshot, written encrypted with the connection's key (the backup API refuses an encrypted source)
      source.prepare("vacuum into ?").run(partial);
    } else {
      await source.backup(partial, {
        progress: ({ totalPages, remainingPages }) => {
          // a write through another connection restarts the copy: remaining pages go back up
          if (remainingPages > lastRemaining) {
            restarts += 1;
            wholeRest = true;
          }
          lastRemaining = remainingPages;
          options.onStep?.({ totalPages, remainingPages, restarts });
          // after a restart, copy the rest in one step: one read snapshot, cannot be restarted
          return wholeRest ? 0x7fffffff : pagesPerStep;
        },
      });
    }
  } catch (e) {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(partial + suffix, { force: true });
    throw new BackupError(`the copy failed: ${(e as Error).message.split("\n")[0]}`);
  }

  let check: DatabaseCheck;
  try {
    check = verifyCopy(partial, source);
  } catch (e) {
    check = {
      ok: false,
      integrity: (e as Error).message.split("\n")[0] ?? "cannot open the copy",
      counts: {},
      bytes: 0,
    };
  }
  if (!check.ok) {
    rmSync(partial, { force: true });
    throw new BackupError(`the copy failed verification: ${check.integrity}`);
  }
  renameSync(partial, file);
  return { ...check, bytes: statSync(file).size, file };
}

/** Saves the last backup (ok or failed) for the admin page, audited in the same transaction. */
export function recordBackup(db: Db, actor: Actor, record: BackupRecord): void {
  db.transaction((tx) => {
    const now = new Date().toISOString();
    tx.insert(settings)
      .values({ key: LAST_BACKUP_KEY, value: record, updatedBy: actor.userId })
      .onConflictDoUpdate({
        target: settings.key,
        set: { value: record, updatedBy: actor.userId, updatedAt: now },
      })
      .run();
    recordAudit(tx, actor, {
      action: record.ok ? "backup" : "backup_failed",
      entity: "data",
      entityId: path.basename(record.file),
      details: {
        bytes: record.bytes,
        ...(record.error ? { error: record.error } : {}),
      },
    });
  });
}

export function getLastBackup(db: Db): BackupRecord | null {
  const row = db.select().from(settings).where(eq(settings.key, LAST_BACKUP_KEY)).get();
  const v = row?.value as Partial<BackupRecord> | undefined;
  if (!v || typeof v.at !== "string" || typeof v.file !== "string") return null;
  return {
    at: v.at,
    file: v.file,
    bytes: typeof v.bytes === "number" ? v.bytes : 0,
    ok: v.ok === true,
    counts: v.counts && typeof v.counts === "object" ? v.counts : {},
    ...(typeof v.error === "string" ? { error: v.error } : {}),
  };
}

/** `tongban-20261128T194000Z.db`: sorts by time, no characters a file system or shell minds. */
export function backupFileName(now = new Date()): string {
  return `tongban-${now
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/[-:]/g, "")}.db`;
}

/**
 * Backs the app's database up, records the outcome (ok or not) and returns it. Used by
 * `tongban backup` and by "Back up now" on the admin page.
 */
export async function backupAndRecord(db: Db, actor: Actor, dest: string, options: BackupOptions = {}): Promise<BackupRecord> {
  const at = new Date().toISOString();
  let record: BackupRecord;
  try {
    const result = await backupDatabase(db.$client, dest, options);
    record = {
      at,
      file: result.file,
      bytes: result.bytes,
      ok: true,
      counts: result.counts,
    };
  } catch (e) {
    if (!(e instanceof BackupError)) throw e;
    record = {
      at,
      file: path.resolve(dest),
      bytes: 0,
      ok: false,
      counts: {},
      error: e.message,
    };
  }
  recordBackup(db, actor, record);
  return record;
}

let running: Promise<BackupRecord> | null = null;

/** "Back up now": a timestamped file in `dir`. One at a time per process; null when one is running. */
export async function backupNow(db: Db, actor: Actor, dir: string, now = new Date()): Promise<BackupRecord | null> {
  if (running) return null;
  mkdirSync(dir, { recursive: true });
  running = backupAndRecord(db, actor, path.join(dir, backupFileName(now)));
  try {
    return await running;
  } finally {
    running = null;
  }
}

export type BackupFile = { name: string; bytes: number; modifiedAt: string };

/** The newest backups in a folder (files named like backupFileName), newest first. */
export function listBackups(dir: string, limit = 10): BackupFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^tongban-\d{8}T\d{6}Z\.db$/.test(n))
    .sort()
    .reverse()
    .slice(0, limit)
    .map((name) => {
      const s = statSync(path.join(dir, name));
      return { name, bytes: s.size, modifiedAt: s.mtime.toISOString() };
    });
}

/** Whether the app's database is encrypted (for the admin's security page). */
export function databaseEncryption(db: Db): EncryptionStatus {
  return encryptionStatus(db);
}

/** What the admin page shows: the last backup (file name only), its age, the database's size, recent files. */
export function backupOverview(db: Db, databaseFile: string, backupDir: string, now = new Date()) {
  const last = getLastBackup(db);
  return {
    last: last ? { ...last, file: path.basename(last.file) } : null,
    stale: !last || !last.ok || now.getTime() - Date.parse(last.at) > 24 * 3600 * 1000,
    databaseBytes: databaseBytes(databaseFile),
    backupDir: path.resolve(backupDir),
    recent: listBackups(backupDir),
  };
}
