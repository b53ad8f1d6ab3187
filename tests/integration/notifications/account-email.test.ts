/**
 * One's own notification e-mail address on the account page: saved and removed by its owner,
 * audited without the address; bad input answers 400 with the input kept.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, users } from "#db/schema";
import { getDb } from "~/db.server";
import * as page from "~/routes/account.email";
import { makeSignedInUser } from "../../factories";
import { getRoute, postRoute } from "../../training-factories";

let me: Awaited<ReturnType<typeof makeSignedInUser>>;
const emailOf = (id: number) => getDb().select({ e: users.email }).from(users).where(eq(users.id, id)).get()!.e;

beforeAll(async () => {
  me = await makeSignedInUser([{ role: "trainer", districtId: null }]);
});

describe("notification e-mail address", () => {
  it("its owner saves an address, sees it, and removes it with an empty field; each change is audited without the address", async () => {
    expect((await postRoute(page, "/account/email", {}, me.cookie, { email: " trainer@example.invalid " })).status).toBe(302);
    expect(emailOf(me.id)).toBe("trainer@example.invalid");
    expect(((await getRoute(page, "/account/email", {}, me.cookie)).body as { email: string }).email).toBe("trainer@example.invalid");
    expect((await postRoute(page, "/account/email", {}, me.cookie, { email: "" })).status).toBe(302);
    expect(emailOf(me.id)).toBeNull();
    const audit = getDb().select().from(auditLog).where(and(eq(auditLog.action, "set_email"), eq(auditLog.entityId, String(me.id)))).all();
    expect(audit.map((a) => a.details)).toEqual([{ emailSet: true }, { emailSet: false }]);
    expect(JSON.stringify(audit)).not.toContain("trainer@example.invalid");
  });

  for (const [what, value, key] of [
    ["not an address", "not-an-address", "dashboard.email.invalid"],
    ["over-long", `${"a".repeat(250)}@example.invalid`, "form.tooLong?max=254"],
    ["with control characters", "a\u0007b@example.invalid", "dashboard.email.invalid"],
  ] as const) {
    it(`refuses an address ${what} with 400 and the input kept`, async () => {
      const res = await postRoute(page, "/account/email", {}, me.cookie, { email: value });
      expect(res.status).toBe(400);
      const body = res.body as { errors: Record<string, string>; values: Record<string, string> };
      expect(body.errors.email).toBe(key);
      expect(body.values.email).toBe(value);
    });
  }

  it("a person without any role gets 403", async () => {
    const none = await makeSignedInUser([]);
    expect((await getRoute(page, "/account/email", {}, none.cookie)).status).toBe(403);
    expect((await postRoute(page, "/account/email", {}, none.cookie, { email: "x@example.invalid" })).status).toBe(403);
  });
});
