/**
 * Groups and their series: creation expands the rule into sessions (UTC, from local times),
 * "this and following" splits the series and moves the later sessions, "only this one" changes
 * one session, and daylight-saving gaps and overlaps in a configured zone are refused.
 */
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, groupSessions, groups, sessionFacilitators } from "#db/schema";
import { getDb } from "~/db.server";
import type { Actor } from "~/domain/audit";
import { isDomainError } from "~/domain/shared/errors";
import {
  ConflictError,
  createGroup,
  createSession,
  editGroupFrom,
  expandRule,
  groupDetail,
  updateSession,
  type GroupInput,
} from "~/domain/sessions";
import { makeClient, makeCoordinator, makeSocialWorker } from "../../clients-factories";
import { makeDistrict } from "../../factories";
import { makeScheduleStudio, registerClient, sessionsOfGroup, useTimeZone } from "../../sessions-factories";

let districtId = 0;
let viewer: { roles: { role: "coordinator"; districtId: number }[] };
let actor: Actor;

beforeAll(async () => {
  districtId = makeDistrict().id;
  const coordinator = await makeCoordinator([districtId]);
  viewer = { roles: [{ role: "coordinator", districtId }] };
  actor = { userId: coordinator.id, login: coordinator.login, ip: "127.0.0.1" };
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

const facilitatorsOf = (sessionId: number) =>
  getDb().select({ p: sessionFacilitators.personId }).from(sessionFacilitators).where(eq(sessionFacilitators.sessionId, sessionId)).all().map((r) => r.p).sort();

describe("creating a group", () => {
  it("weekly 8 times on Tuesdays creates 8 sessions at 19:00 Shanghai time, stored in UTC, and audits it", async () => {
    const studio = makeScheduleStudio({ districtId });
    const sw = await makeSocialWorker(districtId);
    const { groupId, sessionIds } = createGroup(getDb(), actor, viewer, series(studio.id, [sw.personId]));
    expect(sessionIds).toHaveLength(8);
    const rows = sessionsOfGroup(groupId);
    expect(rows.map((r) => r.startsAt)).toEqual([
      "2027-01-05T11:00:00.000Z", "2027-01-12T11:00:00.000Z", "2027-01-19T11:00:00.000Z", "2027-01-26T11:00:00.000Z",
      "2027-02-02T11:00:00.000Z", "2027-02-09T11:00:00.000Z", "2027-02-16T11:00:00.000Z", "2027-02-23T11:00:00.000Z",
    ]);
    expect(rows.map((r) => r.occurrence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows.every((r) => r.endsAt.endsWith("12:30:00.000Z"))).toBe(true);
    expect(facilitatorsOf(rows[0]!.id)).toEqual([sw.personId]);
    const group = getDb().select().from(groups).where(eq(groups.id, groupId)).get()!;
    expect(group.recurrence).toBe("FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;WKST=MO;COUNT=8");
    expect(group.firstStartsLocal).toBe("2027-01-05T19:00");
    expect(group.durationMinutes).toBe(90);
    const audit = getDb().select().from(auditLog).where(eq(auditLog.entity, "group")).all().filter((a) => a.entityId === String(groupId));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ sessions: 8 });
  });

  it("fortnightly until a date with an exception date skips that date", async () => {
    const studio = makeScheduleStudio({ districtId });
    const sw = await makeSocialWorker(districtId);
    const { groupId } = createGroup(
      getDb(),
      actor,
      viewer,
      series(studio.id, [sw.personId], { frequency: "fortnightly", endKind: "until", count: null, until: "2027-03-02", exceptionDates: ["2027-02-02"] }),
    );
    const rows = sessionsOfGroup(groupId);
    expect(rows.map((r) => r.startsAt.slice(0, 10))).toEqual(["2027-01-05", "2027-01-19", "2027-02-16", "2027-03-02"]);
    expect(rows.map((r) => r.occurrence)).toEqual([1, 2, 4, 5]);
  });

  it("10,000 occurrences are refused with the cap in the message and nothing saved", async () => {
    const studio = makeScheduleStudio({ districtId });
    const sw = await makeSocialWorker(districtId);
    const before = getDb().select({ n: count() }).from(groupSessions).get()!.n;
    let key = "";
    try {
      createGroup(getDb(), actor, viewer, series(studio.id, [sw.personId], { count: 10_000 }));
    } catch (e) {
      if (isDomainError(e)) key = `${e.field}:${e.key}`;
    }
    expect(key).toBe("count:sessions.recurrence.tooMany?max=200");
    expect(getDb().select({ n: count() }).from(groupSessions).get()!.n).toBe(before);
  });
});

describe("times at a daylight-saving change (program zone Europe/Berlin)", () => {
  it("refuses a time skipped in spring and one repeated in autumn, and converts the others with the right offset", async () => {
    useTimeZone("Europe/Berlin");
    try {
      const studio = makeScheduleStudio({ districtId, openingHours: [7].map((weekday) => ({ weekday, opens: "00:00", closes: "24:00" })) });
      const sw = await makeSocialWorker(districtId);
      const one = (date: string, startTime: string, endTime: string) =>
        createSession(getDb(), actor, viewer, { studioId: studio.id, roomId: null, topic: "测试（虚构）", kind: "recreation", capacity: 5, facilitatorIds: [sw.personId], date, startTime, endTime });
      const refusal = (fn: () => unknown) => {
        try {
          fn();
        } catch (e) {
          if (isDomainError(e)) return `${e.field}:${e.key}`;
          throw e;
        }
        return "saved";
      };
      // 2027-03-28: 02:00 → 03:00; 2027-10-31: 03:00 → 02:00
      expect(refusal(() => one("2027-03-28", "02:30", "03:30"))).toBe("startTime:sessions.error.nonexistentTime");
      expect(refusal(() => one("2027-10-31", "02:15", "02:45"))).toBe("startTime:sessions.error.ambiguousTime");
      expect(refusal(() => one("2027-10-31", "01:00", "02:30"))).toBe("endTime:sessions.error.ambiguousTime");
      const id = one("2027-03-28", "10:00", "11:00");
      const row = getDb().select().from(groupSessions).where(eq(groupSessions.id, id)).get()!;
      expect(row.startsAt).toBe("2027-03-28T08:00:00.000Z");

      // a weekly series over the spring change lists the skipped date among its conflicts
      let error: ConflictError | null = null;
      try {
        createGroup(getDb(), actor, viewer, series(studio.id, [sw.personId], { startDate: "2027-03-14", weekdays: [7], count: 3, startTime: "02:30", endTime: "03:30" }));
      } catch (e) {
        if (e instanceof ConflictError) error = e;
        else throw e;
      }
      expect(error?.problems).toEqual([{ index: 3, local: "2027-03-28T02:30", key: "sessions.conflict.nonexistentTime" }]);
    } finally {
      useTimeZone("Asia/Shanghai");
    }
  });
});

describe("changing a series", () => {
  it("'this and following' from the 4th session moves the later sessions to a new group and keeps the earlier ones", async () => {
    const studio = makeScheduleStudio({ districtId });
    const a = await makeSocialWorker(districtId);
    const b = await makeSocialWorker(districtId);
    const { groupId } = createGroup(getDb(), actor, viewer, series(studio.id, [a.personId]));
    const before = sessionsOfGroup(groupId);
    const fourth = before[3]!;
    // registered clients follow their session
    const client = await makeClient({ districtId });
    registerClient(before[5]!.id, client.id);

    const result = editGroupFrom(
      getDb(),
      actor,
      viewer,
      groupId,
      fourth.id,
      series(studio.id, [b.personId], { startDate: "2027-01-26", weekdays: [4], startTime: "18:00", endTime: "19:00", count: 5, topic: "测试改期小组（虚构）" }),
    );
    expect(result).toMatchObject({ split: true, moved: 5, added: 0, removed: 0, cancelled: 0 });
    expect(result.groupId).not.toBe(groupId);

    // earlier sessions untouched, still on the old group whose rule now ends before the 4th
    const kept = sessionsOfGroup(groupId);
    expect(kept.map((s) => s.id)).toEqual(before.slice(0, 3).map((s) => s.id));
    expect(kept.map((s) => s.startsAt)).toEqual(before.slice(0, 3).map((s) => s.startsAt));
    expect(facilitatorsOf(kept[0]!.id)).toEqual([a.personId]);
    const oldGroup = getDb().select().from(groups).where(eq(groups.id, groupId)).get()!;
    expect(expandRule(oldGroup.recurrence, oldGroup.firstStartsLocal).occurrences).toHaveLength(3);

    // the 4th to 8th sessions are the same rows, now Thursdays 18:00 with the new facilitator and topic
    const moved = sessionsOfGroup(result.groupId);
    expect(moved.map((s) => s.id)).toEqual(before.slice(3).map((s) => s.id));
    expect(moved.map((s) => s.startsAt)).toEqual([
      "2027-01-28T10:00:00.000Z", "2027-02-04T10:00:00.000Z", "2027-02-11T10:00:00.000Z", "2027-02-18T10:00:00.000Z", "2027-02-25T10:00:00.000Z",
    ]);
    expect(moved.every((s) => s.topic === "测试改期小组（虚构）" && s.sequence === 1)).toBe(true);
    expect(facilitatorsOf(moved[0]!.id)).toEqual([b.personId]);
    const audit = getDb().select().from(auditLog).where(eq(auditLog.action, "editFollowing")).all().filter((x) => x.entityId === String(groupId));
    expect(audit).toHaveLength(1);
  });

  it("'this and following' with fewer dates deletes the unneeded later sessions and cancels one that has a registration", async () => {
    const studio = makeScheduleStudio({ districtId });
    const a = await makeSocialWorker(districtId);
    const { groupId } = createGroup(getDb(), actor, viewer, series(studio.id, [a.personId], { count: 6 }));
    const before = sessionsOfGroup(groupId);
    const client = await makeClient({ districtId, socialWorkerPersonId: a.personId });
    registerClient(before[5]!.id, client.id);
    const result = editGroupFrom(getDb(), actor, viewer, groupId, before[2]!.id, series(studio.id, [a.personId], { startDate: "2027-01-19", count: 2 }));
    expect(result).toMatchObject({ moved: 2, removed: 1, cancelled: 1 });
    const last = getDb().select().from(groupSessions).where(eq(groupSessions.id, before[5]!.id)).get()!;
    expect(last.status).toBe("cancelled");
    expect(getDb().select().from(groupSessions).where(eq(groupSessions.id, before[4]!.id)).get()).toBeUndefined();
  });

  it("'this and following' from the first session changes the group itself", async () => {
    const studio = makeScheduleStudio({ districtId });
    const a = await makeSocialWorker(districtId);
    const { groupId } = createGroup(getDb(), actor, viewer, series(studio.id, [a.personId], { count: 3 }));
    const first = sessionsOfGroup(groupId)[0]!;
    const result = editGroupFrom(getDb(), actor, viewer, groupId, first.id, series(studio.id, [a.personId], { count: 3, startTime: "18:00", endTime: "19:00" }));
    expect(result).toMatchObject({ groupId, split: false, moved: 3 });
    expect(sessionsOfGroup(groupId).map((s) => s.startsAt.slice(11, 16))).toEqual(["10:00", "10:00", "10:00"]);
  });

  it("'this and following' that would conflict changes nothing and lists the dates", async () => {
    const studio = makeScheduleStudio({ districtId });
    const a = await makeSocialWorker(districtId);
    const busy = await makeSocialWorker(districtId);
    const { groupId } = createGroup(getDb(), actor, viewer, series(studio.id, [a.personId], { count: 4 }));
    createSession(getDb(), actor, viewer, {
      studioId: makeScheduleStudio({ districtId }).id, roomId: null, topic: "冲突（虚构）", kind: "family", capacity: 5,
      facilitatorIds: [busy.personId], date: "2027-01-26", startTime: "19:00", endTime: "20:00",
    });
    const before = sessionsOfGroup(groupId);
    expect(() => editGroupFrom(getDb(), actor, viewer, groupId, before[1]!.id, series(studio.id, [busy.personId], { startDate: "2027-01-12", count: 3 }))).toThrow(ConflictError);
    expect(sessionsOfGroup(groupId)).toEqual(before);
  });

  it("'only this one' changes one session, keeps it in its series, and shows it as changed", async () => {
    const studio = makeScheduleStudio({ districtId });
    const a = await makeSocialWorker(districtId);
    const { groupId } = createGroup(getDb(), actor, viewer, series(studio.id, [a.personId], { count: 4 }));
    const before = sessionsOfGroup(groupId);
    const third = before[2]!;
    updateSession(getDb(), actor, viewer, third.id, {
      studioId: studio.id, roomId: null, topic: "测试单次改期（虚构）", kind: "peerSupport", capacity: 8,
      facilitatorIds: [a.personId], date: "2027-01-20", startTime: "19:00", endTime: "20:30",
    });
    const after = sessionsOfGroup(groupId);
    expect(after.map((s) => s.id)).toEqual(before.map((s) => s.id));
    const changed = after.find((s) => s.id === third.id)!;
    expect(changed).toMatchObject({ groupId, occurrence: 3, startsAt: "2027-01-20T11:00:00.000Z", topic: "测试单次改期（虚构）", capacity: 8, sequence: 1 });
    for (const s of after.filter((x) => x.id !== third.id)) expect(s).toEqual(before.find((b) => b.id === s.id));
    const detail = groupDetail(getDb(), groupId, "Asia/Shanghai")!;
    expect(detail.sessions.map((s) => s.detached)).toEqual([false, false, true, false]);
  });
});
