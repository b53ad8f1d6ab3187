/**
 * Encryption at rest (issue 9 item 2, ADR 0006): with a key, neither the database file nor its
 * write-ahead log holds a client's alias in readable form; a database opens only with its key,
 * and every refusal is one clear line; backups are encrypted and restore only with the key;
 * `tongban rekey` encrypts, changes the key and decrypts without losing a row.
 */
import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRemixStub } from "@remix-run/testing";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { closeDatabase, encryptionStatus, fileKind, migrateDatabase, openDatabase, type Db } from "#db/client";
import { auditLog, clients, districts } from "#db/schema";
import { SYSTEM_ACTOR } from "~/domain/audit";
import { backupDatabase } from "~/domain/data/backup.server";
import { restoreDatabase } from "~/domain/data/restore.server";
import { removePidFile, writePidFile } from "~/domain/data/restore-lock";
import { parseEnv, resetEnvCache } from "~/env.server";
import AdminSecurity, { loader as securityLoader } from "~/routes/admin.security";
import { rekeyDatabase } from "../../../cli/rekey";
import { makeRequest, makeSignedInUser, respond } from "../../factories";

const dir = mkdtempSync(path.join(tmpdir(), "tongban-encryption-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.DATABASE_KEY;
  resetEnvCache();
});

const actor = { ...SYSTEM_ACTOR, login: "encryption-test" };
const ALIAS = "加密测试化名（虚构）ENCMARK";
const MARK = Buffer.from(ALIAS, "utf8");
/** raw 256-bit keys (no key derivation: fast) and one passphrase with quotes */
const KEY_A = "a1".repeat(32);
const KEY_B = "b2".repeat(32);
const PASSPHRASE = `it's a "quoted" passphrase; DROP TABLE clients; --`;

let n = 0;
function fresh(name: string): string {
  n += 1;
  return path.join(dir, `${n}-${name}`);
}

/** A migrated database with one district and one client whose alias is the marker. */
function databaseWithClient(file: string, key?: string | null): Db {
  const db = openDatabase(file, { key });
  migrateDatabase(db);
  const district = db.insert(districts).values({ code: `enc-${n}`, nameZh: "加密测试区（虚构）", nameEn: "Encryption Test District" }).returning().get();
  db.insert(clients)
    .values({
      caseNumber: `ENC-${n}`,
      alias: ALIAS,
      districtId: district.id,
      legalStatus: "community_rehab",
      intakeDate: "2025-01-10",
      riskLevel: "medium",
      status: "active",
    })
    .run();
  return db;
}

function bytesOf(file: string): Buffer {
  return existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
}

function aliases(db: Db): string[] {
  return db
    .select({ alias: clients.alias })
    .from(clients)
    .all()
    .map((r) => r.alias);
}

function errorOf(f: () => unknown): Error & { reason?: string } {
  try {
    f();
  } catch (e) {
    return e as Error & { reason?: string };
  }
  throw new Error("expected an error");
}

describe("the database file on disk", () => {
  it("holds the alias in readable form without a key (the check below can fail)", () => {
    const file = fresh("plain.db");
    const db = databaseWithClient(file, null);
    expect(Buffer.concat([bytesOf(file), bytesOf(`${file}-wal`)]).includes(MARK)).toBe(true);
    closeDatabase(db);
  });

  it("with a key, neither the file nor its -wal holds the alias, before or after a checkpoint", () => {
    const file = fresh("encrypted.db");
    const db = databaseWithClient(file, KEY_A);
    expect(bytesOf(`${file}-wal`).length).toBeGreaterThan(0);
    expect(bytesOf(file).includes(MARK)).toBe(false);
    expect(bytesOf(`${file}-wal`).includes(MARK)).toBe(false);
    db.$client.pragma("wal_checkpoint(TRUNCATE)");
    expect(bytesOf(file).includes(MARK)).toBe(false);
    expect(aliases(db)).toEqual([ALIAS]);
    closeDatabase(db);
    expect(bytesOf(file).includes(MARK)).toBe(false);
    expect(bytesOf(file).subarray(0, 16).toString("latin1")).not.toBe("SQLite format 3\0");
    expect(fileKind(file)).toBe("other");
  });

  it("a passphrase with quotes and SQL in it is a key like any other (quoted, never run)", () => {
    const file = fresh("passphrase.db");
    closeDatabase(databaseWithClient(file, PASSPHRASE));
    const db = openDatabase(file, { key: PASSPHRASE });
    expect(aliases(db)).toEqual([ALIAS]);
    expect(encryptionStatus(db)).toEqual({ encrypted: true, scheme: "sqlcipher4" });
    closeDatabase(db);
    expect(bytesOf(file).includes(MARK)).toBe(false);
  });

  it("is SQLCipher 4 compatible: cipher sqlcipher, legacy 4, 256,000 KDF iterations", () => {
    const file = fresh("settings.db");
    const db = databaseWithClient(file, PASSPHRASE);
    expect(db.$client.pragma("cipher", { simple: true })).toBe("sqlcipher");
    expect(Number(db.$client.pragma("legacy", { simple: true }))).toBe(4);
    expect(Number(db.$client.pragma("kdf_iter", { simple: true }))).toBe(256000);
    closeDatabase(db);
  });
});

