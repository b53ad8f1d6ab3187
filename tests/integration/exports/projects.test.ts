/**
 * CSV export of the funded projects list (/projects/export): a GET with the list's status filter
 * (projects, not client data: nothing recorded), holding exactly the list's rows, with a BOM,
 * headers in the reader's language, a formula-like funder escaped, only the projects serving the
 * coordinator's districts, and refused to those who may not read projects.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { getDb } from "~/db.server";
import { auditLog, projectDistricts, projects } from "#db/schema";
import * as projectsPage from "~/routes/projects._index";
import * as projectsExport from "~/routes/projects.export";
import { makeCoordinator, makeSocialWorker } from "../../clients-factories";
import { makeDistrict, makeRequest, respond } from "../../factories";

type Coordinator = Awaited<ReturnType<typeof makeCoordinator>>;
let coordinatorA: Coordinator;
let coordinatorB: Coordinator;
let districtA: number;
const FORMULA_FUNDER = "-1 测试基金会（虚构）";

beforeAll(async () => {
  const db = getDb();
  districtA = makeDistrict({ nameZh: "测试甲区", nameEn: "Test District A" }).id;
  const B = makeDistrict({ nameZh: "测试乙区", nameEn: "Test District B" }).id;
  coordinatorA = await makeCoordinator([districtA]);
  coordinatorB = await makeCoordinator([B]);
  const project = (name: string, funder: string, startsOn: string, status: "active" | "closed", districtIds: number[]) => {
    const p = db.insert(projects).values({ name, funder, kind: "public_welfare", startsOn, endsOn: "2027-12-31", status }).returning().get();
    for (const districtId of districtIds) db.insert(projectDistricts).values({ projectId: p.id, districtId }).run();
  };
  project("测试项目甲（虚构）", FORMULA_FUNDER, "2026-01-01", "active", [districtA, B]);
  project("测试项目乙（虚构）", "测试区禁毒办（虚构）", "2025-01-01", "closed", [districtA]);
  project("Test Project Other District (fictional)", "Test Funder (fictional)", "2026-03-01", "active", [B]);
});

/** Bytes as text, keeping a BOM (TextDecoder drops it by default). */
function utf8(bytes: ArrayBuffer): string {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

async function exportCsv(search: string, cookie: string, lang: "en" | "zh-CN" = "en") {
  const request = makeRequest(`/projects/export${search}`, { cookie, headers: { "Accept-Language": lang } });
  const res = await respond(() => projectsExport.loader({ request, params: {}, context: {} } as never));
  const text = res.body instanceof Response ? utf8(await res.body.arrayBuffer()) : "";
  return { status: res.status, text, rows: res.status === 200 && text ? (parse(text, { bom: true }) as string[][]) : [] };
}

describe("the projects export", () => {
  it("holds the list's rows in its order, with a BOM, Chinese headers, every district served and an escaped funder", async () => {
    const page = await respond(() => projectsPage.loader({ request: makeRequest("/projects", { cookie: coordinatorA.cookie }), params: {}, context: {} } as never));
    const listed = (page.body as { rows: { name: string }[] }).rows.map((r) => r.name);
    const { status, text, rows } = await exportCsv("", coordinatorA.cookie, "zh-CN");
    expect(status).toBe(200);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(rows[0]).toEqual(["项目", "资助方", "类型", "开始日期", "结束日期", "服务区", "状态"]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(listed);
    expect(listed).toEqual(["测试项目甲（虚构）", "测试项目乙（虚构）"]);
    expect(rows[1]!.slice(1)).toEqual([`'${FORMULA_FUNDER}`, "公益项目", "2026-01-01", "2027-12-31", "测试甲区、测试乙区", "进行中"]);
  });

  it("applies the list's status filter", async () => {
    const { rows } = await exportCsv("?status=closed", coordinatorA.cookie);
    expect(rows.slice(1).map((r) => r[0])).toEqual(["测试项目乙（虚构）"]);
    expect((await exportCsv("?status=bogus", coordinatorA.cookie)).rows).toHaveLength(3);
  });

  it("gives a coordinator of another district only the projects serving their district", async () => {
    const { rows } = await exportCsv("", coordinatorB.cookie);
    expect(rows.slice(1).map((r) => r[0]).sort()).toEqual(["Test Project Other District (fictional)", "测试项目甲（虚构）"].sort());
  });

  it("is refused (403) to a social worker, who may not read projects", async () => {
    const worker = await makeSocialWorker(districtA);
    expect((await exportCsv("", worker.cookie)).status).toBe(403);
  });

  it("is a GET that writes nothing", async () => {
    const before = getDb().select().from(auditLog).all().length;
    expect((await exportCsv("", coordinatorA.cookie)).status).toBe(200);
    expect(getDb().select().from(auditLog).all()).toHaveLength(before);
  });
});
