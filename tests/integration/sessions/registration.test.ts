/**
 * Registration and waitlist: places in order, a freed place to the first waitlisted client (whose
 * worker is told), a coordinator's override past capacity with a recorded reason, and only a
 * client's own workers may register them.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, groupSessions, notifications, sessionRegistrations } from "#db/schema";
import { getDb } from "~/db.server";
import type { Actor } from "~/domain/audit";
import { cancelRegistration, createSession, registerForGroup, registerForSession, sessionRegistrationList, updateSession } from "~/domain/sessions";
import { isDomainError } from "~/domain/shared/errors";
import { makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { makeDistrict } from "../../factories";
import { makeRawSession, makeScheduleStudio } from "../../sessions-factories";

let districtId = 0;
const actorOf = (u: { id: number; login: string }): Actor => ({ userId: u.id, login: u.login, ip: "127.0.0.1" });
const viewerOf = (u: { id: number; personId: number }, roles: { role: "social_worker" | "peer_tutor" | "coordinator"; districtId: number }[]) => ({
  id: u.id,
  personId: u.personId,
  roles,
});

function fullSession(capacity: number) {
  const studio = makeScheduleStudio({ districtId });
  const s = makeRawSession({ studioId: studio.id, startsAt: "2099-03-02T02:00:00.000Z", endsAt: "2099-03-02T03:30:00.000Z" });
  getDb().update(groupSessions).set({ capacity }).where(eq(groupSessions.id, s.id)).run();
  return s;
}

function statusOf(sessionId: number, clientId: number) {
  return getDb()
    .select()
    .from(sessionRegistrations)
    .where(and(eq(sessionRegistrations.sessionId, sessionId), eq(sessionRegistrations.clientId, clientId)))
    .get()?.status;
}

beforeAll(() => {
  districtId = makeDistrict().id;
});

describe("registration and waitlist", () => {
  it("raising a session's capacity moves waitlisted clients in, in order", async () => {
    const sw = await makeSocialWorker(districtId);
    const tutor = await makePeerTutor(districtId);
    const coordinator = await makeCoordinator([districtId]);
    const v = viewerOf(sw, [{ role: "social_worker", districtId }]);
    const coordinatorView = viewerOf(coordinator, [{ role: "coordinator", districtId }]);
    const studio = makeScheduleStudio({ districtId });
    const date = "2099-03-03";
    const input = { studioId: studio.id, roomId: null, topic: "扩容测试（虚构）", kind: "peerSupport", capacity: 1, facilitatorIds: [tutor.personId], date, startTime: "10:00", endTime: "11:00" };
    const sessionId = createSession(getDb(), actorOf(coordinator), coordinatorView, input);
    const a = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    const b = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    const c = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    for (const client of [a, b, c]) registerForSession(getDb(), actorOf(sw), v, sessionId, client.id);
    expect([statusOf(sessionId, b.id), statusOf(sessionId, c.id)]).toEqual(["waitlisted", "waitlisted"]);
    updateSession(getDb(), actorOf(coordinator), coordinatorView, sessionId, { ...input, capacity: 2 });
    expect([statusOf(sessionId, a.id), statusOf(sessionId, b.id), statusOf(sessionId, c.id)]).toEqual(["registered", "registered", "waitlisted"]);
  });

  it("a full session waitlists later clients in order", async () => {
    const sw = await makeSocialWorker(districtId);
    const v = viewerOf(sw, [{ role: "social_worker", districtId }]);
    const session = fullSession(1);
    const a = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    const b = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    const c = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    expect(registerForSession(getDb(), actorOf(sw), v, session.id, a.id)).toBe("registered");
    expect(registerForSession(getDb(), actorOf(sw), v, session.id, b.id)).toBe("waitlisted");
    expect(registerForSession(getDb(), actorOf(sw), v, session.id, c.id)).toBe("waitlisted");
    const list = sessionRegistrationList(getDb(), v, session.id, true);
    expect(list.map((r) => [r.clientId, r.status, r.place])).toEqual([
      [a.id, "registered", null],
      [b.id, "waitlisted", 1],
      [c.id, "waitlisted", 2],
    ]);
    // registering the same client twice is refused
    expect(() => registerForSession(getDb(), actorOf(sw), v, session.id, a.id)).toThrow(/alreadyRegistered|sessions\.error/);
  });

  it("cancelling a registration moves the first waitlisted client in and notifies their worker", async () => {
    const sw = await makeSocialWorker(districtId);
    const otherSw = await makeSocialWorker(districtId);
    const tutor = await makePeerTutor(districtId);
    const v = viewerOf(sw, [{ role: "social_worker", districtId }]);
    const vOther = viewerOf(otherSw, [{ role: "social_worker", districtId }]);
    const session = fullSession(1);
    const a = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    const b = await makeClient({ districtId, socialWorkerPersonId: otherSw.personId, peerTutorPersonId: tutor.personId });
    const c = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    registerForSession(getDb(), actorOf(sw), v, session.id, a.id);
    registerForSession(getDb(), actorOf(otherSw), vOther, session.id, b.id);
    registerForSession(getDb(), actorOf(sw), v, session.id, c.id);

    const { promoted } = cancelRegistration(getDb(), actorOf(sw), v, session.id, a.id);
    expect(promoted).toEqual([b.id]);
    expect(statusOf(session.id, a.id)).toBe("cancelled");
    expect(statusOf(session.id, b.id)).toBe("registered");
    expect(statusOf(session.id, c.id)).toBe("waitlisted");
    for (const userId of [otherSw.id, tutor.id]) {
      const mine = getDb().select().from(notifications).where(eq(notifications.userId, userId)).all();
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ kind: "waitlistPromoted", messageKey: "sessions.notice.promoted", link: `/sessions/${session.id}` });
    }
    expect(getDb().select().from(notifications).where(eq(notifications.userId, sw.id)).all()).toHaveLength(0);
    const audit = getDb().select().from(auditLog).where(eq(auditLog.action, "promote")).all();
    expect(audit.some((r) => (r.details as { clientId?: number }).clientId === b.id)).toBe(true);
  });

  it("a coordinator override past capacity requires a reason and is audited", async () => {
    const coordinator = await makeCoordinator([districtId]);
    const sw = await makeSocialWorker(districtId);
    const vc = viewerOf(coordinator, [{ role: "coordinator", districtId }]);
    const session = fullSession(1);
    const a = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    const b = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    registerForSession(getDb(), actorOf(sw), viewerOf(sw, [{ role: "social_worker", districtId }]), session.id, a.id);
    // without a reason the coordinator's client is waitlisted like anyone's
    expect(registerForSession(getDb(), actorOf(coordinator), vc, session.id, b.id, { overrideReason: "   " })).toBe("waitlisted");
    cancelRegistration(getDb(), actorOf(coordinator), vc, session.id, b.id);
    expect(registerForSession(getDb(), actorOf(coordinator), vc, session.id, b.id, { overrideReason: "家属陪同，需要参加（虚构）" })).toBe("registered");
    const row = getDb().select().from(sessionRegistrations).where(and(eq(sessionRegistrations.sessionId, session.id), eq(sessionRegistrations.clientId, b.id))).get()!;
    expect(row.overrideReason).toBe("家属陪同，需要参加（虚构）");
    const audit = getDb().select().from(auditLog).where(eq(auditLog.action, "register_override")).all();
    expect(audit.find((r) => r.entityId === String(row.id))?.details).toMatchObject({ overrideReason: "家属陪同，需要参加（虚构）", capacity: 1 });
    // a social worker cannot override
    const c = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    expect(() => registerForSession(getDb(), actorOf(sw), viewerOf(sw, [{ role: "social_worker", districtId }]), session.id, c.id, { overrideReason: "想参加" })).toThrow();
  });

  it("a peer tutor cannot register another tutor's mentee", async () => {
    const tutor = await makePeerTutor(districtId);
    const otherTutor = await makePeerTutor(districtId);
    const mentee = await makeClient({ districtId, peerTutorPersonId: otherTutor.personId });
    const session = fullSession(5);
    let error: unknown;
    try {
      registerForSession(getDb(), actorOf(tutor), viewerOf(tutor, [{ role: "peer_tutor", districtId }]), session.id, mentee.id);
    } catch (e) {
      error = e;
    }
    expect(isDomainError(error) && error.key).toBe("form.unknownId");
    expect(statusOf(session.id, mentee.id)).toBeUndefined();
  });

  it("a client without a current consent cannot be registered", async () => {
    const sw = await makeSocialWorker(districtId);
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId, consent: false });
    const session = fullSession(5);
    expect(() => registerForSession(getDb(), actorOf(sw), viewerOf(sw, [{ role: "social_worker", districtId }]), session.id, client.id)).toThrow(/clients\.noConsent|DomainError/);
  });

  it("registering for a group registers for each future scheduled session and skips past and cancelled ones", async () => {
    const sw = await makeSocialWorker(districtId);
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    const studio = makeScheduleStudio({ districtId });
    const { groups } = await import("#db/schema");
    const groupId = getDb()
      .insert(groups)
      .values({ studioId: studio.id, topic: "测试小组（虚构）", kind: "peerSupport", capacity: 10, recurrence: "FREQ=WEEKLY;COUNT=3", firstStartsLocal: "2000-01-04T19:00", durationMinutes: 60 })
      .returning()
      .get().id;
    const past = makeRawSession({ studioId: studio.id, groupId, occurrence: 1, startsAt: "2000-01-04T11:00:00.000Z", endsAt: "2000-01-04T12:00:00.000Z" });
    const future = makeRawSession({ studioId: studio.id, groupId, occurrence: 2, startsAt: "2099-01-04T11:00:00.000Z", endsAt: "2099-01-04T12:00:00.000Z" });
    const cancelled = makeRawSession({ studioId: studio.id, groupId, occurrence: 3, status: "cancelled", startsAt: "2099-01-11T11:00:00.000Z", endsAt: "2099-01-11T12:00:00.000Z" });
    const result = registerForGroup(getDb(), actorOf(sw), viewerOf(sw, [{ role: "social_worker", districtId }]), groupId, client.id);
    expect(result).toEqual({ registered: 1, waitlisted: 0 });
    expect(statusOf(future.id, client.id)).toBe("registered");
    expect(statusOf(past.id, client.id)).toBeUndefined();
    expect(statusOf(cancelled.id, client.id)).toBeUndefined();
  });
});
