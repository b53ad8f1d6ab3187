/**
 * The second factor: who must have one, enrolment with a QR key and a first code, sign-in with a
 * code (never the same code twice), recovery codes (each once), wrong codes counting toward the
 * lockout, an admin's reset, and the pages that walk a person through it.
 */
import { and, eq, inArray } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, authSessions, recoveryCodes, settings, users, userTotp } from "#db/schema";
import { requireApiUser, requireUser } from "~/auth/guards.server";
import { attemptLogin, loginRateLimiter } from "~/auth/login.server";
import {
  beginEnrolment,
  confirmEnrolment,
  getSecondFactorPolicy,
  pendingEnrolment,
  resetSecondFactor,
  setSecondFactorPolicy,
  totpCodeAt,
  verifySecondFactor,
} from "~/auth/second-factor.server";
import { sessionIdFromToken } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { SYSTEM_ACTOR } from "~/domain/audit";
import { markDemoDatabase } from "~/domain/settings";
import { action as loginAction } from "~/routes/login";
import { action as verifyAction, loader as verifyLoader } from "~/routes/login_.two-factor";
import { action as enrolAction, loader as enrolLoader } from "~/routes/account.two-factor";
import { action as adminUserAction } from "~/routes/admin.users.$id";
import { TEST_PASSWORD, makeRequest, makeSignedInUser, makeUser, respond } from "../../factories";

const ctx = { cspNonce: "" };
const cookieOf = (token: string) => `tb_session=${token}`;
const STEP_MS = 30_000;

async function signInWithPassword(login: string, userAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Test") {
  const r = await attemptLogin(getDb(), { login, password: TEST_PASSWORD, ip: "127.0.0.1", userAgent });
  if (!r.ok) throw new Error(`sign-in failed: ${r.reason}`);
  return r;
}

/** A person with a confirmed second factor; returns its secret and the moment enrolment used. */
async function enrolled(roles: Parameters<typeof makeUser>[0] = [{ role: "admin", districtId: null }]) {
  const user = await makeUser(roles);
  const first = await signInWithPassword(user.login);
  const db = getDb();
  const t0 = new Date("2026-11-28T08:00:00Z");
  beginEnrolment(db, SYSTEM_ACTOR, { id: user.id, login: user.login }, t0);
  const secret = pendingEnrolment(db, { id: user.id, login: user.login }, t0)!.secret;
  const done = confirmEnrolment(db, SYSTEM_ACTOR, user.id, sessionIdFromToken(first.token), totpCodeAt(secret, t0), t0);
  if (!done.ok) throw new Error("enrolment failed");
  return { ...user, secret, t0, recovery: done.recoveryCodes! };
}

beforeEach(() => {
  loginRateLimiter.reset();
  // each test starts from the default rule of a database that is not a demo
  getDb().delete(settings).where(inArray(settings.key, ["secondFactorPolicy", "demo"])).run();
});

describe("who must use a second factor", () => {
  it("an admin's password alone opens only the set-up page", async () => {
    const admin = await makeUser([{ role: "admin", districtId: null }]);
    const r = await signInWithPassword(admin.login);
    expect(r.secondFactor).toBe("enrol");
    const cookie = cookieOf(r.token);
    const page = await respond(() => requireUser(makeRequest("/admin/users", { cookie })));
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/account/two-factor");
    const api = await respond(() => requireApiUser(makeRequest("/admin/audit/export", { cookie })));
    expect(api.status).toBe(401);
    expect(requireUser(makeRequest("/account/two-factor", { cookie }), { allowEnrolment: true }).id).toBe(admin.id);
  });

  it("a social worker (who may reveal identity) must enrol; a peer tutor need not, unless the rule says everyone", async () => {
    const sw = await makeUser([{ role: "social_worker", districtId: null }]);
    const tutor = await makeUser([{ role: "peer_tutor", districtId: null }]);
    expect((await signInWithPassword(sw.login)).secondFactor).toBe("enrol");
    expect((await signInWithPassword(tutor.login)).secondFactor).toBe("ok");
    setSecondFactorPolicy(getDb(), SYSTEM_ACTOR, "all");
    expect((await signInWithPassword(tutor.login)).secondFactor).toBe("enrol");
  });

  it("a demo database forces nobody until an admin saves a rule", async () => {
    expect(getSecondFactorPolicy(getDb())).toBe("required");
    markDemoDatabase(getDb());
    expect(getSecondFactorPolicy(getDb())).toBe("optional");
    const admin = await makeUser([{ role: "admin", districtId: null }]);
    expect((await signInWithPassword(admin.login)).secondFactor).toBe("ok");
    setSecondFactorPolicy(getDb(), SYSTEM_ACTOR, "required");
    expect((await signInWithPassword(admin.login)).secondFactor).toBe("enrol");
  });
});

