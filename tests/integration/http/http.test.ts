/** Flash messages, form parsing, cookies and the health check. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FLASH_COOKIE, readCookie, serializeCookie } from "~/http/cookies.server";
import { consumeFlash, redirectWithFlash } from "~/http/flash.server";
import { badForm, parseForm, readForm } from "~/http/forms.server";
import { loader as healthz } from "~/routes/healthz";
import { makeRequest, respond } from "../../factories";

const withCookie = (cookie: string) => new Request("http://localhost/", { headers: { Cookie: cookie } });
const flashCookie = (value: unknown) => `${FLASH_COOKIE}=${encodeURIComponent(typeof value === "string" ? value : JSON.stringify(value))}`;

describe("flash messages", () => {
  it("a redirect carries a one-time message that the next request reads and clears", () => {
    const res = redirectWithFlash("/admin/users", { kind: "success", key: "account.password.changed" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/admin/users");
    const set = res.headers.get("Set-Cookie")!;
    const pair = set.split(";")[0]!;
    const { flash, setCookie } = consumeFlash(withCookie(pair));
    expect(flash).toEqual({ kind: "success", key: "account.password.changed", params: {} });
    expect(setCookie).toMatch(/^tb_flash=; .*Max-Age=0/);
  });

  it("keeps its parameters, as strings, cut to 200 characters", () => {
    const { flash } = consumeFlash(withCookie(flashCookie({ kind: "info", key: "login.signedOut", params: { name: "x".repeat(500), n: 3, bad: { a: 1 } } })));
    expect(flash?.params).toEqual({ name: "x".repeat(200), n: "3" });
  });

  it("ignores an unknown message key but still clears the cookie", () => {
    const { flash, setCookie } = consumeFlash(withCookie(flashCookie({ kind: "success", key: "no.such.key" })));
    expect(flash).toBeNull();
    expect(setCookie).toContain("tb_flash=;");
  });

  it("ignores an unknown kind", () => {
    expect(consumeFlash(withCookie(flashCookie({ kind: "evil", key: "login.signedOut" }))).flash).toBeNull();
  });

  it("ignores a malformed cookie without throwing", () => {
    for (const raw of ["{not json", "null", "42", '"text"', "[]", "%E0%A4%A"]) {
      const cookie = raw.startsWith("%") ? `${FLASH_COOKIE}=${raw}` : flashCookie(raw);
      expect(() => consumeFlash(withCookie(cookie)), raw).not.toThrow();
      expect(consumeFlash(withCookie(cookie)).flash, raw).toBeNull();
    }
  });

  it("does nothing when there is no flash cookie", () => {
    expect(consumeFlash(withCookie("other=1"))).toEqual({ flash: null, setCookie: null });
  });
});

describe("cookies", () => {
  it("reads a cookie by its exact name among others", () => {
    const request = withCookie("xtb_session=no; tb_session=yes; tb_session_old=no");
    expect(readCookie(request, "tb_session")).toBe("yes");
    expect(readCookie(request, "missing")).toBeNull();
    expect(readCookie(new Request("http://localhost/"), "tb_session")).toBeNull();
  });

  it("serialises HttpOnly and SameSite=Lax by default, and leaves HttpOnly off when asked", () => {
    expect(serializeCookie("a", "b c")).toBe("a=b%20c; Path=/; SameSite=Lax; HttpOnly");
    expect(serializeCookie("a", "b", { httpOnly: false })).not.toContain("HttpOnly");
  });
});

describe("parseForm", () => {
  const Schema = z.object({ name: z.string().min(1, { error: "form.required" }), age: z.string().regex(/^\d+$/, { error: "form.notANumber" }) });

  it("gives data and the typed values on success", async () => {
    const result = await parseForm(makeRequest("/x", { form: { name: "测试用户（虚构）", age: "30" } }), Schema);
    expect(result).toEqual({ ok: true, data: { name: "测试用户（虚构）", age: "30" }, values: { name: "测试用户（虚构）", age: "30" } });
  });

  it("gives the first message per field and the typed values on failure", async () => {
    const result = await parseForm(makeRequest("/x", { form: { name: "", age: "x" } }), Schema);
    expect(result).toEqual({ ok: false, errors: { name: "form.required", age: "form.notANumber" }, values: { name: "", age: "x" } });
  });

  it("answers form.badRequest for a body that is not a form, without throwing", async () => {
    const json = new Request("http://localhost/x", { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"name":"a"}' });
    expect(await parseForm(json, Schema)).toEqual({ ok: false, errors: { _form: "form.badRequest" }, values: {} });
    const none = new Request("http://localhost/x", { method: "POST", body: "name=a" });
    none.headers.delete("Content-Type");
    expect((await parseForm(none, Schema)).ok).toBe(false);
  });

  it("never returns fields whose name holds 'password'", async () => {
    const result = await parseForm(makeRequest("/x", { form: { name: "", age: "1", password: "s3cret", newPassword: "s3cret2" } }), Schema);
    expect(result.values).toEqual({ name: "", age: "1" });
  });

  it("keeps repeated names for multi-value fields and cuts a huge value", async () => {
    const input = await readForm(makeRequest("/x", { form: { role: ["admin", "trainer"], big: "x".repeat(200_000) } }));
    expect(input?.multi.role).toEqual(["admin", "trainer"]);
    expect(input?.values.role).toBe("admin");
    expect(input?.values.big).toHaveLength(100_000);
  });

  it("badForm answers 400 (or the status given) with errors and values", () => {
    const d = badForm({ errors: { _form: "login.rateLimited" }, values: { login: "a" } }, 429) as unknown as { data: unknown; init: { status: number } };
    expect(d.init.status).toBe(429);
    expect(d.data).toEqual({ ok: false, errors: { _form: "login.rateLimited" }, values: { login: "a" } });
  });
});

describe("health check", () => {
  it("GET /healthz answers 200 {ok:true} without caching", async () => {
    const res = await respond(() => healthz());
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(await (res.body as Response).json()).toEqual({ ok: true });
  });
});
