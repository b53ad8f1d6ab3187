/**
 * Sign-in through the /login action and attemptLogin: one message for an unknown name and a
 * wrong password, the lockout after six wrong passwords, the per-address limit, the session
 * cookie's flags, the hashed token in the database, redirects within the site, and the audit trail.
 */
import { and, eq, inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditLog, authSessions, users } from "#db/schema";
import { LOCK_MINUTES, attemptLogin, loginRateLimiter } from "~/auth/login.server";
import { sessionIdFromToken } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { SYSTEM_ACTOR } from "~/domain/audit";
import { setUserActive } from "~/domain/people";
import { resetEnvCache } from "~/env.server";
import { action, loader } from "~/routes/login";
import { TEST_PASSWORD, makeRequest, makeSignedInUser, makeUser, respond } from "../../factories";

type FormBody = { errors: Record<string, string>; values: Record<string, string> };

function postLogin(form: Record<string, string>, headers: Record<string, string> = {}) {
  const request = makeRequest("/login", { form, headers });
  return respond(() => action({ request, params: {}, context: { cspNonce: "" } }));
}

const userRow = (id: number) => getDb().select().from(users).where(eq(users.id, id)).get()!;
const auditFor = (login: string) =>
  getDb().select().from(auditLog).where(eq(auditLog.actorLogin, login)).orderBy(auditLog.id).all();
const tokenOf = (setCookie: string | null) => /tb_session=([^;]*)/.exec(setCookie ?? "")?.[1] ?? "";

const ENV_KEYS = ["NODE_ENV", "COOKIE_SECURE", "LOGIN_RATE_LIMIT"] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

beforeEach(() => {
  loginRateLimiter.reset();
});

afterEach(() => {
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else (process.env as Record<string, string>)[k] = savedEnv[k]!;
  }
  resetEnvCache();
});

describe("one message for every wrong sign-in", () => {
  it("an unknown name and a wrong password give the same status and message", async () => {
    const { login } = await makeUser([{ role: "trainer", districtId: null }]);
    const unknown = await postLogin({ login: "nobody-here", password: TEST_PASSWORD });
    const wrong = await postLogin({ login, password: "not-the-password" });
    expect(unknown.status).toBe(400);
    expect(wrong.status).toBe(400);
    expect((unknown.body as FormBody).errors).toEqual({ _form: "login.invalid" });
    expect((wrong.body as FormBody).errors).toEqual((unknown.body as FormBody).errors);
    expect(unknown.headers.get("Set-Cookie")).toBeNull();
  });

  it("a disabled user with the right password gets the generic message", async () => {
    const { id, login } = await makeUser([{ role: "trainer", districtId: null }]);
    setUserActive(getDb(), SYSTEM_ACTOR, id, false);
    const res = await postLogin({ login, password: TEST_PASSWORD });
    expect(res.status).toBe(400);
    expect((res.body as FormBody).errors).toEqual({ _form: "login.invalid" });
  });

  it("keeps the typed login name but never the password in the answer", async () => {
    const res = await postLogin({ login: "nobody-here", password: "secret-typed" });
    expect((res.body as FormBody).values.login).toBe("nobody-here");
    expect(JSON.stringify(res.body)).not.toContain("secret-typed");
  });

  it("an empty or over-long form answers 400 with field messages, not a 500", async () => {
    const empty = await postLogin({ login: "", password: "" });
    expect(empty.status).toBe(400);
    expect((empty.body as FormBody).errors).toMatchObject({ login: "form.required", password: "form.required" });
    const long = await postLogin({ login: "a".repeat(65), password: "x" });
    expect(long.status).toBe(400);
    expect((long.body as FormBody).errors.login).toBe("form.tooLong?max=64");
  });

  it("accepts the login name in any case and with spaces around it", async () => {
    const { login } = await makeUser([{ role: "trainer", districtId: null }]);
    const res = await postLogin({ login: `  ${login.toUpperCase()} `, password: TEST_PASSWORD });
    expect(res.status).toBe(302);
  });
});

