/**
 * The admin's user-account management: /admin/users (list), /admin/users/new (create) and
 * /admin/users/$id (view; edit name and roles, disable / enable, reset password, unlock).
 * Real SQLite via the factories; every person is fictional.
 */
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, users } from "#db/schema";
import { attemptLogin, loginRateLimiter } from "~/auth/login.server";
import { validateSessionToken } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { findUserIdByLogin, getUser } from "~/domain/people";
import { PAGE_SIZE } from "~/domain/shared/paging";
import { loader as homeLoader } from "~/routes/_index";
import { action as detailAction, loader as detailLoader } from "~/routes/admin.users.$id";
import { loader as listLoader } from "~/routes/admin.users._index/route";
import { action as newAction, loader as newLoader } from "~/routes/admin.users.new";
import { makeDistrict, makeRequest, makeSignedInUser, makeUser, respond, signIn } from "../../factories";

type FormBody = { ok: false; errors: Record<string, string>; values: Record<string, string> };
type ListData = Awaited<ReturnType<typeof listLoader>>;
type DetailData = Awaited<ReturnType<typeof detailLoader>>;

const context = { cspNonce: "" };
const TEMP_PASSWORD = "temporary-pass-2026";

function get(fn: typeof listLoader | typeof detailLoader | typeof newLoader | typeof homeLoader, path: string, cookie: string, params: Record<string, string> = {}) {
  return respond(() => fn({ request: makeRequest(path, { cookie }), params, context }));
}

function post(fn: typeof newAction | typeof detailAction, path: string, cookie: string, form: Record<string, string | string[]>, params: Record<string, string> = {}) {
  return respond(() => fn({ request: makeRequest(path, { cookie, form }), params, context }));
}

const createForm = (overrides: Record<string, string | string[]> = {}) => ({
  login: "test-new-person",
  displayName: "测试新用户（虚构）",
  temporaryPassword: TEMP_PASSWORD,
  mustChange: "on",
  roles: ["social_worker"],
  ...overrides,
});

const createUserVia = (cookie: string, form: Record<string, string | string[]>) => post(newAction, "/admin/users/new", cookie, form);
const act = (cookie: string, userId: number | string, form: Record<string, string | string[]>) =>
  post(detailAction, `/admin/users/${userId}`, cookie, form, { id: String(userId) });

const auditRows = (action: string, entityId: number) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.entity, "user"), eq(auditLog.entityId, String(entityId))))
    .all();

let ipSeq = 0;
const login = (loginName: string, password: string) =>
  attemptLogin(getDb(), { login: loginName, password, ip: `10.0.0.${++ipSeq}`, userAgent: "vitest" });

const admin = () => makeSignedInUser([{ role: "admin", districtId: null }]);

beforeEach(() => {
  loginRateLimiter.reset();
});