describe("enrolment", () => {
  it("a first correct code turns it on, gives ten one-time recovery codes and completes the session", async () => {
    const { id, secret, recovery } = await enrolled();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(recovery).toHaveLength(10);
    expect(new Set(recovery).size).toBe(10);
    const row = getDb().select().from(userTotp).where(eq(userTotp.userId, id)).get()!;
    expect(row.confirmedAt).not.toBeNull();
    const stored = getDb().select().from(recoveryCodes).where(eq(recoveryCodes.userId, id)).all();
    expect(stored).toHaveLength(10);
    // only hashes are kept
    for (const c of recovery) expect(stored.some((s) => s.codeHash.includes(c.replace(/-/g, "")))).toBe(false);
    const sessions = getDb().select().from(authSessions).where(eq(authSessions.userId, id)).all();
    expect(sessions.map((s) => s.secondFactor)).toEqual(["ok"]);
  });

  it("an expired enrolment is refused and must be started again", async () => {
    const user = await makeUser([{ role: "admin", districtId: null }]);
    const r = await signInWithPassword(user.login);
    const t0 = new Date("2026-11-28T08:00:00Z");
    beginEnrolment(getDb(), SYSTEM_ACTOR, user, t0);
    const secret = pendingEnrolment(getDb(), user, t0)!.secret;
    const late = new Date(t0.getTime() + 11 * 60_000);
    expect(pendingEnrolment(getDb(), user, late)!.expired).toBe(true);
    const out = confirmEnrolment(getDb(), SYSTEM_ACTOR, user.id, sessionIdFromToken(r.token), totpCodeAt(secret, late), late);
    expect(out).toEqual({ ok: false, reason: "expired" });
    expect(getDb().select().from(userTotp).where(eq(userTotp.userId, user.id)).get()!.confirmedAt).toBeNull();
  });

  it("a wrong first code is refused and counted", async () => {
    const user = await makeUser([{ role: "admin", districtId: null }]);
    const r = await signInWithPassword(user.login);
    const t0 = new Date();
    beginEnrolment(getDb(), SYSTEM_ACTOR, user, t0);
    const out = confirmEnrolment(getDb(), SYSTEM_ACTOR, user.id, sessionIdFromToken(r.token), "000000", t0);
    const right = totpCodeAt(pendingEnrolment(getDb(), user, t0)!.secret, t0);
    expect(out.ok).toBe(right === "000000");
    expect(getDb().select().from(users).where(eq(users.id, user.id)).get()!.failedLoginCount).toBe(right === "000000" ? 0 : 1);
  });

  it("starting again once enrolled is refused: only an admin's reset removes a second factor", async () => {
    const user = await enrolled();
    expect(() => beginEnrolment(getDb(), SYSTEM_ACTOR, user)).toThrow();
  });
});

