/**
 * Attendance: a facilitator marks everyone in one save, which marks the session held, is audited
 * and shows on each client's timeline; someone who does not facilitate gets 403; the self
 * check-in code works only until the session ends.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attendance, auditLog, groupSessions } from "#db/schema";
import { getDb } from "~/db.server";
import { clientAccess, clientTimeline } from "~/domain/clients";
import { checkIn, issueCheckInToken } from "~/domain/sessions";
import * as attendancePage from "~/routes/sessions_.$id.attendance";
import * as checkInPage from "~/routes/sessions_.$id.check-in";
import { makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { makeDistrict, makeRequest, respond } from "../../factories";
import { makeRawSession, makeScheduleStudio, registerClient } from "../../sessions-factories";

const context = { cspNonce: "" };
type Fn = (args: never) => unknown;
const call = (fn: Fn, path: string, cookie: string, params: Record<string, string> = {}, form?: Record<string, string | string[]>) =>
  respond(() => (fn as (a: unknown) => unknown)({ request: makeRequest(path, { cookie, form }), params, context }));

let districtId = 0;
let studioId = 0;
beforeAll(() => {
  districtId = makeDistrict().id;
  studioId = makeScheduleStudio({ districtId }).id;
});

describe("attendance", () => {
  it("attendance by a facilitator marks the session held and shows on the client's timeline", async () => {
    const tutor = await makePeerTutor(districtId);
    const sw = await makeSocialWorker(districtId);
    const a = await makeClient({ districtId, socialWorkerPersonId: sw.personId, alias: "测试对象丙（化名）" });
    const b = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    const s = makeRawSession({ studioId, facilitatorIds: [tutor.personId], topic: "测试同伴分享会（虚构）", startsAt: "2026-01-06T02:00:00.000Z", endsAt: "2026-01-06T03:00:00.000Z" });
    registerClient(s.id, a.id);
    registerClient(s.id, b.id);
    const path = `/sessions/${s.id}/attendance`;
    const page = await call(attendancePage.loader, path, tutor.cookie, { id: String(s.id) });
    expect(page.status).toBe(200);
    // a peer tutor sees the registered clients of a session they facilitate by alias
    expect((page.body as { sheet: { alias: string }[] }).sheet.map((l) => l.alias)).toContain("测试对象丙（化名）");

    // missing one person's mark: 400, nothing saved
    const partial = await call(attendancePage.action, path, tutor.cookie, { id: String(s.id) }, { intent: "save", [`status-${a.id}`]: "present" });
    expect(partial.status).toBe(400);
    expect(getDb().select().from(attendance).where(eq(attendance.sessionId, s.id)).all()).toHaveLength(0);
    // a value that is not a mark: 400
    const bad = await call(attendancePage.action, path, tutor.cookie, { id: String(s.id) }, { intent: "save", [`status-${a.id}`]: "asleep", [`status-${b.id}`]: "late" });
    expect(bad.status).toBe(400);

    const saved = await call(attendancePage.action, path, tutor.cookie, { id: String(s.id) }, { intent: "save", [`status-${a.id}`]: "present", [`status-${b.id}`]: "excused" });
    expect(saved.status).toBe(302);
    const row = getDb().select().from(groupSessions).where(eq(groupSessions.id, s.id)).get()!;
    expect(row.status).toBe("held");
    expect(row.sequence).toBe(1);
    expect(getDb().select().from(attendance).where(and(eq(attendance.sessionId, s.id), eq(attendance.clientId, b.id))).get()?.status).toBe("excused");
    expect(getDb().select().from(auditLog).where(and(eq(auditLog.action, "attendance"), eq(auditLog.entityId, String(s.id)))).all()).toHaveLength(1);

    const viewer = { id: sw.id, personId: sw.personId, roles: [{ role: "social_worker" as const, districtId }] };
    const access = clientAccess(getDb(), viewer, a.id)!;
    const { items } = clientTimeline(getDb(), viewer, access, { asOf: "2026-02-01", timeZone: "Asia/Shanghai", page: { limit: 50, offset: 0 } });
    const item = items.find((i) => i.kind === "session_attended");
    expect(item).toMatchObject({ at: "2026-01-06T02:00:00.000Z", label: "present", detail: "测试同伴分享会（虚构）" });
  });

  it("a non-facilitator peer tutor gets 403 on attendance", async () => {
    const facilitator = await makePeerTutor(districtId);
    const other = await makePeerTutor(districtId);
    const client = await makeClient({ districtId });
    const s = makeRawSession({ studioId, facilitatorIds: [facilitator.personId], startsAt: "2026-01-07T02:00:00.000Z", endsAt: "2026-01-07T03:00:00.000Z" });
    registerClient(s.id, client.id);
    const path = `/sessions/${s.id}/attendance`;
    expect((await call(attendancePage.loader, path, other.cookie, { id: String(s.id) })).status).toBe(403);
    expect((await call(attendancePage.action, path, other.cookie, { id: String(s.id) }, { [`status-${client.id}`]: "present" })).status).toBe(403);
    expect(getDb().select().from(attendance).where(eq(attendance.sessionId, s.id)).all()).toHaveLength(0);
    // a coordinator of the district may take it; one of another district may not
    const coordinator = await makeCoordinator([districtId]);
    expect((await call(attendancePage.loader, path, coordinator.cookie, { id: String(s.id) })).status).toBe(200);
    const elsewhere = await makeCoordinator([makeDistrict().id]);
    expect((await call(attendancePage.loader, path, elsewhere.cookie, { id: String(s.id) })).status).toBe(403);
  });

  it("check-in token refused after the session ends", async () => {
    const facilitator = await makeSocialWorker(districtId);
    const coFacilitator = await makePeerTutor(districtId);
    const client = await makeClient({ districtId });
    const starts = new Date(Date.now() - 30 * 60_000);
    const ends = new Date(Date.now() + 30 * 60_000);
    const s = makeRawSession({ studioId, facilitatorIds: [facilitator.personId, coFacilitator.personId], startsAt: starts.toISOString(), endsAt: ends.toISOString() });
    registerClient(s.id, client.id);
    const viewer = { roles: [{ role: "social_worker" as const, districtId }], personId: facilitator.personId };
    const actor = { userId: facilitator.id, login: facilitator.login, ip: "127.0.0.1" };
    const token = issueCheckInToken(getDb(), actor, viewer, s.id);
    expect(issueCheckInToken(getDb(), actor, viewer, s.id)).toBe(token);

    // during the session the code opens the page and a tap checks in (late: past the grace minutes)
    const path = `/sessions/${s.id}/check-in?token=${encodeURIComponent(token)}`;
    expect((await call(checkInPage.loader, path, coFacilitator.cookie, { id: String(s.id) })).status).toBe(200);
    const wrong = await call(checkInPage.loader, `/sessions/${s.id}/check-in?token=nope`, coFacilitator.cookie, { id: String(s.id) });
    expect(wrong.status).toBe(410);
    expect((wrong.body as { sheet: unknown[] }).sheet).toEqual([]);
    const tapped = await call(checkInPage.action, path, coFacilitator.cookie, { id: String(s.id) }, { token, clientId: String(client.id) });
    expect(tapped.status).toBe(302);
    expect(getDb().select().from(attendance).where(eq(attendance.sessionId, s.id)).get()).toMatchObject({ status: "late", clientId: client.id });

    // after the end: refused, at the domain and on the page
    const afterEnd = new Date(ends.getTime() + 60_000);
    expect(() => checkIn(getDb(), actor, s.id, token, client.id, afterEnd)).toThrow();
    getDb().update(groupSessions).set({ endsAt: new Date(Date.now() - 1000).toISOString() }).where(eq(groupSessions.id, s.id)).run();
    expect((await call(checkInPage.loader, path, coFacilitator.cookie, { id: String(s.id) })).status).toBe(410);
    const late = await call(checkInPage.action, path, coFacilitator.cookie, { id: String(s.id) }, { token, clientId: String(client.id) });
    expect(late.status).toBe(400);
  });
});
