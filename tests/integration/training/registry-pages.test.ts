/**
 * The registry, certificate and verification pages render from real loader data in both
 * languages: statuses in words, the revocation's consequence stated, the renewal rules with their
 * numbers, the verification answer with only the name and dates, and the print page bilingual.
 */
import { Outlet } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Locale } from "~/i18n/config";
import * as registryRoute from "~/routes/registry._index/route";
import * as profileRoute from "~/routes/registry.$tutorId";
import * as expiringRoute from "~/routes/registry.expiring";
import * as myRoute from "~/routes/my-certificate";
import * as printRoute from "~/routes/certificates.$number/route";
import * as verifyRoute from "~/routes/verify._index/route";
import * as linkRoute from "~/routes/verify.$number";
import { verificationLimiter } from "~/routes/verify._index/verify.server";
import { makeRequest, respond } from "../../factories";
import { makeTrainer } from "../../training-factories";
import { makeCertifiedTutor } from "./registry-builders";

type Route = { default: ComponentType; loader: (args: never) => unknown };

function render(opts: { path: string; pattern: string; Component: ComponentType; loaderData: unknown; actionData?: unknown; locale?: Locale }): string {
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

async function load(route: Route, path: string, params: Record<string, string>, cookie?: string) {
  const request = makeRequest(path, { cookie });
  return respond(() => (route.loader as (a: unknown) => unknown)({ request, params, context: { cspNonce: "" } }));
}

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/\s+/g, " ");

let trainer: Awaited<ReturnType<typeof makeTrainer>>;

beforeAll(async () => {
  trainer = await makeTrainer();
  const original = console.error;
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].includes("useLayoutEffect does nothing on the server")) return;
    original(...args);
  });
});

describe("registry pages render", () => {
  it("the list shows statuses and standings in words, in English and Chinese", async () => {
    const tutor = await makeCertifiedTutor({ name: "测试名册页（虚构）", suspendedAt: "2025-01-01T00:00:00.000Z" });
    const data = (await load(registryRoute as Route, `/registry?q=${encodeURIComponent("测试名册页")}`, {}, trainer.cookie)).body;
    const en = text(render({ path: "/registry", pattern: "/registry", Component: registryRoute.default, loaderData: data }));
    expect(en).toContain("测试名册页（虚构）");
    expect(en).toContain(tutor.number);
    expect(en).toContain("Certificate suspended");
    expect(en).toContain("Export CSV");
    const zh = text(render({ path: "/registry", pattern: "/registry", Component: registryRoute.default, loaderData: data, locale: "zh-CN" }));
    expect(zh).toContain("同伴辅导员名册");
    expect(zh).toContain("证书已暂停");
  });

  it("a trainer's profile page states the renewal rules with numbers and the revocation's consequence", async () => {
    const tutor = await makeCertifiedTutor({ name: "测试档案页（虚构）" });
    const path = `/registry/${tutor.tutorId}`;
    const data = (await load(profileRoute as Route, path, { tutorId: String(tutor.tutorId) }, trainer.cookie)).body;
    const en = text(render({ path, pattern: "/registry/:tutorId", Component: profileRoute.default, loaderData: data }));
    expect(en).toContain("The programme asks for 12 hours of continuing education and 6 group sessions facilitated");
    expect(en).toContain("Continuing education recorded in the period: 0 of 12 hours.");
    expect(en).toContain(`Revoking certificate ${tutor.number} is final. 测试档案页（虚构） will no longer be able to facilitate group sessions or receive mentees`);
    expect(en).toContain("Revoke certificate");
    expect(en).toContain("Suspend certificate");
    expect(en).toContain("Print certificate");
    const zh = text(render({ path, pattern: "/registry/:tutorId", Component: profileRoute.default, loaderData: data, locale: "zh-CN" }));
    expect(zh).toContain(`撤销证书 ${tutor.number} 不可恢复`);
    expect(zh).toContain("获得结业认证");
  });

  it("a refused revocation comes back with the reason kept and the error under the field", async () => {
    const tutor = await makeCertifiedTutor();
    const path = `/registry/${tutor.tutorId}`;
    const data = (await load(profileRoute as Route, path, { tutorId: String(tutor.tutorId) }, trainer.cookie)).body;
    const actionData = { ok: false, errors: { confirm: "registry.revoke.confirmRequired" }, values: { intent: "revoke", reason: "测试保留的原因（虚构）" } };
    const html = render({ path, pattern: "/registry/:tutorId", Component: profileRoute.default, loaderData: data, actionData });
    expect(text(html)).toContain("Tick the box to confirm the revocation.");
    expect(html).toContain("测试保留的原因（虚构）");
  });

  it("the expiring list and my certificate render", async () => {
    const tutor = await makeCertifiedTutor({ login: true, name: "测试我的证书（虚构）", expiresOn: "2099-01-01" });
    const expiring = (await load(expiringRoute as Route, "/registry/expiring", {}, trainer.cookie)).body;
    expect(text(render({ path: "/registry/expiring", pattern: "/registry/expiring", Component: expiringRoute.default, loaderData: expiring }))).toContain(
      "Certificates expiring soon",
    );
    const mine = (await load(myRoute as Route, "/my-certificate", {}, tutor.cookie)).body;
    const html = text(render({ path: "/my-certificate", pattern: "/my-certificate", Component: myRoute.default, loaderData: mine, locale: "zh-CN" }));
    expect(html).toContain("我的证书");
    expect(html).toContain(tutor.number);
    expect(html).toContain("可开展服务");
    expect(html).not.toContain(tutor.code);
  });

  it("the print page carries the print stylesheet and both languages", async () => {
    const tutor = await makeCertifiedTutor();
    const path = `/certificates/${tutor.number}`;
    const data = (await load(printRoute as Route, path, { number: tutor.number }, trainer.cookie)).body;
    const html = render({ path, pattern: "/certificates/:number", Component: printRoute.default, loaderData: data });
    expect(html).toContain("@page");
    expect(html).toContain("同伴辅导员结业证书");
    expect(html).toContain("Peer Tutor Certificate");
    expect(html).toContain('class="no-print"');
  });
});