describe("signing in with a second factor", () => {
  it("the password leads to the code page; the current code completes the sign-in", async () => {
    const user = await enrolled();
    const r = await signInWithPassword(user.login);
    expect(r.secondFactor).toBe("verify");
    const sid = sessionIdFromToken(r.token);
    const later = new Date(user.t0.getTime() + 5 * STEP_MS);
    expect(verifySecondFactor(getDb(), SYSTEM_ACTOR, user.id, sid, totpCodeAt(user.secret, later), later)).toEqual({ ok: true, usedRecoveryCode: false });
    expect(getDb().select().from(authSessions).where(eq(authSessions.id, sid)).get()!.secondFactor).toBe("ok");
  });

  it("a code already used is refused, even within its 30 seconds", async () => {
    const user = await enrolled();
    const at = new Date(user.t0.getTime() + 10 * STEP_MS);
    const a = await signInWithPassword(user.login);
    expect(verifySecondFactor(getDb(), SYSTEM_ACTOR, user.id, sessionIdFromToken(a.token), totpCodeAt(user.secret, at), at).ok).toBe(true);
    const b = await signInWithPassword(user.login);
    expect(verifySecondFactor(getDb(), SYSTEM_ACTOR, user.id, sessionIdFromToken(b.token), totpCodeAt(user.secret, at), at)).toEqual({ ok: false, reason: "wrong" });
    // the enrolment's own code cannot be replayed either
    const c = await signInWithPassword(user.login);
    expect(verifySecondFactor(getDb(), SYSTEM_ACTOR, user.id, sessionIdFromToken(c.token), totpCodeAt(user.secret, user.t0), user.t0).ok).toBe(false);
  });

  it("six wrong codes lock the account and end its sessions", async () => {
    const user = await enrolled();
    const r = await signInWithPassword(user.login);
    const sid = sessionIdFromToken(r.token);
    const at = new Date(user.t0.getTime() + 20 * STEP_MS);
    const right = totpCodeAt(user.secret, at);
    const wrong = right === "123456" ? "654321" : "123456";
    const outcomes = Array.from({ length: 6 }, () => verifySecondFactor(getDb(), SYSTEM_ACTOR, user.id, sid, wrong, at));
    expect(outcomes.slice(0, 5).every((o) => !o.ok && o.reason === "wrong")).toBe(true);
    expect(outcomes[5]).toEqual({ ok: false, reason: "locked" });
    expect(getDb().select().from(users).where(eq(users.id, user.id)).get()!.lockedUntil! > at.toISOString()).toBe(true);
    expect(getDb().select().from(authSessions).where(eq(authSessions.userId, user.id)).all()).toHaveLength(0);
    const locked = await attemptLogin(getDb(), { login: user.login, password: TEST_PASSWORD, ip: "127.0.0.1", userAgent: "x" }, new Date(at.getTime() + 60_000));
    expect(locked).toMatchObject({ ok: false, reason: "locked" });
    expect(getDb().select().from(auditLog).where(eq(auditLog.action, "account_locked")).all()).toHaveLength(1);
  });

  it("a recovery code works once, typed in any case and with or without dashes", async () => {
    const user = await enrolled();
    const code = user.recovery[0]!;
    const a = await signInWithPassword(user.login);
    const typed = code.toUpperCase().replace(/-/g, " ");
    expect(verifySecondFactor(getDb(), SYSTEM_ACTOR, user.id, sessionIdFromToken(a.token), typed)).toEqual({ ok: true, usedRecoveryCode: true });
    const b = await signInWithPassword(user.login);
    expect(verifySecondFactor(getDb(), SYSTEM_ACTOR, user.id, sessionIdFromToken(b.token), code).ok).toBe(false);
  });

  it("an admin's reset removes the second factor, ends the sessions and is audited", async () => {
    const user = await enrolled([{ role: "social_worker", districtId: null }]);
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const res = await respond(() =>
      adminUserAction({ request: makeRequest(`/admin/users/${user.id}`, { cookie: admin.cookie, form: { intent: "resetSecondFactor" } }), params: { id: String(user.id) }, context: ctx }),
    );
    expect(res.status).toBe(302);
    expect(getDb().select().from(userTotp).where(eq(userTotp.userId, user.id)).all()).toHaveLength(0);
    expect(getDb().select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id)).all()).toHaveLength(0);
    expect(getDb().select().from(authSessions).where(eq(authSessions.userId, user.id)).all()).toHaveLength(0);
    expect(getDb().select().from(auditLog).where(and(eq(auditLog.action, "second_factor_reset"), eq(auditLog.entityId, String(user.id)))).all()).toHaveLength(1);
    // required for a social worker: set up again at the next sign-in
    expect((await signInWithPassword(user.login)).secondFactor).toBe("enrol");
    resetSecondFactor(getDb(), SYSTEM_ACTOR, user.id); // nothing left to remove: still fine
  });
});

