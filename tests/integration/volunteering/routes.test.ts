/**
 * Volunteer hours pages: guards and scope (403/404), bad input answered 400 with the input kept
 * (never a 500), bulk decisions through the approvals form, hours from the session page, the
 * statement's parameters and sums, and the activities editor.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { volunteerHours } from "#db/schema";
import { getDb } from "~/db.server";
import { getVolunteerActivities } from "~/domain/settings/volunteer-activities.server";
import * as activitiesPage from "~/routes/hours.activities";
import * as approvalsPage from "~/routes/hours.approvals";
import * as editPage from "~/routes/hours.$id";
import * as minePage from "~/routes/hours._index";
import * as statementPage from "~/routes/hours.statement";
import * as sessionPage from "~/routes/sessions.$id";
import * as sessionHours from "~/routes/sessions_.$id.hours";
import { makeCoordinator, makePeerTutor } from "../../clients-factories";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";
import { makeRawSession, makeScheduleStudio } from "../../sessions-factories";
import { daysAgo, loggedDaysAgo, rawHours } from "./volunteering-helpers";

const context = { cspNonce: "" };
type Fn = (args: never) => unknown;
const call = (fn: Fn, path: string, cookie: string, params: Record<string, string> = {}, form?: Record<string, string | string[]>) =>
  respond(() => (fn as (a: unknown) => unknown)({ request: makeRequest(path, { cookie, form }), params, context }));
type Failure = { errors: Record<string, string>; values: Record<string, string>; selected?: string[] };
const entry = (id: number) => getDb().select().from(volunteerHours).where(eq(volunteerHours.id, id)).get();

let d1 = 0;
let d2 = 0;
let studioId = 0;
beforeAll(() => {
  d1 = makeDistrict().id;
  d2 = makeDistrict().id;
  studioId = makeScheduleStudio({ districtId: d1 }).id;
});

describe("my hours page", () => {
  it("logs hours from the form and lists them as pending", async () => {
    const t = await makePeerTutor(d1);
    const res = await call(minePage.action, "/hours", t.cookie, {}, { intent: "log", activity: "outreach", workedOn: daysAgo(1), hours: "2.5", districtId: String(d1), note: "测试宣传（虚构）" });
    expect(res.status).toBe(302);
    const page = await call(minePage.loader, "/hours", t.cookie);
    const body = page.body as { rows: { minutes: number; status: string; editRefusal: string | null }[]; summary: { pendingMinutes: number } };
    expect(body.rows).toHaveLength(1);
    expect(body.rows[0]).toMatchObject({ minutes: 150, status: "pending", editRefusal: null });
  });

  it("bad input answers 400 with each field's message and the input kept", async () => {
    const t = await makePeerTutor(d1);
    const cases: [Record<string, string>, string, string][] = [
      [{ hours: "abc" }, "hours", "volunteering.error.hoursFormat"],
      [{ hours: "13" }, "hours", "volunteering.error.hoursRange?min=0.25&max=12"],
      [{ hours: "1.1" }, "hours", "volunteering.error.quarterHours"],
      [{ note: "长".repeat(501) }, "note", "form.tooLong?max=500"],
      [{ note: "bad\u0000note" }, "note", "form.controlChars"],
      [{ workedOn: "2026-13-01" }, "workedOn", "form.invalidDate"],
      [{ workedOn: daysAgo(-2) }, "workedOn", "volunteering.error.future"],
      [{ districtId: String(d2) }, "districtId", "volunteering.error.districtNotYours"],
      [{ districtId: "abc" }, "districtId", "form.unknownId"],
      [{ activity: "napping" }, "activity", "form.unknownChoice"],
    ];
    for (const [override, field, message] of cases) {
      const form = { intent: "log", activity: "peerSupport", workedOn: daysAgo(1), hours: "1", districtId: String(d1), note: "", ...override };
      const res = await call(minePage.action, "/hours", t.cookie, {}, form);
      expect(res.status, JSON.stringify(override).slice(0, 60)).toBe(400);
      const body = res.body as Failure;
      expect(body.errors[field]).toBe(message);
      expect(body.values[field]).toBe(form[field as keyof typeof form]);
    }
    expect(getDb().select().from(volunteerHours).where(eq(volunteerHours.personId, t.personId)).all()).toHaveLength(0);
  });

  it("withdrawing someone else's entry from the list is refused with 400 and changes nothing", async () => {
    const t = await makePeerTutor(d1);
    const other = await makePeerTutor(d1);
    const e = rawHours({ personId: other.personId, districtId: d1 });
    const res = await call(minePage.action, "/hours", t.cookie, {}, { intent: "withdraw", id: String(e.id) });
    expect(res.status).toBe(400);
    expect(entry(e.id)).toBeDefined();
  });
});

describe("edit page", () => {
  it("someone else's entry is 404; one's own pending entry opens and saves", async () => {
    const t = await makePeerTutor(d1);
    const other = await makePeerTutor(d1);
    const e = rawHours({ personId: t.personId, districtId: d1, minutes: 60 });
    expect((await call(editPage.loader, `/hours/${e.id}`, other.cookie, { id: String(e.id) })).status).toBe(404);
    expect((await call(editPage.action, `/hours/${e.id}`, other.cookie, { id: String(e.id) }, { intent: "save", hours: "1" })).status).toBe(404);
    expect((await call(editPage.loader, `/hours/x`, t.cookie, { id: "x" })).status).toBe(404);
    const page = await call(editPage.loader, `/hours/${e.id}`, t.cookie, { id: String(e.id) });
    expect((page.body as { entry: { editRefusal: string | null } }).entry.editRefusal).toBeNull();
    const saved = await call(editPage.action, `/hours/${e.id}`, t.cookie, { id: String(e.id) }, { intent: "save", activity: "training", workedOn: e.workedOn, hours: "0.75", districtId: String(d1), note: "" });
    expect(saved.status).toBe(302);
    expect(entry(e.id)).toMatchObject({ minutes: 45, activity: "training" });
  });

  it("an entry logged 8 days ago shows why it is locked, and saving is refused with 400", async () => {
    const t = await makePeerTutor(d1);
    const e = rawHours({ personId: t.personId, districtId: d1, minutes: 60 });
    loggedDaysAgo(e.id, 8);
    const page = await call(editPage.loader, `/hours/${e.id}`, t.cookie, { id: String(e.id) });
    expect((page.body as { entry: { editRefusal: string } }).entry.editRefusal).toBe("volunteering.error.editWindow?days=7");
    const res = await call(editPage.action, `/hours/${e.id}`, t.cookie, { id: String(e.id) }, { intent: "save", activity: "training", workedOn: e.workedOn, hours: "2", districtId: String(d1), note: "" });
    expect(res.status).toBe(400);
    expect((res.body as Failure).errors._form).toBe("volunteering.error.editWindow?days=7");
    expect((res.body as Failure).values.hours).toBe("2");
    const withdraw = await call(editPage.action, `/hours/${e.id}`, t.cookie, { id: String(e.id) }, { intent: "withdraw" });
    expect(withdraw.status).toBe(400);
    expect(entry(e.id)?.minutes).toBe(60);
  });

  it("an approved entry cannot be edited through the page", async () => {
    const t = await makePeerTutor(d1);
    const e = rawHours({ personId: t.personId, districtId: d1, status: "approved" });
    const res = await call(editPage.action, `/hours/${e.id}`, t.cookie, { id: String(e.id) }, { intent: "save", activity: "training", workedOn: e.workedOn, hours: "2", districtId: String(d1), note: "" });
    expect(res.status).toBe(400);
    expect((res.body as Failure).errors._form).toBe("volunteering.error.alreadyDecided");
  });
});

describe("approvals page", () => {
  it("a peer tutor gets 403; a coordinator sees only pending entries of their districts, filtered by person", async () => {
    const t = await makePeerTutor(d1);
    expect((await call(approvalsPage.loader, "/hours/approvals", t.cookie)).status).toBe(403);
    const mine = rawHours({ personId: t.personId, districtId: d1 });
    const foreign = rawHours({ personId: t.personId, districtId: d2 });
    const c = await makeCoordinator([d1]);
    const page = await call(approvalsPage.loader, "/hours/approvals", c.cookie);
    const ids = (page.body as { rows: { id: number }[] }).rows.map((r) => r.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(foreign.id);
    const filtered = await call(approvalsPage.loader, `/hours/approvals?person=${encodeURIComponent("不存在的人（虚构）")}`, c.cookie);
    expect((filtered.body as { rows: unknown[] }).rows).toHaveLength(0);
    const bad = await call(approvalsPage.loader, "/hours/approvals?from=not-a-date&district=abc&page=-1", c.cookie);
    expect(bad.status).toBe(200);
  });

  it("approve selected decides every ticked entry and redirects with a flash", async () => {
    const t = await makePeerTutor(d1);
    const c = await makeCoordinator([d1]);
    const a = rawHours({ personId: t.personId, districtId: d1 });
    const b = rawHours({ personId: t.personId, districtId: d1 });
    const res = await call(approvalsPage.action, "/hours/approvals", c.cookie, {}, { ids: [String(a.id), String(b.id)], decision: "approve", reason: "" });
    expect(res.status).toBe(302);
    expect([entry(a.id)?.status, entry(b.id)?.status]).toEqual(["approved", "approved"]);
  });

  it("a ticked entry of another district refuses the whole bulk with 400, ticks kept, nothing changed", async () => {
    const t = await makePeerTutor(d1);
    const c = await makeCoordinator([d1]);
    const a = rawHours({ personId: t.personId, districtId: d1 });
    const foreign = rawHours({ personId: t.personId, districtId: d2 });
    const res = await call(approvalsPage.action, "/hours/approvals", c.cookie, {}, { ids: [String(a.id), String(foreign.id)], decision: "approve", reason: "" });
    expect(res.status).toBe(400);
    const body = res.body as Failure;
    expect(body.errors._form).toBe("volunteering.error.bulkNotYours?count=1");
    expect(body.selected).toEqual([String(a.id), String(foreign.id)]);
    expect([entry(a.id)?.status, entry(foreign.id)?.status]).toEqual(["pending", "pending"]);
  });

  it("reject selected without a reason is 400 on the reason field; nothing ticked is 400 too; ids that are not numbers are 400", async () => {
    const t = await makePeerTutor(d1);
    const c = await makeCoordinator([d1]);
    const a = rawHours({ personId: t.personId, districtId: d1 });
    const noReason = await call(approvalsPage.action, "/hours/approvals", c.cookie, {}, { ids: [String(a.id)], decision: "reject", reason: "" });
    expect(noReason.status).toBe(400);
    expect((noReason.body as Failure).errors.reason).toBe("volunteering.error.reasonRequired");
    const none = await call(approvalsPage.action, "/hours/approvals", c.cookie, {}, { decision: "approve", reason: "" });
    expect(none.status).toBe(400);
    expect((none.body as Failure).errors.ids).toBe("volunteering.error.noneSelected");
    const junk = await call(approvalsPage.action, "/hours/approvals", c.cookie, {}, { ids: ["1; drop table"], decision: "approve" });
    expect(junk.status).toBe(400);
    const unknownDecision = await call(approvalsPage.action, "/hours/approvals", c.cookie, {}, { ids: [String(a.id)], decision: "maybe" });
    expect(unknownDecision.status).toBe(400);
    expect(entry(a.id)?.status).toBe("pending");
  });

  it("a row's Approve button decides that row only; a row's rejection with a reason rejects it", async () => {
    const t = await makePeerTutor(d1);
    const c = await makeCoordinator([d1]);
    const a = rawHours({ personId: t.personId, districtId: d1 });
    const b = rawHours({ personId: t.personId, districtId: d1 });
    expect((await call(approvalsPage.action, "/hours/approvals", c.cookie, {}, { approveOne: String(a.id), ids: [String(b.id)], reason: "" })).status).toBe(302);
    expect([entry(a.id)?.status, entry(b.id)?.status]).toEqual(["approved", "pending"]);
    const page = await call(approvalsPage.loader, `/hours/approvals?reject=${b.id}`, c.cookie);
    expect((page.body as { rejecting: { id: number } | null }).rejecting?.id).toBe(b.id);
    expect((await call(approvalsPage.action, `/hours/approvals?reject=${b.id}`, c.cookie, {}, { ids: String(b.id), decision: "reject", reason: "与活动记录不符（虚构）" })).status).toBe(302);
    expect(entry(b.id)).toMatchObject({ status: "rejected", rejectionReason: "与活动记录不符（虚构）" });
  });
});

describe("hours from the session page", () => {
  it("a facilitator of a held session sees the button, logs once; again is refused back on the session page", async () => {
    const t = await makePeerTutor(d1);
    const startsAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const s = makeRawSession({ studioId, startsAt, endsAt: new Date(Date.parse(startsAt) + 90 * 60_000).toISOString(), facilitatorIds: [t.personId], status: "held" });
    const before = await call(sessionPage.loader, `/sessions/${s.id}`, t.cookie, { id: String(s.id) });
    expect((before.body as { hoursLogged: boolean | null }).hoursLogged).toBe(false);
    const first = await call(sessionHours.action, `/sessions/${s.id}/hours`, t.cookie, { id: String(s.id) }, {});
    expect(first.status).toBe(302);
    expect(first.headers.get("Location")).toBe(`/sessions/${s.id}`);
    const rows = getDb().select().from(volunteerHours).where(and(eq(volunteerHours.personId, t.personId), eq(volunteerHours.sessionId, s.id))).all();
    expect(rows.map((r) => r.minutes)).toEqual([90]);
    const again = await call(sessionHours.action, `/sessions/${s.id}/hours`, t.cookie, { id: String(s.id) }, {});
    expect(again.status).toBe(302);
    expect(decodeURIComponent(again.headers.get("Set-Cookie") ?? "")).toContain("volunteering.error.alreadyLogged");
    expect(getDb().select().from(volunteerHours).where(eq(volunteerHours.sessionId, s.id)).all()).toHaveLength(1);
    const after = await call(sessionPage.loader, `/sessions/${s.id}`, t.cookie, { id: String(s.id) });
    expect((after.body as { hoursLogged: boolean | null }).hoursLogged).toBe(true);
  });

  it("someone who did not facilitate gets 403 and no button; an unknown session is 404", async () => {
    const t = await makePeerTutor(d1);
    const other = await makePeerTutor(d1);
    const startsAt = new Date(Date.now() - 86_400_000).toISOString();
    const s = makeRawSession({ studioId, startsAt, endsAt: new Date(Date.parse(startsAt) + 3_600_000).toISOString(), facilitatorIds: [t.personId], status: "held" });
    expect((await call(sessionHours.action, `/sessions/${s.id}/hours`, other.cookie, { id: String(s.id) }, {})).status).toBe(403);
    const page = await call(sessionPage.loader, `/sessions/${s.id}`, other.cookie, { id: String(s.id) });
    expect((page.body as { hoursLogged: boolean | null }).hoursLogged).toBeNull();
    expect((await call(sessionHours.action, `/sessions/99999999/hours`, t.cookie, { id: "99999999" }, {})).status).toBe(404);
    expect(getDb().select().from(volunteerHours).where(eq(volunteerHours.sessionId, s.id)).all()).toHaveLength(0);
  });
});

describe("statement", () => {
  type Statement = { statement: { totalMinutes: number; lines: { workedOn: string }[]; person: { id: number } } | null; errors: Record<string, string> | null };

  it("one's own statement sums only approved hours in the period", async () => {
    const t = await makePeerTutor(d1);
    rawHours({ personId: t.personId, districtId: d1, workedOn: "2026-05-01", minutes: 60, status: "approved" });
    rawHours({ personId: t.personId, districtId: d1, workedOn: "2026-05-20", minutes: 135, status: "approved" });
    rawHours({ personId: t.personId, districtId: d1, workedOn: "2026-05-21", minutes: 60, status: "pending" });
    rawHours({ personId: t.personId, districtId: d1, workedOn: "2026-05-22", minutes: 60, status: "rejected" });
    rawHours({ personId: t.personId, districtId: d1, workedOn: "2026-06-01", minutes: 60, status: "approved" });
    const res = await call(statementPage.loader, "/hours/statement?from=2026-05-01&to=2026-05-31", t.cookie);
    expect(res.status).toBe(200);
    const body = res.body as Statement;
    expect(body.statement?.totalMinutes).toBe(195);
    expect(body.statement?.lines.map((l) => l.workedOn)).toEqual(["2026-05-01", "2026-05-20"]);
  });

  it("a period that ends before it starts, or a date that is not a date, is 400 with a clear message", async () => {
    const t = await makePeerTutor(d1);
    const order = await call(statementPage.loader, "/hours/statement?from=2026-05-31&to=2026-05-01", t.cookie);
    expect(order.status).toBe(400);
    expect((order.body as Statement).errors?.to).toBe("volunteering.statement.periodOrder");
    const notDate = await call(statementPage.loader, "/hours/statement?from=2026-02-30&to=yesterday", t.cookie);
    expect(notDate.status).toBe(400);
    expect((notDate.body as Statement).errors).toMatchObject({ from: "form.invalidDate", to: "form.invalidDate" });
    const badPerson = await call(statementPage.loader, "/hours/statement?person=abc", t.cookie);
    expect(badPerson.status).toBe(400);
  });

  it("a peer tutor cannot open another person's statement (403); a coordinator only for people of their districts (404 otherwise); an admin any", async () => {
    const t = await makePeerTutor(d1);
    const other = await makePeerTutor(d2);
    rawHours({ personId: other.personId, districtId: d2, workedOn: "2026-05-02", minutes: 60, status: "approved" });
    expect((await call(statementPage.loader, `/hours/statement?person=${other.personId}`, t.cookie)).status).toBe(403);
    const c1 = await makeCoordinator([d1]);
    expect((await call(statementPage.loader, `/hours/statement?person=${other.personId}`, c1.cookie)).status).toBe(404);
    expect((await call(statementPage.loader, `/hours/statement?person=99999999`, c1.cookie)).status).toBe(404);
    const c2 = await makeCoordinator([d2]);
    const ok = await call(statementPage.loader, `/hours/statement?person=${other.personId}&from=2026-05-01&to=2026-05-31`, c2.cookie);
    expect(ok.status).toBe(200);
    expect((ok.body as Statement).statement?.totalMinutes).toBe(60);
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    expect((await call(statementPage.loader, `/hours/statement?person=${other.personId}`, admin.cookie)).status).toBe(200);
  });
});

describe("activities editor", () => {
  it("an admin renames, deactivates and adds an activity; an empty label is 400 with input kept; a coordinator gets 403", async () => {
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const c = await makeCoordinator([d1]);
    expect((await call(activitiesPage.loader, "/hours/activities", c.cookie)).status).toBe(403);
    const current = getVolunteerActivities(getDb());
    const form: Record<string, string> = {};
    for (const a of current) {
      form[`zh-${a.id}`] = a.zh;
      form[`en-${a.id}`] = a.en;
      if (a.id !== "other") form[`active-${a.id}`] = "on";
    }
    const bad = await call(activitiesPage.action, "/hours/activities", admin.cookie, {}, { ...form, "zh-training": "" });
    expect(bad.status).toBe(400);
    expect((bad.body as Failure).errors["zh-training"]).toBe("form.required");
    expect((bad.body as Failure).values["en-training"]).toBe(form["en-training"]);
    const dup = await call(activitiesPage.action, "/hours/activities", admin.cookie, {}, { ...form, newId: "training", newZh: "重复", newEn: "Duplicate" });
    expect((dup.body as Failure).errors.newId).toBe("volunteering.activities.duplicateId");
    const ok = await call(activitiesPage.action, "/hours/activities", admin.cookie, {}, { ...form, "en-training": "Training courses", newId: "familyVisit", newZh: "家庭探访", newEn: "Family visit" });
    expect(ok.status).toBe(302);
    const after = getVolunteerActivities(getDb());
    expect(after.find((a) => a.id === "training")?.en).toBe("Training courses");
    expect(after.find((a) => a.id === "other")?.active).toBe(false);
    expect(after.find((a) => a.id === "familyVisit")).toMatchObject({ zh: "家庭探访", active: true });
  });
});