describe("verification pages render", () => {
  it("a valid answer shows the standing, the name and the dates; the form keeps what was typed from the URL", async () => {
    verificationLimiter.reset();
    const tutor = await makeCertifiedTutor({ name: "测试核验页（虚构）", issuedOn: "2025-03-08", expiresOn: "2027-03-07" });
    const path = `/verify/${tutor.number}?code=${tutor.code}`;
    const data = (await load(linkRoute as Route, path, { number: tutor.number })).body;
    const en = text(render({ path, pattern: "/verify/:number", Component: linkRoute.default, loaderData: data }));
    expect(en).toContain("This peer-tutor certificate is valid.");
    expect(en).toContain("测试核验页（虚构）");
    expect(en).toContain("Sat 8 Mar 2025");
    const zh = text(render({ path, pattern: "/verify/:number", Component: linkRoute.default, loaderData: data, locale: "zh-CN" }));
    expect(zh).toContain("该同伴辅导员证书有效。");
  });

  it("no match, bad input and the limit each say so in words", async () => {
    verificationLimiter.reset();
    const noMatchPath = "/verify?number=TB-C1-999&code=ABCDEFGHJK";
    const noMatch = (await load(verifyRoute as Route, noMatchPath, {})).body;
    const html = render({ path: noMatchPath, pattern: "/verify", Component: verifyRoute.default, loaderData: noMatch });
    expect(text(html)).toContain("No certificate matches this number and verification code.");
    expect(html).toContain('value="TB-C1-999"');
    const badPath = "/verify?number=TB-C1-999&code=abc";
    const bad = (await load(verifyRoute as Route, badPath, {})).body;
    expect(text(render({ path: badPath, pattern: "/verify", Component: verifyRoute.default, loaderData: bad, locale: "zh-CN" }))).toContain(
      "验证码由 10 个字母和数字组成",
    );
    expect(text(render({ path: "/verify", pattern: "/verify", Component: verifyRoute.default, loaderData: { state: "limited" } }))).toContain(
      "Too many attempts",
    );
  });
});