describe("lockout after six wrong passwords", () => {
  it("the 6th wrong password locks, and the 7th attempt with the right password is refused as locked", async () => {
    const { id, login } = await makeUser([{ role: "trainer", districtId: null }]);
    for (let i = 1; i <= 6; i++) {
      const res = await postLogin({ login, password: `wrong-${i}` });
      expect((res.body as FormBody).errors._form, `attempt ${i}`).toBe("login.invalid");
    }
    expect(userRow(id).lockedUntil).not.toBeNull();
    const seventh = await postLogin({ login, password: TEST_PASSWORD });
    expect(seventh.status).toBe(400);
    expect((seventh.body as FormBody).errors._form).toBe(`login.locked?minutes=${LOCK_MINUTES}`);
    expect(seventh.headers.get("Set-Cookie")).toBeNull();
  });

  it("five wrong passwords do not lock", async () => {
    const { login } = await makeUser([{ role: "trainer", districtId: null }]);
    const now = new Date("2026-11-28T08:00:00Z");
    for (let i = 0; i < 5; i++) await attemptLogin(getDb(), { login, password: "wrong", ip: "10.1.0.1", userAgent: "t" }, now);
    const ok = await attemptLogin(getDb(), { login, password: TEST_PASSWORD, ip: "10.1.0.1", userAgent: "t" }, now);
    expect(ok.ok).toBe(true);
  });

  it("the lock ends after 15 minutes", async () => {
    const { login } = await makeUser([{ role: "trainer", districtId: null }]);
    const t0 = new Date("2026-11-28T08:00:00Z");
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    for (let i = 0; i < 6; i++) await attemptLogin(getDb(), { login, password: "wrong", ip: "10.1.0.2", userAgent: "t" }, t0);
    const during = await attemptLogin(getDb(), { login, password: TEST_PASSWORD, ip: "10.1.0.2", userAgent: "t" }, at(14));
    expect(during).toEqual({ ok: false, reason: "locked", minutes: 1 });
    const after = await attemptLogin(getDb(), { login, password: TEST_PASSWORD, ip: "10.1.0.2", userAgent: "t" }, at(15));
    expect(after.ok).toBe(true);
  });

  it("a success resets the count of wrong passwords", async () => {
    const { id, login } = await makeUser([{ role: "trainer", districtId: null }]);
    const input = (password: string) => ({ login, password, ip: "10.1.0.3", userAgent: "t" });
    for (let i = 0; i < 5; i++) await attemptLogin(getDb(), input("wrong"));
    expect(userRow(id).failedLoginCount).toBe(5);
    expect((await attemptLogin(getDb(), input(TEST_PASSWORD))).ok).toBe(true);
    expect(userRow(id).failedLoginCount).toBe(0);
    for (let i = 0; i < 5; i++) await attemptLogin(getDb(), input("wrong"));
    expect((await attemptLogin(getDb(), input(TEST_PASSWORD))).ok).toBe(true);
  });

  it("six wrong passwords sent at once still lock the account", async () => {
    const { id, login } = await makeUser([{ role: "trainer", districtId: null }]);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => attemptLogin(getDb(), { login, password: `wrong-${i}`, ip: `10.2.0.${i}`, userAgent: "t" })),
    );
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(userRow(id).lockedUntil).not.toBeNull();
    const next = await attemptLogin(getDb(), { login, password: TEST_PASSWORD, ip: "10.2.0.9", userAgent: "t" });
    expect(next).toMatchObject({ ok: false, reason: "locked" });
  });

  it("a right password whose check finishes after the account was locked does not sign in", async () => {
    const { id, login } = await makeUser([{ role: "trainer", districtId: null }]);
    const pending = attemptLogin(getDb(), { login, password: TEST_PASSWORD, ip: "10.3.0.9", userAgent: "t" });
    // while the hash is being checked, parallel wrong guesses lock the account
    getDb().update(users).set({ lockedUntil: new Date(Date.now() + 15 * 60_000).toISOString() }).where(eq(users.id, id)).run();
    expect(await pending).toMatchObject({ ok: false, reason: "locked" });
    expect(getDb().select().from(authSessions).where(eq(authSessions.userId, id)).all()).toEqual([]);
  });
});

describe("per-address rate limit", () => {
  it("answers 429 with login.rateLimited once an address is over LOGIN_RATE_LIMIT, even with the right password", async () => {
    process.env.LOGIN_RATE_LIMIT = "3";
    resetEnvCache();
    const { login } = await makeUser([{ role: "trainer", districtId: null }]);
    for (let i = 0; i < 3; i++) expect((await postLogin({ login: "nobody-here", password: "x" })).status).toBe(400);
    const limited = await postLogin({ login, password: TEST_PASSWORD });
    expect(limited.status).toBe(429);
    expect((limited.body as FormBody).errors._form).toBe("login.rateLimited");
    expect(limited.headers.get("Set-Cookie")).toBeNull();
  });

  it("counts another address apart", async () => {
    process.env.LOGIN_RATE_LIMIT = "1";
    resetEnvCache();
    const { login } = await makeUser([{ role: "trainer", districtId: null }]);
    await postLogin({ login: "nobody-here", password: "x" });
    expect((await postLogin({ login, password: TEST_PASSWORD })).status).toBe(429);
    const other = await attemptLogin(getDb(), { login, password: TEST_PASSWORD, ip: "10.9.9.9", userAgent: "t" });
    expect(other.ok).toBe(true);
  });
});

