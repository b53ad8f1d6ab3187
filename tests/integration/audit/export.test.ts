/**
 * CSV export of the audit log: a POST with the viewer's filters, answered with a UTF-8 (BOM)
 * CSV whose column names are in the person's language, formula cells escaped, and recorded in
 * the log itself.
 */
import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { auditLog } from "#db/schema";
import { action, loader } from "~/routes/admin.audit.export";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";

function addRow(values: Partial<typeof auditLog.$inferInsert>) {
  return getDb()
    .insert(auditLog)
    .values({ action: "update", entity: "export_case", actorLogin: "someone.test", ...values })
    .returning()
    .get();
}

let admin = { id: 0, login: "", cookie: "" };

async function exportCsv(
  form: Record<string, string>,
  options: { cookie?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; bytes: Uint8Array; text: string }> {
  const request = makeRequest("/admin/audit/export", {
    method: "POST",
    cookie: options.cookie ?? admin.cookie,
    form,
    headers: options.headers,
  });
  const res = await respond(() => action({ request, params: {}, context: { cspNonce: "" } }));
  const body = res.body as Response;
  const bytes = new Uint8Array(await body.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes) };
}

const records = (text: string) => parse(text, { bom: true, record_delimiter: "\r\n" }) as string[][];

function exportEvents() {
  return getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "export"), eq(auditLog.entity, "audit_log")))
    .all();
}

beforeAll(async () => {
  admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
  addRow({ at: "2026-03-09T15:59:59.000Z", actorLogin: "zhang_wei.test", entityId: "1", ip: "10.0.0.1", details: { field: "status" } });
  addRow({ at: "2026-03-09T16:00:00.000Z", actorLogin: "li.na.test", action: "create", entityId: "2" });
  addRow({ at: "2026-03-10T16:00:00.000Z", actorLogin: "=cmd|' /C calc'!A0", entityId: "+SUM(1,2)", details: { note: "@evil" } });
});

describe("audit log export: access", () => {
  it("answers 401 to an anonymous visitor and records nothing", async () => {
    const before = exportEvents().length;
    const res = await respond(() => action({ request: makeRequest("/admin/audit/export", { method: "POST", form: {} }), params: {}, context: { cspNonce: "" } }));
    expect(res.status).toBe(401);
    expect(exportEvents()).toHaveLength(before);
  });

  it("answers 403 to a coordinator and records nothing", async () => {
    const district = makeDistrict();
    const { cookie } = await makeSignedInUser([{ role: "coordinator", districtId: district.id }]);
    const before = exportEvents().length;
    const res = await exportCsv({}, { cookie });
    expect(res.status).toBe(403);
    expect(res.text).not.toContain("export_case");
    expect(exportEvents()).toHaveLength(before);
  });

  it("answers a GET with 405 and writes nothing (the export is a recorded POST)", async () => {
    const before = exportEvents().length;
    const res = await respond(() => loader({ request: makeRequest("/admin/audit/export", { cookie: admin.cookie }), params: {}, context: { cspNonce: "" } }));
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("POST");
    expect(exportEvents()).toHaveLength(before);
  });

  it("answers 401 to an anonymous GET", async () => {
    const res = await respond(() => loader({ request: makeRequest("/admin/audit/export"), params: {}, context: { cspNonce: "" } }));
    expect(res.status).toBe(401);
  });
});

