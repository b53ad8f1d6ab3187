/**
 * Changing one's own password (/account/password) and the admin's reset that forces a change
 * at the next sign-in.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog } from "#db/schema";
import { getOptionalUser } from "~/auth/guards.server";
import { loginRateLimiter } from "~/auth/login.server";
import { createSession, generateSessionToken } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { SYSTEM_ACTOR } from "~/domain/audit";
import { resetPassword } from "~/domain/people";
import { action as passwordAction, loader as passwordLoader } from "~/routes/account.password";
import { action as loginAction } from "~/routes/login";
import { loader as homeLoader } from "~/routes/_index";
import { TEST_PASSWORD, makeRequest, makeSignedInUser, respond } from "../../factories";

type FormBody = { errors: Record<string, string>; values: Record<string, string> };
const trainerRole = [{ role: "trainer" as const, districtId: null }];
const NEW_PASSWORD = "a-new-long-password";

function changePassword(cookie: string, form: Record<string, string>) {
  return respond(() => passwordAction({ request: makeRequest("/account/password", { cookie, form }), params: {}, context: { cspNonce: "" } }));
}

function home(cookie: string) {
  return respond(() => homeLoader({ request: makeRequest("/", { cookie }), params: {}, context: { cspNonce: "" } }));
}

async function signInWith(login: string, password: string) {
  const res = await respond(() => loginAction({ request: makeRequest("/login", { form: { login, password } }), params: {}, context: { cspNonce: "" } }));
  const token = /tb_session=([^;]*)/.exec(res.headers.get("Set-Cookie") ?? "")?.[1];
  return { res, cookie: token ? `tb_session=${token}` : "" };
}

function secondSession(userId: number): string {
  const token = generateSessionToken();
  createSession(getDb(), token, userId, { ip: "10.0.0.2", userAgent: "phone" });
  return `tb_session=${token}`;
}

beforeEach(() => loginRateLimiter.reset());

describe("changing one's own password", () => {
  it("ends the person's other sessions but keeps the current one", async () => {
    const { id, cookie } = await makeSignedInUser(trainerRole);
    const phone = secondSession(id);
    const res = await changePassword(cookie, { current: TEST_PASSWORD, next: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/");
    expect(res.headers.get("Set-Cookie")).toContain("tb_flash=");
    expect(getOptionalUser(makeRequest("/", { cookie }))?.id).toBe(id);
    expect(getOptionalUser(makeRequest("/", { cookie: phone }))).toBeNull();
    const audit = getDb().select().from(auditLog).where(eq(auditLog.entityId, String(id))).all();
    expect(audit.map((a) => a.action)).toContain("change_password");
  });

  it("the new password signs in and the old one no longer does", async () => {
    const { login, cookie } = await makeSignedInUser(trainerRole);
    await changePassword(cookie, { current: TEST_PASSWORD, next: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect((await signInWith(login, TEST_PASSWORD)).res.status).toBe(400);
    expect((await signInWith(login, NEW_PASSWORD)).res.status).toBe(302);
  });

  it("a wrong current password answers 400 on that field and changes nothing", async () => {
    const { id, login, cookie } = await makeSignedInUser(trainerRole);
    const phone = secondSession(id);
    const res = await changePassword(cookie, { current: "not-my-password", next: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(res.status).toBe(400);
    expect((res.body as FormBody).errors).toEqual({ current: "account.password.wrongCurrent" });
    expect(getOptionalUser(makeRequest("/", { cookie: phone }))?.id).toBe(id);
    expect((await signInWith(login, TEST_PASSWORD)).res.status).toBe(302);
  });

  it("a confirmation that does not match answers 400 on the confirmation", async () => {
    const { cookie } = await makeSignedInUser(trainerRole);
    const res = await changePassword(cookie, { current: TEST_PASSWORD, next: NEW_PASSWORD, confirm: `${NEW_PASSWORD}x` });
    expect(res.status).toBe(400);
    expect((res.body as FormBody).errors).toEqual({ confirm: "account.password.mismatch" });
  });

  it("a new password that is too short answers 400 with the minimum length", async () => {
    const { cookie } = await makeSignedInUser(trainerRole);
    const res = await changePassword(cookie, { current: TEST_PASSWORD, next: "short", confirm: "short" });
    expect(res.status).toBe(400);
    expect((res.body as FormBody).errors.next).toBe("form.tooShort?min=10");
  });

  it("an over-long current password answers 400 with a message key, not a 500", async () => {
    const { cookie } = await makeSignedInUser(trainerRole);
    const res = await changePassword(cookie, { current: "x".repeat(300), next: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(res.status).toBe(400);
    expect((res.body as FormBody).errors.current).toBe("form.tooLong?max=256");
  });

  it("never sends a typed password back in the answer", async () => {
    const { cookie } = await makeSignedInUser(trainerRole);
    const res = await changePassword(cookie, { current: "typed-current-1", next: "typed-next-12", confirm: "typed-other-12" });
    const body = JSON.stringify(res.body);
    for (const secret of ["typed-current-1", "typed-next-12", "typed-other-12"]) expect(body).not.toContain(secret);
  });

  it("choosing the same password again answers 400", async () => {
    const { cookie } = await makeSignedInUser(trainerRole);
    const res = await changePassword(cookie, { current: TEST_PASSWORD, next: TEST_PASSWORD, confirm: TEST_PASSWORD });
    expect(res.status).toBe(400);
    expect((res.body as FormBody).errors).toEqual({ next: "account.password.sameAsOld" });
  });
});

describe("an admin's reset", () => {
  it("ends the person's sessions, and after signing in again every page sends them to /account/password until they change it", async () => {
    const { id, login, cookie } = await makeSignedInUser(trainerRole);
    expect((await home(cookie)).status).toBe(200);

    await resetPassword(getDb(), SYSTEM_ACTOR, id, "temporary-pass-1");
    const ended = await home(cookie);
    expect(ended.status).toBe(302);
    expect(ended.headers.get("Location")).toBe("/login");

    const signedIn = await signInWith(login, "temporary-pass-1");
    expect(signedIn.res.headers.get("Location")).toBe("/account/password");
    const forced = await home(signedIn.cookie);
    expect(forced.status).toBe(302);
    expect(forced.headers.get("Location")).toBe("/account/password");

    const page = await respond(() => passwordLoader({ request: makeRequest("/account/password", { cookie: signedIn.cookie }), params: {}, context: { cspNonce: "" } }));
    expect(page.status).toBe(200);
    expect(page.body).toEqual({ forced: true });

    const changed = await changePassword(signedIn.cookie, { current: "temporary-pass-1", next: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(changed.headers.get("Location")).toBe("/");
    expect((await home(signedIn.cookie)).status).toBe(200);
  });

  it("a session that already exists when the flag is set is also held at /account/password", async () => {
    const { id, cookie } = await makeSignedInUser(trainerRole, { mustChangePassword: true });
    expect(id).toBeGreaterThan(0);
    const res = await home(cookie);
    expect(res.headers.get("Location")).toBe("/account/password");
  });
});
