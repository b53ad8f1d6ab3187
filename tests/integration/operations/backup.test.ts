/**
 * Online backup (issue 6, item 3): a verified copy made while writes go on, recorded for the
 * admin page; the key property: a backup taken during writes restores to a database that passes
 * integrity_check and holds every write acknowledged before the backup began.
 */
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeDatabase, migrateDatabase, openDatabase } from "#db/client";
import { getDb } from "~/db.server";
import { SYSTEM_ACTOR } from "~/domain/audit";
import { backupAndRecord, backupDatabase, backupFileName, getLastBackup, type BackupProgress } from "~/domain/data/backup.server";
import { restoreDatabase } from "~/domain/data/restore.server";
import { makeDistrict, makeUser } from "../../factories";

const dir = mkdtempSync(path.join(tmpdir(), "tongban-backup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const actor = { ...SYSTEM_ACTOR, login: "backup-test" };

/** A migrated database of its own, with `rows` audit rows of ~1 KB each (so a copy takes many steps). */
function sourceDatabase(name: string, rows: number) {
  const file = path.join(dir, name);
  const db = openDatabase(file);
  migrateDatabase(db);
  const insert = db.$client.prepare(
    "insert into audit_log (actor_login, action, entity, entity_id, details) values ('seed', 'seed', 'test', ?, ?)",
  );
  db.$client.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(String(i), JSON.stringify({ filler: "填充（虚构）".repeat(60) }));
  })();
  return { file, db };
}

/** The numbers of the test writes in a database file, ascending. */
function writesIn(file: string): number[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("select cast(entity_id as integer) as n from audit_log where action = 'test_write' order by 1").all() as { n: number }[]).map((r) => r.n);
  } finally {
    db.close();
  }
}

