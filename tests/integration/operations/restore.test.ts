/**
 * Restore (issue 6, item 3): the file is checked before anything is touched; bad input gets one
 * line and changes nothing; a database a running server has open is refused unless forced; the
 * replaced database is kept beside the restored one.
 */
import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { closeDatabase, migrateDatabase, migrationsFolder, openDatabase } from "#db/client";
import { SYSTEM_ACTOR } from "~/domain/audit";
import { backupDatabase } from "~/domain/data/backup.server";
import { latestKnownMigration, restoreDatabase } from "~/domain/data/restore.server";
import { pidFilePath, writePidFile } from "~/domain/data/restore-lock";

const root = mkdtempSync(path.join(tmpdir(), "tongban-restore-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const actor = { ...SYSTEM_ACTOR, login: "restore-test" };

let dir: string;
let target: string;
let counter = 0;
beforeEach(() => {
  dir = path.join(root, `case-${++counter}`);
  mkdirSync(dir);
  target = path.join(dir, "tongban.db");
});

/** A Tongban database at `file` holding one district with this code. */
function tongbanDatabase(file: string, districtCode: string) {
  const db = openDatabase(file);
  migrateDatabase(db);
  db.$client.prepare("insert into districts (code, name_zh, name_en) values (?, '测试区（虚构）', 'Test District (fictional)')").run(districtCode);
  return db;
}

async function backupOf(districtCode: string): Promise<string> {
  const source = path.join(dir, `source-${districtCode}.db`);
  const db = tongbanDatabase(source, districtCode);
  const dest = path.join(dir, `backup-${districtCode}.db`);
  await backupDatabase(db.$client, dest);
  closeDatabase(db);
  return dest;
}

function districtCodes(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("select code from districts order by code").all() as { code: string }[]).map((r) => r.code);
  } finally {
    db.close();
  }
}

function latestOf(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return Number((db.prepare("select max(created_at) as m from __drizzle_migrations").get() as { m: number }).m);
  } finally {
    db.close();
  }
}

/** Every file in the folder with a hash of its content: "nothing changed" means this is equal before and after. */
function snapshot(folder: string): Record<string, string> {
  return Object.fromEntries(readdirSync(folder).sort().map((f) => [f, createHash("sha256").update(readFileSync(path.join(folder, f))).digest("hex")]));
}

/** The current database, written and closed (a server that stopped cleanly). */
function currentDatabase() {
  closeDatabase(tongbanDatabase(target, "current"));
}

describe("restore refuses bad input with one line and changes nothing", () => {
  it.each([
    ["a file that is not SQLite", (f: string) => writeFileSync(f, "case_number,alias\nA-1,小林（化名）\n"), /is not an SQLite database/],
    ["an empty file", (f: string) => writeFileSync(f, ""), /is not an SQLite database/],
    [
      "an SQLite database that is not Tongban's",
      (f: string) => {
        const db = new Database(f);
        db.exec("create table notes (id integer primary key, body text); insert into notes (body) values ('x')");
        db.close();
      },
      /is not a Tongban database \(no __drizzle_migrations, users, user_roles, districts, settings, audit_log table\)/,
    ],
    [
      "a backup from a newer schema",
      (f: string) => {
        const db = openDatabase(f);
        migrateDatabase(db);
        db.$client.prepare("insert into __drizzle_migrations (hash, created_at) values ('from-the-future', ?)").run(latestKnownMigration() + 86_400_000);
        closeDatabase(db);
      },
      /is from a newer schema .*update Tongban before restoring it/,
    ],
  ])("%s", (_what, make, reason) => {
    currentDatabase();
    const bad = path.join(dir, "bad.db");
    make(bad);
    const before = snapshot(dir);
    expect(() => restoreDatabase(bad, target, { actor })).toThrow(reason);
    expect(snapshot(dir)).toEqual(before);
    expect(districtCodes(target)).toEqual(["current"]);
  });

  it("a file that does not exist", () => {
    currentDatabase();
    const before = snapshot(dir);
    expect(() => restoreDatabase(path.join(dir, "missing.db"), target, { actor })).toThrow(/^no such file: /);
    expect(snapshot(dir)).toEqual(before);
  });

  it("the database itself", () => {
    currentDatabase();
    expect(() => restoreDatabase(target, target, { actor })).toThrow(/is the database itself/);
  });
});