describe("audit log export: the file", () => {
  it("is a UTF-8 CSV download with a byte order mark", async () => {
    const res = await exportCsv({ entity: "export_case" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"/);
    expect([...res.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.text).toContain("\r\n");
  });

  it("names the columns in English for an English browser", async () => {
    const res = await exportCsv({ entity: "export_case" }, { headers: { "Accept-Language": "en-GB,en;q=0.9" } });
    expect(records(res.text)[0]).toEqual([
      "No.", "Time (Asia/Shanghai)", "Time (UTC)", "Person", "Action", "Record type", "Record ID", "IP address", "Details",
    ]);
  });

  it("names the columns in Chinese for a Chinese browser, with a Chinese file name", async () => {
    const res = await exportCsv({ entity: "export_case" }, { headers: { "Accept-Language": "zh-CN,zh;q=0.9" } });
    expect(records(res.text)[0]).toEqual([
      "序号", "时间（Asia/Shanghai）", "时间（UTC）", "操作人", "操作", "记录类型", "记录编号", "IP 地址", "详情",
    ]);
    expect(res.headers.get("Content-Disposition")).toMatch(/filename\*=UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97-/);
  });

  it("follows the language cookie over the browser's language", async () => {
    const res = await exportCsv({ entity: "export_case" }, { cookie: `${admin.cookie}; tb_lang=zh-CN`, headers: { "Accept-Language": "en" } });
    expect(records(res.text)[0]![0]).toBe("序号");
    const en = await exportCsv({ entity: "export_case" }, { cookie: `${admin.cookie}; tb_lang=en`, headers: { "Accept-Language": "zh-CN" } });
    expect(records(en.text)[0]![0]).toBe("No.");
  });

  it("holds the rows the filters select, newest first, with local and UTC times", async () => {
    const rows = records((await exportCsv({ entity: "export_case", action: "update" })).text).slice(1);
    expect(rows.map((r) => r[6])).toEqual(["'+SUM(1,2)", "1"]);
    const first = rows[1]!;
    expect(first[1]).toBe("2026-03-09 23:59:59"); // Shanghai
    expect(first[2]).toBe("2026-03-09T15:59:59.000Z");
    expect(first[3]).toBe("zhang_wei.test");
    expect(first[7]).toBe("10.0.0.1");
    expect(first[8]).toBe('{"field":"status"}');
  });

  it("applies person and local date filters as the viewer does", async () => {
    const byPerson = records((await exportCsv({ entity: "export_case", person: "li.na" })).text).slice(1);
    expect(byPerson.map((r) => r[6])).toEqual(["2"]);
    const byDay = records((await exportCsv({ entity: "export_case", from: "2026-03-10", to: "2026-03-10" })).text).slice(1);
    expect(byDay.map((r) => r[6])).toEqual(["2"]);
  });

  it("escapes a login or record id that a spreadsheet would run as a formula", async () => {
    const rows = records((await exportCsv({ entity: "export_case" })).text).slice(1);
    const evil = rows.find((r) => r[6] === "'+SUM(1,2)");
    expect(evil).toBeDefined();
    expect(evil![3]).toBe("'=cmd|' /C calc'!A0");
    expect(evil![8]).toBe('{"note":"@evil"}');
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("streams every row of a large export exactly once, across batches of equal timestamps", async () => {
    const db = getDb();
    const values = Array.from({ length: 2345 }, (_, i) => ({
      at: "2026-04-01T00:00:00.000Z",
      action: "bulk",
      entity: "export_bulk",
      entityId: String(i),
    }));
    for (let i = 0; i < values.length; i += 500) db.insert(auditLog).values(values.slice(i, i + 500)).run();
    const rows = records((await exportCsv({ entity: "export_bulk" })).text).slice(1);
    expect(rows).toHaveLength(2345);
    expect(new Set(rows.map((r) => r[6])).size).toBe(2345);
    const idsDesc = rows.map((r) => Number(r[0]));
    expect(idsDesc).toEqual([...idsDesc].sort((a, b) => b - a));
  });
});

describe("audit log export: accountability", () => {
  it("records its own audit row with who exported, from where, and the filters", async () => {
    const before = exportEvents().length;
    const res = await exportCsv({ entity: "export_case", person: "zhang", from: "2026-03-01", to: "2026-03-31" });
    expect(res.status).toBe(200);
    const events = exportEvents();
    expect(events).toHaveLength(before + 1);
    const event = events[events.length - 1]!;
    expect(event.actorUserId).toBe(admin.id);
    expect(event.actorLogin).toBe(admin.login);
    expect(event.ip).toBe("127.0.0.1");
    expect(event.details).toEqual({
      filters: { entity: "export_case", person: "zhang", from: "2026-03-01", to: "2026-03-31" },
      rows: 1,
      format: "csv",
    });
  });

  it("exports the log as it stood when asked: its own record and later rows are not in the file", async () => {
    const res = await exportCsv({ entity: "audit_log", action: "export" });
    const own = exportEvents().at(-1)!;
    const ids = records(res.text).slice(1).map((r) => Number(r[0]));
    expect(ids).not.toContain(own.id);
    expect(ids.every((id) => id < own.id)).toBe(true);
    expect(ids.length).toBe(own.details!.rows);
  });

  it("refuses hand-made bad filters with a localised 400 and records nothing", async () => {
    const before = exportEvents().length;
    const bad: Record<string, string>[] = [{ from: "2026-13-01" }, { person: "x".repeat(65) }, { entity: "no_such_thing" }, { from: "2026-03-10", to: "2026-03-01" }];
    for (const form of bad) {
      const res = await exportCsv(form, { headers: { "Accept-Language": "en" } });
      expect(res.status, JSON.stringify(form)).toBe(400);
      expect(res.text).toContain("The export was not made");
      expect(res.headers.get("Content-Type")).toContain("text/plain");
    }
    const zh = await exportCsv({ from: "nope" }, { headers: { "Accept-Language": "zh-CN" } });
    expect(zh.text).toContain("未能导出");
    expect(exportEvents()).toHaveLength(before);
  });

  it("ignores form fields that are not filters", async () => {
    const res = await exportCsv({ entity: "export_case", upToId: "1", page: "3", nonsense: "=1" });
    expect(res.status).toBe(200);
    expect(records(res.text).length).toBe(4);
    expect(exportEvents().at(-1)!.details).toMatchObject({ filters: { entity: "export_case" } });
  });
});
