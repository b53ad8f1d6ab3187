/**
 * Cancelling tells the facilitators and the registered clients' workers (in-app notifications) and
 * is audited; facilitator suggestions list free, eligible people of the studio's district,
 * least-loaded first; utilisation is booked hours ÷ opening hours for a month.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, groupSessions, notifications, users } from "#db/schema";
import { getDb } from "~/db.server";
import type { Actor } from "~/domain/audit";
import { cancelSession, createSession, studioUtilisation, suggestForSession, unreadCount } from "~/domain/sessions";
import { makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { makeDistrict } from "../../factories";
import { WEEKDAYS_9_TO_5, makeRawSession, makeRoom, makeScheduleStudio, registerClient } from "../../sessions-factories";

let districtId = 0;
let viewer: { roles: { role: "coordinator"; districtId: number }[] };
let actor: Actor;

beforeAll(async () => {
  districtId = makeDistrict().id;
  const coordinator = await makeCoordinator([districtId]);
  viewer = { roles: [{ role: "coordinator", districtId }] };
  actor = { userId: coordinator.id, login: coordinator.login, ip: "127.0.0.1" };
});

describe("cancelling a session", () => {
  it("cancels with the reason, notifies both facilitators and the registered client's workers, and audits it", async () => {
    const studio = makeScheduleStudio({ districtId });
    const sw = await makeSocialWorker(districtId);
    const tutor = await makePeerTutor(districtId);
    const caseWorker = await makeSocialWorker(districtId);
    const client = await makeClient({ districtId, socialWorkerPersonId: caseWorker.personId });
    const id = createSession(getDb(), actor, viewer, {
      studioId: studio.id, roomId: null, topic: "测试家庭小组（虚构）", kind: "family", capacity: 12,
      facilitatorIds: [sw.personId, tutor.personId], date: "2027-01-06", startTime: "10:00", endTime: "11:00",
    });
    registerClient(id, client.id);
    expect(unreadCount(getDb(), sw.id)).toBe(0);

    const { notified } = cancelSession(getDb(), actor, viewer, id, "工作室停电（虚构）");
    expect(notified).toBe(3);
    const row = getDb().select().from(groupSessions).where(eq(groupSessions.id, id)).get()!;
    expect(row).toMatchObject({ status: "cancelled", cancelReason: "工作室停电（虚构）", sequence: 1 });
    for (const userId of [sw.id, tutor.id, caseWorker.id]) {
      const mine = getDb().select().from(notifications).where(eq(notifications.userId, userId)).all();
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        kind: "sessionCancelled",
        messageKey: "sessions.notice.cancelled",
        link: `/sessions/${id}`,
        readAt: null,
        params: { topic: "测试家庭小组（虚构）", startsAt: "2027-01-06T02:00:00.000Z", reason: "工作室停电（虚构）" },
      });
      expect(unreadCount(getDb(), userId)).toBe(1);
    }
    // the coordinator who cancelled is not told what they did
    expect(getDb().select().from(notifications).where(eq(notifications.userId, actor.userId!)).all()).toHaveLength(0);
    const audit = getDb().select().from(auditLog).where(eq(auditLog.action, "cancel")).all().find((a) => a.entityId === String(id));
    expect(audit?.details).toEqual({ reason: "工作室停电（虚构）", notified: 3 });
  });

  it("a cancelled session cannot be cancelled again", async () => {
    const studio = makeScheduleStudio({ districtId });
    const sw = await makeSocialWorker(districtId);
    const session = makeRawSession({ studioId: studio.id, startsAt: "2027-01-06T02:00:00.000Z", endsAt: "2027-01-06T03:00:00.000Z", facilitatorIds: [sw.personId], status: "cancelled" });
    expect(() => cancelSession(getDb(), actor, viewer, session.id, "再次取消（虚构）")).toThrow("sessions.error.notScheduled");
  });

  it("inactive logins are not notified", async () => {
    const studio = makeScheduleStudio({ districtId });
    const sw = await makeSocialWorker(districtId);
    const session = makeRawSession({ studioId: studio.id, startsAt: "2027-01-07T02:00:00.000Z", endsAt: "2027-01-07T03:00:00.000Z", facilitatorIds: [sw.personId] });
    getDb().update(users).set({ active: false }).where(eq(users.id, sw.id)).run();
    expect(cancelSession(getDb(), actor, viewer, session.id, "测试（虚构）").notified).toBe(0);
  });
});

describe("facilitator suggestions", () => {
  it("lists only free, eligible people of the studio's district, least-loaded this month first, with their load", async () => {
    const d = makeDistrict().id;
    const coordinatorViewer = { roles: [{ role: "coordinator" as const, districtId: d }] };
    const studio = makeScheduleStudio({ districtId: d });
    const elsewhere = makeScheduleStudio({ districtId: d });
    const busy = await makeSocialWorker(d);
    const twoSessions = await makeSocialWorker(d);
    const oneSession = await makeSocialWorker(d);
    const idle = await makePeerTutor(d);
    const revoked = await makePeerTutor(d, { status: "revoked" });
    const expired = await makePeerTutor(d, { expiresOn: "2026-12-31" });
    const otherDistrict = await makeSocialWorker(makeDistrict().id);
    // January load (Shanghai month); a cancelled session and one in February do not count
    makeRawSession({ studioId: elsewhere.id, startsAt: "2027-01-11T02:00:00.000Z", endsAt: "2027-01-11T03:00:00.000Z", facilitatorIds: [twoSessions.personId] });
    makeRawSession({ studioId: elsewhere.id, startsAt: "2027-01-12T02:00:00.000Z", endsAt: "2027-01-12T03:00:00.000Z", facilitatorIds: [twoSessions.personId] });
    makeRawSession({ studioId: elsewhere.id, startsAt: "2027-01-13T02:00:00.000Z", endsAt: "2027-01-13T03:00:00.000Z", facilitatorIds: [oneSession.personId] });
    makeRawSession({ studioId: elsewhere.id, startsAt: "2027-01-14T02:00:00.000Z", endsAt: "2027-01-14T03:00:00.000Z", facilitatorIds: [oneSession.personId], status: "cancelled" });
    makeRawSession({ studioId: elsewhere.id, startsAt: "2027-02-01T02:00:00.000Z", endsAt: "2027-02-01T03:00:00.000Z", facilitatorIds: [idle.personId] });
    // busy at the time asked for: 2027-01-20 14:00–15:30 Shanghai = 06:00–07:30 UTC
    makeRawSession({ studioId: elsewhere.id, startsAt: "2027-01-20T07:00:00.000Z", endsAt: "2027-01-20T08:00:00.000Z", facilitatorIds: [busy.personId] });

    const { month, people } = suggestForSession(getDb(), coordinatorViewer, { studioId: studio.id, date: "2027-01-20", startTime: "14:00", endTime: "15:30" });
    expect(month).toBe("2027-01");
    expect(people.map((p) => [p.personId, p.load, p.role])).toEqual([
      [idle.personId, 0, "peerTutor"],
      [oneSession.personId, 1, "socialWorker"],
      [twoSessions.personId, 2, "socialWorker"],
    ]);
    const ids = people.map((p) => p.personId);
    for (const absent of [busy, revoked, expired, otherDistrict]) expect(ids).not.toContain(absent.personId);
  });

  it("leaves out a social worker whose login is disabled, as every other 'active social worker' list does", async () => {
    const d = makeDistrict().id;
    const coordinatorViewer = { roles: [{ role: "coordinator" as const, districtId: d }] };
    const studio = makeScheduleStudio({ districtId: d });
    const kept = await makeSocialWorker(d);
    const leaving = await makeSocialWorker(d);
    getDb().update(users).set({ active: false }).where(eq(users.id, leaving.id)).run();

    const { people } = suggestForSession(getDb(), coordinatorViewer, { studioId: studio.id, date: "2027-01-20", startTime: "14:00", endTime: "15:30" });
    const ids = people.map((p) => p.personId);
    expect(ids).toContain(kept.personId);
    expect(ids).not.toContain(leaving.personId);
  });

  it("keeps places for peer tutors when a district's many idle social workers would fill the list", async () => {
    const d = makeDistrict().id;
    const coordinatorViewer = { roles: [{ role: "coordinator" as const, districtId: d }] };
    const studio = makeScheduleStudio({ districtId: d });
    const elsewhere = makeScheduleStudio({ districtId: d });
    const workers = [];
    for (let i = 0; i < 12; i++) workers.push(await makeSocialWorker(d));
    const busyTutor = await makePeerTutor(d);
    // the tutor leads two sessions in January, so every idle social worker sorts before them
    makeRawSession({ studioId: elsewhere.id, startsAt: "2027-01-11T02:00:00.000Z", endsAt: "2027-01-11T03:00:00.000Z", facilitatorIds: [busyTutor.personId] });
    makeRawSession({ studioId: elsewhere.id, startsAt: "2027-01-12T02:00:00.000Z", endsAt: "2027-01-12T03:00:00.000Z", facilitatorIds: [busyTutor.personId] });

    const { people } = suggestForSession(getDb(), coordinatorViewer, { studioId: studio.id, date: "2027-01-20", startTime: "14:00", endTime: "15:30" });
    expect(people.filter((p) => p.role === "socialWorker")).toHaveLength(10);
    expect(people.find((p) => p.personId === busyTutor.personId)).toMatchObject({ role: "peerTutor", load: 2 });
  });

  it("refuses to suggest for a studio of another district", async () => {
    const studio = makeScheduleStudio({ districtId: makeDistrict().id });
    expect(() => suggestForSession(getDb(), viewer, { studioId: studio.id, date: "2027-01-20", startTime: "14:00", endTime: "15:30" })).toThrow(
      "sessions.error.studioOtherDistrict",
    );
  });
});

describe("studio utilisation", () => {
  it("is booked hours ÷ opening hours for the month, cancelled sessions and other months not counted", () => {
    // March 2027: 1 March is a Monday; 23 weekdays (Mon–Fri) × 8 h = 184 h of opening
    const studio = makeScheduleStudio({ districtId, openingHours: WEEKDAYS_9_TO_5 });
    const at = (date: string, from: string, to: string, status: "scheduled" | "held" | "cancelled" = "scheduled") =>
      makeRawSession({ studioId: studio.id, startsAt: `${date}T${from}:00.000Z`, endsAt: `${date}T${to}:00.000Z`, status });
    at("2027-03-02", "01:00", "03:00", "held"); // 2 h (09:00–11:00 Shanghai)
    at("2027-03-10", "06:00", "07:30"); // 1.5 h
    at("2027-03-31", "08:00", "09:00"); // 1 h
    at("2027-03-11", "02:00", "06:00", "cancelled"); // not counted
    at("2027-04-01", "02:00", "04:00"); // April
    at("2027-02-28", "17:00", "18:00"); // 1 March 01:00 Shanghai: in March by local time, 1 h
    const u = studioUtilisation(getDb(), studio.id, "2027-03", "Asia/Shanghai")!;
    expect(u.availableMinutes).toBe(184 * 60);
    expect(u.bookedMinutes).toBe((2 + 1.5 + 1 + 1) * 60);
    expect(u.ratio).toBeCloseTo(5.5 / 184, 10);
  });

  it("counts the opening hours once per room for a studio with rooms", () => {
    const studio = makeScheduleStudio({ districtId, openingHours: WEEKDAYS_9_TO_5 });
    makeRoom(studio.id);
    makeRoom(studio.id);
    // February 2027: 20 weekdays × 8 h × 2 rooms = 320 h
    const u = studioUtilisation(getDb(), studio.id, "2027-02", "Asia/Shanghai")!;
    expect(u.availableMinutes).toBe(320 * 60);
    expect(u.ratio).toBe(0);
  });
});
