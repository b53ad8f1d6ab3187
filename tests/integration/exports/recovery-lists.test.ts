/**
 * CSV exports of the recovery worklists: three-year recognition (/recognition/export) and upcoming
 * milestones (/milestones/export). Each is a POST recorded in the audit log, holds exactly the
 * list's rows with the list's district filter, starts with a BOM, has headers in the reader's
 * language, escapes formula-like cells, never holds identity fields, and is scoped and guarded like the list.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { getDb } from "~/db.server";
import { auditLog, clientIdentities } from "#db/schema";
import { addDays, programToday } from "~/domain/clients";
import * as recognitionPage from "~/routes/recognition";
import * as recognitionExport from "~/routes/recognition.export";
import * as milestonesPage from "~/routes/milestones";
import * as milestonesExport from "~/routes/milestones.export";
import { makeClient, makeCoordinator, makePeerTutor } from "../../clients-factories";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";

type Coordinator = Awaited<ReturnType<typeof makeCoordinator>>;
let coordinatorA: Coordinator;
let coordinatorB: Coordinator;
let districtA: number;
let today: string;
const RECOGNITION_ALIAS = "-2 测试认定对象（化名）";
const MILESTONE_ALIAS = "+3 测试里程碑对象（化名）";

beforeAll(async () => {
  const db = getDb();
  today = programToday(db);
  districtA = makeDistrict({ nameZh: "测试甲区", nameEn: "Test District A" }).id;
  const B = makeDistrict({ nameZh: "测试乙区", nameEn: "Test District B" }).id;
  coordinatorA = await makeCoordinator([districtA]);
  coordinatorB = await makeCoordinator([B]);
  const eligible = await makeClient({ districtId: districtA, alias: RECOGNITION_ALIAS, intakeDate: "2021-03-01" });
  db.insert(clientIdentities).values({ clientId: eligible.id, realName: "真名测试（虚构）", idNumber: "310000000000000003", phone: "13600000000", address: "虚构路3号" }).run();
  await makeClient({ districtId: districtA, alias: "测试未满三年（化名）", intakeDate: addDays(today, -400) });
  await makeClient({ districtId: B, alias: "Test Client B Eligible (fictional)", intakeDate: "2021-04-01" });
  // 80 days abstinent today: the 90-day milestone falls in 10 days
  await makeClient({ districtId: districtA, alias: MILESTONE_ALIAS, intakeDate: addDays(today, -80) });
  await makeClient({ districtId: B, alias: "Test Client B Milestone (fictional)", intakeDate: addDays(today, -85) });
});

/** Bytes as text, keeping a BOM (TextDecoder drops it by default). */
function utf8(bytes: ArrayBuffer): string {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

type ExportModule = { action: (args: never) => unknown };

async function exportCsv(module: ExportModule, path: string, cookie: string, lang: "en" | "zh-CN" = "en", form: Record<string, string> = {}) {
  const request = makeRequest(path, { method: "POST", form, cookie, headers: { "Accept-Language": lang } });
  const res = await respond(() => module.action({ request, params: {}, context: {} } as never) as Promise<Response>);
  const text = res.body instanceof Response ? utf8(await res.body.arrayBuffer()) : "";
  return { status: res.status, text, rows: res.status === 200 && text ? (parse(text, { bom: true }) as string[][]) : [] };
}

function exportAudits(entity: string, userId: number) {
  return getDb().select().from(auditLog).where(and(eq(auditLog.entity, entity), eq(auditLog.actorUserId, userId), eq(auditLog.action, "export"))).all();
}

describe("the recognition worklist export", () => {
  it("holds the list's rows, with a BOM, Chinese headers, an escaped formula-like alias and no identity fields", async () => {
    const page = await respond(() => recognitionPage.loader({ request: makeRequest("/recognition", { cookie: coordinatorA.cookie }), params: {}, context: {} } as never));
    const listed = (page.body as { rows: { caseNumber: string }[] }).rows.map((r) => r.caseNumber);
    const { status, text, rows } = await exportCsv(recognitionExport, "/recognition/export", coordinatorA.cookie, "zh-CN");
    expect(status).toBe(200);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(rows[0]).toEqual(["化名", "案号", "区", "戒断起始日", "戒断天数", "符合条件日期"]);
    expect(rows.slice(1).map((r) => r[1])).toEqual(listed);
    expect(rows.slice(1).map((r) => r[0])).toEqual([`'${RECOGNITION_ALIAS}`]);
    expect(rows[1]![3]).toBe("2021-03-01");
    expect(text).not.toContain("真名测试");
    expect(text).not.toContain("13600000000");
  });

  it("is recorded in the audit log with the number of rows", async () => {
    await exportCsv(recognitionExport, "/recognition/export", coordinatorA.cookie, "en", { district: String(districtA) });
    const audits = exportAudits("recognition_list", coordinatorA.id);
    expect(audits.at(-1)!.details).toMatchObject({ rows: 1, format: "csv", filters: { district: String(districtA) } });
  });

  it("gives a coordinator of another district none of district A's clients, even when asking for district A", async () => {
    const { rows } = await exportCsv(recognitionExport, "/recognition/export", coordinatorB.cookie, "en", { district: String(districtA) });
    expect(rows.slice(1).map((r) => r[0])).toEqual(["Test Client B Eligible (fictional)"]);
  });

  it("is refused (403) to a peer tutor, who neither recognises nor oversees", async () => {
    const tutor = await makePeerTutor(districtA);
    expect((await exportCsv(recognitionExport, "/recognition/export", tutor.cookie)).status).toBe(403);
  });
});

describe("the upcoming milestones export", () => {
  it("holds the list's rows, with a BOM, Chinese headers and an escaped formula-like alias", async () => {
    const page = await respond(() => milestonesPage.loader({ request: makeRequest("/milestones", { cookie: coordinatorA.cookie }), params: {}, context: {} } as never));
    const listed = (page.body as { rows: { caseNumber: string }[] }).rows.map((r) => r.caseNumber);
    const { status, text, rows } = await exportCsv(milestonesExport, "/milestones/export", coordinatorA.cookie, "zh-CN");
    expect(status).toBe(200);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(rows[0]).toEqual(["化名", "案号", "里程碑", "日期", "距今天数", "戒断起始日", "区"]);
    expect(rows.slice(1).map((r) => r[1])).toEqual(listed);
    const row = rows.find((r) => r[0] === `'${MILESTONE_ALIAS}`)!;
    expect(row.slice(3, 6)).toEqual([addDays(today, 10), "10", addDays(today, -80)]);
    expect(text).not.toContain("Test Client B");
  });

  it("is recorded in the audit log with the number of rows", async () => {
    const { rows } = await exportCsv(milestonesExport, "/milestones/export", coordinatorA.cookie);
    expect(exportAudits("milestone_list", coordinatorA.id).at(-1)!.details).toMatchObject({ rows: rows.length - 1, format: "csv" });
  });

  it("asks a city-wide administrator to choose a district first (400, nothing recorded), as the list does", async () => {
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const without = await exportCsv(milestonesExport, "/milestones/export", admin.cookie);
    expect(without.status).toBe(400);
    expect(exportAudits("milestone_list", admin.id)).toHaveLength(0);
    const chosen = await exportCsv(milestonesExport, "/milestones/export", admin.cookie, "en", { district: String(districtA) });
    expect(chosen.rows.slice(1).map((r) => r[0])).toContain(`'${MILESTONE_ALIAS}`);
    expect(chosen.text).not.toContain("Test Client B");
  });

  it("is refused (403) to a trainer", async () => {
    const trainer = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    expect((await exportCsv(milestonesExport, "/milestones/export", trainer.cookie)).status).toBe(403);
  });
});
