/**
 * The app on an encrypted database (issue 9 item 2): this file's database is opened by getDb()
 * with DATABASE_KEY set, as in production. Client records written through the app never reach
 * the file or its -wal readable; the admin sees "encrypted"; "Back up now" writes an encrypted,
 * verified backup; an import runs in its worker thread (its own connection) with the key.
 */
import { eq, sql } from "drizzle-orm";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, encryptionStatus, fileKind, openDatabase } from "#db/client";
import { clients } from "#db/schema";
import { closeDb, getDb } from "~/db.server";
import { backupNow } from "~/domain/data/backup.server";
import { waitForJob } from "~/domain/data/jobs.server";
import { env, resetEnvCache } from "~/env.server";
import { action as importAction } from "~/routes/admin.import/route";
import { loader as securityLoader } from "~/routes/admin.security";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";
import { makeClient } from "../../clients-factories";
import { buildWorld, csv, HEADERS } from "../data/world";

const KEY = "同伴测试数据库口令（虚构）'quoted'";
const ALIAS = "加密测试化名（虚构）ENCMARK";
const MARK = Buffer.from(ALIAS, "utf8");
const dir = mkdtempSync(path.join(tmpdir(), "tongban-encrypted-app-"));
const ctx = { cspNonce: "" };

beforeAll(() => {
  closeDb();
  process.env.DATABASE_KEY = KEY;
  resetEnvCache();
});

afterAll(() => {
  closeDb();
  delete process.env.DATABASE_KEY;
  resetEnvCache();
  rmSync(dir, { recursive: true, force: true });
});

function bytesOf(file: string): Buffer {
  return existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
}

describe("the app on an encrypted database", () => {
  it("opens the database encrypted and never writes a client's alias to the file or its -wal readable", async () => {
    const db = getDb();
    expect(encryptionStatus(db)).toEqual({ encrypted: true, scheme: "sqlcipher4" });
    const district = makeDistrict();
    await makeClient({ districtId: district.id, alias: ALIAS });
    const file = env().DATABASE_URL;
    expect(fileKind(file)).toBe("other");
    expect(bytesOf(`${file}-wal`).length).toBeGreaterThan(0);
    expect(Buffer.concat([bytesOf(file), bytesOf(`${file}-wal`)]).includes(MARK)).toBe(false);
    db.$client.pragma("wal_checkpoint(TRUNCATE)");
    expect(bytesOf(file).includes(MARK)).toBe(false);
    expect(db.select({ alias: clients.alias }).from(clients).where(eq(clients.alias, ALIAS)).all()).toHaveLength(1);
  });

  it("shows the admin “encrypted (SQLCipher 4 compatible)” and no warning", async () => {
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const r = await respond(() => securityLoader({ request: makeRequest("/admin/security", { cookie: admin.cookie }), params: {}, context: ctx }));
    expect(r.status).toBe(200);
    expect((r.body as { encryption: unknown }).encryption).toEqual({ encrypted: true, scheme: "sqlcipher4" });
  });

  it("“Back up now” writes a verified backup encrypted with the same key", async () => {
    const record = await backupNow(getDb(), { userId: null, login: "encryption-test", ip: "" }, dir);
    expect(record?.ok).toBe(true);
    expect(record?.counts.clients).toBeGreaterThanOrEqual(1);
    const file = record!.file;
    expect(fileKind(file)).toBe("other");
    expect(bytesOf(file).includes(MARK)).toBe(false);
    expect(() => openDatabase(file, { key: null })).toThrow(/is encrypted \(or is not an SQLite database\) and DATABASE_KEY is not set/);
    const copy = openDatabase(file, { key: KEY });
    expect(copy.select().from(clients).where(eq(clients.alias, ALIAS)).all()).toHaveLength(1);
    closeDatabase(copy);
  });

  it("runs an import in its worker thread, which opens the encrypted database with the key", { timeout: 60_000 }, async () => {
    await buildWorld(getDb());
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const count = () => getDb().select({ n: sql<number>`count(*)` }).from(clients).get()!.n;
    const before = count();
    const body = new FormData();
    body.append("kind", "clients");
    const bytes = csv([HEADERS.clients, "ENC-1,加密导入（化名）,dt-east,,2020-01-15,voluntary,sw-wang,", "ENC-2,加密导入二（化名）,dt-west,,2020-02-15,voluntary,sw-li,"]);
    body.append("file", new Blob([new Uint8Array(bytes)], { type: "text/csv" }), "encrypted.csv");
    const request = new Request("http://localhost/admin/import", { method: "POST", body, headers: { Cookie: admin.cookie, "x-tongban-client-ip": "127.0.0.1" } });
    const res = await respond(() => importAction({ request, params: {}, context: ctx }));
    expect(res.status).toBe(302);
    const id = /\/admin\/import\/jobs\/([a-f0-9]{32})$/.exec(res.headers.get("Location") ?? "")![1]!;
    const job = await waitForJob(id);
    expect(job?.crashed).toBe(false);
    expect(job?.result).toMatchObject({ ok: true, inserted: 2 });
    expect(count()).toBe(before + 2);
  });
});
