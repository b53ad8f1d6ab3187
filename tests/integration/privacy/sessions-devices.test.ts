/**
 * Sessions and devices: a person sees where they are signed in and ends sessions; an admin ends
 * every session of a person; a sign-in from a new device is noted in the person's notifications.
 */
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, authSessions, notifications } from "#db/schema";
import { deviceLabel } from "~/auth/devices.server";
import { attemptLogin, loginRateLimiter } from "~/auth/login.server";
import { getDb } from "~/db.server";
import { action as sessionsAction, loader as sessionsLoader } from "~/routes/account.sessions";
import { action as adminUserAction } from "~/routes/admin.users.$id";
import { TEST_PASSWORD, makeRequest, makeSignedInUser, makeUser, respond } from "../../factories";

const ctx = { cspNonce: "" };
const PHONE = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36";
const DESK = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36";

async function signInFrom(login: string, userAgent: string) {
  const r = await attemptLogin(getDb(), { login, password: TEST_PASSWORD, ip: "10.0.0.9", userAgent });
  if (!r.ok) throw new Error(r.reason);
  return `tb_session=${r.token}`;
}
const notificationsOf = (userId: number) => getDb().select().from(notifications).where(eq(notifications.userId, userId)).all();
type Listed = { sessions: { tag: string; device: string; ip: string; current: boolean }[] };

beforeEach(() => loginRateLimiter.reset());

describe("new devices", () => {
  it("the first device is not news; another device is noted once; the same device again is not", async () => {
    const user = await makeUser([{ role: "peer_tutor", districtId: null }]);
    await signInFrom(user.login, PHONE);
    expect(notificationsOf(user.id)).toHaveLength(0);
    await signInFrom(user.login, DESK);
    const notes = notificationsOf(user.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.messageKey).toBe("privacy.notify.newDevice");
    expect(notes[0]!.params).toMatchObject({ device: "Chrome · Windows" });
    await signInFrom(user.login, DESK);
    await signInFrom(user.login, PHONE);
    expect(notificationsOf(user.id)).toHaveLength(1);
  });

  it("names devices by browser and system only", () => {
    expect(deviceLabel(PHONE)).toBe("Chrome · Android");
    expect(deviceLabel("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1")).toBe("Safari · iOS");
    expect(deviceLabel("")).toBe("");
  });
});

describe("one's own sessions", () => {
  it("lists only the person's own live sessions, marking this one", async () => {
    const user = await makeUser([{ role: "peer_tutor", districtId: null }]);
    const other = await makeUser([{ role: "peer_tutor", districtId: null }]);
    const phone = await signInFrom(user.login, PHONE);
    await signInFrom(user.login, DESK);
    await signInFrom(other.login, DESK);
    const res = await respond(() => sessionsLoader({ request: makeRequest("/account/sessions", { cookie: phone }), params: {}, context: ctx }));
    const { sessions } = res.body as Listed;
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current).map((s) => s.device)).toEqual(["Chrome · Android"]);
    expect(sessions.every((s) => s.ip === "10.0.0.9")).toBe(true);
  });

  it("ends another of one's sessions by its tag, and cannot end someone else's", async () => {
    const user = await makeUser([{ role: "peer_tutor", districtId: null }]);
    const other = await makeUser([{ role: "peer_tutor", districtId: null }]);
    const phone = await signInFrom(user.login, PHONE);
    await signInFrom(user.login, DESK);
    const otherCookie = await signInFrom(other.login, DESK);
    const theirs = (
      (await respond(() => sessionsLoader({ request: makeRequest("/account/sessions", { cookie: otherCookie }), params: {}, context: ctx }))).body as Listed
    ).sessions[0]!;
    const refused = await respond(() =>
      sessionsAction({ request: makeRequest("/account/sessions", { cookie: phone, form: { intent: "end", tag: theirs.tag } }), params: {}, context: ctx }),
    );
    expect(refused.status).toBe(302);
    expect(getDb().select().from(authSessions).where(eq(authSessions.userId, other.id)).all()).toHaveLength(1);
    const mine = ((await respond(() => sessionsLoader({ request: makeRequest("/account/sessions", { cookie: phone }), params: {}, context: ctx }))).body as Listed).sessions;
    const desk = mine.find((s) => !s.current)!;
    await respond(() => sessionsAction({ request: makeRequest("/account/sessions", { cookie: phone, form: { intent: "end", tag: desk.tag } }), params: {}, context: ctx }));
    expect(getDb().select().from(authSessions).where(eq(authSessions.userId, user.id)).all()).toHaveLength(1);
    expect(getDb().select().from(auditLog).where(eq(auditLog.action, "session_ended")).all()).toHaveLength(1);
  });

  it("ends all the other sessions at once and keeps this one", async () => {
    const user = await makeUser([{ role: "peer_tutor", districtId: null }]);
    const phone = await signInFrom(user.login, PHONE);
    await signInFrom(user.login, DESK);
    await signInFrom(user.login, DESK);
    const res = await respond(() => sessionsAction({ request: makeRequest("/account/sessions", { cookie: phone, form: { intent: "endOthers" } }), params: {}, context: ctx }));
    expect(res.status).toBe(302);
    const left = getDb().select().from(authSessions).where(eq(authSessions.userId, user.id)).all();
    expect(left).toHaveLength(1);
    expect(left[0]!.userAgent).toBe(PHONE);
  });

  it("bad input is a 400", async () => {
    const { cookie } = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    const res = await respond(() => sessionsAction({ request: makeRequest("/account/sessions", { cookie, form: { intent: "end", tag: "x".repeat(500) } }), params: {}, context: ctx }));
    expect(res.status).toBe(400);
  });
});

describe("an admin ends every session of a person", () => {
  it("signs them out everywhere and records it", async () => {
    const user = await makeUser([{ role: "peer_tutor", districtId: null }]);
    await signInFrom(user.login, PHONE);
    await signInFrom(user.login, DESK);
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const res = await respond(() =>
      adminUserAction({ request: makeRequest(`/admin/users/${user.id}`, { cookie: admin.cookie, form: { intent: "endSessions" } }), params: { id: String(user.id) }, context: ctx }),
    );
    expect(res.status).toBe(302);
    expect(getDb().select().from(authSessions).where(eq(authSessions.userId, user.id)).all()).toHaveLength(0);
    expect(getDb().select().from(auditLog).where(and(eq(auditLog.action, "sessions_ended"), eq(auditLog.entity, "user"))).all().map((a) => a.entityId)).toEqual([String(user.id)]);
  });

  it("a coordinator cannot", async () => {
    const user = await makeUser([{ role: "peer_tutor", districtId: null }]);
    const coordinator = await makeSignedInUser([{ role: "coordinator", districtId: null }]);
    const res = await respond(() =>
      adminUserAction({ request: makeRequest(`/admin/users/${user.id}`, { cookie: coordinator.cookie, form: { intent: "endSessions" } }), params: { id: String(user.id) }, context: ctx }),
    );
    expect(res.status).toBe(403);
  });
});