describe("creating a user", () => {
  it("an admin creates a coordinator scoped to one district, who can then sign in and holds exactly that grant", async () => {
    const { cookie, id: adminId } = await admin();
    const district = makeDistrict();
    makeDistrict(); // another district the coordinator must not get

    const res = await createUserVia(cookie, createForm({ login: "Test-Coord-One", roles: ["coordinator"], districtIds: [String(district.id)] }));

    expect(res.status).toBe(302);
    const id = findUserIdByLogin(getDb(), "test-coord-one");
    expect(id).not.toBeNull();
    expect(res.headers.get("Location")).toBe(`/admin/users/${id}`);
    expect(res.headers.get("Set-Cookie")).toMatch(/users\.created/);

    const result = await login("test-coord-one", TEMP_PASSWORD);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.mustChangePassword).toBe(true); // the box is ticked by default
    const session = validateSessionToken(getDb(), result.token);
    expect(session?.roles).toEqual([{ role: "coordinator", districtId: district.id }]);

    const created = auditRows("create", id!);
    expect(created).toHaveLength(1);
    expect(created[0]!.actorUserId).toBe(adminId);
  });

  it("a coordinator created with no district ticked is city-wide, and several roles are kept", async () => {
    const { cookie } = await admin();
    makeDistrict();
    const res = await createUserVia(cookie, createForm({ login: "test-multi-role", roles: ["coordinator", "trainer"], mustChange: [] }));
    expect(res.status).toBe(302);
    const user = getUser(getDb(), findUserIdByLogin(getDb(), "test-multi-role")!)!;
    expect(user.roles).toEqual([
      { role: "coordinator", districtId: null },
      { role: "trainer", districtId: null },
    ]);
    expect(user.mustChangePassword).toBe(false);
  });

  it("districts ticked for a role other than coordinator are not stored as a scope", async () => {
    const { cookie } = await admin();
    const district = makeDistrict();
    const res = await createUserVia(cookie, createForm({ login: "test-sw-district", roles: ["social_worker"], districtIds: [String(district.id)] }));
    expect(res.status).toBe(302);
    expect(getUser(getDb(), findUserIdByLogin(getDb(), "test-sw-district")!)!.roles).toEqual([{ role: "social_worker", districtId: null }]);
  });

  it("a duplicate login is refused with a field message and the typed values come back", async () => {
    const { cookie } = await admin();
    const existing = await makeUser([{ role: "trainer", districtId: null }]);
    const district = makeDistrict();
    const before = getDb().select().from(users).all().length;

    const res = await createUserVia(
      cookie,
      createForm({ login: existing.login.toUpperCase(), displayName: "测试重复（虚构）", roles: ["coordinator", "trainer"], districtIds: [String(district.id)] }),
    );

    expect(res.status).toBe(400);
    const body = res.body as FormBody;
    expect(body.errors).toEqual({ login: "admin.users.loginTaken" });
    expect(body.values.login).toBe(existing.login.toUpperCase());
    expect(body.values.displayName).toBe("测试重复（虚构）");
    expect(body.values.roles).toBe("coordinator,trainer");
    expect(body.values.districtIds).toBe(String(district.id));
    expect(body.values.mustChange).toBe("on");
    expect(body.values).not.toHaveProperty("temporaryPassword");
    expect(getDb().select().from(users).all()).toHaveLength(before);
  });

  const badInputs: [string, Record<string, string | string[]>, string, string][] = [
    ["an over-long display name", { displayName: "测".repeat(81) }, "displayName", "form.tooLong?max=80"],
    ["control characters in the name", { displayName: "测试\u0007用户" }, "displayName", "form.controlChars"],
    ["a line break in the name", { displayName: "测试\n用户" }, "displayName", "form.controlChars"],
    ["an empty name", { displayName: "   " }, "displayName", "form.required"],
    ["a non-numeric district id", { roles: ["coordinator"], districtIds: ["abc"] }, "districtIds", "form.unknownId"],
    ["an unknown district id", { roles: ["coordinator"], districtIds: ["987654"] }, "districtIds", "form.unknownId"],
    ["no role at all", { roles: [] }, "roles", "users.rolesRequired"],
    ["an unknown role", { roles: ["superuser"] }, "roles", "form.unknownChoice"],
    ["a login with spaces", { login: "test person" }, "login", "admin.users.loginFormat"],
    ["an over-long login", { login: "t".repeat(65) }, "login", "form.tooLong?max=64"],
    ["a temporary password that is too short", { temporaryPassword: "short" }, "temporaryPassword", "form.tooShort?min=10"],
    ["control characters in the password", { temporaryPassword: "long-enough\u0000pass" }, "temporaryPassword", "form.controlChars"],
  ];
  for (const [what, overrides, field, message] of badInputs) {
    it(`${what} is refused with a field message (400) and no user is created`, async () => {
      const { cookie } = await admin();
      const loginName = `test-bad-${++ipSeq}`;
      const res = await createUserVia(cookie, createForm({ login: loginName, ...overrides }));
      expect(res.status).toBe(400);
      expect((res.body as FormBody).errors[field]).toBe(message);
      expect(findUserIdByLogin(getDb(), String(overrides.login ?? loginName))).toBeNull();
    });
  }

  it("an unreadable form body is a 400, not a 500", async () => {
    const { cookie } = await admin();
    const request = new Request("http://localhost/admin/users/new", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "multipart/form-data; boundary=nothing" },
      body: "garbage",
    });
    const res = await respond(() => newAction({ request, params: {}, context }));
    expect(res.status).toBe(400);
    expect((res.body as FormBody).errors._form).toBe("form.badRequest");
  });
});