describe("the pages", () => {
  it("the sign-in form sends an enrolled person to the code page, keeping where they were going", async () => {
    const user = await enrolled();
    const res = await respond(() =>
      loginAction({ request: makeRequest("/login", { form: { login: user.login, password: TEST_PASSWORD, redirectTo: "/clients" } }), params: {}, context: ctx }),
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login/two-factor?redirectTo=%2Fclients");
  });

  it("the code page takes a code, refuses a wrong one with a message and no 500", async () => {
    const user = await enrolled();
    const r = await signInWithPassword(user.login);
    const cookie = cookieOf(r.token);
    expect((await respond(() => verifyLoader({ request: makeRequest("/login/two-factor", { cookie }), params: {}, context: ctx }))).status).toBe(200);
    const bad = await respond(() => verifyAction({ request: makeRequest("/login/two-factor", { cookie, form: { code: "not a code!" } }), params: {}, context: ctx }));
    expect(bad.status).toBe(400);
    expect((bad.body as { errors: Record<string, string> }).errors.code).toBe("privacy.twoFactor.wrongCode");
    const good = await respond(() =>
      verifyAction({ request: makeRequest("/login/two-factor", { cookie, form: { code: totpCodeAt(user.secret, new Date()), redirectTo: "/clients" } }), params: {}, context: ctx }),
    );
    expect(good.status).toBe(302);
    expect(good.headers.get("Location")).toBe("/clients");
    expect(requireUser(makeRequest("/", { cookie })).id).toBe(user.id);
  });

  it("the code page sends a fully signed-in person home and an anonymous one to sign in", async () => {
    const { cookie } = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    const home = await respond(() => verifyLoader({ request: makeRequest("/login/two-factor", { cookie }), params: {}, context: ctx }));
    expect(home.headers.get("Location")).toBe("/");
    const anon = await respond(() => verifyLoader({ request: makeRequest("/login/two-factor"), params: {}, context: ctx }));
    expect(anon.headers.get("Location")).toBe("/login");
  });

  it("the set-up page starts an enrolment on POST only and shows the QR code and key", async () => {
    const admin = await makeUser([{ role: "admin", districtId: null }]);
    const r = await signInWithPassword(admin.login);
    const cookie = cookieOf(r.token);
    const before = await respond(() => enrolLoader({ request: makeRequest("/account/two-factor", { cookie }), params: {}, context: ctx }));
    expect((before.body as { pending: unknown }).pending).toBeNull();
    expect(getDb().select().from(userTotp).where(eq(userTotp.userId, admin.id)).all()).toHaveLength(0);
    const start = await respond(() => enrolAction({ request: makeRequest("/account/two-factor", { cookie, form: { intent: "start" } }), params: {}, context: ctx }));
    expect(start.status).toBe(302);
    const page = await respond(() => enrolLoader({ request: makeRequest("/account/two-factor", { cookie }), params: {}, context: ctx }));
    const pending = (page.body as { pending: { secret: string; qr: string } }).pending;
    expect(pending.qr).toContain("<svg");
    const wrong = await respond(() => enrolAction({ request: makeRequest("/account/two-factor", { cookie, form: { intent: "confirm", code: "" } }), params: {}, context: ctx }));
    expect(wrong.status).toBe(400);
    const ok = await respond(() =>
      enrolAction({ request: makeRequest("/account/two-factor", { cookie, form: { intent: "confirm", code: totpCodeAt(pending.secret, new Date()) } }), params: {}, context: ctx }),
    );
    expect(ok.status).toBe(200);
    expect((ok.body as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
    expect(requireUser(makeRequest("/admin/users", { cookie })).id).toBe(admin.id);
  });

  it("an unknown intent on the set-up page is a 400, not a 500", async () => {
    const { cookie } = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    const res = await respond(() => enrolAction({ request: makeRequest("/account/two-factor", { cookie, form: { intent: "<script>" } }), params: {}, context: ctx }));
    expect(res.status).toBe(400);
  });
});
