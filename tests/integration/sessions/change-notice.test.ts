/**
 * Changing a session's time, place or facilitators tells those involved before and after (in-app
 * notification), but not the person making the change; a change of topic alone tells nobody. A
 * "this and following" edit of a group tells each person once.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications } from "#db/schema";
import { getDb } from "~/db.server";
import type { Actor } from "~/domain/audit";
import { createGroup, editGroupFrom, updateSession, type GroupInput } from "~/domain/sessions";
import { makeCoordinator, makeSocialWorker } from "../../clients-factories";
import { makeDistrict } from "../../factories";
import { makeRawSession, makeScheduleStudio, sessionsOfGroup } from "../../sessions-factories";

let districtId: number;
let viewer: { roles: { role: "coordinator"; districtId: number }[] };
let actor: Actor;

beforeAll(async () => {
  districtId = makeDistrict().id;
  const coordinator = await makeCoordinator([districtId]);
  viewer = { roles: [{ role: "coordinator", districtId }] };
  actor = { userId: coordinator.id, login: coordinator.login, ip: "127.0.0.1" };
});

const changedNotices = (userId: number) =>
  getDb().select().from(notifications).where(and(eq(notifications.userId, userId), eq(notifications.kind, "sessionChanged"))).all();

describe("a changed session", () => {
  it("tells the facilitator who was replaced and the one who took over, with the new time", async () => {
    const studio = makeScheduleStudio({ districtId });
    const before = await makeSocialWorker(districtId);
    const after = await makeSocialWorker(districtId);
    const session = makeRawSession({ studioId: studio.id, startsAt: "2027-02-03T02:00:00.000Z", endsAt: "2027-02-03T03:00:00.000Z", facilitatorIds: [before.personId] });
    updateSession(getDb(), actor, viewer, session.id, {
      studioId: studio.id, roomId: null, topic: "测试改期小组（虚构）", kind: "peerSupport", capacity: 10,
      facilitatorIds: [after.personId], date: "2027-02-03", startTime: "14:00", endTime: "15:00",
    });
    for (const person of [before, after]) {
      const mine = changedNotices(person.id);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ messageKey: "sessions.notice.changed", link: `/sessions/${session.id}`, params: { topic: "测试改期小组（虚构）", startsAt: "2027-02-03T06:00:00.000Z" } });
    }
    expect(changedNotices(actor.userId!)).toHaveLength(0);
  });

  it("a new topic alone tells nobody", async () => {
    const studio = makeScheduleStudio({ districtId });
    const sw = await makeSocialWorker(districtId);
    const session = makeRawSession({ studioId: studio.id, startsAt: "2027-02-04T02:00:00.000Z", endsAt: "2027-02-04T03:00:00.000Z", facilitatorIds: [sw.personId] });
    updateSession(getDb(), actor, viewer, session.id, {
      studioId: studio.id, roomId: null, topic: "只改了主题（虚构）", kind: "peerSupport", capacity: 10,
      facilitatorIds: [sw.personId], date: "2027-02-04", startTime: "10:00", endTime: "11:00",
    });
    expect(changedNotices(sw.id)).toHaveLength(0);
  });
});

describe("a changed series", () => {
  it("'this and following' tells the old and the new facilitator once, with a link to the group", async () => {
    const studio = makeScheduleStudio({ districtId });
    const before = await makeSocialWorker(districtId);
    const after = await makeSocialWorker(districtId);
    const input = (facilitatorIds: number[], startDate: string, count: number): GroupInput => ({
      studioId: studio.id, roomId: null, topic: "测试系列小组（虚构）", kind: "peerSupport", capacity: 10, facilitatorIds,
      frequency: "weekly", weekdays: [3], startDate, startTime: "10:00", endTime: "11:00", endKind: "count", count, until: null, exceptionDates: [],
    });
    const { groupId } = createGroup(getDb(), actor, viewer, input([before.personId], "2027-03-03", 4));
    const sessions = sessionsOfGroup(groupId);
    editGroupFrom(getDb(), actor, viewer, groupId, sessions[2]!.id, input([after.personId], "2027-03-17", 2));
    for (const person of [before, after]) {
      const mine = changedNotices(person.id).filter((n) => n.messageKey === "sessions.notice.seriesChanged");
      expect(mine).toHaveLength(1);
      expect(mine[0]!.link).toMatch(/^\/groups\/\d+$/);
    }
    expect(changedNotices(actor.userId!)).toHaveLength(0);
  });
});
