/**
 * The contact log, My mentees and the overview render from real loader data in both languages:
 * the form fast on a phone (type as big radio buttons, "now" prefilled), a restored draft and a
 * failed submission ticked back into the form, private notes marked, overdue in words.
 */
import { Outlet } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Locale } from "~/i18n/config";
import * as contactsRoute from "~/routes/clients.$id.contacts";
import * as menteesRoute from "~/routes/mentees";
import * as behindRoute from "~/routes/caseloads.overdue";
import { makeDistrict, makeRequest, respond } from "../../factories";
import { addContact, makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";

const context = { cspNonce: "" };
const DAY = 86_400_000;

function render(opts: { path: string; pattern: string; Component: ComponentType; loaderData: unknown; actionData?: unknown; locale?: Locale }): string {
  const Stub = createRemixStub([
    {
      id: "root",
      path: "/",
      Component: () => createElement(Outlet),
      children: [{ id: "page", path: opts.pattern.slice(1), Component: opts.Component, action: () => null }],
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
  const original = console.error;
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].includes("useLayoutEffect does nothing on the server")) return;
    original(...args);
  });
});

/** Whether the input with this value is rendered checked. */
const ticked = (html: string, name: string, value: string) =>
  (html.match(new RegExp(`<input[^>]*name="${name}"[^>]*value="${value}"[^>]*>`))?.[0] ?? "").includes('checked=""');

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/\s+/g, " ");

let districtId: number;
let sw: Awaited<ReturnType<typeof makeSocialWorker>>;
let pt: Awaited<ReturnType<typeof makePeerTutor>>;

beforeAll(async () => {
  districtId = makeDistrict().id;
  sw = await makeSocialWorker(districtId);
  pt = await makePeerTutor(districtId);
});

async function contactsData(clientId: number, cookie: string) {
  const request = makeRequest(`/clients/${clientId}/contacts`, { cookie });
  return (await respond(() => contactsRoute.loader({ request, params: { id: String(clientId) }, context }))).body;
}

describe("the contact log page", () => {
  it("offers the types as radio buttons, prefills now, and lists contacts with private notes marked", async () => {
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId, peerTutorPersonId: pt.personId });
    addContact({ clientId: client.id, authorUserId: pt.id, private: true, summary: "私密的记录（虚构）", type: "homeVisit" });
    const data = (await contactsData(client.id, pt.cookie)) as { nowLocal: string };
    const path = `/clients/${client.id}/contacts`;
    const html = render({ path, pattern: "/clients/:id/contacts", Component: contactsRoute.default, loaderData: data });
    expect(html.match(/type="radio" name="type"/g)).toHaveLength(8);
    expect(html).toContain(`value="${data.nowLocal}"`);
    expect(html).toContain('type="datetime-local"');
    expect(text(html)).toContain("Save contact");
    expect(text(html)).toContain("Private note");
    expect(text(html)).toContain("私密的记录（虚构）");
    const zh = text(render({ path, pattern: "/clients/:id/contacts", Component: contactsRoute.default, loaderData: data, locale: "zh-CN" }));
    expect(zh).toContain("保存帮教记录");
    expect(zh).toContain("家访");
    expect(zh).toContain("电话联系");
  });

  it("restores a draft into the form", async () => {
    const client = await makeClient({ districtId, peerTutorPersonId: pt.personId });
    const request = makeRequest(`/clients/${client.id}/contacts`, {
      method: "POST",
      cookie: pt.cookie,
      form: { intent: "draft", type: "letter", summary: "写了一半的信（虚构）", participants: ["family", "other"], happenedAt: "2026-03-02T09:30" },
    });
    await respond(() => contactsRoute.action({ request, params: { id: String(client.id) }, context }));
    const data = await contactsData(client.id, pt.cookie);
    const html = render({ path: `/clients/${client.id}/contacts`, pattern: "/clients/:id/contacts", Component: contactsRoute.default, loaderData: data });
    expect(ticked(html, "type", "letter")).toBe(true);
    expect(ticked(html, "participants", "family")).toBe(true);
    expect(ticked(html, "participants", "other")).toBe(true);
    expect(ticked(html, "participants", "communityPolice")).toBe(false);
    expect(html).toContain("写了一半的信（虚构）");
    expect(html).toContain('value="2026-03-02T09:30"');
    expect(text(html)).toContain("Restored what you were typing");
    expect(text(html)).toContain("Discard draft");
  });

  it("a refused contact shows the reason and everything typed", async () => {
    const client = await makeClient({ districtId, peerTutorPersonId: pt.personId, consent: false });
    const request = makeRequest(`/clients/${client.id}/contacts`, {
      method: "POST",
      cookie: pt.cookie,
      form: { intent: "save", type: "phone", summary: "没有同意书（虚构）", participants: ["communityPolice"], happenedAt: "2026-03-02T09:30", durationMinutes: "721" },
    });
    const failed = (await respond(() => contactsRoute.action({ request, params: { id: String(client.id) }, context }))).body;
    const data = await contactsData(client.id, pt.cookie);
    const html = render({ path: `/clients/${client.id}/contacts`, pattern: "/clients/:id/contacts", Component: contactsRoute.default, loaderData: data, actionData: failed });
    expect(text(html)).toContain("Enter a number from 0 to 720.");
    expect(ticked(html, "type", "phone")).toBe(true);
    expect(ticked(html, "participants", "communityPolice")).toBe(true);
    expect(html).toContain('value="721"');
    expect(html).toContain("没有同意书（虚构）");
  });

  it("a coordinator sees the log without the form", async () => {
    const client = await makeClient({ districtId, peerTutorPersonId: pt.personId });
    const coordinator = await makeCoordinator([districtId]);
    const data = await contactsData(client.id, coordinator.cookie);
    const html = render({ path: `/clients/${client.id}/contacts`, pattern: "/clients/:id/contacts", Component: contactsRoute.default, loaderData: data });
    expect(html).not.toContain('name="summary"');
    expect(text(html)).toContain("You can read this contact log but not add to it.");
  });
});

