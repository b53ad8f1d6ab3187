/**
 * The scheduling rules: a facilitator in two overlapping sessions, two overlapping sessions in one
 * room, a session outside opening hours and a facilitator who may not facilitate are refused, with
 * every conflicting date reported and nothing saved.
 */
import { count } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, groupSessions, groups, peerTutors, sessionFacilitators, staffProfiles } from "#db/schema";
import { eq } from "drizzle-orm";
import { getDb } from "~/db.server";
import type { Actor } from "~/domain/audit";
import { ConflictError, createGroup, createSession, type GroupInput, type SessionInput } from "~/domain/sessions";
import { makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { makeDistrict } from "../../factories";
import { WEEKDAYS_9_TO_5, makeRawSession, makeRoom, makeScheduleStudio } from "../../sessions-factories";

let districtId = 0;
let viewer: { roles: { role: "coordinator"; districtId: number }[] };
let actor: Actor;

beforeAll(async () => {
  districtId = makeDistrict().id;
  const coordinator = await makeCoordinator([districtId]);
  viewer = { roles: [{ role: "coordinator", districtId }] };
  actor = { userId: coordinator.id, login: coordinator.login, ip: "127.0.0.1" };
});

const counts = () => {
  const db = getDb();
  return {
    sessions: db.select({ n: count() }).from(groupSessions).get()!.n,
    groups: db.select({ n: count() }).from(groups).get()!.n,
    facilitators: db.select({ n: count() }).from(sessionFacilitators).get()!.n,
    audit: db.select({ n: count() }).from(auditLog).get()!.n,
  };
};

function conflictOf(fn: () => unknown): ConflictError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConflictError) return e;
    throw e;
  }
  throw new Error("expected a ConflictError");
}

const session = (studioId: number, facilitatorIds: number[], overrides: Partial<SessionInput> = {}): SessionInput => ({
  studioId,
  roomId: null,
  topic: "测试小组活动（虚构）",
  kind: "peerSupport",
  capacity: 10,
  facilitatorIds,
  date: "2027-01-05",
  startTime: "14:00",
  endTime: "15:30",
  ...overrides,
});

const series = (studioId: number, facilitatorIds: number[], overrides: Partial<GroupInput> = {}): GroupInput => ({
  studioId,
  roomId: null,
  topic: "测试同伴支持小组（虚构）",
  kind: "peerSupport",
  capacity: 10,
  facilitatorIds,
  startDate: "2027-01-04",
  startTime: "19:00",
  endTime: "20:30",
  frequency: "weekly",
  weekdays: [2],
  endKind: "count",
  count: 8,
  until: null,
  exceptionDates: [],
  ...overrides,
});