function integrity(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma("integrity_check", { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** 1..n without gaps: the copy is one moment of the database, not a mix of moments. */
function expectPrefix(ns: number[]) {
  expect(ns).toEqual(Array.from({ length: ns.length }, (_, i) => i + 1));
}

describe("tongban backup", () => {
  it("copies the app's database, verifies it, counts the main tables and records the last backup with an audit entry", async () => {
    const district = makeDistrict();
    await makeUser([{ role: "coordinator", districtId: district.id }]);
    const dest = path.join(dir, "app-copy.db");
    const record = await backupAndRecord(getDb(), actor, dest);

    expect(record).toMatchObject({ ok: true, file: dest });
    expect(record.bytes).toBe(statSync(dest).size);
    expect(record.counts.users).toBeGreaterThanOrEqual(1);
    expect(record.counts.districts).toBeGreaterThanOrEqual(1);
    expect(integrity(dest)).toBe("ok");
    // a single self-contained file: nothing beside it
    expect(existsSync(`${dest}-wal`) || existsSync(`${dest}.partial`)).toBe(false);
    expect(getLastBackup(getDb())).toMatchObject({ ok: true, file: dest, bytes: record.bytes });
    const audit = getDb().$client.prepare("select action, entity, entity_id from audit_log where action = 'backup' order by id desc").get();
    expect(audit).toEqual({ action: "backup", entity: "data", entity_id: "app-copy.db" });
  });

  it("refuses to overwrite an existing file and records the failure, leaving the file as it was", async () => {
    const dest = path.join(dir, "taken.db");
    writeFileSync(dest, "not mine to overwrite");
    const record = await backupAndRecord(getDb(), actor, dest);
    expect(record.ok).toBe(false);
    expect(record.error).toMatch(/already exists/);
    expect(statSync(dest).size).toBe("not mine to overwrite".length);
    expect(getLastBackup(getDb())).toMatchObject({ ok: false, file: dest });
  });

  it("refuses a folder that does not exist", async () => {
    const record = await backupAndRecord(getDb(), actor, path.join(dir, "no-such-folder", "x.db"));
    expect(record).toMatchObject({ ok: false });
    expect(record.error).toMatch(/does not exist/);
  });

  it("names backups by UTC time so that they sort", () => {
    expect(backupFileName(new Date("2026-11-28T19:40:05.123Z"))).toBe("tongban-20261128T194005Z.db");
  });
});

describe("a backup taken while writes go on", { timeout: 120_000 }, () => {
  it("(another process writing) restores to a database that passes integrity_check and holds every write acknowledged before the backup began", async () => {
    const { file, db } = sourceDatabase("busy-process.db", 6000);
    // the writer: its own process and connection, one committed insert at a time, each acknowledged on stdout
    const writer = spawn(
      process.execPath,
      [
        "-e",
        `const D = require("better-sqlite3");
         const db = new D(process.argv[1]); db.pragma("busy_timeout = 5000");
         const ins = db.prepare("insert into audit_log (actor_login, action, entity, entity_id, details) values ('writer', 'test_write', 'test', ?, ?)");
         let n = 0;
         const tick = () => { n += 1; ins.run(String(n), JSON.stringify({ note: "写入（虚构）".repeat(40) })); process.stdout.write(n + "\\n"); setTimeout(tick, 1); };
         tick();`,
        file,
      ],
      { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] },
    );
    let acknowledged = 0;
    writer.stdout.setEncoding("utf8");
    writer.stdout.on("data", (chunk: string) => {
      for (const line of chunk.split("\n")) if (line) acknowledged = Math.max(acknowledged, Number(line));
    });
    try {
      while (acknowledged < 30) await new Promise((r) => setTimeout(r, 10));
      const acknowledgedBefore = acknowledged;
      const steps: BackupProgress[] = [];
      const dest = path.join(dir, "busy-process-copy.db");
      // small steps with pauses, so that the writer commits between them
      const result = await backupDatabase(db.$client, dest, {
        pagesPerStep: 20,
        onStep: (p) => {
          steps.push(p);
          const until = Date.now() + 2;
          while (Date.now() < until) {
            // let the other process write between steps
          }
        },
      });
      const acknowledgedAfter = acknowledged;
      expect(result.ok).toBe(true);
      // the test proves something only if writes really happened during the copy
      expect(acknowledgedAfter).toBeGreaterThan(acknowledgedBefore);
      // the other process's commits restarted the copy at least once (then the rest went in one step)
      expect(steps.at(-1)!.restarts).toBeGreaterThan(0);

      const target = path.join(dir, "restored-from-busy-process.db");
      restoreDatabase(dest, target, { actor });
      expect(integrity(target)).toBe("ok");
      const restored = writesIn(target);
      expect(restored.length).toBeGreaterThanOrEqual(acknowledgedBefore);
      expectPrefix(restored);
    } finally {
      writer.kill("SIGKILL");
      closeDatabase(db);
    }
  });

  it("(writes through the same and another connection between the copy's steps) restores every write acknowledged before it began, and the ones made during it stay consistent", async () => {
    const { file, db } = sourceDatabase("busy-steps.db", 4000);
    const other = new Database(file);
    other.pragma("busy_timeout = 5000");
    let n = 0;
    const write = (conn: Database.Database) => {
      n += 1;
      conn
        .prepare("insert into audit_log (actor_login, action, entity, entity_id, details) values ('writer', 'test_write', 'test', ?, '{}')")
        .run(String(n));
    };
    for (let i = 0; i < 25; i++) write(i % 2 ? db.$client : other);
    const acknowledgedBefore = n;
    let stepsSeen = 0;
    const dest = path.join(dir, "busy-steps-copy.db");
    const result = await backupDatabase(db.$client, dest, {
      pagesPerStep: 25,
      onStep: () => {
        stepsSeen += 1;
        // the same connection's writes are copied into the backup as they happen;
        // another connection's write (at the 8th step) restarts the copy
        write(stepsSeen === 8 ? other : db.$client);
      },
    });
    expect(stepsSeen).toBeGreaterThan(8);
    other.close();
    closeDatabase(db);
    expect(result.ok).toBe(true);
    expect(n).toBeGreaterThan(acknowledgedBefore + 8);

    const target = path.join(dir, "restored-from-busy-steps.db");
    restoreDatabase(dest, target, { actor });
    expect(integrity(target)).toBe("ok");
    const restored = writesIn(target);
    expect(restored.length).toBeGreaterThanOrEqual(acknowledgedBefore);
    expectPrefix(restored);
  });
});
