/**
 * Recovery capital (issue "Clients and caseloads" item 10): the BARC-10 form, who may record it,
 * its total and schedule, and the trend chart.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { auditLog, barc10Assessments } from "#db/schema";
import { LineChart } from "~/components/LineChart";
import { addMonthsSql, addDays, localDate, nextBarc10Due, recordBarc10 } from "~/domain/clients";
import { DomainError } from "~/domain/shared/errors";
import { action, loader } from "~/routes/clients.$id.recovery";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";
import { makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";

let districtId: number;
let sw: Awaited<ReturnType<typeof makeSocialWorker>>;
let pt: Awaited<ReturnType<typeof makePeerTutor>>;
let coordinator: Awaited<ReturnType<typeof makeCoordinator>>;
const today = () => localDate(new Date(), "Asia/Shanghai");

beforeAll(async () => {
  districtId = makeDistrict().id;
  sw = await makeSocialWorker(districtId);
  pt = await makePeerTutor(districtId);
  coordinator = await makeCoordinator([districtId]);
});

function clientOfTeam(options: { consent?: boolean; status?: "active" | "closed" } = {}) {
  return makeClient({ districtId, socialWorkerPersonId: sw.personId, peerTutorPersonId: pt.personId, intakeDate: "2025-01-10", ...options });
}

function answers(values: (number | string)[], takenOn = today()): Record<string, string> {
  const form: Record<string, string> = { takenOn };
  values.forEach((v, i) => (form[`item${i + 1}`] = String(v)));
  return form;
}

function post(clientId: number, cookie: string, form: Record<string, string>) {
  const request = makeRequest(`/clients/${clientId}/recovery`, { method: "POST", cookie, form });
  return respond(() => action({ request, params: { id: String(clientId) }, context: { cspNonce: "" } }));
}

function get(clientId: number, cookie: string) {
  return respond(() => loader({ request: makeRequest(`/clients/${clientId}/recovery`, { cookie }), params: { id: String(clientId) }, context: { cspNonce: "" } }));
}

type Failure = { errors: Record<string, string>; values: Record<string, string> };
type Page = { schedule: { lastTakenOn: string | null; nextDue: string; daysUntilDue: number }; rows: { total: number; takenOn: string }[]; canRecord: boolean };

const stored = (clientId: number) => getDb().select().from(barc10Assessments).where(eq(barc10Assessments.clientId, clientId)).all();

describe("recording a BARC-10", () => {
  it("stores the social worker's answers with their total and makes the next one due three months later", async () => {
    const client = await clientOfTeam();
    const res = await post(client.id, sw.cookie, answers([4, 5, 3, 6, 2, 4, 5, 6, 3, 4], "2026-01-31"));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/clients/${client.id}/recovery`);
    const rows = stored(client.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.answers).toEqual([4, 5, 3, 6, 2, 4, 5, 6, 3, 4]);
    expect(rows[0]!.total).toBe(42);
    const page = (await get(client.id, sw.cookie)).body as Page;
    // 31 January + 3 months: the last day of April
    expect(page.schedule).toMatchObject({ lastTakenOn: "2026-01-31", nextDue: "2026-04-30" });
    const audit = getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "record_barc10"), eq(auditLog.entityId, String(client.id))))
      .all();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ total: 42, takenOn: "2026-01-31" });
  });

  it("stores totals at both ends of the scale: ten ones make 10, ten sixes make 60", async () => {
    const client = await clientOfTeam();
    expect((await post(client.id, sw.cookie, answers(Array(10).fill(1), "2025-03-01"))).status).toBe(302);
    expect((await post(client.id, sw.cookie, answers(Array(10).fill(6), "2025-06-01"))).status).toBe(302);
    expect(stored(client.id).map((r) => r.total).sort((a, b) => a - b)).toEqual([10, 60]);
  });

  it("lets the client's peer tutor record it in the field", async () => {
    const client = await clientOfTeam();
    expect((await post(client.id, pt.cookie, answers(Array(10).fill(3)))).status).toBe(302);
    expect(stored(client.id)).toHaveLength(1);
  });

  it("refuses an answer of 0 or 7 with 400 and keeps what was typed", async () => {
    const client = await clientOfTeam();
    for (const bad of ["0", "7"]) {
      const values: (string | number)[] = [4, 4, 4, 4, 4, 4, 4, 4, 4, 4];
      values[2] = bad;
      const res = await post(client.id, sw.cookie, answers(values));
      expect(res.status).toBe(400);
      const body = res.body as Failure;
      expect(body.errors.item3).toBe("form.numberRange?min=1&max=6");
      expect(body.values.item3).toBe(bad);
      expect(body.values.item1).toBe("4");
    }
    expect(stored(client.id)).toHaveLength(0);
  });

  it("refuses nine answers with 400", async () => {
    const client = await clientOfTeam();
    const res = await post(client.id, sw.cookie, answers([5, 5, 5, 5, 5, 5, 5, 5, 5]));
    expect(res.status).toBe(400);
    expect((res.body as Failure).errors.item10).toBe("form.required");
    expect((res.body as Failure).values.item9).toBe("5");
    expect(stored(client.id)).toHaveLength(0);
  });

  it("refuses nine answers in the domain too, whatever the caller", async () => {
    const client = await clientOfTeam();
    const actor = { userId: sw.id, login: sw.login, ip: "" };
    expect(() => recordBarc10(getDb(), actor, { clientId: client.id, takenOn: "2025-02-01", answers: [5, 5, 5, 5, 5, 5, 5, 5, 5], today: today() })).toThrow(
      expect.objectContaining({ key: "wellbeing.barc10.itemCount?expected=10" }) as unknown as DomainError,
    );
    expect(() => recordBarc10(getDb(), actor, { clientId: client.id, takenOn: "2025-02-01", answers: [5, 5, 5, 5, 5, 5, 5, 5, 5, 2.5], today: today() })).toThrow(
      expect.objectContaining({ key: "wellbeing.barc10.itemRange?item=10&min=1&max=6" }) as unknown as DomainError,
    );
    expect(stored(client.id)).toHaveLength(0);
  });

  it("refuses a non-number with 400 and keeps the input", async () => {
    const client = await clientOfTeam();
    const res = await post(client.id, sw.cookie, answers(["abc", 4, 4, 4, 4, 4, 4, 4, 4, "4.5"]));
    expect(res.status).toBe(400);
    const body = res.body as Failure;
    expect(body.errors.item1).toBe("form.notANumber");
    expect(body.errors.item10).toBe("form.notANumber");
    expect(body.values.item1).toBe("abc");
  });

  it("refuses a date in the future, before intake, or not a date", async () => {
    const client = await clientOfTeam();
    const all4 = Array(10).fill(4);
    const future = await post(client.id, sw.cookie, answers(all4, addDays(today(), 2)));
    expect(future.status).toBe(400);
    expect((future.body as Failure).errors.takenOn).toBe("wellbeing.barc10.future");
    const early = await post(client.id, sw.cookie, answers(all4, "2024-12-31"));
    expect(early.status).toBe(400);
    expect((early.body as Failure).errors.takenOn).toBe("wellbeing.barc10.beforeIntake?date=2025-01-10");
    const control = await post(client.id, sw.cookie, answers(all4, "2025-02-01\u0000"));
    expect(control.status).toBe(400);
    expect((control.body as Failure).errors.takenOn).toBe("form.invalidDate");
    expect(stored(client.id)).toHaveLength(0);
  });

  it("refuses a client without a current consent with 400", async () => {
    const client = await clientOfTeam({ consent: false });
    const res = await post(client.id, sw.cookie, answers(Array(10).fill(4)));
    expect(res.status).toBe(400);
    expect((res.body as Failure).errors.takenOn).toBe("wellbeing.noConsent");
    expect(stored(client.id)).toHaveLength(0);
  });

  it("answers 403 to a coordinator, who reads the page but records nothing", async () => {
    const client = await clientOfTeam();
    expect((await get(client.id, coordinator.cookie)).status).toBe(200);
    expect(((await get(client.id, coordinator.cookie)).body as Page).canRecord).toBe(false);
    expect((await post(client.id, coordinator.cookie, answers(Array(10).fill(4)))).status).toBe(403);
    expect(stored(client.id)).toHaveLength(0);
  });

  it("answers 404 to a social worker of another caseload, for the page and the form", async () => {
    const client = await clientOfTeam();
    const other = await makeSocialWorker(districtId);
    expect((await get(client.id, other.cookie)).status).toBe(404);
    expect((await post(client.id, other.cookie, answers(Array(10).fill(4)))).status).toBe(404);
    expect((await get(999_999, sw.cookie)).status).toBe(404);
  });

  it("answers 403 to a trainer", async () => {
    const client = await clientOfTeam();
    const trainer = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    expect((await get(client.id, trainer.cookie)).status).toBe(403);
  });
});

describe("the BARC-10 schedule", () => {
  it("a client never assessed has been due since intake", async () => {
    const client = await clientOfTeam();
    const page = (await get(client.id, sw.cookie)).body as Page;
    expect(page.schedule.lastTakenOn).toBeNull();
    expect(page.schedule.nextDue).toBe("2025-01-10");
    expect(page.schedule.daysUntilDue).toBeLessThan(0);
  });

  it("addMonthsSql gives the same date as nextBarc10Due for every day of 2023 to 2025", () => {
    const db = getDb();
    const dates: string[] = [];
    for (let d = "2023-01-01"; d <= "2025-12-31"; d = addDays(d, 1)) dates.push(d);
    const values = sql.join(
      dates.map((d) => sql`(${d})`),
      sql`, `,
    );
    const rows = db.all<{ d: string; v: string }>(sql`with t(d) as (values ${values}) select d, ${addMonthsSql(sql`d`, 3)} as v from t`);
    expect(rows).toHaveLength(dates.length);
    for (const r of rows) expect(r.v, r.d).toBe(nextBarc10Due(r.d));
  });
});

describe("the trend chart", () => {
  it("renders an SVG named by its caption, with a data table of every point", () => {
    const html = renderToStaticMarkup(
      createElement(LineChart, {
        caption: "BARC-10 total (test caption)",
        labels: ["Jan 2026", "Apr 2026", "Jul 2026"],
        labelHeader: "Date taken",
        series: [{ name: "Total", values: [31, 38, 44] }],
        yDomain: [10, 60],
      }),
    );
    expect(html).toMatch(/<svg[^>]*role="img"/);
    const labelledBy = html.match(/<svg[^>]*aria-labelledby="([^"]+)"/)?.[1];
    expect(labelledBy).toBeTruthy();
    expect(html).toContain(`<figcaption id="${labelledBy}"`);
    expect(html).toContain("BARC-10 total (test caption)</figcaption>");
    expect(html).toContain("<caption>BARC-10 total (test caption)</caption>");
    expect(html).toMatch(/<th scope="col">Date taken<\/th><th scope="col">Total<\/th>/);
    expect(html).toMatch(/<th scope="row">Jan 2026<\/th><td>31<\/td>/);
    expect(html).toMatch(/<th scope="row">Jul 2026<\/th><td>44<\/td>/);
    // one line through the three points, and a marker for each
    expect(html.match(/<path /g)).toHaveLength(1);
    expect(html.match(/<circle /g)).toHaveLength(3);
  });

  it("leaves a gap for a missing value and shows it as a dash in the table", () => {
    const html = renderToStaticMarkup(
      createElement(LineChart, { caption: "c", labels: ["a", "b", "c", "d"], labelHeader: "x", series: [{ name: "s", values: [20, null, 30, 40] }] }),
    );
    expect(html.match(/<path /g)).toHaveLength(2);
    expect(html).toMatch(/<th scope="row">b<\/th><td>—<\/td>/);
  });
});