describe("a facilitator cannot be in two overlapping sessions", () => {
  it("a double-booked facilitator refuses the whole series, lists every conflicting date, and saves nothing", async () => {
    const studio = makeScheduleStudio({ districtId });
    const other = makeScheduleStudio({ districtId });
    const sw = await makeSocialWorker(districtId);
    // busy on the 2nd and 5th Tuesdays (19:00 Shanghai = 11:00 UTC)
    makeRawSession({ studioId: other.id, startsAt: "2027-01-12T11:30:00.000Z", endsAt: "2027-01-12T13:00:00.000Z", facilitatorIds: [sw.personId], topic: "另一个小组（虚构）" });
    makeRawSession({ studioId: other.id, startsAt: "2027-02-02T10:00:00.000Z", endsAt: "2027-02-02T11:30:00.000Z", facilitatorIds: [sw.personId], topic: "另一个小组（虚构）" });
    const before = counts();
    const error = conflictOf(() => createGroup(getDb(), actor, viewer, series(studio.id, [sw.personId])));
    expect(error.problems.map((p) => p.local)).toEqual(["2027-01-12T19:00", "2027-02-02T19:00"]);
    expect(error.problems.map((p) => p.index)).toEqual([2, 5]);
    expect(error.problems[0]!.key).toMatch(/^sessions\.conflict\.facilitatorBusy\?/);
    expect(decodeURIComponent(error.problems[0]!.key)).toContain("19:30–21:00");
    expect(counts()).toEqual(before);
  });

  it("sessions that only touch (one ends when the other starts) do not conflict", async () => {
    const studio = makeScheduleStudio({ districtId });
    const sw = await makeSocialWorker(districtId);
    makeRawSession({ studioId: studio.id, startsAt: "2027-01-05T05:00:00.000Z", endsAt: "2027-01-05T06:00:00.000Z", facilitatorIds: [sw.personId] });
    const id = createSession(getDb(), actor, viewer, session(studio.id, [sw.personId], { startTime: "14:00", endTime: "15:00" }));
    expect(id).toBeGreaterThan(0);
  });

  it("a cancelled session does not keep its facilitator busy", async () => {
    const studio = makeScheduleStudio({ districtId });
    const sw = await makeSocialWorker(districtId);
    makeRawSession({ studioId: studio.id, startsAt: "2027-01-05T06:00:00.000Z", endsAt: "2027-01-05T07:00:00.000Z", facilitatorIds: [sw.personId], status: "cancelled" });
    expect(createSession(getDb(), actor, viewer, session(studio.id, [sw.personId]))).toBeGreaterThan(0);
  });
});

describe("a room cannot hold two overlapping sessions", () => {
  it("a one-off session in a booked room is refused with the other session named", async () => {
    const studio = makeScheduleStudio({ districtId });
    const room = makeRoom(studio.id);
    const sw = await makeSocialWorker(districtId);
    makeRawSession({ studioId: studio.id, roomId: room.id, startsAt: "2027-01-05T06:30:00.000Z", endsAt: "2027-01-05T08:00:00.000Z", topic: "占用活动室（虚构）" });
    const before = counts();
    const error = conflictOf(() => createSession(getDb(), actor, viewer, session(studio.id, [sw.personId], { roomId: room.id })));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]!.key).toMatch(/^sessions\.conflict\.roomBusy\?/);
    expect(decodeURIComponent(error.problems[0]!.key)).toContain("占用活动室（虚构）");
    expect(counts()).toEqual(before);
  });

  it("another room of the same studio at the same time is fine", async () => {
    const studio = makeScheduleStudio({ districtId });
    const a = makeRoom(studio.id);
    const b = makeRoom(studio.id);
    const sw = await makeSocialWorker(districtId);
    makeRawSession({ studioId: studio.id, roomId: a.id, startsAt: "2027-01-05T06:00:00.000Z", endsAt: "2027-01-05T07:30:00.000Z" });
    expect(createSession(getDb(), actor, viewer, session(studio.id, [sw.personId], { roomId: b.id }))).toBeGreaterThan(0);
  });

  it("a studio without rooms is one space: two overlapping sessions there are refused", async () => {
    const studio = makeScheduleStudio({ districtId });
    const sw = await makeSocialWorker(districtId);
    makeRawSession({ studioId: studio.id, startsAt: "2027-01-05T07:00:00.000Z", endsAt: "2027-01-05T08:00:00.000Z" });
    const error = conflictOf(() => createSession(getDb(), actor, viewer, session(studio.id, [sw.personId])));
    expect(error.problems[0]!.key).toMatch(/^sessions\.conflict\.studioBusy\?/);
  });
});

