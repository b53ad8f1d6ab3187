/**
 * The report pages, their CSV exports and the report command, through their loaders and the
 * command's run function: the same numbers everywhere, scope and 403s, bad input answered 400 with
 * the form kept (never a 500), CSV with BOM, escaping and headers in the reader's language, and the
 * list exports (clients, falling behind): audited, without identity fields.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { getDb } from "~/db.server";
import { auditLog, clientIdentities } from "#db/schema";
import { reportCommand } from "../../../cli/report";
import * as reportsIndex from "~/routes/reports._index";
import * as reportPage from "~/routes/reports.$name";
import * as reportCsv from "~/routes/reports.$name.csv";
import * as clientsExport from "~/routes/clients.export";
import * as overdueExport from "~/routes/caseloads.overdue.export";
import { makeClient, makePeerTutor } from "../../clients-factories";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";
import { buildReportData, D } from "./report-data";

type Data = Awaited<ReturnType<typeof buildReportData>>;
let data: Data;

beforeAll(async () => {
  data = await buildReportData();
});

type PageBody = {
  report: { rows: { key: string; values: Record<string, unknown> }[]; totals: Record<string, unknown> } | null;
  errors?: Record<string, string> | null;
  values: Record<string, string>;
  districts: { id: number }[];
};

async function page(name: string, search: string, cookie: string) {
  const request = makeRequest(`/reports/${name}${search}`, { cookie });
  return respond(() => reportPage.loader({ request, params: { name }, context: {} } as never));
}

async function csv(name: string, search: string, cookie: string, lang: "en" | "zh-CN" = "en") {
  const request = makeRequest(`/reports/${name}/csv${search}`, { cookie, headers: { "Accept-Language": lang } });
  const res = await respond(() => reportCsv.loader({ request, params: { name }, context: {} } as never));
  const text = res.body instanceof Response ? utf8(await res.body.arrayBuffer()) : "";
  return { status: res.status, text };
}

/** Bytes as text, keeping a BOM (TextDecoder drops it by default). */
function utf8(bytes: ArrayBuffer): string {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

/** Runs the report command as the CLI would, capturing what it writes. */
async function cli(args: { name: string; values: Record<string, string> }): Promise<string> {
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
    return true;
  });
  try {
    await reportCommand.run({ positionals: [args.name], values: args.values, db: () => getDb(), databaseUrl: "test" });
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe("report pages", () => {
  it("lists the reports a coordinator may run, and only the own-work ones for a peer tutor (no studio utilisation, no cohorts)", async () => {
    const list = await respond(() => reportsIndex.loader({ request: makeRequest("/reports", { cookie: data.coordinator.cookie }), params: {}, context: {} } as never));
    expect((list.body as { reports: string[] }).reports).toHaveLength(9);
    const tutorList = await respond(() => reportsIndex.loader({ request: makeRequest("/reports", { cookie: data.t1.cookie }), params: {}, context: {} } as never));
    expect((tutorList.body as { reports: string[] }).reports).toEqual(["clients-served", "abstinence", "relapse", "retention", "contact-cadence", "sessions", "volunteer-hours"]);
  });

  it("shows a coordinator the figures of their own district only", async () => {
    const res = await page("abstinence", `?asOf=${D}`, data.coordinator.cookie);
    expect(res.status).toBe(200);
    const body = res.body as PageBody;
    expect(body.districts.map((d) => d.id)).toEqual([data.A.id]);
    expect(body.report!.rows.map((r) => r.key)).toEqual([String(data.A.id)]);
    expect(body.report!.totals).toEqual({ served: 5, recognised: 1, eligible: 1, rate: "20.00" });
  });

  it("answers 403 to a trainer asking for a client report and to a peer tutor asking for studio utilisation; 404 for an unknown report", async () => {
    const trainer = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    expect((await page("abstinence", "", trainer.cookie)).status).toBe(403);
    expect((await csv("abstinence", "", trainer.cookie)).status).toBe(403);
    expect((await page("studio-utilisation", "", data.t1.cookie)).status).toBe(403);
    expect((await page("no-such-report", "", data.admin.cookie)).status).toBe(404);
  });

  it.each([
    ["a date that is not a date", "?asOf=2026-02-30", "asOf", "form.invalidDate"],
    ["words for a date", "?asOf=yesterday", "asOf", "form.invalidDate"],
    ["a period that ends before it starts", "?asOf=2026-03-01&from=2026-02-10&to=2026-02-01", "to", "reports.error.periodReversed"],
    ["a district that is not the coordinator's", "?district=__B__", "district", "reports.error.unknownDistrict"],
    ["an unknown district id", "?district=999999", "district", "reports.error.unknownDistrict"],
    ["a district that is not a number", "?district=1%3B%20drop", "district", "reports.error.unknownDistrict"],
    ["a year that is not a year", "?intakeYear=20x6", "intakeYear", "reports.error.badYear?min=1950&max=2100"],
    ["an unknown grouping", "?by=postcode", "by", "form.unknownChoice"],
    ["a period of more than ten years", "?from=2000-01-01&to=2026-01-01", "to", "reports.error.periodTooLong?years=10"],
  ])("answers %s with 400, the message under the field and the input kept", async (_what, search, field, key) => {
    const s = search.replace("__B__", String(data.B.id));
    const res = await page("contact-cadence", s, data.coordinator.cookie);
    expect(res.status).toBe(400);
    const body = res.body as PageBody;
    expect(body.report).toBeNull();
    expect(body.errors).toMatchObject({ [field]: key });
    const typed = new URLSearchParams(s).get(field)!;
    expect(body.values[field]).toBe(typed.replace(/[\u0000-\u001f]/g, "").trim().slice(0, 40));
    const file = await csv("contact-cadence", s, data.coordinator.cookie, "zh-CN");
    expect(file.status).toBe(400);
    expect(file.text).toMatch(/^报告筛选条件无效：/);
  });
});

describe("the CSV export of a report", () => {
  it("is UTF-8 with a BOM, column names in Chinese for a Chinese reader, the totals last, and parses with Chinese intact", async () => {
    const file = await csv("abstinence", `?asOf=${D}`, data.admin.cookie, "zh-CN");
    expect(file.status).toBe(200);
    expect(file.text.charCodeAt(0)).toBe(0xfeff);
    const rows = parse(file.text, { bom: true }) as string[][];
    expect(rows[0]).toEqual(["区", "服务对象人数", "认定三年及以上戒断", "三年及以上戒断率（%）", "符合认定条件"]);
    expect(rows).toContainEqual(["测试甲区（虚构）", "5", "1", "20.00", "1"]);
    expect(rows[rows.length - 1]).toEqual(["合计", "7", "2", "28.57", "2"]);
  });

  it("escapes a cell that would run as a formula", async () => {
    const evil = makeDistrict({ code: `evil-${Date.now()}`, nameZh: "=HYPERLINK(\"http://x\")（测试）", nameEn: "=HYPERLINK(\"http://x\") (test)" });
    await makeClient({ districtId: evil.id, intakeDate: "2020-01-01", alias: "测试公式（化名）" });
    const file = await csv("clients-served", `?asOf=${D}&district=${evil.id}`, data.admin.cookie, "en");
    const rows = parse(file.text, { bom: true }) as string[][];
    expect(rows[1]![0]).toBe("'=HYPERLINK(\"http://x\") (test)");
  });

  it("gives the same numbers as the page and the report command (CSV byte for byte, JSON rows and totals)", async () => {
    const search = `?asOf=${D}&from=2026-02-01&to=2026-02-28`;
    for (const name of ["abstinence", "contact-cadence", "sessions", "studio-utilisation", "peer-tutors", "volunteer-hours", "retention", "relapse", "clients-served"]) {
      const web = await page(name, search, data.admin.cookie);
      const json = JSON.parse(await cli({ name, values: { "as-of": D, from: "2026-02-01", to: "2026-02-28", format: "json" } }));
      const shown = (web.body as PageBody).report!;
      expect(json.rows, name).toEqual(shown.rows);
      expect(json.totals, name).toEqual(shown.totals);
      const file = await csv(name, search, data.admin.cookie, "en");
      const fromCli = await cli({ name, values: { "as-of": D, from: "2026-02-01", to: "2026-02-28", format: "csv", lang: "en" } });
      expect(fromCli, name).toBe(file.text);
    }
    // a district by name on the command line is the page's district filter
    const byName = JSON.parse(await cli({ name: "abstinence", values: { "as-of": D, district: "Test District A (fictional)", format: "json" } }));
    expect(byName.totals).toEqual({ served: 5, recognised: 1, eligible: 1, rate: "20.00" });
  });

  it("the command refuses an unknown report, an unknown district and a bad date with one line", async () => {
    await expect(cli({ name: "nonsense", values: {} })).rejects.toThrow(/^unknown report "nonsense"/);
    await expect(cli({ name: "abstinence", values: { district: "atlantis" } })).rejects.toThrow('unknown district "atlantis"');
    await expect(cli({ name: "abstinence", values: { "as-of": "2026-13-01" } })).rejects.toThrow("--as-of: Enter a date as YYYY-MM-DD.");
    await expect(cli({ name: "sessions", values: { from: "2026-03-01", to: "2026-02-01" } })).rejects.toThrow("--to: The period ends before it starts.");
    await expect(cli({ name: "abstinence", values: { format: "xml" } })).rejects.toThrow('unknown format "xml"');
  });
});

describe("list exports", () => {
  it("the clients list exports the coordinator's clients with Chinese headers, never identity fields, and the export is audited", async () => {
    const db = getDb();
    db.insert(clientIdentities).values({ clientId: data.c2.id, realName: "真名测试（虚构）", idNumber: "310000000000000000", phone: "13800000000", address: "虚构路99号" }).run();
    const request = makeRequest("/clients/export", { cookie: data.coordinator.cookie, form: { sort: "alias" }, headers: { "Accept-Language": "zh-CN" } });
    const res = await respond(() => clientsExport.action({ request, params: {}, context: {} } as never));
    expect(res.status).toBe(200);
    const text = utf8(await (res.body as Response).arrayBuffer());
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parse(text, { bom: true }) as string[][];
    expect(rows[0]!.slice(0, 3)).toEqual(["化名", "案号", "区"]);
    const aliases = rows.slice(1).map((r) => r[0]);
    expect(aliases).toContain("测试对象二（化名）");
    expect(aliases).not.toContain("Test Client Seven (fictional)");
    expect(text).not.toContain("真名测试");
    expect(text).not.toContain("13800000000");
    const audit = db.select().from(auditLog).where(and(eq(auditLog.entity, "client_list"), eq(auditLog.actorUserId, data.coordinator.id))).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ rows: 6, format: "csv" });
  });

  it("the falling-behind list exports each worker's caseload and overdue count, audited; a GET only says to use the button", async () => {
    const request = makeRequest("/caseloads/overdue/export", { cookie: data.coordinator.cookie, form: { district: String(data.A.id) }, headers: { "Accept-Language": "en" } });
    const res = await respond(() => overdueExport.action({ request, params: {}, context: {} } as never));
    const rows = parse(utf8(await (res.body as Response).arrayBuffer()), { bom: true }) as string[][];
    expect(rows[0]).toEqual(["District", "Worker", "Role", "Caseload", "Overdue"]);
    // the list is as of today: the social worker's c2 and c3, last contacted in February 2026, are both overdue
    expect(rows.find((r) => r[2] === "Social worker")?.slice(3)).toEqual(["2", "2"]);
    expect(getDb().select().from(auditLog).where(eq(auditLog.entity, "overdue_list")).all()).toHaveLength(1);
    const get = await respond(() => overdueExport.loader({ request: makeRequest("/caseloads/overdue/export", { cookie: data.coordinator.cookie }), params: {}, context: {} } as never));
    expect(get.status).toBe(405);
  });

  it("a peer tutor may not export the falling-behind list", async () => {
    const tutor = await makePeerTutor(data.A.id);
    const request = makeRequest("/caseloads/overdue/export", { cookie: tutor.cookie, form: {} });
    expect((await respond(() => overdueExport.action({ request, params: {}, context: {} } as never))).status).toBe(403);
  });
});
