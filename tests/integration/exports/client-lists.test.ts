/**
 * CSV exports of the client-data lists a coordinator works from: the tasks list (/tasks/export)
 * and crisis and risk (/crisis/export). Each is a POST recorded in the audit log, holds exactly the
 * list's rows (the list's own query), starts with a BOM, has headers in the reader's language,
 * escapes formula-like cells, never holds identity fields, and is scoped like the list.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { getDb } from "~/db.server";
import { auditLog, clientFlags, clientIdentities } from "#db/schema";
import * as tasksPage from "~/routes/tasks";
import * as tasksExport from "~/routes/tasks.export";
import * as crisisPage from "~/routes/crisis";
import * as crisisExport from "~/routes/crisis.export";
import { makeClient, makeCoordinator, makeSocialWorker } from "../../clients-factories";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";

type Coordinator = Awaited<ReturnType<typeof makeCoordinator>>;
let coordinatorA: Coordinator;
let coordinatorB: Coordinator;
const FORMULA_ALIAS = "=HYPERLINK(\"http://example.test\")（化名）";
const FORMULA_REASON = "+1 测试危机原因（虚构）";

beforeAll(async () => {
  const db = getDb();
  const A = makeDistrict({ nameZh: "测试甲区", nameEn: "Test District A" });
  const B = makeDistrict({ nameZh: "测试乙区", nameEn: "Test District B" });
  coordinatorA = await makeCoordinator([A.id]);
  coordinatorB = await makeCoordinator([B.id]);
  const worker = await makeSocialWorker(A.id);
  const formula = await makeClient({ districtId: A.id, alias: FORMULA_ALIAS, socialWorkerPersonId: worker.personId, intakeDate: "2025-02-01" });
  const plain = await makeClient({ districtId: A.id, alias: "测试对象甲（化名）", socialWorkerPersonId: worker.personId, intakeDate: "2025-01-15" });
  const other = await makeClient({ districtId: B.id, alias: "Test Client Other District (fictional)", intakeDate: "2025-01-20" });
  db.insert(clientIdentities).values({ clientId: plain.id, realName: "真名测试（虚构）", idNumber: "310000000000000001", phone: "13900000000", address: "虚构路1号" }).run();
  const flag = (clientId: number, kind: "crisis" | "risk", reason: string, raisedAt: string) =>
    db.insert(clientFlags).values({ clientId, kind, reason, raisedByUserId: worker.id, raisedAt }).run();
  flag(formula.id, "crisis", FORMULA_REASON, "2026-10-01T02:00:00.000Z");
  flag(plain.id, "risk", "测试风险原因（虚构）", "2026-10-02T02:00:00.000Z");
  flag(other.id, "crisis", "Other district reason (fictional)", "2026-10-03T02:00:00.000Z");
});

/** Bytes as text, keeping a BOM (TextDecoder drops it by default). */
function utf8(bytes: ArrayBuffer): string {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

type ExportModule = { action: (args: never) => Promise<Response> | Response; loader: (args: never) => Promise<Response> | Response };

async function exportCsv(module: ExportModule, path: string, cookie: string, lang: "en" | "zh-CN" = "en") {
  const request = makeRequest(path, { method: "POST", form: {}, cookie, headers: { "Accept-Language": lang } });
  const res = await respond(() => module.action({ request, params: {}, context: {} } as never));
  const text = res.body instanceof Response ? utf8(await res.body.arrayBuffer()) : "";
  return { status: res.status, text, rows: text ? (parse(text, { bom: true }) as string[][]) : [] };
}

function exportAudits(entity: string, userId: number) {
  return getDb().select().from(auditLog).where(and(eq(auditLog.entity, entity), eq(auditLog.actorUserId, userId), eq(auditLog.action, "export"))).all();
}

describe("the tasks list export", () => {
  it("holds the same clients as the list, in its order, with a BOM, Chinese headers and an escaped formula-like alias", async () => {
    const page = await respond(() => tasksPage.loader({ request: makeRequest("/tasks", { cookie: coordinatorA.cookie }), params: {}, context: {} } as never));
    const listed = (page.body as { items: { alias: string }[] }).items.map((i) => i.alias);
    const { status, text, rows } = await exportCsv(tasksExport, "/tasks/export", coordinatorA.cookie, "zh-CN");
    expect(status).toBe(200);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(rows[0]).toEqual(["化名", "事项", "到期日", "逾期天数", "上次评估", "危机干预中"]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(listed.map((a) => (a.startsWith("=") ? `'${a}` : a)));
    expect(listed).toContain(FORMULA_ALIAS);
    expect(text).toContain(`'${FORMULA_ALIAS.replace(/"/g, '""')}`);
    expect(rows.find((r) => r[0] === `'${FORMULA_ALIAS}`)?.[5]).toBe("是");
    expect(text).not.toContain("真名测试");
    expect(text).not.toContain("13900000000");
  });

  it("is recorded in the audit log with the number of rows", async () => {
    const before = exportAudits("task_list", coordinatorA.id).length;
    const { rows } = await exportCsv(tasksExport, "/tasks/export", coordinatorA.cookie);
    const audits = exportAudits("task_list", coordinatorA.id);
    expect(audits).toHaveLength(before + 1);
    expect(audits.at(-1)!.details).toMatchObject({ rows: rows.length - 1, format: "csv" });
  });

  it("gives a coordinator of another district none of district A's clients", async () => {
    const { status, text } = await exportCsv(tasksExport, "/tasks/export", coordinatorB.cookie);
    expect(status).toBe(200);
    expect(text).not.toContain("测试对象甲");
    expect(text).not.toContain("HYPERLINK");
    expect(text).toContain("Test Client Other District (fictional)");
  });

  it("is refused (403) to a trainer, who has no tasks list", async () => {
    const trainer = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    expect((await exportCsv(tasksExport, "/tasks/export", trainer.cookie)).status).toBe(403);
  });

  it("answers a GET with 405 and writes nothing", async () => {
    const before = getDb().select().from(auditLog).all().length;
    const res = await respond(() => tasksExport.loader({ request: makeRequest("/tasks/export", { cookie: coordinatorA.cookie }), params: {}, context: {} } as never));
    expect(res.status).toBe(405);
    expect(getDb().select().from(auditLog).all()).toHaveLength(before);
  });
});

describe("the crisis and risk export", () => {
  it("holds the same clients as the list, in its order, with a BOM, Chinese headers and escaped formula-like cells", async () => {
    const page = await respond(() => crisisPage.loader({ request: makeRequest("/crisis", { cookie: coordinatorA.cookie }), params: {}, context: {} } as never));
    const listed = (page.body as { rows: { alias: string; caseNumber: string }[] }).rows.map((r) => r.caseNumber);
    const { status, text, rows } = await exportCsv(crisisExport, "/crisis/export", coordinatorA.cookie, "zh-CN");
    expect(status).toBe(200);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(rows[0]).toEqual(["化名", "案号", "状态", "未解除危机标记", "未解除风险标记", "最新标记", "最新标记原因", "添加时间"]);
    expect(rows.slice(1).map((r) => r[1])).toEqual(listed);
    expect(listed).toHaveLength(2);
    const formulaRow = rows.find((r) => r[0] === `'${FORMULA_ALIAS}`)!;
    expect(formulaRow.slice(3)).toEqual(["1", "0", "危机", `'${FORMULA_REASON}`, "2026-10-01 10:00:00"]);
    expect(text).not.toContain("真名测试");
    expect(text).not.toContain("310000000000000001");
  });

  it("is recorded in the audit log with the number of rows", async () => {
    await exportCsv(crisisExport, "/crisis/export", coordinatorA.cookie);
    const audits = exportAudits("crisis_list", coordinatorA.id);
    expect(audits.length).toBeGreaterThanOrEqual(1);
    expect(audits.at(-1)!.details).toMatchObject({ rows: 2, format: "csv" });
  });

  it("gives a coordinator of another district only their own district's flagged clients", async () => {
    const { rows } = await exportCsv(crisisExport, "/crisis/export", coordinatorB.cookie, "en");
    expect(rows[0]![0]).toBe("Alias");
    expect(rows.slice(1).map((r) => r[0])).toEqual(["Test Client Other District (fictional)"]);
  });

  it("is refused (403) to a trainer, who has no crisis list", async () => {
    const trainer = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    expect((await exportCsv(crisisExport, "/crisis/export", trainer.cookie)).status).toBe(403);
  });
});
