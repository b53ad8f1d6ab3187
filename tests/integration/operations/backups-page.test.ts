/**
 * The admin's Backups page: only admins (read:data) see it, only edit:data may back up; "Back up
 * now" writes a verified, timestamped file into BACKUP_DIR, audited, and the page then shows it.
 * Also the command line as an operator meets it (child process, one-line errors, exit codes).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, migrateDatabase, openDatabase } from "#db/client";
import { getDb } from "~/db.server";
import { resetEnvCache } from "~/env.server";
import BackupsPage, { action, loader } from "~/routes/admin.backups";
import { Outlet } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import type { Locale } from "~/i18n/config";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";

const context = { cspNonce: "" };
const dir = mkdtempSync(path.join(tmpdir(), "tongban-backups-page-"));
const backupDir = path.join(dir, "backups");
beforeAll(() => {
  process.env.BACKUP_DIR = backupDir;
  resetEnvCache();
});
afterAll(() => {
  delete process.env.BACKUP_DIR;
  resetEnvCache();
  rmSync(dir, { recursive: true, force: true });
});

describe("the Backups page", () => {
  it("answers 403 to every role but admin, for the page and for Back up now, and writes nothing", async () => {
    const district = makeDistrict();
    for (const roles of [
      [{ role: "coordinator" as const, districtId: district.id }],
      [{ role: "social_worker" as const, districtId: district.id }],
      [{ role: "peer_tutor" as const, districtId: district.id }],
      [{ role: "trainer" as const, districtId: null }],
    ]) {
      const { cookie } = await makeSignedInUser(roles);
      expect((await respond(() => loader({ request: makeRequest("/admin/backups", { cookie }), params: {}, context }))).status).toBe(403);
      const post = makeRequest("/admin/backups", { cookie, method: "POST", form: {} });
      expect((await respond(() => action({ request: post, params: {}, context }))).status).toBe(403);
    }
    expect(existsSync(backupDir)).toBe(false);
  });

  it("shows no backup at first, then Back up now writes a verified file to BACKUP_DIR, audited, and the page shows it", async () => {
    const { cookie, login } = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const before = await respond(() => loader({ request: makeRequest("/admin/backups", { cookie }), params: {}, context }));
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ last: null, stale: true, recent: [], canBackUp: true });

    const post = makeRequest("/admin/backups", { cookie, method: "POST", form: {} });
    const res = await respond(() => action({ request: post, params: {}, context }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/admin/backups");
    expect(decodeURIComponent(res.headers.get("Set-Cookie") ?? "")).toContain('"key":"operations.now.done"');
    const files = readdirSync(backupDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^tongban-\d{8}T\d{6}Z\.db$/);

    const after = await respond(() => loader({ request: makeRequest("/admin/backups", { cookie }), params: {}, context }));
    const data = after.body as { last: { file: string; ok: boolean; bytes: number; counts: Record<string, number> }; stale: boolean; recent: { name: string }[] };
    expect(data.last).toMatchObject({ file: files[0], ok: true });
    expect(data.last.bytes).toBeGreaterThan(0);
    expect(data.last.counts.users).toBeGreaterThanOrEqual(1);
    expect(data.stale).toBe(false);
    expect(data.recent.map((r) => r.name)).toEqual(files);

    const audit = getDb().$client.prepare("select actor_login, entity_id from audit_log where action = 'backup' order by id desc").get();
    expect(audit).toEqual({ actor_login: login, entity_id: files[0] });
  });
});

describe("the Backups page in both languages", () => {
  function render(locale: Locale, page: unknown) {
    const Stub = createRemixStub([
      { id: "root", path: "/", Component: () => createElement(Outlet), children: [{ id: "page", path: "admin/backups", Component: BackupsPage }] },
    ]);
    return renderToString(
      createElement(Stub, {
        initialEntries: ["/admin/backups"],
        hydrationData: { loaderData: { root: { locale, timeZone: "Asia/Shanghai" }, page } },
      }),
    );
  }
  const page = {
    last: { at: "2026-11-28T18:30:00.000Z", file: "tongban-20261128T183000Z.db", bytes: 5 * 1024 * 1024, ok: true, counts: { clients: 35740, contacts: 1200 } },
    stale: false,
    databaseBytes: 6 * 1024 * 1024,
    backupDir: "/srv/tongban/data/backups",
    recent: [{ name: "tongban-20261128T183000Z.db", bytes: 5 * 1024 * 1024, modifiedAt: "2026-11-28T18:30:01.000Z" }],
    canBackUp: true,
  };

  it("shows the last backup's time in the program's zone, its size, its check and rows, and the Back up now button", () => {
    const en = render("en", page);
    expect(en).toContain("Checked: complete");
    expect(en).toContain("5.0 MB");
    expect(en).toContain("Clients: 35,740");
    expect(en).toContain("Back up now");
    expect(en).toMatch(/02:30/); // 18:30 UTC is 02:30 in Asia/Shanghai
    const zh = render("zh-CN", page);
    expect(zh).toContain("已校验：完整");
    expect(zh).toContain("服务对象");
    expect(zh).toContain("立即备份");
  });

  it("says when there is no backup yet, warns about a failed one, and offers no button without edit:data", () => {
    expect(render("en", { ...page, last: null, stale: true, recent: [] })).toContain("No backup has been recorded yet.");
    const failed = render("zh-CN", { ...page, last: { ...page.last, ok: false, error: "the copy failed: disk I/O error", counts: {} }, stale: true, canBackUp: false });
    expect(failed).toContain("失败");
    expect(failed).toContain("最近一次成功备份已超过一天");
    expect(failed).not.toContain("立即备份</button>");
  });
});

describe("the backup and restore commands", { timeout: 120_000 }, () => {
  const dbFile = path.join(dir, "cli.db");
  const run = (args: string[]) => {
    const r = spawnSync("node", ["--import", "tsx", "cli/index.ts", ...args], {
      env: { ...process.env, DATABASE_URL: dbFile, TONGBAN_QUIET: "1" },
      encoding: "utf8",
      timeout: 60_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
  };

  it("backup prints the check, the row counts and the size; restore puts it back and says where the old database is", () => {
    const db = openDatabase(dbFile);
    migrateDatabase(db);
    closeDatabase(db);
    const copy = path.join(dir, "cli-copy.db");
    const backup = run(["backup", copy]);
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/integrity_check: ok/);
    expect(backup.stdout).toMatch(/rows: districts 0, users 0/);
    expect(backup.stdout).toMatch(/size: [\d.]+ KB \(\d+ bytes\)/);

    const restore = run(["restore", copy]);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/the previous database is kept as .*cli\.db\.before-restore-\d{8}T\d{6}Z/);
  });

  it.each([
    [["backup"], /give the backup file/],
    [["backup", path.join(dir, "no-such-folder", "x.db")], /backup failed: the folder .* does not exist/],
    [["restore", path.join(dir, "missing.db")], /no such file/],
    [["restore", path.join(dir, "notes.txt")], /notes\.txt is not an SQLite database/],
  ])("refuses %j with one line and exit code 1", (args, reason) => {
    writeFileSync(path.join(dir, "notes.txt"), "not a database");
    const r = run(args as string[]);
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(reason as RegExp);
  });
});
