/**
 * CSV exports of the coordinator's casework lists: the reassignment queue (/caseloads/reassign/export)
 * and plans waiting for approval (/plans/pending/export). Each is a POST recorded in the audit log,
 * holds exactly the list's rows with the list's filters, starts with a BOM, has headers in the
 * reader's language, escapes formula-like cells, never holds identity fields, and is scoped like the list.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { getDb } from "~/db.server";
import { auditLog, clientIdentities, servicePlans } from "#db/schema";
import * as reassignPage from "~/routes/caseloads.reassign";
import * as reassignExport from "~/routes/caseloads.reassign.export";
import * as pendingPage from "~/routes/plans.pending";
import * as pendingExport from "~/routes/plans.pending.export";
import { makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";

type Coordinator = Awaited<ReturnType<typeof makeCoordinator>>;
let coordinatorA: Coordinator;
let coordinatorB: Coordinator;
let coordinatorAC: Coordinator;
let districtA: number;
let districtC: number;
const UNASSIGNED_ALIAS = "=1+1 测试对象（化名）";
const PLAN_ALIAS = "@测试计划对象（化名）";

beforeAll(async () => {
  const db = getDb();
  districtA = makeDistrict({ nameZh: "测试甲区", nameEn: "Test District A" }).id;
  const B = makeDistrict({ nameZh: "测试乙区", nameEn: "Test District B" }).id;
  districtC = makeDistrict({ nameZh: "测试丙区", nameEn: "Test District C" }).id;
  coordinatorA = await makeCoordinator([districtA]);
  coordinatorB = await makeCoordinator([B]);
  coordinatorAC = await makeCoordinator([districtA, districtC]);
  const worker = await makeSocialWorker(districtA);
  const workerC = await makeSocialWorker(districtC);
  const unassigned = await makeClient({ districtId: districtA, alias: UNASSIGNED_ALIAS });
  db.insert(clientIdentities).values({ clientId: unassigned.id, realName: "真名测试（虚构）", idNumber: "310000000000000002", phone: "13700000000", address: "虚构路2号" }).run();
  await makeClient({ districtId: B, alias: "Test Client B Unassigned (fictional)" });
  const tutor = await makePeerTutor(districtA);
  await makeClient({ districtId: districtA, alias: "测试对象有社工（化名）", socialWorkerPersonId: worker.personId, peerTutorPersonId: tutor.personId });
  const planClient = await makeClient({ districtId: districtA, alias: PLAN_ALIAS, socialWorkerPersonId: worker.personId });
  const planClientC = await makeClient({ districtId: districtC, alias: "测试丙区计划对象（化名）", socialWorkerPersonId: workerC.personId });
  const plan = (clientId: number, authorUserId: number, submittedAt: string) =>
    db.insert(servicePlans).values({ clientId, authorUserId, status: "submitted", submittedAt, reviewDue: "2027-01-31" }).run();
  plan(planClient.id, worker.id, "2026-11-01T01:00:00.000Z");
  plan(planClientC.id, workerC.id, "2026-11-02T01:00:00.000Z");
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
  return { status: res.status, text, rows: text ? (parse(text, { bom: true }) as string[][]) : [] };
}

function exportAudits(entity: string, userId: number) {
  return getDb().select().from(auditLog).where(and(eq(auditLog.entity, entity), eq(auditLog.actorUserId, userId), eq(auditLog.action, "export"))).all();
}

const escaped = (cell: string) => (/^[=+\-@]/.test(cell) ? `'${cell}` : cell);

describe("the reassignment queue export", () => {
  it("holds the list's rows in its order, with a BOM, Chinese headers and an escaped formula-like alias, and no identity fields", async () => {
    const page = await respond(() => reassignPage.loader({ request: makeRequest("/caseloads/reassign", { cookie: coordinatorA.cookie }), params: {}, context: {} } as never));
    const listed = (page.body as { rows: { caseNumber: string; kind: string }[] }).rows.map((r) => r.caseNumber);
    const { status, text, rows } = await exportCsv(reassignExport, "/caseloads/reassign/export", coordinatorA.cookie, "zh-CN");
    expect(status).toBe(200);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(rows[0]).toEqual(["化名", "案号", "区", "角色", "工作人员", "原因"]);
    expect(rows.slice(1).map((r) => r[1])).toEqual(listed);
    expect(rows.map((r) => r[0])).toContain(`'${UNASSIGNED_ALIAS}`);
    expect(text).not.toContain("真名测试");
    expect(text).not.toContain("13700000000");
    expect(text).not.toContain("Test Client B");
  });

  it("is recorded in the audit log with the number of rows", async () => {
    const { rows } = await exportCsv(reassignExport, "/caseloads/reassign/export", coordinatorA.cookie);
    const audits = exportAudits("reassign_list", coordinatorA.id);
    expect(audits.at(-1)!.details).toMatchObject({ rows: rows.length - 1, format: "csv" });
  });

  it("gives a coordinator of another district only their own district's rows", async () => {
    const { rows } = await exportCsv(reassignExport, "/caseloads/reassign/export", coordinatorB.cookie);
    expect(rows.slice(1).map((r) => r[0])).toEqual(["Test Client B Unassigned (fictional)"]);
  });

  it("is refused (403) to a peer tutor, who may not assign caseloads", async () => {
    const tutor = await makePeerTutor(districtA);
    expect((await exportCsv(reassignExport, "/caseloads/reassign/export", tutor.cookie)).status).toBe(403);
  });

  it("answers a GET with 405 and records nothing", async () => {
    const before = exportAudits("reassign_list", coordinatorA.id).length;
    const res = await respond(() => reassignExport.loader({ request: makeRequest("/caseloads/reassign/export", { cookie: coordinatorA.cookie }), params: {}, context: {} } as never));
    expect(res.status).toBe(405);
    expect(exportAudits("reassign_list", coordinatorA.id)).toHaveLength(before);
  });
});

describe("the plans awaiting approval export", () => {
  it("holds the list's rows for the list's district filter, with a BOM, Chinese headers and an escaped alias", async () => {
    const search = `?district=${districtA}`;
    const page = await respond(() => pendingPage.loader({ request: makeRequest(`/plans/pending${search}`, { cookie: coordinatorAC.cookie }), params: {}, context: {} } as never));
    const listed = (page.body as { rows: { alias: string }[] }).rows.map((r) => escaped(r.alias));
    expect(listed).toEqual([`'${PLAN_ALIAS}`]);
    const { status, text, rows } = await exportCsv(pendingExport, "/plans/pending/export", coordinatorAC.cookie, "zh-CN", { district: String(districtA) });
    expect(status).toBe(200);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(rows[0]).toEqual(["化名", "案号", "区", "禁毒社工", "提交时间", "下次评估日期", "目标数"]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(listed);
    expect(rows[1]!.slice(4)).toEqual(["2026-11-01 09:00:00", "2027-01-31", "0"]);
  });

  it("without a filter holds every district the coordinator approves for, oldest submission first", async () => {
    const { rows } = await exportCsv(pendingExport, "/plans/pending/export", coordinatorAC.cookie);
    expect(rows[0]![0]).toBe("Alias");
    expect(rows.slice(1).map((r) => r[0])).toEqual([`'${PLAN_ALIAS}`, "测试丙区计划对象（化名）"]);
  });

  it("ignores a district that is not the coordinator's, as the list does, and shows none of another district's plans", async () => {
    const { status, rows } = await exportCsv(pendingExport, "/plans/pending/export", coordinatorB.cookie, "en", { district: String(districtA) });
    expect(status).toBe(200);
    expect(rows).toHaveLength(1);
  });

  it("is recorded in the audit log with the filter and the number of rows", async () => {
    await exportCsv(pendingExport, "/plans/pending/export", coordinatorA.cookie, "en", { district: String(districtA) });
    const audits = exportAudits("pending_plan_list", coordinatorA.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toMatchObject({ rows: 1, format: "csv", filters: { district: String(districtA) } });
  });

  it("is refused (403) to a trainer", async () => {
    const trainer = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    expect((await exportCsv(pendingExport, "/plans/pending/export", trainer.cookie)).status).toBe(403);
  });
});