describe("the session cookie", () => {
  it("is HttpOnly and SameSite=Lax, without Secure in tests", async () => {
    const { login } = await makeUser([{ role: "trainer", districtId: null }]);
    const res = await postLogin({ login, password: TEST_PASSWORD });
    expect(res.status).toBe(302);
    const cookie = res.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^tb_session=[a-z2-7]{32};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
    expect(cookie).toContain(`Max-Age=${12 * 3600}`);
    expect(cookie).not.toContain("Secure");
  });

  it("is Secure when NODE_ENV=production", async () => {
    const { login } = await makeUser([{ role: "trainer", districtId: null }]);
    (process.env as Record<string, string>).NODE_ENV = "production";
    resetEnvCache();
    const res = await postLogin({ login, password: TEST_PASSWORD });
    expect(res.headers.get("Set-Cookie")).toMatch(/; Secure/);
  });

  it("is Secure when COOKIE_SECURE=true outside production", async () => {
    const { login } = await makeUser([{ role: "trainer", districtId: null }]);
    process.env.COOKIE_SECURE = "true";
    resetEnvCache();
    const res = await postLogin({ login, password: TEST_PASSWORD });
    expect(res.headers.get("Set-Cookie")).toMatch(/; Secure/);
  });

  it("the auth_sessions table holds the SHA-256 of the token, never the token", async () => {
    const { id, login } = await makeUser([{ role: "trainer", districtId: null }]);
    const res = await postLogin({ login, password: TEST_PASSWORD });
    const token = tokenOf(res.headers.get("Set-Cookie"));
    const rows = getDb().select().from(authSessions).where(eq(authSessions.userId, id)).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(sessionIdFromToken(token));
    expect(rows[0]!.id).toMatch(/^[0-9a-f]{64}$/);
    const dump = JSON.stringify(getDb().$client.prepare("select * from auth_sessions").all());
    expect(dump).not.toContain(token);
  });
});

describe("where sign-in leads", () => {
  async function landing(redirectTo: string) {
    const { login } = await makeUser([{ role: "trainer", districtId: null }]);
    const res = await postLogin({ login, password: TEST_PASSWORD, redirectTo });
    expect(res.status).toBe(302);
    return res.headers.get("Location");
  }

  it("keeps a path inside the site", async () => {
    expect(await landing("/admin/users?x=1")).toBe("/admin/users?x=1");
  });

  for (const evil of ["//evil.example", "https://evil.example", "/\\evil", "/.//evil.example"]) {
    it(`sends redirectTo=${evil} to "/"`, async () => {
      expect(await landing(evil)).toBe("/");
    });
  }

  it("sends a person whose password was reset to /account/password first", async () => {
    const { login } = await makeUser([{ role: "trainer", districtId: null }], { mustChangePassword: true });
    const res = await postLogin({ login, password: TEST_PASSWORD, redirectTo: "/admin/users" });
    expect(res.headers.get("Location")).toBe("/account/password");
  });

  it("the sign-in page sends a signed-in person on, within the site only", async () => {
    const { cookie } = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    const inside = await respond(() => loader({ request: makeRequest("/login?redirectTo=%2Forganisation", { cookie }), params: {}, context: { cspNonce: "" } }));
    expect(inside.headers.get("Location")).toBe("/organisation");
    const outside = await respond(() =>
      loader({ request: makeRequest("/login?redirectTo=https%3A%2F%2Fevil.example", { cookie }), params: {}, context: { cspNonce: "" } }),
    );
    expect(outside.headers.get("Location")).toBe("/");
  });

  it("the sign-in page shows the form to an anonymous person", async () => {
    const res = await respond(() => loader({ request: makeRequest("/login"), params: {}, context: { cspNonce: "" } }));
    expect(res.status).toBe(200);
  });
});

describe("audit of sign-in", () => {
  it("records login_failed, account_locked and login rows", async () => {
    const { id, login } = await makeUser([{ role: "trainer", districtId: null }]);
    const now = new Date("2026-11-28T08:00:00Z");
    const input = (password: string) => ({ login, password, ip: "10.4.0.1", userAgent: "t" });
    for (let i = 0; i < 6; i++) await attemptLogin(getDb(), input("wrong"), now);
    await attemptLogin(getDb(), input(TEST_PASSWORD), new Date(now.getTime() + 16 * 60_000));
    const actions = auditFor(login).map((r) => r.action);
    expect(actions.filter((a) => a === "login_failed")).toHaveLength(5);
    expect(actions).toContain("account_locked");
    expect(actions.at(-1)).toBe("login");
    const rows = getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorUserId, id), inArray(auditLog.action, ["login", "account_locked"])))
      .all();
    expect(rows.every((r) => r.ip === "10.4.0.1" && r.entity === "auth")).toBe(true);
  });

  it("records a failed attempt for an unknown name without any password in the log", async () => {
    await attemptLogin(getDb(), { login: "ghost-name", password: "typed-secret-123", ip: "10.4.0.2", userAgent: "t" });
    const rows = auditFor("ghost-name");
    expect(rows.map((r) => r.action)).toEqual(["login_failed"]);
    expect(JSON.stringify(rows)).not.toContain("typed-secret-123");
  });
});
