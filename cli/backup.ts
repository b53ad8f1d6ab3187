import { existsSync } from "node:fs";
import { closeDatabase, openDatabase } from "../db/client";
import { SYSTEM_ACTOR } from "../app/domain/audit";
import { backupAndRecord } from "../app/domain/data/backup.server";
import { formatBytes } from "../app/domain/data/backup-format";
import { RestoreError, restoreDatabase } from "../app/domain/data/restore.server";
import type { Command } from "./commands";

/** A one-line reason for the operator (no runtime import of ./commands, which imports this file). */
class CommandError extends Error {}

const CLI_ACTOR = { ...SYSTEM_ACTOR, login: "cli" };

function countsLine(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([table, n]) => `${table} ${n}`)
    .join(", ");
}

/**
 * `backup <file>`: a consistent copy of DATABASE_URL made while the server keeps serving,
 * verified, then recorded (for the admin page) in the database's settings.
 */
export const backupCommand: Command = {
  name: "backup",
  usage: "backup <file>",
  summary: "copy the database while it is in use, verify the copy, print its size",
  run: async (ctx) => {
    const dest = ctx.positionals[0];
    if (!dest) throw new CommandError("give the backup file, e.g. tongban backup /var/backups/tongban-$(date +%F).db");
    if (ctx.positionals.length > 1) throw new CommandError("give one backup file");
    if (!existsSync(ctx.databaseUrl)) throw new CommandError(`no database at ${ctx.databaseUrl}`);
    const db = openDatabase(ctx.databaseUrl);
    try {
      const started = Date.now();
      const record = await backupAndRecord(db, CLI_ACTOR, dest).catch((e: unknown) => {
        throw new CommandError(`backup failed: ${(e as Error).message.split("\n")[0]}`);
      });
      if (!record.ok) throw new CommandError(`backup failed: ${record.error ?? "unknown reason"}`);
      console.log(`backed up ${ctx.databaseUrl} to ${record.file} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      console.log("integrity_check: ok");
      console.log(`rows: ${countsLine(record.counts)}`);
      console.log(`size: ${formatBytes(record.bytes)} (${record.bytes} bytes)`);
    } finally {
      closeDatabase(db);
    }
  },
};

/** `restore <file> [--force]`: replaces DATABASE_URL with a verified backup, keeping the old one beside it. */
export const restoreCommand: Command = {
  name: "restore",
  usage: "restore <file> [--force]",
  summary: "replace the database with a backup (checked first; the old one is kept beside it)",
  options: { force: { type: "boolean" } },
  run: (ctx) => {
    const source = ctx.positionals[0];
    if (!source) throw new CommandError("give the backup file to restore");
    if (ctx.positionals.length > 1) throw new CommandError("give one backup file");
    let result;
    try {
      result = restoreDatabase(source, ctx.databaseUrl, { force: ctx.values.force === true, actor: CLI_ACTOR });
    } catch (e) {
      if (e instanceof RestoreError) throw new CommandError(e.message);
      throw e;
    }
    console.log(`restored ${ctx.databaseUrl} from ${source}`);
    console.log(`rows: ${countsLine(result.counts)}`);
    console.log(`size: ${formatBytes(result.bytes)} (${result.bytes} bytes)`);
    console.log(result.previous ? `the previous database is kept as ${result.previous}` : "there was no previous database");
    if (ctx.values.force === true) console.log("if a server had the old database open, restart it now: it still writes to the old file");
  },
};
