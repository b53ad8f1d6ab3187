/**
 * CSV export of the coordinator's week (/sessions/week/export): a GET (group sessions, not client
 * data: nothing recorded) holding the page's own sessions of this week, with a BOM, headers in the
 * reader's language, a formula-like topic escaped, only the coordinator's districts, and refused to
 * those who do not schedule.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { getDb } from "~/db.server";
import { auditLog } from "#db/schema";
import { programTimeZone } from "~/domain/sessions";
import { mondayOf } from "~/domain/sessions/time";
import { todayIn } from "~/i18n/format";
import * as weekPage from "~/routes/sessions.week";
import * as weekExport from "~/routes/sessions.week.export";
import { makeClient, makeCoordinator, makePeerTutor } from "../../clients-factories";
import { makeDistrict, makeRequest, respond } from "../../factories";
import { makeRawSession, makeScheduleStudio, registerClient } from "../../sessions-factories";

type Coordinator = Awaited<ReturnType<typeof makeCoordinator>>;
let coordinatorA: Coordinator;
let coordinatorB: Coordinator;
let districtA: number;
const FORMULA_TOPIC = "@SUM 测试小组活动（虚构）";

beforeAll(async () => {
  districtA = makeDistrict().id;
  const B = makeDistrict().id;
  coordinatorA = await makeCoordinator([districtA]);
  coordinatorB = await makeCoordinator([B]);
  const tutor = await makePeerTutor(districtA);
  const monday = mondayOf(todayIn(programTimeZone(getDb())));
  // Monday and Tuesday of this week, 10:00 in Shanghai
  const day = (d: number) => ({ startsAt: `${addDaysIso(monday, d)}T02:00:00.000Z`, endsAt: `${addDaysIso(monday, d)}T03:00:00.000Z` });
  const studio = makeScheduleStudio({ districtId: districtA });
  const elsewhere = makeScheduleStudio({ districtId: B });
  const formula = makeRawSession({ studioId: studio.id, topic: FORMULA_TOPIC, facilitatorIds: [tutor.personId], ...day(0) });
  makeRawSession({ studioId: studio.id, topic: "测试无带领活动（虚构）", ...day(1) });
  makeRawSession({ studioId: elsewhere.id, topic: "Other district session (fictional)", ...day(1) });
  registerClient(formula.id, (await makeClient({ districtId: districtA })).id);
  registerClient(formula.id, (await makeClient({ districtId: districtA })).id, "waitlisted");
});

function addDaysIso(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Bytes as text, keeping a BOM (TextDecoder drops it by default). */
function utf8(bytes: ArrayBuffer): string {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

async function exportCsv(cookie: string, lang: "en" | "zh-CN" = "en") {
  const request = makeRequest("/sessions/week/export", { cookie, headers: { "Accept-Language": lang } });
  const res = await respond(() => weekExport.loader({ request, params: {}, context: {} } as never));
  const text = res.body instanceof Response ? utf8(await res.body.arrayBuffer()) : "";
  return { status: res.status, text, rows: res.status === 200 && text ? (parse(text, { bom: true }) as string[][]) : [] };
}

describe("the coordinator's week export", () => {
  it("holds the page's sessions of this week, with a BOM, Chinese headers, counts and an escaped topic", async () => {
    const page = await respond(() => weekPage.loader({ request: makeRequest("/sessions/week", { cookie: coordinatorA.cookie }), params: {}, context: { cspNonce: "" } } as never));
    const listed = (page.body as { sessions: { topic: string }[] }).sessions.map((s) => (s.topic.startsWith("@") ? `'${s.topic}` : s.topic));
    const { status, text, rows } = await exportCsv(coordinatorA.cookie, "zh-CN");
    expect(status).toBe(200);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(rows[0]).toEqual(["时间", "活动", "工作室", "状态", "人数上限", "已报名", "候补人数", "带领人数"]);
    expect(rows.slice(1).map((r) => r[1])).toEqual(listed);
    expect(listed).toHaveLength(2);
    const formula = rows.find((r) => r[1] === `'${FORMULA_TOPIC}`)!;
    expect(formula[0]).toMatch(/ 10:00:00$/);
    expect([formula[3], ...formula.slice(5)]).toEqual(["已安排", "1", "1", "1"]);
    expect(text).not.toContain("Other district session");
  });

  it("gives a coordinator of another district only their own district's sessions", async () => {
    const { rows } = await exportCsv(coordinatorB.cookie);
    expect(rows[0]![0]).toBe("When");
    expect(rows.slice(1).map((r) => r[1])).toEqual(["Other district session (fictional)"]);
  });

  it("is refused (403) to a peer tutor, who does not schedule sessions", async () => {
    const tutor = await makePeerTutor(districtA);
    expect((await exportCsv(tutor.cookie)).status).toBe(403);
  });

  it("is a GET that writes nothing", async () => {
    const before = getDb().select().from(auditLog).all().length;
    expect((await exportCsv(coordinatorA.cookie)).status).toBe(200);
    expect(getDb().select().from(auditLog).all()).toHaveLength(before);
  });
});
