/** The language switcher (POST /locale): a cookie for everyone, the saved choice for a signed-in person. */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, users } from "#db/schema";
import { getOptionalUser } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { resolveLocale } from "~/i18n/locale.server";
import { action, loader } from "~/routes/locale";
import { makeRequest, makeSignedInUser, respond } from "../../factories";

function switchTo(form: Record<string, string>, cookie?: string) {
  return respond(() => action({ request: makeRequest("/locale", { form, cookie }), params: {}, context: { cspNonce: "" } }));
}

const savedLocale = (id: number) => getDb().select({ locale: users.locale }).from(users).where(eq(users.id, id)).get()?.locale;

describe("POST /locale", () => {
  it("sets a year-long tb_lang cookie for an anonymous person and goes back to the page", async () => {
    const res = await switchTo({ locale: "en", redirectTo: "/login?redirectTo=%2Fclients" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fclients");
    const cookie = res.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^tb_lang=en;/);
    expect(cookie).toContain(`Max-Age=${365 * 24 * 3600}`);
    expect(cookie).toContain("SameSite=Lax");
  });

  it("saves the choice for a signed-in person, which then wins over the cookie and the browser", async () => {
    const { id, cookie } = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    expect(savedLocale(id)).toBeNull();
    const res = await switchTo({ locale: "en", redirectTo: "/organisation" }, cookie);
    expect(res.headers.get("Location")).toBe("/organisation");
    expect(savedLocale(id)).toBe("en");
    const request = makeRequest("/", { cookie: `${cookie}; tb_lang=zh-CN`, headers: { "Accept-Language": "zh-CN" } });
    expect(resolveLocale(request, getOptionalUser(request))).toBe("en");
    const audit = getDb().select().from(auditLog).where(eq(auditLog.action, "set_locale")).all();
    expect(audit.some((a) => a.entityId === String(id))).toBe(true);
  });

  it("switches back to Chinese", async () => {
    const { id, cookie } = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    await switchTo({ locale: "en" }, cookie);
    const res = await switchTo({ locale: "zh-CN" }, cookie);
    expect(res.headers.get("Set-Cookie")).toMatch(/^tb_lang=zh-CN;/);
    expect(savedLocale(id)).toBe("zh-CN");
  });

  it("redirects only within the site", async () => {
    for (const evil of ["https://evil.example", "//evil.example", "/\\evil", "/.//evil.example"]) {
      expect((await switchTo({ locale: "en", redirectTo: evil })).headers.get("Location"), evil).toBe("/");
    }
  });

  it("ignores an unknown locale: no cookie, nothing saved", async () => {
    const { id, cookie } = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    const res = await switchTo({ locale: "fr", redirectTo: "/organisation" }, cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/organisation");
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(savedLocale(id)).toBeNull();
  });

  it("answers a body that is not a form with a redirect home, not a 500", async () => {
    const request = new Request("http://localhost/locale", {
      method: "POST",
      headers: { "Content-Type": "application/json", "x-tongban-client-ip": "127.0.0.1" },
      body: "{",
    });
    const res = await respond(() => action({ request, params: {}, context: { cspNonce: "" } }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/");
  });

  it("GET /locale changes nothing", async () => {
    const res = await respond(() => loader());
    expect(res.status).toBe(302);
    expect(res.headers.get("Set-Cookie")).toBeNull();
  });
});
