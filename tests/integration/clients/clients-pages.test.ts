/**
 * The clients pages render from real loader data in both languages: the list with crisis and
 * overdue words, the intake form with input kept after an error, the overview with the identity
 * hidden until revealed and then marked as an audited view, the assignment page and the queue.
 */
import { Outlet } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "~/db.server";
import type { Locale } from "~/i18n/config";
import * as assignRoute from "~/routes/clients.$id.assign";
import * as overviewRoute from "~/routes/clients.$id._index";
import * as listRoute from "~/routes/clients._index/route";
import * as newRoute from "~/routes/clients.new";
import * as queueRoute from "~/routes/caseloads.reassign";
import { clientFlags } from "#db/schema";
import { makeDistrict } from "../../factories";
import { makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { get, post } from "./clients-helpers";

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

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/\s+/g, " ");

let districtId: number;
let sw: Awaited<ReturnType<typeof makeSocialWorker>>;
let coordinator: Awaited<ReturnType<typeof makeCoordinator>>;

beforeAll(async () => {
  const original = console.error;
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].includes("useLayoutEffect does nothing on the server")) return;
    original(...args);
  });
  districtId = makeDistrict().id;
  sw = await makeSocialWorker(districtId);
  coordinator = await makeCoordinator([districtId]);
});

describe("clients pages render", () => {
  it("the list shows crisis and never-contacted in words, in both languages", async () => {
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId, alias: "渲染测试（化名）" });
    getDb()
      .insert(clientFlags)
      .values({ clientId: client.id, kind: "crisis", reason: "测试", raisedByUserId: sw.id, raisedAt: new Date().toISOString() })
      .run();
    const loaderData = (await get(listRoute.loader, "/clients", coordinator.cookie)).body;
    const en = text(render({ path: "/clients", pattern: "/clients", Component: listRoute.default, loaderData }));
    expect(en).toContain("渲染测试（化名）");
    expect(en).toContain("Crisis");
    expect(en).toContain("Never contacted");
    const zh = text(render({ path: "/clients", pattern: "/clients", Component: listRoute.default, loaderData, locale: "zh-CN" }));
    expect(zh).toContain("危机");
    expect(zh).toContain("从未联系");
  });

  it("the intake form keeps typed input and shows the field message after an error", async () => {
    const loaderData = (await get(newRoute.loader, "/clients/new", coordinator.cookie)).body;
    const actionData = (
      await post(newRoute.action, "/clients/new", coordinator.cookie, {
        caseNumber: "RENDER-1",
        alias: "保留输入测试（化名）",
        districtId: String(districtId),
        legalStatus: "voluntary",
        intakeDate: "2025-02-01",
        riskLevel: "low",
      })
    ).body;
    const html = render({ path: "/clients/new", pattern: "/clients/new", Component: newRoute.default, loaderData, actionData });
    expect(html).toContain('value="保留输入测试（化名）"');
    expect(text(html)).toContain("Choose the client's social worker.");
  });

  it("the overview hides the identity until revealed, then marks it as an audited view", async () => {
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    const params = { id: String(client.id) };
    await post(overviewRoute.action, `/clients/${client.id}`, sw.cookie, { intent: "identity", realName: "渲染真名（虚构）" }, params);
    const loaderData = (await get(overviewRoute.loader, `/clients/${client.id}`, sw.cookie, params)).body;
    const hidden = text(render({ path: `/clients/${client.id}`, pattern: "/clients/:id", Component: overviewRoute.default, loaderData }));
    expect(hidden).toContain("Show identity");
    expect(hidden).not.toContain("渲染真名（虚构）");
    const actionData = (await post(overviewRoute.action, `/clients/${client.id}`, sw.cookie, { intent: "reveal" }, params)).body;
    const shown = text(render({ path: `/clients/${client.id}`, pattern: "/clients/:id", Component: overviewRoute.default, loaderData, actionData, locale: "zh-CN" }));
    expect(shown).toContain("渲染真名（虚构）");
    expect(shown).toContain("已记录的查看");
  });

  it("the assignment page and the reassignment queue render", async () => {
    await makePeerTutor(districtId);
    const client = await makeClient({ districtId });
    const params = { id: String(client.id) };
    const assignData = (await get(assignRoute.loader, `/clients/${client.id}/assign`, coordinator.cookie, params)).body;
    const assign = text(render({ path: `/clients/${client.id}/assign`, pattern: "/clients/:id/assign", Component: assignRoute.default, loaderData: assignData }));
    expect(assign).toContain("Assign social worker");
    expect(assign).toContain("Assign peer tutor");
    const queueData = (await get(queueRoute.loader, "/caseloads/reassign", coordinator.cookie)).body;
    const queue = text(render({ path: "/caseloads/reassign", pattern: "/caseloads/reassign", Component: queueRoute.default, loaderData: queueData }));
    expect(queue).toContain(client.alias);
    expect(queue).toContain("No social worker");
  });
});
