/**
 * The admin import and export pages: admins only, the same all-or-nothing import with counts or
 * the problems listed, a failed-rows download, an upload limit, no 500 on bad files; exports
 * streamed and recorded in the audit log.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, clients } from "#db/schema";
import { getDb } from "~/db.server";
import { MAX_UPLOAD_BYTES } from "~/domain/data/formats";
import { action as exportAction, loader as exportLoader } from "~/routes/admin.export";
import { waitForJob } from "~/domain/data/jobs.server";
import { action as importAction, loader as importLoader } from "~/routes/admin.import/route";
import { loader as jobLoader } from "~/routes/admin.import_.jobs.$id/route";
import { makeRequest, makeSignedInUser, respond } from "../../factories";
import { buildWorld, csv, HEADERS } from "./world";

let admin = { id: 0, login: "", cookie: "" };
let coordinator = { id: 0, login: "", cookie: "" };
const ctx = { cspNonce: "" };

function upload(cookie: string, fields: Record<string, string>, file?: { name: string; bytes: Uint8Array }) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  if (file) body.append("file", new Blob([new Uint8Array(file.bytes)], { type: "text/csv" }), file.name);
  const request = new Request("http://localhost/admin/import", { method: "POST", body, headers: { Cookie: cookie, "x-tongban-client-ip": "127.0.0.1" } });
  return respond(() => importAction({ request, params: {}, context: ctx }));
}

/** Follows the upload's redirect to its job page once the import has finished. */
async function finished(res: { status: number; headers: Headers }) {
  expect(res.status).toBe(302);
  const id = /^\/admin\/import\/jobs\/([a-f0-9]{32})$/.exec(res.headers.get("Location") ?? "")?.[1];
  expect(id).toBeTruthy();
  await waitForJob(id!);
  const page = await respond(() => jobLoader({ request: makeRequest(`/admin/import/jobs/${id}`, { cookie: admin.cookie }), params: { id: id! }, context: ctx }));
  expect(page.status).toBe(200);
  return page.body as Outcome & { running: boolean };
}

type Outcome = { errors?: Record<string, string>; result?: { ok: boolean; rows: number; inserted: number; badRows: number; rowErrors: { line: number; column: string; key: string }[]; fileErrors: { key: string }[]; failedId: string | null } };

const count = () => getDb().select().from(clients).all().length;

beforeAll(async () => {
  await buildWorld(getDb());
  admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
  coordinator = await makeSignedInUser([{ role: "coordinator", districtId: null }]);
});

