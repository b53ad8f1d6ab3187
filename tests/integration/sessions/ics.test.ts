/**
 * ICS feeds: valid iCalendar that ical.js parses; each session keeps its UID across changes (the
 * SEQUENCE grows) so calendars replace rather than duplicate it; a cancelled session stays with
 * STATUS:CANCELLED; no client alias appears in any feed; a person's feed answers by its secret
 * token only until revoked or replaced (then 404); the studio feed needs sign-in.
 */
import ICAL from "ical.js";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import type { Actor } from "~/domain/audit";
import { cancelSession, createSession, updateSession } from "~/domain/sessions";
import * as calendarPage from "~/routes/calendar._index";
import * as personFeedRoute from "~/routes/calendar.person.$token";
import * as studioFeedRoute from "~/routes/calendar.studio.$id";
import { makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { makeDistrict, makeRequest, respond } from "../../factories";
import { makeScheduleStudio, registerClient } from "../../sessions-factories";

const context = { cspNonce: "" };
type Fn = (args: never) => unknown;
const call = (fn: Fn, path: string, cookie: string | undefined, params: Record<string, string> = {}, form?: Record<string, string | string[]>) =>
  respond(() => (fn as (a: unknown) => unknown)({ request: makeRequest(path, { cookie, form }), params, context }));

function vevents(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  expect(cal.name).toBe("vcalendar");
  return cal.getAllSubcomponents("vevent").map((e) => ({
    uid: String(e.getFirstPropertyValue("uid")),
    sequence: Number(e.getFirstPropertyValue("sequence")),
    status: String(e.getFirstPropertyValue("status")),
    summary: String(e.getFirstPropertyValue("summary")),
    start: (e.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate().toISOString(),
    hasStamp: e.hasProperty("dtstamp"),
  }));
}

let districtId = 0;
let studioId = 0;
let actor: Actor;
let viewer: { roles: { role: "coordinator"; districtId: number }[] };
beforeAll(async () => {
  districtId = makeDistrict().id;
  studioId = makeScheduleStudio({ districtId }).id;
  const coordinator = await makeCoordinator([districtId]);
  actor = { userId: coordinator.id, login: coordinator.login, ip: "127.0.0.1" };
  viewer = { roles: [{ role: "coordinator", districtId }] };
});

const base = (facilitatorIds: number[], date: string, topic: string) => ({
  studioId, roomId: null, topic, kind: "peerSupport", capacity: 10, facilitatorIds, date, startTime: "10:00", endTime: "11:00",
});

describe("ICS feeds", () => {
  it("ICS feeds parse with ical.js, UIDs stay stable across an update, a cancellation is kept as STATUS:CANCELLED, and no client alias appears", async () => {
    const tutor = await makePeerTutor(districtId);
    const sw = await makeSocialWorker(districtId);
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId, alias: "测试对象秘（化名）" });
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const later = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const kept = createSession(getDb(), actor, viewer, base([tutor.personId], soon, "测试分享会（虚构）"));
    const dropped = createSession(getDb(), actor, viewer, base([tutor.personId], later, "测试讲座（虚构）"));
    registerClient(kept, client.id);

    // the person's feed, through a token made on "My sessions"
    const made = await call(calendarPage.action, "/calendar", tutor.cookie, {}, { intent: "create" });
    const feedUrl = (made.body as { feedUrl: string }).feedUrl;
    const token = feedUrl.split("/calendar/person/")[1]!;
    expect(token).toMatch(/\.ics$/);
    const fetchFeed = async () => {
      const res = await call(personFeedRoute.loader, `/calendar/person/${token}`, undefined, { token });
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toContain("text/calendar");
      return (res.body as Response).text();
    };
    const first = vevents(await fetchFeed());
    expect(first.map((e) => e.uid).sort()).toEqual([`session-${kept}@tongban`, `session-${dropped}@tongban`].sort());
    expect(first.every((e) => e.hasStamp && e.status === "CONFIRMED")).toBe(true);
    expect(first.find((e) => e.uid === `session-${kept}@tongban`)?.summary).toContain("测试分享会（虚构）");

    updateSession(getDb(), actor, viewer, kept, { ...base([tutor.personId], soon, "测试分享会（虚构）"), startTime: "14:00", endTime: "15:00" });
    cancelSession(getDb(), actor, viewer, dropped, "场地维修（虚构）");
    const text = await fetchFeed();
    const second = vevents(text);
    expect(second).toHaveLength(2);
    const moved = second.find((e) => e.uid === `session-${kept}@tongban`)!;
    expect(moved.sequence).toBeGreaterThan(first.find((e) => e.uid === moved.uid)!.sequence);
    expect(moved.start.slice(11, 16)).toBe("06:00"); // 14:00 in Shanghai
    expect(second.find((e) => e.uid === `session-${dropped}@tongban`)).toMatchObject({ status: "CANCELLED", sequence: 1 });
    expect(text).not.toContain("测试对象秘");

    // the studio feed: signed in only, same UIDs, no alias
    expect((await call(studioFeedRoute.loader, `/calendar/studio/${studioId}.ics`, undefined, { id: `${studioId}.ics` })).status).toBe(401);
    const studioRes = await call(studioFeedRoute.loader, `/calendar/studio/${studioId}.ics`, sw.cookie, { id: `${studioId}.ics` });
    expect(studioRes.status).toBe(200);
    const studioText = await (studioRes.body as Response).text();
    expect(vevents(studioText).map((e) => e.uid)).toContain(`session-${kept}@tongban`);
    expect(studioText).not.toContain("测试对象秘");
    expect((await call(studioFeedRoute.loader, "/calendar/studio/999999.ics", sw.cookie, { id: "999999.ics" })).status).toBe(404);
  });

  it("a revoked feed token answers 404, and so does a replaced one", async () => {
    const tutor = await makePeerTutor(districtId);
    const tokenOf = async () => ((await call(calendarPage.action, "/calendar", tutor.cookie, {}, { intent: "create" })).body as { feedUrl: string }).feedUrl.split("/calendar/person/")[1]!;
    const get = (token: string) => call(personFeedRoute.loader, `/calendar/person/${token}`, undefined, { token });
    const first = await tokenOf();
    expect((await get(first)).status).toBe(200);
    const second = await tokenOf();
    expect((await get(first)).status).toBe(404);
    expect((await get(second)).status).toBe(200);
    const revoked = await call(calendarPage.action, "/calendar", tutor.cookie, {}, { intent: "revoke" });
    expect(revoked.status).toBe(302);
    expect((await get(second)).status).toBe(404);
    expect((await get("not-a-token.ics")).status).toBe(404);
    const page = await call(calendarPage.loader, "/calendar", tutor.cookie);
    expect((page.body as { feedSince: string | null }).feedSince).toBeNull();
    // an unknown intent is a 400
    expect((await call(calendarPage.action, "/calendar", tutor.cookie, {}, { intent: "steal" })).status).toBe(400);
  });
});
