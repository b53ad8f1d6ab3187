/**
 * Sessions: 60-minute idle expiry that slides on writes only, a 12-hour absolute limit,
 * GET requests that never write, sign-out, and the keepalive for people who are reading.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, authSessions } from "#db/schema";
import { getOptionalUser, requireApiUser, requireUser } from "~/auth/guards.server";
import {
  ABSOLUTE_TIMEOUT_MS,
  IDLE_TIMEOUT_MS,
  createSession,
  generateSessionToken,
  invalidateUserSessions,
  purgeExpiredSessions,
  sessionIdFromToken,
  touchSession,
  validateSessionToken,
} from "~/auth/session.server";
import { getDb } from "~/db.server";
import { SYSTEM_ACTOR } from "~/domain/audit";
import { setUserActive } from "~/domain/people";
import { action as logoutAction, loader as logoutLoader } from "~/routes/logout";
import { action as keepaliveAction, loader as keepaliveLoader } from "~/routes/session.keepalive";
import { makeRequest, makeSignedInUser, makeUser, respond } from "../../factories";

const MIN = 60_000;
const t0 = new Date("2026-11-28T08:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

function sessionAt(userId: number, now: Date) {
  const token = generateSessionToken();
  createSession(getDb(), token, userId, { ip: "10.0.0.1", userAgent: "vitest" }, now);
  return { token, id: sessionIdFromToken(token), cookie: `tb_session=${token}` };
}

const sessionRow = (id: string) => getDb().select().from(authSessions).where(eq(authSessions.id, id)).get();
const totalChanges = () => (getDb().$client.prepare("select total_changes() as n").get() as { n: number }).n;
const auditCount = () => getDb().$client.prepare("select count(*) as n from audit_log").get() as { n: number };
const trainerRole = [{ role: "trainer" as const, districtId: null }];

describe("idle and absolute expiry", () => {
  it("a session unused for 59 minutes is valid and one unused for 61 minutes is not", async () => {
    const { id } = await makeUser(trainerRole);
    const { token } = sessionAt(id, t0);
    expect(validateSessionToken(getDb(), token, at(59 * MIN))?.id).toBe(id);
    expect(validateSessionToken(getDb(), token, at(61 * MIN))).toBeNull();
    expect(validateSessionToken(getDb(), token, at(IDLE_TIMEOUT_MS))).toBeNull();
  });

  it("touching a session extends its idle expiry by another hour", async () => {
    const { id } = await makeUser(trainerRole);
    const { token, id: sid } = sessionAt(id, t0);
    touchSession(getDb(), sid, at(50 * MIN));
    expect(validateSessionToken(getDb(), token, at(100 * MIN))?.id).toBe(id);
    expect(validateSessionToken(getDb(), token, at(111 * MIN))).toBeNull();
    expect(sessionRow(sid)?.lastSeenAt).toBe(at(50 * MIN).toISOString());
  });

  it("ends after 12 hours even when touched all along", async () => {
    const { id } = await makeUser(trainerRole);
    const { token, id: sid } = sessionAt(id, t0);
    for (let m = 30; m < 12 * 60; m += 30) touchSession(getDb(), sid, at(m * MIN));
    expect(validateSessionToken(getDb(), token, at(ABSOLUTE_TIMEOUT_MS - MIN))?.id).toBe(id);
    expect(validateSessionToken(getDb(), token, at(ABSOLUTE_TIMEOUT_MS))).toBeNull();
    expect(validateSessionToken(getDb(), token, at(ABSOLUTE_TIMEOUT_MS + 30 * MIN))).toBeNull();
  });

  it("a touch near the absolute limit never extends the session past it", async () => {
    const { id } = await makeUser(trainerRole);
    const { id: sid } = sessionAt(id, t0);
    touchSession(getDb(), sid, at(ABSOLUTE_TIMEOUT_MS - 10 * MIN));
    const row = sessionRow(sid)!;
    expect(row.expiresAt).toBe(row.absoluteExpiresAt);
    expect(row.absoluteExpiresAt).toBe(at(ABSOLUTE_TIMEOUT_MS).toISOString());
  });

  it("a token of the wrong shape or unknown to the database gives no user", async () => {
    const { id } = await makeUser(trainerRole);
    const { token } = sessionAt(id, t0);
    expect(validateSessionToken(getDb(), token.toUpperCase(), t0)).toBeNull();
    expect(validateSessionToken(getDb(), `${token}a`, t0)).toBeNull();
    expect(validateSessionToken(getDb(), generateSessionToken(), t0)).toBeNull();
    // the stored hash is not a token: presenting it does not sign anyone in
    expect(validateSessionToken(getDb(), sessionIdFromToken(token), t0)).toBeNull();
  });

  it("disabling a user ends their sessions at once", async () => {
    const { id, cookie } = await makeSignedInUser(trainerRole);
    expect(getOptionalUser(makeRequest("/", { cookie }))?.id).toBe(id);
    setUserActive(getDb(), SYSTEM_ACTOR, id, false);
    expect(getOptionalUser(makeRequest("/", { cookie }))).toBeNull();
  });

  it("purging removes expired sessions and keeps live ones", async () => {
    const { id } = await makeUser(trainerRole);
    const old = sessionAt(id, t0);
    const live = sessionAt(id, at(2 * 60 * MIN));
    purgeExpiredSessions(getDb(), at(2 * 60 * MIN + MIN));
    expect(sessionRow(old.id)).toBeUndefined();
    expect(sessionRow(live.id)).toBeDefined();
  });

  it("invalidateUserSessions can keep one session", async () => {
    const { id } = await makeUser(trainerRole);
    const a = sessionAt(id, new Date());
    const b = sessionAt(id, new Date());
    invalidateUserSessions(getDb(), id, a.id);
    expect(sessionRow(a.id)).toBeDefined();
    expect(sessionRow(b.id)).toBeUndefined();
  });
});

describe("GET never writes; POST slides the expiry", () => {
  it("a GET through requireUser changes nothing in the database", async () => {
    const { id } = await makeUser(trainerRole);
    const session = sessionAt(id, new Date(Date.now() - 30 * MIN));
    const before = { row: sessionRow(session.id), changes: totalChanges(), audit: auditCount() };
    const user = requireUser(makeRequest("/organisation", { cookie: session.cookie }));
    expect(user.id).toBe(id);
    expect(sessionRow(session.id)).toEqual(before.row);
    expect(totalChanges()).toBe(before.changes);
    expect(auditCount()).toEqual(before.audit);
  });

  it("a GET with an expired session redirects to sign-in without deleting anything", async () => {
    const { id } = await makeUser(trainerRole);
    const session = sessionAt(id, new Date(Date.now() - 61 * MIN));
    const changes = totalChanges();
    const res = await respond(() => requireUser(makeRequest("/organisation?page=2", { cookie: session.cookie })));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent("/organisation?page=2")}`);
    expect(totalChanges()).toBe(changes);
    expect(sessionRow(session.id)).toBeDefined();
  });

  it("a POST through requireUser slides the idle expiry to an hour from now", async () => {
    const { id } = await makeUser(trainerRole);
    const session = sessionAt(id, new Date(Date.now() - 30 * MIN));
    const before = Date.parse(sessionRow(session.id)!.expiresAt);
    requireUser(makeRequest("/organisation", { method: "POST", cookie: session.cookie, form: {} }));
    const after = Date.parse(sessionRow(session.id)!.expiresAt);
    expect(after - before).toBeGreaterThanOrEqual(29 * MIN);
    expect(Math.abs(after - (Date.now() + IDLE_TIMEOUT_MS))).toBeLessThan(MIN);
  });

  it("an anonymous page request is sent to /login and a resource request gets 401", async () => {
    const page = await respond(() => requireUser(makeRequest("/")));
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/login");
    const api = await respond(() => requireApiUser(makeRequest("/export.csv")));
    expect(api.status).toBe(401);
  });

  it("a forged cookie of the right shape is treated as anonymous", async () => {
    const res = await respond(() => requireUser(makeRequest("/", { cookie: `tb_session=${generateSessionToken()}` })));
    expect(res.headers.get("Location")).toBe("/login");
  });
});

describe("sign-out", () => {
  it("POST /logout ends the session, clears the cookie and records it", async () => {
    const { id, login, cookie } = await makeSignedInUser(trainerRole);
    const sid = sessionIdFromToken(cookie.split("=")[1]!);
    const res = await respond(() => logoutAction({ request: makeRequest("/logout", { method: "POST", cookie, form: {} }), params: {}, context: { cspNonce: "" } }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login");
    const setCookie = res.headers.get("Set-Cookie") ?? "";
    expect(setCookie).toMatch(/tb_session=; [^,]*Max-Age=0/);
    expect(setCookie).toContain("tb_flash=");
    expect(sessionRow(sid)).toBeUndefined();
    expect(getOptionalUser(makeRequest("/", { cookie }))).toBeNull();
    const audit = getDb().select().from(auditLog).where(eq(auditLog.actorUserId, id)).all();
    expect(audit.map((a) => a.action)).toContain("logout");
    expect(audit.find((a) => a.action === "logout")?.actorLogin).toBe(login);
  });

  it("signing out ends only that session, not the person's others", async () => {
    const { id, cookie } = await makeSignedInUser(trainerRole);
    const other = sessionAt(id, new Date());
    await respond(() => logoutAction({ request: makeRequest("/logout", { method: "POST", cookie, form: {} }), params: {}, context: { cspNonce: "" } }));
    expect(getOptionalUser(makeRequest("/", { cookie: other.cookie }))?.id).toBe(id);
  });

  it("GET /logout signs nobody out", async () => {
    const { id, cookie } = await makeSignedInUser(trainerRole);
    const res = await respond(() => logoutLoader());
    expect(res.status).toBe(302);
    expect(getOptionalUser(makeRequest("/", { cookie }))?.id).toBe(id);
  });

  it("POST /logout without a session still clears the cookie", async () => {
    const res = await respond(() => logoutAction({ request: makeRequest("/logout", { method: "POST", form: {} }), params: {}, context: { cspNonce: "" } }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Set-Cookie")).toContain("tb_session=;");
  });
});

describe("keepalive", () => {
  it("POST /session/keepalive answers 204 to a signed-in person and slides the expiry", async () => {
    const { id } = await makeUser(trainerRole);
    const session = sessionAt(id, new Date(Date.now() - 45 * MIN));
    const before = sessionRow(session.id)!.expiresAt;
    const res = await respond(() =>
      keepaliveAction({ request: makeRequest("/session/keepalive", { method: "POST", cookie: session.cookie, form: {} }), params: {}, context: { cspNonce: "" } }),
    );
    expect(res.status).toBe(204);
    expect(sessionRow(session.id)!.expiresAt > before).toBe(true);
  });

  it("POST /session/keepalive answers 401 without a session", async () => {
    const res = await respond(() => keepaliveAction({ request: makeRequest("/session/keepalive", { method: "POST", form: {} }), params: {}, context: { cspNonce: "" } }));
    expect(res.status).toBe(401);
  });

  it("GET /session/keepalive answers 405 and does not slide the expiry", async () => {
    const { id } = await makeUser(trainerRole);
    const session = sessionAt(id, new Date(Date.now() - 45 * MIN));
    const before = sessionRow(session.id);
    const res = await respond(() => keepaliveLoader({ request: makeRequest("/session/keepalive", { cookie: session.cookie }), params: {}, context: { cspNonce: "" } }));
    expect(res.status).toBe(405);
    expect(sessionRow(session.id)).toEqual(before);
  });
});
