/**
 * The user pages render in both languages from real loader data: the status in words, roles with
 * their district, the empty state, the role and district checkboxes ticked as typed after an error,
 * and no disable form on the admin's own page.
 */
import { Outlet } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { users } from "#db/schema";
import { getDb } from "~/db.server";
import type { Locale } from "~/i18n/config";
import * as detailRoute from "~/routes/admin.users.$id";
import * as listRoute from "~/routes/admin.users._index/route";
import * as newRoute from "~/routes/admin.users.new";
import { makeDistrict, makeRequest, makeSignedInUser, makeUser, respond } from "../../factories";

const context = { cspNonce: "" };

function render(opts: {
  path: string;
  pattern: string;
  Component: ComponentType;
  loaderData: unknown;
  actionData?: unknown;
  locale?: Locale;
}): string {
  const Stub = createRemixStub([
    {
      id: "root",
      path: "/",
      Component: () => createElement(Outlet),
      children: [{ id: "page", path: opts.pattern.slice(1), Component: opts.Component }],
    },
  ]);
  return renderToString(
    createElement(Stub, {
      initialEntries: [opts.path],
      hydrationData: {
        loaderData: { root: { locale: opts.locale ?? "en", timeZone: "Asia/Shanghai" }, page: opts.loaderData },
        actionData: opts.actionData ? { page: opts.actionData } : undefined,
      },
    }),
  );
}

beforeAll(() => {
  // React warns that the router's useLayoutEffect does nothing in renderToString; that is expected here
  const original = console.error;
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].includes("useLayoutEffect does nothing on the server")) return;
    original(...args);
  });
});

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/\s+/g, " ");

describe("user pages render", () => {
  it("the list shows each account's status in words, roles with districts, and the New user button", async () => {
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const district = makeDistrict({ nameEn: "Test District Render", nameZh: "测试渲染区" });
    await makeUser([{ role: "coordinator", districtId: district.id }], { login: "test-render-coord" });
    const locked = await makeUser([{ role: "trainer", districtId: null }], { login: "test-render-locked" });
    getDb().update(users).set({ lockedUntil: "2999-01-01T00:00:00.000Z" }).where(eq(users.id, locked.id)).run();
    const data = (await respond(() => listRoute.loader({ request: makeRequest("/admin/users?q=test-render", { cookie: admin.cookie }), params: {}, context }))).body;

    const en = text(render({ path: "/admin/users?q=test-render", pattern: "/admin/users", Component: listRoute.default, loaderData: data }));
    expect(en).toContain("Program coordinator · Test District Render");
    expect(en).toContain("Locked until");
    expect(en).toContain("Active");
    expect(en).toContain("New user");
    expect(en).toContain("2 in total");

    const zh = text(render({ path: "/admin/users?q=test-render", pattern: "/admin/users", Component: listRoute.default, loaderData: data, locale: "zh-CN" }));
    expect(zh).toContain("项目协调员 · 测试渲染区");
    expect(zh).toContain("锁定至");
    expect(zh).toContain("新建用户");
  });

  it("an empty filtered list says nothing matches and offers to clear the filters", async () => {
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const data = (await respond(() => listRoute.loader({ request: makeRequest("/admin/users?q=zzz-none", { cookie: admin.cookie }), params: {}, context }))).body;
    const html = text(render({ path: "/admin/users?q=zzz-none", pattern: "/admin/users", Component: listRoute.default, loaderData: data }));
    expect(html).toContain("No user matches these filters");
    expect(html).toContain("Clear");
  });

  it("after a failed create, the ticked roles and districts stay ticked and the error is shown", async () => {
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const d1 = makeDistrict();
    const d2 = makeDistrict();
    const loaderData = (await respond(() => newRoute.loader({ request: makeRequest("/admin/users/new", { cookie: admin.cookie }), params: {}, context }))).body;
    const failed = await respond(() =>
      newRoute.action({
        request: makeRequest("/admin/users/new", {
          cookie: admin.cookie,
          form: { login: "test-render-new", displayName: "x".repeat(81), temporaryPassword: "temporary-pass-2026", roles: ["coordinator", "trainer"], districtIds: [String(d2.id)] },
        }),
        params: {},
        context,
      }),
    );
    expect(failed.status).toBe(400);
    const html = render({ path: "/admin/users/new", pattern: "/admin/users/new", Component: newRoute.default, loaderData, actionData: failed.body });
    const checked = (name: string, value: string | number) => {
      const input = (html.match(/<input[^>]*>/g) ?? []).find((tag) => tag.includes(`name="${name}"`) && tag.includes(`value="${value}"`));
      expect(input, `${name}=${value} is on the form`).toBeDefined();
      return input!.includes('checked=""');
    };
    expect(checked("roles", "coordinator")).toBe(true);
    expect(checked("roles", "trainer")).toBe(true);
    expect(checked("roles", "admin")).toBe(false);
    expect(checked("districtIds", d2.id)).toBe(true);
    expect(checked("districtIds", d1.id)).toBe(false);
    expect(checked("mustChange", "on")).toBe(false); // it was not sent, so it comes back unticked
    expect(text(html)).toContain("Use at most 80 characters.");
    expect(html).toContain('value="test-render-new"');
  });

  it("an admin's own page has no disable form; another user's page states the consequence of disabling", async () => {
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const other = await makeUser([{ role: "peer_tutor", districtId: null }]);
    const load = async (id: number) =>
      (await respond(() => detailRoute.loader({ request: makeRequest(`/admin/users/${id}`, { cookie: admin.cookie }), params: { id: String(id) }, context }))).body;
    const own = render({ path: `/admin/users/${admin.id}`, pattern: "/admin/users/:id", Component: detailRoute.default, loaderData: await load(admin.id) });
    expect(own).not.toContain('value="disable"');
    expect(text(own)).toContain("You cannot disable it");
    const theirs = render({ path: `/admin/users/${other.id}`, pattern: "/admin/users/:id", Component: detailRoute.default, loaderData: await load(other.id) });
    expect(theirs).toContain('value="disable"');
    expect(text(theirs)).toContain("every session they have open ends now");
    expect(text(theirs)).toContain("Peer tutor");
  });
});
