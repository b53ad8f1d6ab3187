/**
 * `tongban rekey`: encrypts an unencrypted database, changes the key of an encrypted one, or
 * (development only) decrypts it (ADR 0006). The new key is read from an environment variable
 * (`--new-key-env NAME`) or from standard input (`--new-key-stdin`), never from the command line,
 * which other users of the machine can read in `ps`. The current key is DATABASE_KEY.
 *
 * Refused while a server has the database open (its pid file, as for restore). The WAL is
 * checkpointed and truncated before (SQLite3MultipleCiphers rekeys only in rollback-journal mode,
 * and no old page may stay behind in -wal) and after. Afterwards the file is opened with the new
 * key, every main table must hold as many rows as before, and the old key must no longer open it;
 * only then is the change audited (action "rekey", entity "data"; no key material in the details).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  closeDatabase,
  fileKind,
  isDatabaseKeyError,
  isRawKey,
  keyPragma,
  migrateDatabase,
  openDatabase,
  openSqlite,
  setSqlcipher4,
  type Db,
} from "../db/client";
import { SYSTEM_ACTOR, recordAudit, type Actor } from "../app/domain/audit";
import { countMainTables } from "../app/domain/data/backup.server";
import { databaseUser } from "../app/domain/data/restore-lock";
import { env, isValidDatabaseKey } from "../app/env.server";
import type { Command } from "./commands";

/** A one-line reason for the operator (no runtime import of ./commands, which imports this file). */
export class RekeyError extends Error {}

const CLI_ACTOR = { ...SYSTEM_ACTOR, login: "cli" };

export type RekeyResult = {
  from: "unencrypted" | "encrypted";
  to: "unencrypted" | "encrypted";
  counts: Record<string, number>;
};

function state(key: string | null): "unencrypted" | "encrypted" {
  return key ? "encrypted" : "unencrypted";
}

/**
 * Changes the key of the database `file` from `currentKey` (ignored when the file is not
 * encrypted) to `newKey` (null: decrypt). Throws RekeyError (one line) and leaves the file as it
 * was when a check before the change fails.
 */
export function rekeyDatabase(file: string, options: { currentKey: string | null; newKey: string | null; actor?: Actor }): RekeyResult {
  const { newKey } = options;
  if (!existsSync(file) || fileKind(file) === "missing") throw new RekeyError(`no database at ${file}`);
  const user = databaseUser(file);
  if (user !== null) throw new RekeyError(`${file} is in use by a running Tongban server (process ${user}); stop it first`);
  if (newKey !== null && !isValidDatabaseKey(newKey)) {
    throw new RekeyError("the new key must be a passphrase of 16 to 1024 characters (no control characters) or 64 hex digits");
  }
  const currentKey = fileKind(file) === "plain" ? null : options.currentKey;
  if (!currentKey && !newKey) throw new RekeyError(`${file} is not encrypted; there is nothing to decrypt`);
  if (currentKey && newKey === currentKey) throw new RekeyError("the new key is the current key; nothing to change");

  let db: Db;
  try {
    db = openDatabase(file, { key: currentKey, fileMustExist: true });
  } catch (e) {
    if (isDatabaseKeyError(e)) throw new RekeyError(e.message);
    throw e;
  }
  let before: Record<string, number>;
  try {
    migrateDatabase(db);
    before = countMainTables(db.$client);
    const sqlite = db.$client;
    // every committed page into the main file and an empty -wal; rekeying needs a rollback journal
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    sqlite.pragma("journal_mode = DELETE");
    setSqlcipher4(sqlite);
    sqlite.pragma(newKey ? keyPragma("rekey", newKey) : "rekey = ''");
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    closeDatabase(db);
  }

  // proof: the new key opens it with every row, the old one does not
  const after = openDatabase(file, { key: newKey, fileMustExist: true });
  try {
    const counts = countMainTables(after.$client);
    for (const [table, n] of Object.entries(before)) {
      if (counts[table] !== n) throw new RekeyError(`after the change ${table} holds ${counts[table]} rows instead of ${n}; restore the last backup`);
    }
    if (currentKey) {
      let oldOpens = true;
      try {
        openSqlite(file, { key: currentKey, fileMustExist: true, readonly: true }).close();
      } catch (e) {
        if (!isDatabaseKeyError(e)) throw e;
        oldOpens = false;
      }
      if (oldOpens) throw new RekeyError(`${file} still opens with the old key; the change did not take effect`);
    } else if (fileKind(file) === "plain") {
      throw new RekeyError(`${file} is still unencrypted; the change did not take effect`);
    }
    recordAudit(after, options.actor ?? CLI_ACTOR, {
      action: "rekey",
      entity: "data",
      entityId: path.basename(file),
      details: {
        from: state(currentKey),
        to: state(newKey),
        ...(newKey ? { scheme: "sqlcipher4", keyKind: isRawKey(newKey) ? "raw" : "passphrase" } : {}),
      },
    });
    after.$client.pragma("wal_checkpoint(TRUNCATE)");
    return { from: state(currentKey), to: state(newKey), counts };
  } finally {
    closeDatabase(after);
  }
}

