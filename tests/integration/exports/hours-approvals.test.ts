/**
 * CSV export of the hours waiting for approval (/hours/approvals/export): a GET with the list's
 * URL filters (volunteer hours, not client data: nothing recorded), holding exactly the list's
 * rows, with a BOM, headers in the reader's language, formula-like notes escaped, scoped to the
 * coordinator's districts and refused to those who do not approve hours.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { getDb } from "~/db.server";
import { auditLog, volunteerHours } from "#db/schema";
import * as approvalsPage from "~/routes/hours.approvals";
import * as approvalsExport from "~/routes/hours.approvals.export";
import { makeCoordinator, makePeerTutor } from "../../clients-factories";
import { makeDistrict, makeRequest, respond } from "../../factories";

type Coordinator = Awaited<ReturnType<typeof makeCoordinator>>;
let coordinatorA: Coordinator;
let coordinatorB: Coordinator;
let districtA: number;
const FORMULA_NOTE = "=SUM(A1:A9) 测试备注（虚构）";

beforeAll(async () => {
  const db = getDb();
  districtA = makeDistrict({ nameZh: "测试甲区", nameEn: "Test District A" }).id;
  const B = makeDistrict({ nameZh: "测试乙区", nameEn: "Test District B" }).id;
  coordinatorA = await makeCoordinator([districtA]);
  coordinatorB = await makeCoordinator([B]);
  const tutorA = await makePeerTutor(districtA);
  const tutorB = await makePeerTutor(B);
  const log = (personId: number, districtId: number, workedOn: string, minutes: number, note: string) =>
    db.insert(volunteerHours).values({ personId, districtId, activity: "peerSupport", workedOn, minutes, note }).run();
  log(tutorA.personId, districtA, "2026-10-05", 90, FORMULA_NOTE);
  log(tutorA.personId, districtA, "2026-10-01", 60, "测试备注一（虚构）");
  log(tutorA.personId, districtA, "2026-11-10", 30, "测试备注二（虚构）");
  log(tutorB.personId, B, "2026-10-02", 120, "Other district note (fictional)");
});

/** Bytes as text, keeping a BOM (TextDecoder drops it by default). */
function utf8(bytes: ArrayBuffer): string {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

async function exportCsv(search: string, cookie: string, lang: "en" | "zh-CN" = "en") {
  const request = makeRequest(`/hours/approvals/export${search}`, { cookie, headers: { "Accept-Language": lang } });
  const res = await respond(() => approvalsExport.loader({ request, params: {}, context: {} } as never));
  const text = res.body instanceof Response ? utf8(await res.body.arrayBuffer()) : "";
  return { status: res.status, text, rows: res.status === 200 && text ? (parse(text, { bom: true }) as string[][]) : [] };
}

describe("the hours to approve export", () => {
  it("holds the list's rows for the list's date filter, oldest first, with a BOM, Chinese headers and an escaped note", async () => {
    const search = "?from=2026-10-01&to=2026-10-31";
    const page = await respond(() => approvalsPage.loader({ request: makeRequest(`/hours/approvals${search}`, { cookie: coordinatorA.cookie }), params: {}, context: {} } as never));
    const listed = (page.body as { rows: { workedOn: string }[] }).rows.map((r) => r.workedOn);
    const { status, text, rows } = await exportCsv(search, coordinatorA.cookie, "zh-CN");
    expect(status).toBe(200);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(rows[0]).toEqual(["人员", "日期", "服务类型", "时长", "备注", "区"]);
    expect(rows.slice(1).map((r) => r[1])).toEqual(listed);
    expect(listed).toEqual(["2026-10-01", "2026-10-05"]);
    expect(rows[2]!.slice(2)).toEqual(["一对一同伴支持", "1.5", `'${FORMULA_NOTE}`, "测试甲区"]);
  });

  it("gives a coordinator of another district none of district A's hours, even asking for district A", async () => {
    const { rows, text } = await exportCsv(`?district=${districtA}`, coordinatorB.cookie);
    expect(rows.slice(1).map((r) => r[4])).toEqual(["Other district note (fictional)"]);
    expect(text).not.toContain("测试备注");
  });

  it("is refused (403) to a peer tutor, who does not approve hours", async () => {
    const tutor = await makePeerTutor(districtA);
    expect((await exportCsv("", tutor.cookie)).status).toBe(403);
  });

  it("is a GET that writes nothing", async () => {
    const before = getDb().select().from(auditLog).all().length;
    expect((await exportCsv("", coordinatorA.cookie)).status).toBe(200);
    expect(getDb().select().from(auditLog).all()).toHaveLength(before);
  });

  it("answers malformed filters with the unfiltered list, never an error", async () => {
    const { status, rows } = await exportCsv("?from=not-a-date&district=abc&person=" + "x".repeat(500), coordinatorA.cookie);
    expect(status).toBe(200);
    expect(rows).toHaveLength(4);
  });
});