describe("the worklist pages", () => {
  it("My mentees shows days overdue in words and a Log contact button for each mentee", async () => {
    const tutor = await makePeerTutor(districtId);
    const client = await makeClient({ districtId, peerTutorPersonId: tutor.personId, alias: "小林（化名）" });
    addContact({ clientId: client.id, authorUserId: tutor.id, happenedAt: new Date(Date.now() - 42 * DAY).toISOString() });
    const data = (await respond(() => menteesRoute.loader({ request: makeRequest("/mentees", { cookie: tutor.cookie }), params: {}, context }))).body;
    const en = render({ path: "/mentees", pattern: "/mentees", Component: menteesRoute.default, loaderData: data });
    expect(text(en)).toContain("12 days overdue");
    expect(text(en)).toContain("小林（化名）");
    expect(en).toContain(`href="/clients/${client.id}/contacts#contact-form"`);
    const zh = text(render({ path: "/mentees", pattern: "/mentees", Component: menteesRoute.default, loaderData: data, locale: "zh-CN" }));
    expect(zh).toContain("逾期 12 天");
    expect(zh).toContain("记录帮教");
  });

  it("the overview shows each worker's overdue count of their caseload", async () => {
    const d = makeDistrict({ nameEn: "Test District Behind", nameZh: "测试逾期区" }).id;
    const worker = await makeSocialWorker(d);
    await makeClient({ districtId: d, socialWorkerPersonId: worker.personId });
    const coordinator = await makeCoordinator([d]);
    const data = (await respond(() => behindRoute.loader({ request: makeRequest("/caseloads/overdue", { cookie: coordinator.cookie }), params: {}, context }))).body;
    const en = text(render({ path: "/caseloads/overdue", pattern: "/caseloads/overdue", Component: behindRoute.default, loaderData: data }));
    expect(en).toContain("Test District Behind");
    expect(en).toContain("1 of 1 overdue");
    const zh = text(render({ path: "/caseloads/overdue", pattern: "/caseloads/overdue", Component: behindRoute.default, loaderData: data, locale: "zh-CN" }));
    expect(zh).toContain("1 人中 1 人逾期");
  });
});