describe("restore and a running server", () => {
  it("refuses a database a running server has open (its pid file names a live process), and --force goes ahead", async () => {
    const backup = await backupOf("restored");
    currentDatabase();
    writePidFile(target, process.pid);
    const before = snapshot(dir);
    expect(() => restoreDatabase(backup, target, { actor })).toThrow(/is in use by a running Tongban server \(process \d+\).*--force/);
    expect(snapshot(dir)).toEqual(before);

    restoreDatabase(backup, target, { actor, force: true });
    expect(districtCodes(target)).toEqual(["restored"]);
  });

  it("does not count a pid file left by a server that was killed", async () => {
    const backup = await backupOf("restored");
    currentDatabase();
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    writeFileSync(pidFilePath(target), `${gone.stdout}\n`);
    restoreDatabase(backup, target, { actor });
    expect(districtCodes(target)).toEqual(["restored"]);
  });
});

describe("restore", () => {
  it("puts the backup in place, keeps the old database (with its -wal and -shm) beside it, and records the restore", async () => {
    const backup = await backupOf("restored");
    // a database a killed server left: its last commits are still in the -wal
    const killed = tongbanDatabase(target, "current");
    killed.$client.pragma("wal_autocheckpoint = 0");
    killed.$client.prepare("insert into districts (code, name_zh, name_en) values ('current-2', '测试区二（虚构）', 'Test District 2 (fictional)')").run();
    expect(existsSync(`${target}-wal`)).toBe(true);
    const backupBefore = snapshot(path.dirname(backup))[path.basename(backup)];

    const now = new Date("2026-11-28T20:00:00Z");
    const result = restoreDatabase(backup, target, { actor, now });
    closeDatabase(killed);

    expect(result.previous).toBe(`${target}.before-restore-20261128T200000Z`);
    expect(existsSync(`${result.previous}-wal`)).toBe(true);
    expect(districtCodes(result.previous!)).toEqual(["current", "current-2"]);
    expect(districtCodes(target)).toEqual(["restored"]);
    expect(result.counts.districts).toBe(1);
    // the backup file itself was only read
    expect(snapshot(path.dirname(backup))[path.basename(backup)]).toBe(backupBefore);
    expect(readdirSync(dir).filter((f) => f.includes("restoring"))).toEqual([]);

    const restored = new Database(target, { readonly: true });
    expect(restored.prepare("select action, entity, entity_id from audit_log where action = 'restore'").get()).toEqual({
      action: "restore",
      entity: "data",
      entity_id: "backup-restored.db",
    });
    expect(restored.pragma("integrity_check", { simple: true })).toBe("ok");
    restored.close();
  });

  it("brings a backup from an older schema up to this code's migrations", async () => {
    // an older Tongban: the same migrations but the last one
    const older = path.join(dir, "older-migrations");
    cpSync(migrationsFolder(), older, { recursive: true });
    const journalFile = path.join(older, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: unknown[] };
    journal.entries.pop();
    writeFileSync(journalFile, JSON.stringify(journal));
    const source = path.join(dir, "older.db");
    const db = openDatabase(source);
    migrate(db, { migrationsFolder: older });
    const backup = path.join(dir, "backup-older.db");
    await backupDatabase(db.$client, backup);
    closeDatabase(db);
    expect(latestOf(backup)).toBeLessThan(latestKnownMigration());

    restoreDatabase(backup, target, { actor });
    expect(latestOf(target)).toBe(latestKnownMigration());
  });
});
