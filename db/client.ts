import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { closeSync, mkdirSync, openSync, readSync, statSync } from "node:fs";
import path from "node:path";
import { env } from "../app/env.server";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & {
  $client: Database.Database;
};
type Sqlite = Database.Database;

/*
 * Encryption at rest (issue 9 item 2, ADR 0006). `better-sqlite3` is installed as
 * better-sqlite3-multiple-ciphers (SQLite3MultipleCiphers). A database opened with a key uses
 * its SQLCipher scheme in SQLCipher 4 compatibility (`cipher = 'sqlcipher'`, `legacy = 4`:
 * AES-256-CBC, HMAC-SHA512 per page, PBKDF2-HMAC-SHA512 with 256,000 iterations for a
 * passphrase), so the file opens with the sqlcipher shell and DB Browser for SQLite too.
 * The key comes from DATABASE_KEY: a passphrase (16+ characters, derived with the KDF on every
 * open, about 0.4 s) or 64 hex digits (a raw 256-bit key, no KDF). It is never logged and never
 * appears in an error message.
 */

/** What `encryptionStatus` answers and the admin page shows. */
export type EncryptionStatus = {
  encrypted: boolean;
  scheme: "sqlcipher4" | null;
};

/** Why an encrypted database (or a key) was refused; the message is one line for the operator. */
export class DatabaseKeyError extends Error {
  constructor(readonly reason: "no-key" | "wrong-key" | "not-encrypted", message: string) {
    super(message);
    this.name = "DatabaseKeyError";
  }
}

export function isDatabaseKeyError(e: unknown): e is DatabaseKeyError {
  return e instanceof DatabaseKeyError;
}

export type OpenOptions = {
  /** the key; undefined: DATABASE_KEY from the environment; null: open without a key */
  key?: string | null;
  /** how the key is named in messages (default DATABASE_KEY) */
  keyName?: string;
  readonly?: boolean;
  fileMustExist?: boolean;
};

const SQLITE_HEADER = "SQLite format 3\0";
const RAW_KEY = /^[0-9a-fA-F]{64}$/;

// the key each open handle was keyed with (null: none), so a copy can be opened the same way
const keys = new WeakMap<Sqlite, string | null>();

/** A raw 256-bit key written as 64 hex digits (no key derivation), as opposed to a passphrase. */
export function isRawKey(key: string): boolean {
  return RAW_KEY.test(key);
}

/**
 * `key = '…'` (or `rekey = …`) for a passphrase, quotes doubled; `key = "x'…'"` for a raw key,
 * which is SQLCipher's own syntax for one.
 */
export function keyPragma(pragma: "key" | "rekey", key: string): string {
  if (isRawKey(key)) return `${pragma} = "x'${key.toLowerCase()}'"`;
  if (/[\0-\x1f\x7f]/.test(key)) throw new Error("a database key cannot hold control characters");
  return `${pragma} = '${key.replace(/'/g, "''")}'`;
}

/** The SQLCipher 4 settings; must come before `key`/`rekey` on a connection. */
export function setSqlcipher4(sqlite: Sqlite): void {
  sqlite.pragma("cipher = 'sqlcipher'");
  sqlite.pragma("legacy = 4");
}

/**
 * What is on disk: "missing" (no file, or an empty one: opening creates it), "plain" (an SQLite
 * header) or "other" (encrypted, or not a database at all).
 */
export function fileKind(file: string): "missing" | "plain" | "other" {
  if (file === ":memory:" || file === "") return "missing";
  let fd: number | undefined;
  try {
    if (statSync(file).size === 0) return "missing";
    fd = openSync(file, "r");
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return n === 16 && buf.toString("latin1") === SQLITE_HEADER ? "plain" : "other";
  } catch {
    return "missing";
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function keyFromEnv(): string | null {
  return env().DATABASE_KEY ?? null;
}

/**
 * Opens an SQLite file, keyed when there is a key, and proves the key by reading sqlite_master.
 * No other pragma is set (see openDatabase). Refusals (DatabaseKeyError, one line):
 * an encrypted file and no key; a key that does not open it; a key for an unencrypted file
 * (never used silently unencrypted: `tongban rekey` encrypts it). A new file opened with a key is
 * created encrypted.
 */
export function openSqlite(file: string, options: OpenOptions = {}): Sqlite {
  const key = options.key === undefined ? keyFromEnv() : options.key;
  const keyName = options.keyName ?? "DATABASE_KEY";
  const shown = file;
  if (file !== ":memory:" && !options.readonly) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const kind = fileKind(file);
  if (key && kind === "plain") {
    throw new DatabaseKeyError(
      "not-encrypted",
      `${shown} is not encrypted but ${keyName} is set: encrypt it first with "tongban rekey --new-key-env ${keyName}" (npm run cli -- rekey), or unset ${keyName} to use it unencrypted`,
    );
  }
  const sqlite = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.fileMustExist ?? false,
  });
  try {
    if (key) {
      setSqlcipher4(sqlite);
      sqlite.pragma(keyPragma("key", key));
      if (file !== ":memory:") sqlite.pragma("temp_store = MEMORY"); // sorts and temporary tables never spill to disk unencrypted
    }
    sqlite.prepare("select count(*) from sqlite_master").get();
  } catch (e) {
    sqlite.close();
    if ((e as { code?: string }).code === "SQLITE_NOTADB") {
      if (!key) {
        throw new DatabaseKeyError(
          "no-key",
          `${shown} is encrypted (or is not an SQLite database) and ${keyName} is not set: set ${keyName} to the database's key`,
        );
      }
      throw new DatabaseKeyError("wrong-key", `${shown} does not open with ${keyName}: wrong key (or the file is not an SQLite database)`);
    }
    throw e;
  }
  keys.set(sqlite, key);
  return sqlite;
}

/** Opens another file (a backup, a copy) with the key `like` was opened with (none when `like` is null). */
export function openSqliteLike(file: string, like: Sqlite | null, options: Omit<OpenOptions, "key"> = {}): Sqlite {
  return openSqlite(file, {
    ...options,
    key: like ? keys.get(like) ?? null : null,
  });
}

/** Whether an open connection was keyed (is reading an encrypted database). */
export function isEncrypted(db: Db | Sqlite): boolean {
  const sqlite = "$client" in db ? db.$client : db;
  return Boolean(keys.get(sqlite));
}

export function encryptionStatus(db: Db | Sqlite): EncryptionStatus {
  const encrypted = isEncrypted(db);
  return { encrypted, scheme: encrypted ? "sqlcipher4" : null };
}

/** Opens a Tongban database file (keyed as openSqlite) with the pragmas the whole app relies on. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const sqlite = openSqlite(file, options);
  if (!options.readonly) {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
  }
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return drizzle(sqlite, { schema }) as Db;
}

export function migrationsFolder(): string {
  return process.env.MIGRATIONS_DIR ?? path.resolve(process.cwd(), "drizzle");
}

/** Applies the committed migrations in drizzle/ (idempotent). */
export function migrateDatabase(db: Db): void {
  migrate(db, { migrationsFolder: migrationsFolder() });
}

export function closeDatabase(db: Db): void {
  db.$client.close();
}