describe("the user list", () => {
  it("filters by role and search in SQL and pages through more than one page", async () => {
    const { cookie } = await admin();
    const total = PAGE_SIZE + 3;
    for (let i = 0; i < total; i++) {
      await makeUser([{ role: "peer_tutor", districtId: null }], { login: `test-pager-${String(i).padStart(2, "0")}` });
    }
    await makeUser([{ role: "trainer", districtId: null }], { login: "test-pager-trainer" });
    await makeUser([{ role: "peer_tutor", districtId: null }], { login: "test-other-tutor" });

    const first = (await get(listLoader, "/admin/users?role=peer_tutor&q=pager", cookie)).body as ListData;
    expect(first.total).toBe(total);
    expect(first.pages).toBe(2);
    expect(first.rows).toHaveLength(PAGE_SIZE);
    expect(first.rows.every((r) => r.login.startsWith("test-pager-") && r.roles.some((g) => g.role === "peer_tutor"))).toBe(true);
    expect(first.query).toMatchObject({ q: "pager", role: "peer_tutor" });

    const second = (await get(listLoader, "/admin/users?role=peer_tutor&q=pager&page=2", cookie)).body as ListData;
    expect(second.page).toBe(2);
    expect(second.rows.map((r) => r.login)).toEqual(["test-pager-25", "test-pager-26", "test-pager-27"]);

    const trainers = (await get(listLoader, "/admin/users?role=trainer&q=pager", cookie)).body as ListData;
    expect(trainers.rows.map((r) => r.login)).toEqual(["test-pager-trainer"]);
  });

  it("searches display names and treats LIKE wildcards literally", async () => {
    const { cookie } = await admin();
    await makeUser([{ role: "trainer", districtId: null }], { login: "test_under" });
    await makeUser([{ role: "trainer", districtId: null }], { login: "testxunder" });
    const underscore = (await get(listLoader, "/admin/users?q=t_u", cookie)).body as ListData;
    expect(underscore.rows.map((r) => r.login)).toEqual(["test_under"]);

    const someone = await makeUser([{ role: "trainer", districtId: null }]);
    const name = getUser(getDb(), someone.id)!.displayName; // 测试用户N（虚构）
    const byName = (await get(listLoader, `/admin/users?q=${encodeURIComponent(name)}`, cookie)).body as ListData;
    expect(byName.rows.map((r) => r.id)).toEqual([someone.id]);
  });

  it("filters coordinators by district and accounts by status, showing locks in words", async () => {
    const { cookie } = await admin();
    const d1 = makeDistrict();
    const d2 = makeDistrict();
    const inD1 = await makeUser([{ role: "coordinator", districtId: d1.id }]);
    await makeUser([{ role: "coordinator", districtId: d2.id }]);
    const disabled = await makeUser([{ role: "trainer", districtId: null }]);
    const locked = await makeUser([{ role: "trainer", districtId: null }]);
    const stale = await makeUser([{ role: "trainer", districtId: null }]);
    const db = getDb();
    db.update(users).set({ active: false }).where(eq(users.id, disabled.id)).run();
    const until = new Date(Date.now() + 10 * 60000).toISOString();
    db.update(users).set({ lockedUntil: until }).where(eq(users.id, locked.id)).run();
    db.update(users).set({ lockedUntil: new Date(Date.now() - 60000).toISOString() }).where(eq(users.id, stale.id)).run();

    const byDistrict = (await get(listLoader, `/admin/users?district=${d1.id}`, cookie)).body as ListData;
    expect(byDistrict.rows.map((r) => r.id)).toEqual([inD1.id]);
    expect(byDistrict.rows[0]!.roles).toEqual([{ role: "coordinator", districtId: d1.id }]);

    // other tests share this database: check membership and that every row fits the filter
    const off = (await get(listLoader, "/admin/users?status=disabled", cookie)).body as ListData;
    expect(off.rows.map((r) => r.id)).toContain(disabled.id);
    expect(off.rows.every((r) => !r.active)).toBe(true);
    const on = (await get(listLoader, `/admin/users?status=active&q=${disabled.login}`, cookie)).body as ListData;
    expect(on.total).toBe(0);

    const lockedList = (await get(listLoader, "/admin/users?status=locked", cookie)).body as ListData;
    const ids = lockedList.rows.map((r) => r.id);
    expect(ids).toContain(locked.id);
    expect(ids).not.toContain(stale.id); // an expired lock is no lock
    expect(lockedList.rows.find((r) => r.id === locked.id)!.lockedUntil).toBe(until);

    const staleRow = (await get(listLoader, `/admin/users?q=${stale.login}`, cookie)).body as ListData;
    expect(staleRow.rows.map((r) => [r.id, r.lockedUntil])).toEqual([[stale.id, null]]);
  });

  it("ignores malformed filters instead of failing", async () => {
    const { cookie } = await admin();
    const res = await get(listLoader, "/admin/users?role=superuser&district=abc&status=%00&page=-3&q=%01x", cookie);
    expect(res.status).toBe(200);
    const data = res.body as ListData;
    expect(data.query).toEqual({ q: "x", role: "", district: "", status: "" });
    expect(data.page).toBe(1);
  });

  it("with no match, the list is empty and says the filters are on", async () => {
    const { cookie } = await admin();
    const data = (await get(listLoader, "/admin/users?q=nobody-has-this-login", cookie)).body as ListData;
    expect(data.total).toBe(0);
    expect(data.filtered).toBe(true);
  });
});

