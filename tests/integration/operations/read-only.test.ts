/**
 * Full disk and read-only database (issue 8, item 6): pages that read keep working, a write gets
 * a 503 that the error page explains in the person's language, and nothing half-written remains.
 * The conversion happens in one place (app/db.server.ts guardWrites), for every action.
 */
import Database from "better-sqlite3";
import { Outlet } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDatabase, migrateDatabase, openDatabase, type Db } from "#db/client";
import * as schema from "#db/schema";
import { ErrorPage } from "~/components/ErrorPage";
import { getDb, guardWrites } from "~/db.server";
import { SYSTEM_ACTOR } from "~/domain/audit";
import { getSettings, saveSettings } from "~/domain/settings";
import type { Locale } from "~/i18n/config";
import { loader as backupsLoader } from "~/routes/admin.backups";
import { loader as settingsLoader, action as settingsAction } from "~/routes/admin.settings";
import { loader as usersLoader } from "~/routes/admin.users._index/route";
import * as clientOverview from "~/routes/clients.$id._index";
import { makeClient } from "../../clients-factories";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";

const context = { cspNonce: "" };
const dir = mkdtempSync(path.join(tmpdir(), "tongban-readonly-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const counts = () =>
  getDb()
    .$client.prepare(
      "select (select count(*) from audit_log) as audit, (select count(*) from settings) as settings, (select group_concat(last_seen_at || expires_at) from auth_sessions) as sessions",
    )
    .get() as { audit: number; settings: number; sessions: string };

beforeAll(() => {
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  getDb().$client.pragma("query_only = 0");
  getDb().$client.pragma("max_page_count = 1073741823");
});

describe("a read-only database", () => {
  it("keeps pages that read working and answers a write with 503, saving nothing (not the form, not its audit entry, not the session touch)", async () => {
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const before = counts();
    const settingsBefore = getSettings(getDb());
    getDb().$client.pragma("query_only = 1");

    const get = (path: string) => makeRequest(path, { cookie: admin.cookie });
    expect((await respond(() => usersLoader({ request: get("/admin/users"), params: {}, context }))).status).toBe(200);
    expect((await respond(() => settingsLoader({ request: get("/admin/settings"), params: {}, context }))).status).toBe(200);
    expect((await respond(() => backupsLoader({ request: get("/admin/backups"), params: {}, context }))).status).toBe(200);

    const post = makeRequest("/admin/settings", {
      cookie: admin.cookie,
      form: { organisationNameZh: "只读测试（虚构）", organisationNameEn: "Read-only test (fictional)", timeZone: "Asia/Shanghai", overdueThresholdDays: "30" },
    });
    const res = await respond(() => settingsAction({ request: post, params: {}, context }));
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("60");
    expect(await (res.body as Response).text()).toContain("SQLITE_READONLY");

    getDb().$client.pragma("query_only = 0");
    expect(counts()).toEqual(before);
    expect(getSettings(getDb())).toEqual(settingsBefore);
  });

  it("answers 503 on a client's record page, whose view must be written to the access log (ADR 0004), and shows the record again once writable", async () => {
    const district = makeDistrict();
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const client = await makeClient({ districtId: district.id });
    const open = () =>
      respond(() => clientOverview.loader({ request: makeRequest(`/clients/${client.id}`, { cookie: admin.cookie }), params: { id: String(client.id) }, context }));
    getDb().$client.pragma("query_only = 1");
    expect((await open()).status).toBe(503);
    getDb().$client.pragma("query_only = 0");
    expect((await open()).status).toBe(200);
  });

  it("opened read-only by the operating system (a read-only mount): a domain write throws the 503 answer, reads work", () => {
    const file = path.join(dir, "mounted-read-only.db");
    const setup = openDatabase(file);
    migrateDatabase(setup);
    closeDatabase(setup);
    const sqlite = guardWrites(new Database(file, { readonly: true }));
    const db = drizzle(sqlite, { schema }) as Db;
    expect(getSettings(db).timeZone).toBe("Asia/Shanghai");
    let thrown: unknown;
    try {
      saveSettings(db, SYSTEM_ACTOR, { ...getSettings(db), organisationNameEn: "Changed (fictional)" });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(503);
    sqlite.close();
  });
});

describe("a full database", () => {
  it("answers 503 when a transaction cannot grow the file, and rolls back the writes made before it in the same transaction", () => {
    const db = getDb();
    const before = counts();
    let thrown: unknown;
    try {
      db.transaction((tx) => {
        tx.insert(schema.settings).values({ key: "written-first", value: "x" }).run();
        // from here the database may not grow: the next insert needs new pages
        db.$client.pragma(`max_page_count = ${db.$client.pragma("page_count", { simple: true }) as number}`);
        tx.insert(schema.settings).values({ key: "too-big", value: "满".repeat(200_000) }).run();
      });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(503);
    db.$client.pragma("max_page_count = 1073741823");
    expect(counts()).toEqual(before);
    // room again: the next write succeeds, nothing to repair
    db.insert(schema.settings).values({ key: "after-room", value: "x" }).run();
    expect(counts().settings).toBe(before.settings + 1);
  });

  it("lets other errors through unchanged (a constraint violation is a bug, not an outage)", () => {
    const db = getDb();
    db.insert(schema.settings).values({ key: "unique-once", value: 1 }).run();
    expect(() => db.insert(schema.settings).values({ key: "unique-once", value: 2 }).run()).toThrow(/UNIQUE constraint failed/);
  });
});

/** Runs the fill-disk fixture on a database file; its JSON report. */
function fillDisk(file: string, shellPrefix = "") {
  const r = spawnSync("bash", ["-c", `${shellPrefix} exec node --import tsx tests/integration/operations/fixtures/fill-disk.ts`], {
    env: { ...process.env, DATABASE_URL: file, TONGBAN_QUIET: "1" },
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as {
    committed: number;
    answer: { status: number; body: string };
    rows: number;
    audits: number;
    integrity: string;
  };
}

function migratedDatabase(file: string) {
  const db = openDatabase(file);
  migrateDatabase(db);
  closeDatabase(db);
}

describe("a disk that fills up", { timeout: 180_000 }, () => {
  it("(file size limit, ulimit -f: the write fails with EFBIG) answers 503, keeps every committed pair whole and the database intact", () => {
    const file = path.join(dir, "limited.db");
    migratedDatabase(file);
    const report = fillDisk(file, "ulimit -f 3000;");
    expect(report.committed).toBeGreaterThan(0);
    expect(report.answer.status).toBe(503);
    expect(report.answer.body).toMatch(/SQLITE_(IOERR|FULL)/);
    expect(report).toMatchObject({ rows: report.committed, audits: report.committed, integrity: "ok" });
  });

  const canMount =
    process.getuid?.() === 0 && spawnSync("bash", ["-c", `d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d" && umount "$d"`]).status === 0;
  it.runIf(canMount)("(a real small file system, tmpfs: ENOSPC) answers 503 with SQLITE_FULL, keeps every committed pair whole and the database intact", () => {
    const mountPoint = path.join(dir, "small");
    mkdirSync(mountPoint);
    expect(spawnSync("mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", mountPoint]).status).toBe(0);
    try {
      const seed = path.join(dir, "seed.db");
      migratedDatabase(seed);
      copyFileSync(seed, path.join(mountPoint, "small.db"));
      const report = fillDisk(path.join(mountPoint, "small.db"));
      expect(report.committed).toBeGreaterThan(0);
      expect(report.answer).toMatchObject({ status: 503 });
      expect(report.answer.body).toContain("SQLITE_FULL");
      expect(report).toMatchObject({ rows: report.committed, audits: report.committed, integrity: "ok" });
    } finally {
      spawnSync("umount", [mountPoint]);
    }
  });
});

describe("the 503 page", () => {
  function render(locale: Locale) {
    const Stub = createRemixStub([{ id: "root", path: "/", Component: () => createElement(Outlet), children: [{ id: "page", index: true, Component: () => createElement(ErrorPage, { status: 503 }) }] }]);
    return renderToString(createElement(Stub, { initialEntries: ["/"], hydrationData: { loaderData: { root: { locale, timeZone: "Asia/Shanghai", user: null } } } }));
  }

  it("says in the person's language that nothing was saved and what to do", () => {
    expect(render("en")).toContain("Nothing was saved");
    expect(render("en")).toContain("tell an admin");
    expect(render("zh-CN")).toContain("未保存任何内容");
    expect(render("zh-CN")).toContain("联系管理员");
  });
});