describe("opening refuses with one clear line", () => {
  it("an encrypted database without a key: says DATABASE_KEY is not set", () => {
    const file = fresh("nokey.db");
    closeDatabase(databaseWithClient(file, KEY_A));
    const e = errorOf(() => openDatabase(file, { key: null }));
    expect(e.reason).toBe("no-key");
    expect(e.message).toBe(`${file} is encrypted (or is not an SQLite database) and DATABASE_KEY is not set: set DATABASE_KEY to the database's key`);
  });

  it("an encrypted database with the wrong key: says the key is wrong, and never shows a key", () => {
    const file = fresh("wrongkey.db");
    closeDatabase(databaseWithClient(file, KEY_A));
    const e = errorOf(() => openDatabase(file, { key: KEY_B }));
    expect(e.reason).toBe("wrong-key");
    expect(e.message).toMatch(/does not open with DATABASE_KEY: wrong key/);
    expect(e.message).not.toContain(KEY_A);
    expect(e.message).not.toContain(KEY_B);
  });

  it("an unencrypted database with a key: says to run rekey, and leaves the file as it was", () => {
    const file = fresh("plain-with-key.db");
    closeDatabase(databaseWithClient(file, null));
    const before = bytesOf(file);
    const e = errorOf(() => openDatabase(file, { key: KEY_A }));
    expect(e.reason).toBe("not-encrypted");
    expect(e.message).toMatch(/is not encrypted but DATABASE_KEY is set: encrypt it first with "tongban rekey --new-key-env DATABASE_KEY"/);
    expect(bytesOf(file).equals(before)).toBe(true);
  });

  it("takes the key from DATABASE_KEY in the environment when none is given", () => {
    const file = fresh("from-env.db");
    process.env.DATABASE_KEY = KEY_A;
    resetEnvCache();
    closeDatabase(databaseWithClient(file));
    expect(fileKind(file)).toBe("other");
    const db = openDatabase(file);
    expect(aliases(db)).toEqual([ALIAS]);
    closeDatabase(db);
    delete process.env.DATABASE_KEY;
    resetEnvCache();
    expect(errorOf(() => openDatabase(file)).reason).toBe("no-key");
  });

  it("the command line refuses to run on an encrypted database without the key: one line, exit code 1", () => {
    const file = fresh("cli.db");
    closeDatabase(databaseWithClient(file, KEY_A));
    const run = (env: Record<string, string>) =>
      spawnSync("node", ["--import", "tsx", "cli/index.ts", "migrate"], {
        env: { ...process.env, DATABASE_URL: file, TONGBAN_QUIET: "1", ...env },
        encoding: "utf8",
        timeout: 60_000,
      });
    const empty = run({ DATABASE_KEY: "" });
    expect(empty.status).toBe(1);
    expect(empty.stderr.trim()).toBe("tongban: Invalid environment: DATABASE_KEY: must be a passphrase of 16 to 1024 characters (no control characters) or 64 hex digits");
    const { DATABASE_KEY: _unset, ...rest } = process.env;
    const noKey = spawnSync("node", ["--import", "tsx", "cli/index.ts", "migrate"], {
      env: { ...rest, DATABASE_URL: file, TONGBAN_QUIET: "1" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(noKey.status).toBe(1);
    expect(noKey.stderr.trim()).toBe(`tongban: ${file} is encrypted (or is not an SQLite database) and DATABASE_KEY is not set: set DATABASE_KEY to the database's key`);
    const wrong = run({ DATABASE_KEY: KEY_B });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr.trim().split("\n")).toHaveLength(1);
    expect(wrong.stderr).toMatch(/wrong key/);
    expect(run({ DATABASE_KEY: KEY_A }).status).toBe(0);
  }, 120_000);

  it("the server refuses to start on an encrypted database without the key: one line, exit code 1", () => {
    const file = fresh("server.db");
    closeDatabase(databaseWithClient(file, KEY_A));
    const { DATABASE_KEY: _unset, ...rest } = process.env;
    const r = spawnSync("node", ["--import", "tsx", "server/index.ts"], {
      env: { ...rest, DATABASE_URL: file, NODE_ENV: "production", PORT: "3398" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      `tongban: refusing to start: ${file} is encrypted (or is not an SQLite database) and DATABASE_KEY is not set: set DATABASE_KEY to the database's key`,
    );
  }, 120_000);
});

describe("DATABASE_KEY in the environment", () => {
  it.each([
    ["64 hex digits (a raw key)", KEY_A],
    ["a passphrase of 16 characters", "sixteen chars ok"],
    ["a passphrase in Chinese", "同伴数据库的加密口令（测试用，虚构）"],
  ])("accepts %s", (_what, key) => {
    expect(parseEnv({ NODE_ENV: "test", DATABASE_KEY: key }).DATABASE_KEY).toBe(key);
  });

  it("is optional: unset means an unencrypted database", () => {
    expect(parseEnv({ NODE_ENV: "test" }).DATABASE_KEY).toBeUndefined();
  });

  it.each([
    ["an empty value", ""],
    ["a passphrase of 15 characters", "fifteen chars!!"],
    ["a passphrase with a control character", "sixteen\ncharacters ok"],
    ["a passphrase with a NUL", "sixteen\0characters ok"],
    ["more than 1024 characters", "k".repeat(1025)],
    ["63 hex digits (a raw key with one digit missing)", "a".repeat(63)],
    ["hex digits that are not 64, even if long enough for a passphrase", "0123456789abcdef0123"],
  ])("refuses %s with one line that does not show the value", (_what, key) => {
    const e = errorOf(() => parseEnv({ NODE_ENV: "test", DATABASE_KEY: key }));
    expect(e.message).toBe("Invalid environment: DATABASE_KEY: must be a passphrase of 16 to 1024 characters (no control characters) or 64 hex digits");
  });
});

describe("backups of an encrypted database", () => {
  it("are encrypted with the same key, restore with it, and are refused without it or with another key", async () => {
    const file = fresh("source.db");
    const db = databaseWithClient(file, KEY_A);
    const backup = fresh("backup.db");
    const result = await backupDatabase(db.$client, backup);
    closeDatabase(db);
    expect(result.ok).toBe(true);
    expect(result.counts.clients).toBe(1);
    expect(bytesOf(backup).includes(MARK)).toBe(false);
    expect(fileKind(backup)).toBe("other");
    expect(existsSync(`${backup}-wal`)).toBe(false);
    expect(errorOf(() => new Database(backup).prepare("select 1 from sqlite_master").get()).message).toBe("file is not a database");

    const target = fresh("target.db");
    expect(() => restoreDatabase(backup, target, { actor, key: null })).toThrow(
      /backup\.db is encrypted \(or is not an SQLite database\) and DATABASE_KEY is not set: set it to the key the backup was made with$/,
    );
    expect(() => restoreDatabase(backup, target, { actor, key: KEY_B })).toThrow(/backup\.db does not open with DATABASE_KEY: it was made with another key/);
    expect(existsSync(target)).toBe(false);

    const restored = restoreDatabase(backup, target, { actor, key: KEY_A });
    expect(restored.counts.clients).toBe(1);
    expect(bytesOf(target).includes(MARK)).toBe(false);
    const check = openDatabase(target, { key: KEY_A });
    expect(aliases(check)).toEqual([ALIAS]);
    expect(check.select().from(auditLog).where(eq(auditLog.action, "restore")).all()).toHaveLength(1);
    closeDatabase(check);
  });

  it("an unencrypted backup restored while a key is set comes back encrypted with that key", async () => {
    const file = fresh("plain-source.db");
    const db = databaseWithClient(file, null);
    const backup = fresh("plain-backup.db");
    await backupDatabase(db.$client, backup);
    closeDatabase(db);
    const target = fresh("encrypted-target.db");
    restoreDatabase(backup, target, { actor, key: KEY_A });
    expect(fileKind(target)).toBe("other");
    expect(Buffer.concat([bytesOf(target), bytesOf(`${target}-wal`)]).includes(MARK)).toBe(false);
    const check = openDatabase(target, { key: KEY_A });
    expect(aliases(check)).toEqual([ALIAS]);
    closeDatabase(check);
  });
});

describe("tongban rekey", () => {
  function rekeyRows(file: string, key: string): { action: string; details: unknown }[] {
    const db = openDatabase(file, { key });
    try {
      return db.select({ action: auditLog.action, details: auditLog.details }).from(auditLog).where(eq(auditLog.action, "rekey")).all();
    } finally {
      closeDatabase(db);
    }
  }

  it("encrypts, changes the key and decrypts, keeping every row; the old key stops working each time", () => {
    const file = fresh("rekey.db");
    closeDatabase(databaseWithClient(file, null));

    const encrypted = rekeyDatabase(file, { currentKey: null, newKey: KEY_A, actor });
    expect(encrypted).toMatchObject({ from: "unencrypted", to: "encrypted" });
    expect(encrypted.counts.clients).toBe(1);
    expect(fileKind(file)).toBe("other");
    expect(Buffer.concat([bytesOf(file), bytesOf(`${file}-wal`)]).includes(MARK)).toBe(false);
    expect(errorOf(() => openDatabase(file, { key: null })).reason).toBe("no-key");

    rekeyDatabase(file, { currentKey: KEY_A, newKey: PASSPHRASE, actor });
    expect(errorOf(() => openDatabase(file, { key: KEY_A })).reason).toBe("wrong-key");
    const changed = openDatabase(file, { key: PASSPHRASE });
    expect(aliases(changed)).toEqual([ALIAS]);
    closeDatabase(changed);
    expect(bytesOf(file).includes(MARK)).toBe(false);

    const rows = rekeyRows(file, PASSPHRASE);
    expect(rows.map((r) => r.details)).toEqual([
      { from: "unencrypted", to: "encrypted", scheme: "sqlcipher4", keyKind: "raw" },
      { from: "encrypted", to: "encrypted", scheme: "sqlcipher4", keyKind: "passphrase" },
    ]);
    const stored = JSON.stringify(rows);
    for (const secret of [KEY_A, PASSPHRASE, "a1a1a1"]) expect(stored).not.toContain(secret);

    rekeyDatabase(file, { currentKey: PASSPHRASE, newKey: null, actor });
    expect(fileKind(file)).toBe("plain");
    expect(errorOf(() => openDatabase(file, { key: PASSPHRASE })).reason).toBe("not-encrypted");
    const plain = openDatabase(file, { key: null });
    expect(aliases(plain)).toEqual([ALIAS]);
    expect(plain.select().from(auditLog).where(eq(auditLog.action, "rekey")).all()).toHaveLength(3);
    closeDatabase(plain);
  });

  it("refuses while a server has the database open, a wrong current key, a bad new key, and the same key; the file stays as it was", () => {
    const file = fresh("rekey-refusals.db");
    closeDatabase(databaseWithClient(file, KEY_A));
    const before = bytesOf(file);
    writePidFile(file, process.pid);
    try {
      expect(() => rekeyDatabase(file, { currentKey: KEY_A, newKey: KEY_B, actor })).toThrow(/is in use by a running Tongban server \(process \d+\); stop it first/);
    } finally {
      removePidFile(file, process.pid);
    }
    expect(() => rekeyDatabase(file, { currentKey: KEY_B, newKey: PASSPHRASE, actor })).toThrow(/does not open with DATABASE_KEY: wrong key/);
    expect(() => rekeyDatabase(file, { currentKey: null, newKey: KEY_B, actor })).toThrow(/DATABASE_KEY is not set/);
    expect(() => rekeyDatabase(file, { currentKey: KEY_A, newKey: "too short", actor })).toThrow(/the new key must be a passphrase of 16 to 1024 characters/);
    expect(() => rekeyDatabase(file, { currentKey: KEY_A, newKey: KEY_A, actor })).toThrow(/the new key is the current key/);
    expect(() => rekeyDatabase(fresh("missing.db"), { currentKey: KEY_A, newKey: KEY_B, actor })).toThrow(/^no database at /);
    expect(bytesOf(file).equals(before)).toBe(true);
    const plainFile = fresh("rekey-plain.db");
    closeDatabase(databaseWithClient(plainFile, null));
    expect(() => rekeyDatabase(plainFile, { currentKey: null, newKey: null, actor })).toThrow(/is not encrypted; there is nothing to decrypt/);
  });

  it("the command reads the new key from a named environment variable, never from its arguments", () => {
    const file = fresh("rekey-cli.db");
    closeDatabase(databaseWithClient(file, null));
    const { DATABASE_KEY: _unset, ...rest } = process.env;
    const run = (args: string[], env: Record<string, string> = {}) =>
      spawnSync("node", ["--import", "tsx", "cli/index.ts", "rekey", ...args], {
        env: { ...rest, DATABASE_URL: file, TONGBAN_QUIET: "1", ...env },
        encoding: "utf8",
        timeout: 60_000,
      });
    const positional = run([KEY_A]);
    expect(positional.status).toBe(1);
    expect(positional.stderr.trim()).toBe(`tongban: rekey takes no arguments (got "${KEY_A.slice(0, 40)}"); never put a key on the command line`);
    const unset = run(["--new-key-env", "NEW_TONGBAN_KEY"]);
    expect(unset.status).toBe(1);
    expect(unset.stderr.trim()).toBe("tongban: the environment variable NEW_TONGBAN_KEY is not set");
    const ok = run(["--new-key-env", "NEW_TONGBAN_KEY"], { NEW_TONGBAN_KEY: KEY_B });
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^encrypted .*rekey-cli\.db \(SQLCipher 4 compatible/);
    expect(ok.stdout).not.toContain(KEY_B);
    const db = openDatabase(file, { key: KEY_B });
    expect(aliases(db)).toEqual([ALIAS]);
    closeDatabase(db);
  }, 120_000);
});

describe("the admin's security page", () => {
  type LoaderData = Awaited<ReturnType<typeof securityLoader>>;

  async function render(locale: "en" | "zh-CN", data: LoaderData): Promise<string> {
    const Stub = createRemixStub([
      {
        id: "root",
        path: "/",
        loader: () => null,
        children: [{ id: "security", path: "admin/security", loader: () => null, Component: AdminSecurity }],
      },
    ]);
    return renderToString(
      createElement(Stub, {
        initialEntries: ["/admin/security"],
        hydrationData: { loaderData: { root: { locale, timeZone: "Asia/Shanghai" }, security: data } },
      }),
    );
  }

  it("warns in both languages when the database is not encrypted", async () => {
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const r = await respond(() => securityLoader({ request: makeRequest("/admin/security", { cookie: admin.cookie }), params: {}, context: { cspNonce: "" } }));
    expect(r.status).toBe(200);
    const data = r.body as LoaderData;
    expect(data.encryption).toEqual({ encrypted: false, scheme: null });
    const en = await render("en", data);
    expect(en).toContain('data-testid="encryption-warning"');
    expect(en).toContain("The database is not encrypted.");
    expect(await render("zh-CN", data)).toContain("数据库未加密。");
  });

  it("shows “encrypted (SQLCipher 4 compatible)” and no warning when it is", async () => {
    const data = { policy: "required", encryption: { encrypted: true, scheme: "sqlcipher4" } } as LoaderData;
    const en = await render("en", data);
    expect(en).not.toContain("encryption-warning");
    expect(en).toContain("Encrypted (SQLCipher 4 compatible)");
    expect(await render("zh-CN", data)).toContain("已加密（兼容 SQLCipher 4）");
  });
});