function readNewKey(values: Record<string, string | boolean | undefined>): string {
  const name = values["new-key-env"];
  if (name !== undefined && values["new-key-stdin"] === true) throw new RekeyError("give either --new-key-env NAME or --new-key-stdin, not both");
  if (typeof name === "string") {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new RekeyError("--new-key-env takes the name of an environment variable, e.g. NEW_DATABASE_KEY");
    const value = process.env[name];
    if (!value) throw new RekeyError(`the environment variable ${name} is not set`);
    return value;
  }
  if (values["new-key-stdin"] === true) {
    const text = readFileSync(0, "utf8").replace(/\r?\n$/, "");
    if (!text) throw new RekeyError("no key on standard input");
    return text;
  }
  throw new RekeyError("give the new key's environment variable (--new-key-env NAME) or --new-key-stdin, or --decrypt; never the key itself");
}

export const rekeyCommand: Command = {
  name: "rekey",
  usage: "rekey --new-key-env NAME | --new-key-stdin | --decrypt",
  summary: "encrypt the database, change its key (current key: DATABASE_KEY), or decrypt it (development only)",
  options: { "new-key-env": { type: "string" }, "new-key-stdin": { type: "boolean" }, decrypt: { type: "boolean" } },
  run: (ctx) => {
    if (ctx.positionals.length > 0) throw new RekeyError(`rekey takes no arguments (got "${ctx.positionals[0]!.slice(0, 40)}"); never put a key on the command line`);
    const decrypt = ctx.values.decrypt === true;
    if (decrypt && (ctx.values["new-key-env"] !== undefined || ctx.values["new-key-stdin"] === true)) {
      throw new RekeyError("--decrypt takes no new key");
    }
    const newKey = decrypt ? null : readNewKey(ctx.values);
    const file = ctx.databaseUrl;
    const result = rekeyDatabase(file, { currentKey: env().DATABASE_KEY ?? null, newKey });
    const rows = Object.values(result.counts).reduce((a, b) => a + b, 0);
    if (result.to === "unencrypted") {
      console.log(`decrypted ${file} (${rows} rows in the main tables); unset DATABASE_KEY before starting the server`);
      console.log("an unencrypted database is for development only: admins see a warning");
    } else {
      console.log(
        `${result.from === "unencrypted" ? "encrypted" : "changed the key of"} ${file} (SQLCipher 4 compatible; ${rows} rows in the main tables)`,
      );
      console.log("set DATABASE_KEY to the new key before starting the server, and keep the key where the backups are not");
      console.log(
        result.from === "unencrypted"
          ? "backups made before now are not encrypted: replace them with a new backup and delete them"
          : "backups made before now still open only with the old key: keep it as long as you keep them",
      );
    }
  },
};