describe("the user page", () => {
  it("shows login, name, roles with districts, status and the must-change flag", async () => {
    const { cookie } = await admin();
    const district = makeDistrict();
    const target = await makeUser([{ role: "coordinator", districtId: district.id }], { mustChangePassword: true });
    const res = await get(detailLoader, `/admin/users/${target.id}`, cookie, { id: String(target.id) });
    expect(res.status).toBe(200);
    const data = res.body as DetailData;
    expect(data.target).toMatchObject({
      login: target.login,
      active: true,
      lockedUntil: null,
      lastLoginAt: null,
      mustChangePassword: true,
      roles: [{ role: "coordinator", districtId: district.id }],
    });
    expect(data.canEdit).toBe(true);
    expect(data.isSelf).toBe(false);
  });

  for (const bad of ["999999", "abc", "0", "-1", "1.5", "1e3"]) {
    it(`an unknown or malformed id (${bad}) is a 404 for the page and its actions`, async () => {
      const { cookie } = await admin();
      expect((await get(detailLoader, `/admin/users/${bad}`, cookie, { id: bad })).status).toBe(404);
      expect((await act(cookie, bad, { intent: "unlock" })).status).toBe(404);
    });
  }

  it("the guard runs before the id is read: a coordinator gets 403 even for a malformed id", async () => {
    const { cookie } = await makeSignedInUser([{ role: "coordinator", districtId: null }]);
    expect((await get(detailLoader, "/admin/users/abc", cookie, { id: "abc" })).status).toBe(403);
  });

  it("editing the display name saves it and records the change in the audit log", async () => {
    const { cookie } = await admin();
    const target = await makeUser([{ role: "trainer", districtId: null }]);
    const res = await act(cookie, target.id, { intent: "profile", displayName: "测试改名（虚构）" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/admin/users/${target.id}`);
    expect(getUser(getDb(), target.id)!.displayName).toBe("测试改名（虚构）");
    expect(auditRows("update", target.id)).toHaveLength(1);
  });

  it("an over-long or control-character name on the edit form is a 400 that names the form it came from", async () => {
    const { cookie } = await admin();
    const target = await makeUser([{ role: "trainer", districtId: null }]);
    const before = getUser(getDb(), target.id)!.displayName;
    const long = await act(cookie, target.id, { intent: "profile", displayName: "x".repeat(81) });
    expect(long.status).toBe(400);
    expect((long.body as FormBody).errors).toEqual({ displayName: "form.tooLong?max=80" });
    expect((long.body as FormBody).values.intent).toBe("profile");
    const control = await act(cookie, target.id, { intent: "profile", displayName: "测试\u001b用户" });
    expect((control.body as FormBody).errors).toEqual({ displayName: "form.controlChars" });
    expect(getUser(getDb(), target.id)!.displayName).toBe(before);
  });

  it("editing roles replaces the grants, with several districts for a coordinator, and is audited", async () => {
    const { cookie } = await admin();
    const d1 = makeDistrict();
    const d2 = makeDistrict();
    const target = await makeUser([{ role: "social_worker", districtId: null }]);
    const targetCookie = signIn(target.id);
    const res = await act(cookie, target.id, { intent: "roles", roles: ["coordinator", "peer_tutor"], districtIds: [String(d2.id), String(d1.id)] });
    expect(res.status).toBe(302);
    expect(getUser(getDb(), target.id)!.roles).toEqual([
      { role: "coordinator", districtId: d1.id },
      { role: "coordinator", districtId: d2.id },
      { role: "peer_tutor", districtId: null },
    ]);
    // the person's next request carries the new grants
    const session = validateSessionToken(getDb(), targetCookie.replace("tb_session=", ""));
    expect(session?.roles.map((r) => r.role).sort()).toEqual(["coordinator", "coordinator", "peer_tutor"]);
    const audit = auditRows("update_roles", target.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ before: ["social_worker"], roles: [`coordinator@${d1.id}`, `coordinator@${d2.id}`, "peer_tutor"] });
  });

  it("bad role edits are refused with a field message and leave the grants alone", async () => {
    const { cookie } = await admin();
    const target = await makeUser([{ role: "social_worker", districtId: null }]);
    const cases: [Record<string, string | string[]>, string, string][] = [
      [{ intent: "roles", roles: ["coordinator"], districtIds: ["1; drop table users"] }, "districtIds", "form.unknownId"],
      [{ intent: "roles", roles: ["coordinator"], districtIds: ["424242"] }, "districtIds", "form.unknownId"],
      [{ intent: "roles", roles: [] }, "roles", "users.rolesRequired"],
      [{ intent: "roles", roles: ["root"] }, "roles", "form.unknownChoice"],
    ];
    for (const [form, field, message] of cases) {
      const res = await act(cookie, target.id, form);
      expect(res.status).toBe(400);
      expect((res.body as FormBody).errors[field]).toBe(message);
    }
    expect(getUser(getDb(), target.id)!.roles).toEqual([{ role: "social_worker", districtId: null }]);
  });

  it("an admin cannot take the admin role away from their own account", async () => {
    const { cookie, id } = await admin();
    const res = await act(cookie, id, { intent: "roles", roles: ["trainer"] });
    expect(res.status).toBe(400);
    expect((res.body as FormBody).errors).toEqual({ roles: "users.cannotDropOwnAdmin" });
    expect(getUser(getDb(), id)!.roles).toEqual([{ role: "admin", districtId: null }]);
  });

  it("an unknown or missing intent is a 400 with a form error and changes nothing", async () => {
    const { cookie } = await admin();
    const target = await makeUser([{ role: "trainer", districtId: null }]);
    const forms: Record<string, string>[] = [{ intent: "delete" }, {}, { intent: "disable\u0000" }];
    for (const form of forms) {
      const res = await act(cookie, target.id, form);
      expect(res.status).toBe(400);
      expect((res.body as FormBody).errors).toEqual({ _form: "users.unknownAction" });
    }
    expect(getUser(getDb(), target.id)!.active).toBe(true);
  });

  it("disabling a user ends their sessions and is audited; enabling lets them sign in again", async () => {
    const { cookie, id: adminId } = await admin();
    const target = await makeUser([{ role: "peer_tutor", districtId: null }]);
    const targetCookie = signIn(target.id);
    expect((await get(homeLoader, "/", targetCookie)).status).toBe(200);

    const res = await act(cookie, target.id, { intent: "disable" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Set-Cookie")).toMatch(/users\.disable\.done/);

    const after = await get(homeLoader, "/", targetCookie);
    expect(after.status).toBe(302);
    expect(after.headers.get("Location")).toBe("/login");
    expect((await login(target.login, "correct-horse-battery")).ok).toBe(false);
    const audit = auditRows("disable", target.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorUserId).toBe(adminId);

    expect((await act(cookie, target.id, { intent: "enable" })).status).toBe(302);
    expect(auditRows("enable", target.id)).toHaveLength(1);
    expect((await login(target.login, "correct-horse-battery")).ok).toBe(true);
  });

  it("an admin cannot disable their own account", async () => {
    const { cookie, id } = await admin();
    const res = await act(cookie, id, { intent: "disable" });
    expect(res.status).toBe(400);
    expect((res.body as FormBody).errors).toEqual({ _form: "admin.users.cannotDisableSelf" });
    expect(getUser(getDb(), id)!.active).toBe(true);
    expect((await get(homeLoader, "/", cookie)).status).toBe(200);
    expect(((await get(detailLoader, `/admin/users/${id}`, cookie, { id: String(id) })).body as DetailData).isSelf).toBe(true);
  });

  it("reset password ends the person's sessions and makes them choose a new password at next sign-in; it is audited", async () => {
    const { cookie } = await admin();
    const target = await makeUser([{ role: "trainer", districtId: null }]);
    const oldCookie = signIn(target.id);

    const res = await act(cookie, target.id, { intent: "resetPassword", temporaryPassword: TEMP_PASSWORD });
    expect(res.status).toBe(302);
    expect(getUser(getDb(), target.id)!.mustChangePassword).toBe(true);

    const old = await get(homeLoader, "/", oldCookie);
    expect(old.headers.get("Location")).toBe("/login");

    expect((await login(target.login, "correct-horse-battery")).ok).toBe(false);
    const fresh = await login(target.login, TEMP_PASSWORD);
    expect(fresh.ok).toBe(true);
    if (!fresh.ok) return;
    const next = await get(homeLoader, "/", `tb_session=${fresh.token}`);
    expect(next.status).toBe(302);
    expect(next.headers.get("Location")).toBe("/account/password");

    expect(auditRows("reset_password", target.id)).toHaveLength(1);
    expect(JSON.stringify(auditRows("reset_password", target.id))).not.toContain(TEMP_PASSWORD);
  });

  it("a too-short temporary password is refused and the password is unchanged", async () => {
    const { cookie } = await admin();
    const target = await makeUser([{ role: "social_worker", districtId: null }]);
    const res = await act(cookie, target.id, { intent: "resetPassword", temporaryPassword: "short" });
    expect(res.status).toBe(400);
    expect((res.body as FormBody).errors).toEqual({ temporaryPassword: "form.tooShort?min=10" });
    expect(getUser(getDb(), target.id)!.mustChangePassword).toBe(false);
    expect((await login(target.login, "correct-horse-battery")).ok).toBe(true);
  });

  it("unlocking clears a lock left by failed sign-ins, so the person can sign in at once; it is audited", async () => {
    const { cookie } = await admin();
    const target = await makeUser([{ role: "trainer", districtId: null }]);
    getDb()
      .update(users)
      .set({ lockedUntil: new Date(Date.now() + 15 * 60000).toISOString(), failedLoginCount: 3 })
      .where(eq(users.id, target.id))
      .run();
    expect((await login(target.login, "correct-horse-battery")).ok).toBe(false);
    const shown = (await get(detailLoader, `/admin/users/${target.id}`, cookie, { id: String(target.id) })).body as DetailData;
    expect(shown.target.lockedUntil).not.toBeNull();

    expect((await act(cookie, target.id, { intent: "unlock" })).status).toBe(302);
    expect(getUser(getDb(), target.id)!.lockedUntil).toBeNull();
    expect(auditRows("unlock", target.id)).toHaveLength(1);
    expect((await login(target.login, "correct-horse-battery")).ok).toBe(true);
  });
});

describe("only admins manage users", () => {
  const others = [
    ["a coordinator", [{ role: "coordinator" as const, districtId: null }]],
    ["a peer tutor", [{ role: "peer_tutor" as const, districtId: null }]],
    ["a social worker and trainer", [{ role: "social_worker" as const, districtId: null }, { role: "trainer" as const, districtId: null }]],
  ] as const;
  for (const [who, roles] of others) {
    it(`${who} gets 403 on every user loader and action, and nothing changes`, async () => {
      const { cookie } = await makeSignedInUser([...roles]);
      const target = await makeUser([{ role: "trainer", districtId: null }]);
      const params = { id: String(target.id) };
      expect((await get(listLoader, "/admin/users", cookie)).status).toBe(403);
      expect((await get(newLoader, "/admin/users/new", cookie)).status).toBe(403);
      expect((await createUserVia(cookie, createForm({ login: "test-sneaky" }))).status).toBe(403);
      expect((await get(detailLoader, `/admin/users/${target.id}`, cookie, params)).status).toBe(403);
      const forms: Record<string, string | string[]>[] = [
        { intent: "disable" },
        { intent: "resetPassword", temporaryPassword: TEMP_PASSWORD },
        { intent: "roles", roles: ["admin"] },
        { intent: "profile", displayName: "测试（虚构）" },
        { intent: "unlock" },
      ];
      for (const form of forms) {
        expect((await act(cookie, target.id, form)).status).toBe(403);
      }
      expect(findUserIdByLogin(getDb(), "test-sneaky")).toBeNull();
      expect(getUser(getDb(), target.id)).toMatchObject({ active: true, mustChangePassword: false, roles: [{ role: "trainer", districtId: null }] });
    });
  }
});