describe("admin import page", () => {
  it("answers 403 to a coordinator, for the page and the upload, and imports nothing", async () => {
    expect((await respond(() => importLoader({ request: makeRequest("/admin/import", { cookie: coordinator.cookie }), params: {}, context: ctx }))).status).toBe(403);
    const res = await upload(coordinator.cookie, { kind: "clients" }, { name: "c.csv", bytes: csv([HEADERS.clients, "PG-1,小林（化名）,dt-east,,2020-01-01,none,sw-wang,"]) });
    expect(res.status).toBe(403);
    expect(count()).toBe(0);
  });

  it("a dry run shows the counts on its job page and writes nothing", async () => {
    const res = await upload(admin.cookie, { kind: "clients", dryRun: "on" }, { name: "c.csv", bytes: csv([HEADERS.clients, "PG-1,小林（化名）,dt-east,,2020-01-01,none,sw-wang,"]) });
    expect((await finished(res)).result).toMatchObject({ ok: true, dryRun: true, rows: 1, inserted: 1 });
    expect(count()).toBe(0);
  });

  it("imports an upload and its job page shows the counts", async () => {
    const res = await upload(admin.cookie, { kind: "clients" }, { name: "c.csv", bytes: csv([HEADERS.clients, "PG-1,小林（化名）,dt-east,,2020-01-01,none,sw-wang,", "PG-2,小陈（化名）,dt-west,,2021-01-01,voluntary,sw-li,"]) });
    expect((await finished(res)).result).toMatchObject({ ok: true, dryRun: false, rows: 2, inserted: 2 });
    expect(count()).toBe(2);
    const audit = getDb().select().from(auditLog).where(and(eq(auditLog.action, "import"), eq(auditLog.entity, "data"))).all();
    expect(audit.at(-1)).toMatchObject({ actorLogin: admin.login, entityId: "clients", details: expect.objectContaining({ file: "c.csv", rows: 2 }) });
  });

  it("shows every problem with line, column and reason, writes nothing, and offers the failed rows with an error column", async () => {
    const res = await upload(admin.cookie, { kind: "clients" }, {
      name: "bad.csv",
      bytes: csv([HEADERS.clients, "PG-3,小张（化名）,dt-east,,2020-01-01,none,sw-wang,", "PG-4,小王（化名）,atlantis,,2020-01-01,none,sw-wang,", "PG-5,小李（化名）,dt-east,,2099-01-01,none,sw-wang,"]),
    });
    const out = await finished(res);
    expect(out.result!.ok).toBe(false);
    expect(out.result!.rowErrors.map((e) => [e.line, e.column, e.key.split("?")[0]])).toEqual([
      [3, "district", "data.unknownDistrict"],
      [4, "intake_date", "clients.dateInFuture"],
    ]);
    expect(count()).toBe(2);
    const dl = await respond(() =>
      importAction({ request: makeRequest("/admin/import", { method: "POST", cookie: admin.cookie, form: { intent: "failed", id: out.result!.failedId!, kind: "clients" } }), params: {}, context: ctx }),
    );
    expect(dl.status).toBe(200);
    expect(dl.headers.get("Content-Type")).toContain("text/csv");
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await (dl.body as Response).arrayBuffer());
    expect(text.startsWith(`\ufeff${HEADERS.clients},error\r\n`)).toBe(true);
    const lines = text.trim().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^PG-4,小王（化名）,atlantis,,2020-01-01,none,sw-wang,,"?3 district: /);
    expect(lines[2]).toMatch(/^PG-5,.*,4 intake_date: /);
  });

  it("answers an unknown or malformed failed-rows id with a message, not a file", async () => {
    for (const id of ["0".repeat(32), "../../etc/passwd"]) {
      const res = await respond(() => importAction({ request: makeRequest("/admin/import", { method: "POST", cookie: admin.cookie, form: { intent: "failed", id, kind: "clients" } }), params: {}, context: ctx }));
      expect(res.status).toBe(400);
      expect((res.body as Outcome).errors?._form).toBe("data.import.failedExpired");
    }
  });

  it("refuses a file that is not UTF-8, a missing file, an unknown kind and a file over the limit with messages, never a 500", async () => {
    const gbk = new Uint8Array([...new TextEncoder().encode(`${HEADERS.clients}\r\nPG-9,`), 0xd0, 0xa1, 0xc1, 0xd6, ...new TextEncoder().encode(",dt-east,,2020-01-01,none,sw-wang,\r\n")]);
    const a = await finished(await upload(admin.cookie, { kind: "clients" }, { name: "gbk.csv", bytes: gbk }));
    expect(a.result?.fileErrors.map((e) => e.key)).toEqual(["data.file.notUtf8"]);
    const b = await upload(admin.cookie, { kind: "clients" });
    expect((b.body as Outcome).errors).toEqual({ file: "data.import.noFile" });
    const c = await upload(admin.cookie, { kind: "people" }, { name: "c.csv", bytes: csv([HEADERS.clients]) });
    expect((c.body as Outcome).errors).toEqual({ kind: "form.unknownChoice" });
    const big = new Uint8Array(MAX_UPLOAD_BYTES + 10).fill(0x41);
    const d = await upload(admin.cookie, { kind: "clients" }, { name: "big.csv", bytes: big });
    expect(d.status).toBe(413);
    expect((d.body as Outcome).errors?.file).toBe("data.import.tooBig?max=20");
    expect(count()).toBe(2);
  });
});

describe("admin export page", () => {
  it("answers 403 to a coordinator and records nothing", async () => {
    expect((await respond(() => exportLoader({ request: makeRequest("/admin/export", { cookie: coordinator.cookie }), params: {}, context: ctx }))).status).toBe(403);
    const res = await respond(() => exportAction({ request: makeRequest("/admin/export", { method: "POST", cookie: coordinator.cookie, form: { kind: "clients" } }), params: {}, context: ctx }));
    expect(res.status).toBe(403);
  });

  it("lists the kinds with their row counts without writing anything", async () => {
    const before = getDb().select().from(auditLog).all().length;
    const res = await respond(() => exportLoader({ request: makeRequest("/admin/export", { cookie: admin.cookie }), params: {}, context: ctx }));
    expect(res.status).toBe(200);
    expect((res.body as { kinds: { kind: string; rows: number }[] }).kinds.find((k) => k.kind === "clients")?.rows).toBe(2);
    expect(getDb().select().from(auditLog).all()).toHaveLength(before);
  });

  it("streams a kind as CSV with BOM in the import format and records the export", async () => {
    const res = await respond(() => exportAction({ request: makeRequest("/admin/export", { method: "POST", cookie: admin.cookie, form: { kind: "clients" } }), params: {}, context: ctx }));
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="clients-\d{4}-\d{2}-\d{2}\.csv"/);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await (res.body as Response).arrayBuffer());
    expect(text).toBe(`\ufeff${HEADERS.clients}\r\nPG-1,小林（化名）,dt-east,,2020-01-01,none,sw-wang,\r\nPG-2,小陈（化名）,dt-west,,2021-01-01,voluntary,sw-li,\r\n`);
    const audit = getDb().select().from(auditLog).where(and(eq(auditLog.action, "export"), eq(auditLog.entity, "data"))).all();
    expect(audit.at(-1)).toMatchObject({ actorLogin: admin.login, entityId: "clients", details: { rows: 2, via: "page" } });
  });

  it("refuses an unknown kind with 400", async () => {
    const res = await respond(() => exportAction({ request: makeRequest("/admin/export", { method: "POST", cookie: admin.cookie, form: { kind: "client_identities" } }), params: {}, context: ctx }));
    expect(res.status).toBe(400);
  });
});
