/**
 * The sessions pages render from real loader and action data in both languages: the studio's week
 * and utilisation, the conflict report listing every date, the suggestions with their load, the
 * cancellation's confirmation, and the notification in the reader's language.
 */
import { Outlet } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { persons } from "#db/schema";
import { getDb } from "~/db.server";
import type { Locale } from "~/i18n/config";
import * as groupNew from "~/routes/groups.new";
import * as groupPage from "~/routes/groups.$id";
import * as notificationsPage from "~/routes/notifications";
import * as sessionNew from "~/routes/sessions.new";
import * as sessionPage from "~/routes/sessions.$id";
import * as studioPage from "~/routes/studios.$id";
import * as studiosList from "~/routes/studios._index/route";
import { makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { makeDistrict, makeRequest, respond } from "../../factories";
import { WEEKDAYS_9_TO_5, groupForm, makeRawSession, makeRoom, makeScheduleStudio, sessionForm } from "../../sessions-factories";

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

beforeAll(() => {
  const original = console.error;
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].includes("useLayoutEffect does nothing on the server")) return;
    original(...args);
  });
});

const text = (html: string) =>
  html.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/\s+/g, " ");
const context = { cspNonce: "" };
type Fn = (args: never) => unknown;
const call = async (fn: Fn, path: string, cookie: string, params: Record<string, string> = {}, form?: Record<string, string | string[]>) =>
  (await respond(() => (fn as (a: unknown) => unknown)({ request: makeRequest(path, { cookie, form }), params, context }))).body;

let districtId = 0;
let coordinator: Awaited<ReturnType<typeof makeCoordinator>>;

beforeAll(async () => {
  districtId = makeDistrict().id;
  coordinator = await makeCoordinator([districtId]);
});