describe("a session lies within the studio's opening hours", () => {
  it("a session ending after closing time is refused", async () => {
    const studio = makeScheduleStudio({ districtId, openingHours: WEEKDAYS_9_TO_5 });
    const sw = await makeSocialWorker(districtId);
    const error = conflictOf(() => createSession(getDb(), actor, viewer, session(studio.id, [sw.personId], { startTime: "16:30", endTime: "17:30" })));
    expect(error.problems).toEqual([{ index: null, local: "2027-01-05T16:30", key: "sessions.conflict.outsideHours" }]);
  });

  it("a session on a day the studio is closed is refused; one inside the hours is saved", async () => {
    const studio = makeScheduleStudio({ districtId, openingHours: WEEKDAYS_9_TO_5 });
    const sw = await makeSocialWorker(districtId);
    // 2027-01-09 is a Saturday
    const error = conflictOf(() => createSession(getDb(), actor, viewer, session(studio.id, [sw.personId], { date: "2027-01-09" })));
    expect(error.problems[0]!.key).toBe("sessions.conflict.outsideHours");
    expect(createSession(getDb(), actor, viewer, session(studio.id, [sw.personId], { startTime: "09:00", endTime: "17:00" }))).toBeGreaterThan(0);
  });

  it("a series reports every date that falls outside the hours", async () => {
    // open Monday to Friday only; Tuesdays and Saturdays asked for
    const studio = makeScheduleStudio({ districtId, openingHours: WEEKDAYS_9_TO_5 });
    const sw = await makeSocialWorker(districtId);
    const error = conflictOf(() =>
      createGroup(getDb(), actor, viewer, series(studio.id, [sw.personId], { weekdays: [2, 6], count: 4, startTime: "10:00", endTime: "11:00" })),
    );
    expect(error.problems.map((p) => p.local)).toEqual(["2027-01-09T10:00", "2027-01-16T10:00"]);
  });
});

describe("only an active social worker or a peer tutor who may practise can facilitate", () => {
  it("a revoked peer tutor is refused as facilitator", async () => {
    const studio = makeScheduleStudio({ districtId });
    const tutor = await makePeerTutor(districtId, { status: "revoked" });
    const error = conflictOf(() => createSession(getDb(), actor, viewer, session(studio.id, [tutor.personId])));
    expect(error.problems[0]!.key).toMatch(/^sessions\.conflict\.notEligible\.tutor_not_active\?/);
  });

  it("an expired certificate refuses the dates after its expiry only", async () => {
    const studio = makeScheduleStudio({ districtId });
    const tutor = await makePeerTutor(districtId, { expiresOn: "2027-01-20" });
    const error = conflictOf(() => createGroup(getDb(), actor, viewer, series(studio.id, [tutor.personId], { count: 4 })));
    expect(error.problems.map((p) => p.local)).toEqual(["2027-01-26T19:00"]);
    expect(error.problems[0]!.key).toMatch(/^sessions\.conflict\.notEligible\.expired\?/);
  });

  it("an active, certified peer tutor may facilitate", async () => {
    const studio = makeScheduleStudio({ districtId });
    const tutor = await makePeerTutor(districtId);
    expect(createSession(getDb(), actor, viewer, session(studio.id, [tutor.personId]))).toBeGreaterThan(0);
  });

  it("a person who is neither is refused; a social worker whose staff profile ended but whose login still holds the role may facilitate", async () => {
    const studio = makeScheduleStudio({ districtId });
    const coordinator = await makeCoordinator([districtId]);
    const error = conflictOf(() => createSession(getDb(), actor, viewer, session(studio.id, [coordinator.personId])));
    expect(error.problems[0]!.key).toMatch(/^sessions\.conflict\.notEligible\.not_a_tutor\?/);
    const sw = await makeSocialWorker(districtId);
    getDb().update(staffProfiles).set({ active: false }).where(eq(staffProfiles.personId, sw.personId)).run();
    expect(createSession(getDb(), actor, viewer, session(studio.id, [sw.personId], { date: "2027-01-07" }))).toBeGreaterThan(0);
  });

  it("a paused peer tutor is refused", async () => {
    const studio = makeScheduleStudio({ districtId });
    const tutor = await makePeerTutor(districtId);
    getDb().update(peerTutors).set({ status: "paused" }).where(eq(peerTutors.personId, tutor.personId)).run();
    const error = conflictOf(() => createSession(getDb(), actor, viewer, session(studio.id, [tutor.personId])));
    expect(error.problems[0]!.key).toMatch(/notEligible\.tutor_not_active/);
  });
});
