/**
 * The session and group pages as a browser uses them: coordinators schedule in their districts
 * only; bad input is a 400 with a field message and the input kept, never a 500; a conflict lists
 * every conflicting date and saves nothing; the no-JavaScript "Suggest facilitators" and "Preview
 * dates" buttons answer with the form; cancelling asks for a reason and a confirmation, notifies
 * and audits; notifications are read and marked read by their owner only.
 */
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, groupSessions, groups, notifications } from "#db/schema";
import { getDb } from "~/db.server";
import * as groupNew from "~/routes/groups.new";
import * as groupPage from "~/routes/groups.$id";
import * as notificationsPage from "~/routes/notifications";
import * as sessionNew from "~/routes/sessions.new";
import * as sessionPage from "~/routes/sessions.$id";
import * as studioPage from "~/routes/studios.$id";
import * as studiosList from "~/routes/studios._index/route";
import { makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";
import { groupForm, makeRawSession, makeRoom, makeScheduleStudio, sessionForm, sessionsOfGroup, useTimeZone } from "../../sessions-factories";

const context = { cspNonce: "" };
type FormBody = {
  ok: boolean;
  errors: Record<string, string>;
  values: Record<string, string>;
  conflicts?: { local: string; index: number | null; keys: string[] }[];
  suggestions?: { month: string; people: { personId: number; load: number }[] };
  preview?: { index: number; local: string }[];
};
type Fn = (args: never) => unknown;
const call = (fn: Fn, path: string, cookie: string, params: Record<string, string> = {}, form?: Record<string, string | string[]>) =>
  respond(() => (fn as (a: unknown) => unknown)({ request: makeRequest(path, { cookie, form }), params, context }));

let districtId = 0;
let coordinator: Awaited<ReturnType<typeof makeCoordinator>>;
let sw: Awaited<ReturnType<typeof makeSocialWorker>>;
let studioId = 0;

beforeAll(async () => {
  districtId = makeDistrict().id;
  coordinator = await makeCoordinator([districtId]);
  sw = await makeSocialWorker(districtId);
  studioId = makeScheduleStudio({ districtId }).id;
});

const sessionCount = () => getDb().select({ n: count() }).from(groupSessions).get()!.n;
const groupCount = () => getDb().select({ n: count() }).from(groups).get()!.n;

async function refused(res: Promise<{ status: number; body: unknown }>, field: string, key: string | RegExp) {
  const before = [sessionCount(), groupCount()];
  const r = await res;
  expect(r.status).toBe(400);
  const body = r.body as FormBody;
  if (typeof key === "string") expect(body.errors[field]).toBe(key);
  else expect(body.errors[field]).toMatch(key);
  expect([sessionCount(), groupCount()]).toEqual(before);
  return body;
}

describe("creating a group through the page", () => {
  it("creates the group and its 8 sessions and redirects to it with a message", async () => {
    const studio = makeScheduleStudio({ districtId });
    const res = await call(groupNew.action, "/groups/new", coordinator.cookie, {}, groupForm(studio.id, [sw.personId], { startDate: "2028-01-03" }));
    expect(res.status).toBe(302);
    const location = res.headers.get("Location")!;
    expect(location).toMatch(/^\/groups\/\d+$/);
    expect(sessionsOfGroup(Number(location.split("/")[2]))).toHaveLength(8);
    expect(res.headers.get("Set-Cookie")).toContain("sessions.flash.groupCreated");
  });

  it("a double-booked facilitator: 400, every conflicting date listed, input kept, nothing saved", async () => {
    const studio = makeScheduleStudio({ districtId });
    const busy = await makeSocialWorker(districtId);
    for (const day of ["2027-01-12", "2027-01-26", "2027-02-16"]) {
      makeRawSession({ studioId: makeScheduleStudio({ districtId }).id, startsAt: `${day}T11:00:00.000Z`, endsAt: `${day}T12:00:00.000Z`, facilitatorIds: [busy.personId] });
    }
    const body = await refused(
      call(groupNew.action, "/groups/new", coordinator.cookie, {}, groupForm(studio.id, [busy.personId], { topic: "保留的主题（虚构）" })),
      "_form",
      "sessions.conflict.summary?count=3",
    );
    expect(body.conflicts!.map((c) => c.local)).toEqual(["2027-01-12T19:00", "2027-01-26T19:00", "2027-02-16T19:00"]);
    expect(body.values).toMatchObject({ topic: "保留的主题（虚构）", weekdays: "2", facilitatorIds: String(busy.personId) });
  });

  it("'Preview dates' lists the dates and saves nothing", async () => {
    const before = sessionCount();
    const res = await call(groupNew.action, "/groups/new", coordinator.cookie, {}, groupForm(studioId, [sw.personId], { intent: "preview", count: "3", startDate: "2029-01-01" }));
    expect(res.status).toBe(200);
    expect((res.body as FormBody).preview!.map((p) => p.local)).toEqual(["2029-01-02T19:00", "2029-01-09T19:00", "2029-01-16T19:00"]);
    expect(sessionCount()).toBe(before);
  });

  it("'Suggest facilitators' without JavaScript answers with the free people of the studio's district", async () => {
    const tutor = await makePeerTutor(districtId);
    const res = await call(groupNew.action, "/groups/new", coordinator.cookie, {}, groupForm(studioId, [], { intent: "suggest", topic: "", startDate: "2029-03-01" }));
    expect(res.status).toBe(200);
    const body = res.body as FormBody;
    expect(body.suggestions!.month).toBe("2029-03");
    expect(body.suggestions!.people.map((p) => p.personId)).toEqual(expect.arrayContaining([sw.personId, tutor.personId]));
    expect(body.errors).toEqual({});
  });
});

describe("bad input is a 400 with a field message, never a 500", () => {
  const group = (overrides: Record<string, string | string[]>) => call(groupNew.action, "/groups/new", coordinator.cookie, {}, groupForm(studioId, [sw.personId], overrides));
  const one = (overrides: Record<string, string | string[]>) => call(sessionNew.action, "/sessions/new", coordinator.cookie, {}, sessionForm(studioId, [sw.personId], overrides));

  it("an end before the start", async () => {
    const body = await refused(one({ startTime: "15:00", endTime: "14:00" }), "endTime", "sessions.error.endBeforeStart");
    expect(body.values).toMatchObject({ startTime: "15:00", endTime: "14:00", topic: "测试心理教育讲座（虚构）" });
    await refused(group({ startTime: "20:00", endTime: "20:00" }), "endTime", "sessions.error.endBeforeStart");
  });

  it("a capacity of zero, a negative one, and one that is not a number", async () => {
    await refused(one({ capacity: "0" }), "capacity", "form.numberRange?min=1&max=500");
    await refused(group({ capacity: "-3" }), "capacity", "form.numberRange?min=1&max=500");
    await refused(one({ capacity: "twelve" }), "capacity", "form.notANumber");
  });

  it("a capacity larger than the room holds", async () => {
    const studio = makeScheduleStudio({ districtId });
    const room = makeRoom(studio.id, 8);
    await refused(
      call(sessionNew.action, "/sessions/new", coordinator.cookie, {}, sessionForm(studio.id, [sw.personId], { roomId: String(room.id), capacity: "9" })),
      "capacity",
      "sessions.error.capacityOverRoom?max=8",
    );
  });

  it("a recurrence with no end", async () => {
    await refused(group({ endKind: "count", count: "" }), "count", "sessions.recurrence.noEnd");
    await refused(group({ endKind: [], count: "", until: "" }), "endKind", "sessions.recurrence.noEnd");
  });

  it("thousands of occurrences: capped, and the message says so", async () => {
    await refused(group({ count: "10000" }), "count", "sessions.recurrence.tooMany?max=200");
    await refused(group({ endKind: "until", count: "", until: "2060-01-01", weekdays: ["1", "2", "3", "4", "5"] }), "until", "sessions.recurrence.tooMany?max=200");
  });

  it("no weekday, bad exception dates", async () => {
    await refused(group({ weekdays: [] }), "weekdays", "sessions.recurrence.noWeekdays");
    await refused(group({ weekdays: ["9"] }), "weekdays", "sessions.recurrence.noWeekdays");
    await refused(group({ exceptionDates: "2027-02-30" }), "exceptionDates", "sessions.error.badExceptionDates");
  });

  it("unknown studio, room and person ids", async () => {
    await refused(one({ studioId: "999999" }), "studioId", "form.unknownId");
    await refused(one({ studioId: "abc" }), "studioId", "form.unknownId");
    await refused(one({ roomId: "999999" }), "roomId", "form.unknownId");
    await refused(one({ facilitatorIds: ["999999"] }), "facilitatorIds", "form.unknownId");
    await refused(one({ facilitatorIds: ["x"] }), "facilitatorIds", "form.unknownId");
    await refused(one({ facilitatorIds: [] }), "facilitatorIds", "sessions.error.noFacilitator");
  });

  it("over-long and control-character topics, an unknown kind, a time that is not a time", async () => {
    await refused(one({ topic: "很".repeat(81) }), "topic", "form.tooLong?max=80");
    await refused(one({ topic: "测试\u0007主题" }), "topic", "form.controlChars");
    await refused(one({ kind: "poker" }), "kind", "form.unknownChoice");
    await refused(one({ startTime: "25:00" }), "startTime", "form.invalidTime");
    await refused(one({ date: "2027-02-30" }), "date", "form.invalidDate");
  });

  it("a time that does not exist or happens twice at a daylight-saving change (zone Europe/Berlin)", async () => {
    useTimeZone("Europe/Berlin");
    try {
      await refused(one({ date: "2027-03-28", startTime: "02:30", endTime: "03:30" }), "startTime", "sessions.error.nonexistentTime");
      await refused(one({ date: "2027-10-31", startTime: "02:30", endTime: "03:30" }), "startTime", "sessions.error.ambiguousTime");
    } finally {
      useTimeZone("Asia/Shanghai");
    }
  });

  it("a body that is not a form", async () => {
    const request = new Request("http://localhost/sessions/new", {
      method: "POST",
      headers: { Cookie: coordinator.cookie, "Content-Type": "multipart/form-data; boundary=nope" },
      body: "garbage",
    });
    const res = await respond(() => sessionNew.action({ request, params: {}, context }));
    expect(res.status).toBe(400);
  });
});

describe("coordinators schedule in their own districts only", () => {
  it("a studio of another district in the form is a field error, and nothing is saved", async () => {
    const foreign = makeScheduleStudio({ districtId: makeDistrict().id });
    await refused(
      call(sessionNew.action, "/sessions/new", coordinator.cookie, {}, sessionForm(foreign.id, [sw.personId])),
      "studioId",
      "sessions.error.studioOtherDistrict",
    );
    await refused(call(groupNew.action, "/groups/new", coordinator.cookie, {}, groupForm(foreign.id, [sw.personId])), "studioId", "sessions.error.studioOtherDistrict");
  });

  it("the new-session form offers only studios of the coordinator's districts", async () => {
    const foreign = makeScheduleStudio({ districtId: makeDistrict().id });
    const res = await call(sessionNew.loader, `/sessions/new?studioId=${foreign.id}`, coordinator.cookie);
    const body = res.body as { studios: { id: number }[]; studioId: number | null };
    expect(body.studios.map((s) => s.id)).toContain(studioId);
    expect(body.studios.map((s) => s.id)).not.toContain(foreign.id);
    expect(body.studioId).toBeNull();
  });

  it("changing or cancelling a session of another district is 403, though it may be read", async () => {
    const otherDistrict = makeDistrict().id;
    const foreign = makeScheduleStudio({ districtId: otherDistrict });
    const other = await makeSocialWorker(otherDistrict);
    const s = makeRawSession({ studioId: foreign.id, startsAt: "2027-05-05T02:00:00.000Z", endsAt: "2027-05-05T03:00:00.000Z", facilitatorIds: [other.personId] });
    const path = `/sessions/${s.id}`;
    expect((await call(sessionPage.loader, path, coordinator.cookie, { id: String(s.id) })).status).toBe(200);
    const cancel = await call(sessionPage.action, path, coordinator.cookie, { id: String(s.id) }, { intent: "cancel", reason: "测试（虚构）", confirm: "yes" });
    expect(cancel.status).toBe(403);
    const edit = await call(sessionPage.action, path, coordinator.cookie, { id: String(s.id) }, sessionForm(foreign.id, [other.personId]));
    expect(edit.status).toBe(403);
    expect(getDb().select().from(groupSessions).where(eq(groupSessions.id, s.id)).get()!.status).toBe("scheduled");
  });

  it("a 'this and following' edit of another district's group is 403", async () => {
    const otherDistrict = makeDistrict().id;
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const foreign = makeScheduleStudio({ districtId: otherDistrict });
    const other = await makeSocialWorker(otherDistrict);
    const created = await call(groupNew.action, "/groups/new", admin.cookie, {}, groupForm(foreign.id, [other.personId], { count: "2", startDate: "2030-01-01" }));
    expect(created.status).toBe(302);
    const groupId = created.headers.get("Location")!.split("/")[2]!;
    const first = sessionsOfGroup(Number(groupId))[0]!;
    const res = await call(groupPage.action, `/groups/${groupId}`, coordinator.cookie, { id: groupId }, groupForm(foreign.id, [other.personId], { fromSessionId: String(first.id) }));
    expect(res.status).toBe(403);
  });

  it("peer tutors and social workers read schedules but cannot schedule", async () => {
    const tutor = await makePeerTutor(districtId);
    expect((await call(studiosList.loader, "/studios", tutor.cookie)).status).toBe(200);
    expect((await call(studioPage.loader, `/studios/${studioId}`, tutor.cookie, { id: String(studioId) })).status).toBe(200);
    expect((await call(sessionNew.loader, "/sessions/new", tutor.cookie)).status).toBe(403);
    expect((await call(groupNew.action, "/groups/new", sw.cookie, {}, groupForm(studioId, [sw.personId]))).status).toBe(403);
    expect((await call(studioPage.action, `/studios/${studioId}`, tutor.cookie, { id: String(studioId) }, { nameZh: "室", nameEn: "Room", capacity: "5" })).status).toBe(403);
  });

  it("an unknown or malformed id is 404", async () => {
    expect((await call(sessionPage.loader, "/sessions/999999", coordinator.cookie, { id: "999999" })).status).toBe(404);
    expect((await call(groupPage.loader, "/groups/abc", coordinator.cookie, { id: "abc" })).status).toBe(404);
    expect((await call(studioPage.loader, "/studios/0", coordinator.cookie, { id: "0" })).status).toBe(404);
  });
});

describe("'this and following' and 'only this one' through the pages", () => {
  it("the group page's edit from the 3rd session moves the later sessions and keeps the earlier ones", async () => {
    const studio = makeScheduleStudio({ districtId });
    const created = await call(groupNew.action, "/groups/new", coordinator.cookie, {}, groupForm(studio.id, [sw.personId], { count: "5", startDate: "2031-01-06" }));
    const groupId = created.headers.get("Location")!.split("/")[2]!;
    const before = sessionsOfGroup(Number(groupId));
    const third = before[2]!;
    const page = await call(groupPage.loader, `/groups/${groupId}?from=${third.id}`, coordinator.cookie, { id: groupId });
    const defaults = (page.body as { defaults: Record<string, string> }).defaults;
    expect(defaults).toMatchObject({ startDate: "2031-01-21", count: "3", weekdays: "2", startTime: "19:00", endTime: "20:30" });
    const res = await call(groupPage.action, `/groups/${groupId}`, coordinator.cookie, { id: groupId }, {
      ...defaults,
      weekdays: ["3"],
      facilitatorIds: [String(sw.personId)],
      intent: "save",
    });
    expect(res.status).toBe(302);
    const newGroupId = Number(res.headers.get("Location")!.split("/")[2]);
    expect(newGroupId).not.toBe(Number(groupId));
    expect(sessionsOfGroup(Number(groupId)).map((s) => s.startsAt)).toEqual(before.slice(0, 2).map((s) => s.startsAt));
    expect(sessionsOfGroup(newGroupId).map((s) => [s.id, s.startsAt.slice(0, 10)])).toEqual([
      [before[2]!.id, "2031-01-22"],
      [before[3]!.id, "2031-01-29"],
      [before[4]!.id, "2031-02-05"],
    ]);
  });

  it("'only this one' on the session page changes that session alone", async () => {
    const studio = makeScheduleStudio({ districtId });
    const created = await call(groupNew.action, "/groups/new", coordinator.cookie, {}, groupForm(studio.id, [sw.personId], { count: "3", startDate: "2032-01-05" }));
    const groupId = Number(created.headers.get("Location")!.split("/")[2]);
    const before = sessionsOfGroup(groupId);
    const second = before[1]!;
    const res = await call(sessionPage.action, `/sessions/${second.id}`, coordinator.cookie, { id: String(second.id) }, sessionForm(studio.id, [sw.personId], {
      topic: "测试单独修改（虚构）",
      date: "2032-01-14",
      startTime: "10:00",
      endTime: "11:00",
    }));
    expect(res.status).toBe(302);
    const after = sessionsOfGroup(groupId);
    expect(after[1]).toMatchObject({ id: second.id, topic: "测试单独修改（虚构）", startsAt: "2032-01-14T02:00:00.000Z", groupId, occurrence: 2 });
    expect([after[0], after[2]]).toEqual([before[0], before[2]]);
  });
});

describe("cancelling through the session page", () => {
  it("asks for a reason and a confirmation, then cancels, notifies the facilitators and audits", async () => {
    const tutor = await makePeerTutor(districtId);
    const created = await call(sessionNew.action, "/sessions/new", coordinator.cookie, {}, sessionForm(studioId, [tutor.personId], { date: "2033-03-03" }));
    expect(created.status).toBe(302);
    const id = created.headers.get("Location")!.split("/")[2]!;
    const path = `/sessions/${id}`;
    const noReason = await call(sessionPage.action, path, coordinator.cookie, { id }, { intent: "cancel", reason: "", confirm: "yes" });
    expect(noReason.status).toBe(400);
    expect((noReason.body as FormBody).errors.reason).toBe("form.required");
    const noConfirm = await call(sessionPage.action, path, coordinator.cookie, { id }, { intent: "cancel", reason: "讲师生病（虚构）" });
    expect(noConfirm.status).toBe(400);
    expect((noConfirm.body as FormBody).errors.confirm).toBe("sessions.cancel.confirmRequired");
    expect((noConfirm.body as FormBody).values.reason).toBe("讲师生病（虚构）");

    const ok = await call(sessionPage.action, path, coordinator.cookie, { id }, { intent: "cancel", reason: "讲师生病（虚构）", confirm: "yes" });
    expect(ok.status).toBe(302);
    expect(getDb().select().from(groupSessions).where(eq(groupSessions.id, Number(id))).get()).toMatchObject({ status: "cancelled", cancelReason: "讲师生病（虚构）" });
    const mine = getDb().select().from(notifications).where(eq(notifications.userId, tutor.id)).all();
    expect(mine.map((n) => n.messageKey)).toEqual(["sessions.notice.cancelled"]);
    expect(getDb().select().from(auditLog).where(eq(auditLog.action, "cancel")).all().some((a) => a.entityId === id)).toBe(true);

    // the facilitator reads it, sees it counted, and marks it read; someone else cannot
    const list = await call(notificationsPage.loader, "/notifications", tutor.cookie);
    expect(list.body).toMatchObject({ unread: 1, total: 1 });
    const stranger = await makeSocialWorker(districtId);
    const notMine = await call(notificationsPage.action, "/notifications", stranger.cookie, {}, { id: String(mine[0]!.id) });
    expect(notMine.status).toBe(400);
    const read = await call(notificationsPage.action, "/notifications", tutor.cookie, {}, { id: String(mine[0]!.id) });
    expect(read.status).toBe(302);
    expect(getDb().select().from(notifications).where(eq(notifications.id, mine[0]!.id)).get()!.readAt).not.toBeNull();
    expect((await call(notificationsPage.action, "/notifications", tutor.cookie, {}, { id: "nope" })).status).toBe(400);
  });

  it("a facilitator sees that they facilitate, and cannot cancel", async () => {
    const tutor = await makePeerTutor(districtId);
    const s = makeRawSession({ studioId, startsAt: "2033-04-04T02:00:00.000Z", endsAt: "2033-04-04T03:00:00.000Z", facilitatorIds: [tutor.personId] });
    const page = await call(sessionPage.loader, `/sessions/${s.id}`, tutor.cookie, { id: String(s.id) });
    expect(page.body).toMatchObject({ isFacilitator: true, canEdit: false, mode: "view" });
    expect((await call(sessionPage.action, `/sessions/${s.id}`, tutor.cookie, { id: String(s.id) }, { intent: "cancel", reason: "x", confirm: "yes" })).status).toBe(403);
  });
});