describe("sessions pages render", () => {
  it("the studio page shows the week with its sessions, the opening hours, rooms and the month's utilisation", async () => {
    const studio = makeScheduleStudio({ districtId, openingHours: WEEKDAYS_9_TO_5 });
    makeRoom(studio.id, 10);
    const sw = await makeSocialWorker(districtId);
    // Tuesday 2027-03-02, 09:00–11:00 Shanghai; a cancelled one on Wednesday
    makeRawSession({ studioId: studio.id, startsAt: "2027-03-02T01:00:00.000Z", endsAt: "2027-03-02T03:00:00.000Z", facilitatorIds: [sw.personId], topic: "测试周二小组（虚构）" });
    makeRawSession({ studioId: studio.id, startsAt: "2027-03-03T02:00:00.000Z", endsAt: "2027-03-03T03:00:00.000Z", status: "cancelled", topic: "测试取消的活动（虚构）" });
    const path = `/studios/${studio.id}?week=2027-03-03&month=2027-03`;
    const data = await call(studioPage.loader, path, coordinator.cookie, { id: String(studio.id) });
    expect(data).toMatchObject({ monday: "2027-03-01", month: "2027-03", canEdit: true });
    const en = text(render({ path, pattern: "/studios/:id", Component: studioPage.default, loaderData: data }));
    expect(en).toContain("09:00–11:00 测试周二小组（虚构）");
    expect(en).toContain("测试取消的活动（虚构）");
    expect(en).toContain("Cancelled");
    expect(en).toContain("Monday 09:00–17:00");
    expect(en).toContain("Saturday Closed");
    // 23 weekdays × 8 h = 184 h; one room; 2 h booked
    expect(en).toContain("2 hours booked of 184 opening hours");
    expect(en).toContain("1.1%");
    expect(en).toContain("New group");
    const zh = text(render({ path, pattern: "/studios/:id", Component: studioPage.default, loaderData: data, locale: "zh-CN" }));
    expect(zh).toContain("开放 184 小时中已安排 2 小时");
    expect(zh).toContain("同伴教育工作室");
  });

  it("the studio list renders the studios with their district", async () => {
    const studio = makeScheduleStudio({ districtId });
    const data = await call(studiosList.loader, `/studios?district=${districtId}`, coordinator.cookie);
    const en = text(render({ path: "/studios", pattern: "/studios", Component: studiosList.default, loaderData: data }));
    expect(en).toContain(studio.nameEn);
    const zh = text(render({ path: "/studios", pattern: "/studios", Component: studiosList.default, loaderData: data, locale: "zh-CN" }));
    expect(zh).toContain(studio.nameZh);
  });

  it("a refused group lists every conflicting date with its reason, and keeps the typed input", async () => {
    const studio = makeScheduleStudio({ districtId });
    const busy = await makeSocialWorker(districtId);
    makeRawSession({ studioId: studio.id, startsAt: "2027-01-12T11:00:00.000Z", endsAt: "2027-01-12T12:00:00.000Z", facilitatorIds: [busy.personId], topic: "先前的活动（虚构）" });
    const loaderData = await call(groupNew.loader, "/groups/new", coordinator.cookie);
    const actionData = await call(groupNew.action, "/groups/new", coordinator.cookie, {}, groupForm(studio.id, [busy.personId], { topic: "保留的主题（虚构）" }));
    const en = text(render({ path: "/groups/new", pattern: "/groups/new", Component: groupNew.default, loaderData, actionData }));
    expect(en).toContain("1 date(s) cannot be scheduled; nothing was saved.");
    expect(en).toContain("Tue 12 Jan 2027 19:00");
    expect(en).toContain("already facilitates “先前的活动（虚构）” at 19:00–20:00");
    expect(en).toContain("session 2 of the series");
    const html = render({ path: "/groups/new", pattern: "/groups/new", Component: groupNew.default, loaderData, actionData });
    expect(html).toContain('value="保留的主题（虚构）"');
    const zh = text(render({ path: "/groups/new", pattern: "/groups/new", Component: groupNew.default, loaderData, actionData, locale: "zh-CN" }));
    expect(zh).toContain("2027年1月12日 星期二 19:00");
    expect(zh).toContain("在 19:00–20:00 已带领“先前的活动（虚构）”");
  });

  it("suggestions show each person's load; the preview shows the dates", async () => {
    const d = makeDistrict().id;
    const c = await makeCoordinator([d]);
    const studio = makeScheduleStudio({ districtId: d });
    const sw = await makeSocialWorker(d);
    const tutor = await makePeerTutor(d);
    makeRawSession({ studioId: studio.id, startsAt: "2027-06-01T02:00:00.000Z", endsAt: "2027-06-01T03:00:00.000Z", facilitatorIds: [sw.personId] });
    const loaderData = await call(sessionNew.loader, "/sessions/new", c.cookie);
    const actionData = await call(sessionNew.action, "/sessions/new", c.cookie, {}, sessionForm(studio.id, [], { intent: "suggest", date: "2027-06-09" }));
    const en = text(render({ path: "/sessions/new", pattern: "/sessions/new", Component: sessionNew.default, loaderData, actionData }));
    expect(en).toContain("Free and eligible, least busy in June 2027 first:");
    expect(en.indexOf("sessions this month: 0")).toBeLessThan(en.indexOf("sessions this month: 1"));
    expect(en).toContain("Peer tutor");
    const tutorName = getDb().select({ n: persons.displayName }).from(persons).where(eq(persons.id, tutor.personId)).get()!.n;
    expect(en).toContain(`${tutorName} Peer tutor · sessions this month: 0`);

    const preview = await call(groupNew.action, "/groups/new", c.cookie, {}, groupForm(studio.id, [sw.personId], { intent: "preview", count: "2", startDate: "2027-06-07" }));
    const previewText = text(render({ path: "/groups/new", pattern: "/groups/new", Component: groupNew.default, loaderData, actionData: preview }));
    expect(previewText).toContain("Dates of the series: 2. Nothing is saved yet.");
    expect(previewText).toContain("Tue 8 Jun 2027 19:00–20:30");
  });

  it("the session page shows the cancellation's consequence and then the reason; the facilitator's notification reads in their language", async () => {
    const tutor = await makePeerTutor(districtId);
    const studio = makeScheduleStudio({ districtId });
    const s = makeRawSession({ studioId: studio.id, startsAt: "2027-07-07T06:00:00.000Z", endsAt: "2027-07-07T07:00:00.000Z", facilitatorIds: [tutor.personId], topic: "测试将取消（虚构）" });
    const path = `/sessions/${s.id}`;
    const confirm = await call(sessionPage.loader, `${path}?cancel=1`, coordinator.cookie, { id: String(s.id) });
    const before = text(render({ path: `${path}?cancel=1`, pattern: "/sessions/:id", Component: sessionPage.default, loaderData: confirm }));
    expect(before).toContain("Cancel this session?");
    expect(before).toContain("Its facilitators (1) and the workers of the registered clients (0) are notified");
    await call(sessionPage.action, path, coordinator.cookie, { id: String(s.id) }, { intent: "cancel", reason: "场地维修（虚构）", confirm: "yes" });
    const after = text(render({ path, pattern: "/sessions/:id", Component: sessionPage.default, loaderData: await call(sessionPage.loader, path, tutor.cookie, { id: String(s.id) }) }));
    expect(after).toContain("Cancelled: 场地维修（虚构）");
    expect(after).toContain("You facilitate");

    const list = await call(notificationsPage.loader, "/notifications", tutor.cookie);
    const en = text(render({ path: "/notifications", pattern: "/notifications", Component: notificationsPage.default, loaderData: list }));
    expect(en).toContain("“测试将取消（虚构）” on Wed 7 Jul 2027 14:00 is cancelled: 场地维修（虚构）");
    const zh = text(render({ path: "/notifications", pattern: "/notifications", Component: notificationsPage.default, loaderData: list, locale: "zh-CN" }));
    expect(zh).toContain("2027年7月7日 星期三 14:00 的“测试将取消（虚构）”已取消：场地维修（虚构）");
  });

  it("the group page lists its sessions and, from a session, the 'this and following' form filled with the series", async () => {
    const studio = makeScheduleStudio({ districtId });
    const sw = await makeSocialWorker(districtId);
    const created = await respond(() =>
      groupNew.action({ request: makeRequest("/groups/new", { cookie: coordinator.cookie, form: groupForm(studio.id, [sw.personId], { count: "3", startDate: "2034-01-02" }) }), params: {}, context }),
    );
    const groupId = created.headers.get("Location")!.split("/")[2]!;
    const view = await call(groupPage.loader, `/groups/${groupId}`, coordinator.cookie, { id: groupId });
    const en = text(render({ path: `/groups/${groupId}`, pattern: "/groups/:id", Component: groupPage.default, loaderData: view }));
    expect(en).toContain("Every week on Tue · 19:00–20:30 · 3 times");
    expect(en).toContain("Sessions: 3");
    const sessions = (view as { sessions: { id: number }[] }).sessions;
    const edit = await call(groupPage.loader, `/groups/${groupId}?from=${sessions[1]!.id}`, coordinator.cookie, { id: groupId });
    const html = render({ path: `/groups/${groupId}?from=${sessions[1]!.id}`, pattern: "/groups/:id", Component: groupPage.default, loaderData: edit });
    expect(text(html)).toContain("Change this and following sessions, from Tue 10 Jan 2034");
    expect(html).toMatch(/name="count"[^>]*value="2"/);
    expect(html).toMatch(/name="startDate"[^>]*value="2034-01-10"/);
  });
});
