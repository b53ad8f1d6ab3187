/**
 * Week views: the coordinator's week counts sessions without a facilitator, past sessions without
 * attendance and waitlists for their own districts only; a person's and a district's week list
 * the right sessions; "This week" is for schedulers only.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { attendance } from "#db/schema";
import { getDb } from "~/db.server";
import { coordinatorWeek } from "~/domain/sessions";
import { addDays, mondayOf } from "~/domain/sessions/time";
import { todayIn } from "~/i18n/format";
import * as coordPage from "~/routes/sessions.week";
import * as districtPage from "~/routes/districts.$id.week";
import * as calendarPage from "~/routes/calendar._index";
import { makeClient, makeCoordinator, makePeerTutor } from "../../clients-factories";
import { makeDistrict, makeRequest, respond } from "../../factories";
import { makeRawSession, makeScheduleStudio, registerClient } from "../../sessions-factories";

const context = { cspNonce: "" };
type Fn = (args: never) => unknown;
const call = (fn: Fn, path: string, cookie: string, params: Record<string, string> = {}) =>
  respond(() => (fn as (a: unknown) => unknown)({ request: makeRequest(path, { cookie }), params, context }));

type Line = { id: number; waitlisted: number };

const TZ = "Asia/Shanghai";
let mine = 0;
let other = 0;
beforeAll(() => {
  mine = makeDistrict().id;
  other = makeDistrict().id;
});


describe("coordinator week", () => {
  it("the coordinator week view counts unfilled slots, missing attendance and waitlists for their districts only", async () => {
    // a fixed week: Monday 2030-03-04, "now" Wednesday 2030-03-06 12:00 in Shanghai (04:00Z)
    const monday = "2030-03-04";
    const now = new Date("2030-03-06T04:00:00.000Z");
    const tutor = await makePeerTutor(mine);
    const studio = makeScheduleStudio({ districtId: mine });
    const elsewhere = makeScheduleStudio({ districtId: other });
    const tuesday = { startsAt: "2030-03-05T02:00:00.000Z", endsAt: "2030-03-05T03:00:00.000Z" };
    const thursday = { startsAt: "2030-03-07T02:00:00.000Z", endsAt: "2030-03-07T03:00:00.000Z" };
    const noMarks = makeRawSession({ studioId: studio.id, facilitatorIds: [tutor.personId], ...tuesday });
    const taken = makeRawSession({ studioId: studio.id, facilitatorIds: [tutor.personId], ...tuesday });
    const client = await makeClient({ districtId: mine });
    registerClient(taken.id, client.id);
    getDb().insert(attendance).values({ sessionId: taken.id, clientId: client.id, status: "present" }).run();
    const cancelledPast = makeRawSession({ studioId: studio.id, status: "cancelled", ...tuesday });
    const unfilled = makeRawSession({ studioId: studio.id, ...thursday });
    const full = makeRawSession({ studioId: studio.id, facilitatorIds: [tutor.personId], ...thursday });
    registerClient(full.id, (await makeClient({ districtId: mine })).id, "waitlisted");
    registerClient(full.id, (await makeClient({ districtId: mine })).id, "waitlisted");
    // the same problems in another district must not appear
    const foreignUnfilled = makeRawSession({ studioId: elsewhere.id, ...thursday });
    const foreignPast = makeRawSession({ studioId: elsewhere.id, facilitatorIds: [tutor.personId], ...tuesday });
    registerClient(foreignUnfilled.id, (await makeClient({ districtId: other })).id, "waitlisted");

    const coordinator = await makeCoordinator([mine]);
    const viewer = { roles: [{ role: "coordinator" as const, districtId: mine }], personId: coordinator.personId };
    const week = coordinatorWeek(getDb(), viewer, monday, "2030-03", TZ, now);
    const ids = (rows: Line[]) => rows.map((r) => r.id).sort((x, y) => x - y);
    expect(ids(week.unfilled)).toEqual([unfilled.id]);
    expect(ids(week.noAttendance)).toEqual([noMarks.id]);
    expect(week.waitlists.map((r) => [r.id, r.waitlisted])).toEqual([[full.id, 2]]);
    expect(ids(week.sessions)).toEqual([noMarks.id, taken.id, cancelledPast.id, unfilled.id, full.id].sort((x, y) => x - y));
    expect(ids(week.sessions)).not.toContain(foreignPast.id);
    expect(week.studios.map((s) => s.studioId)).toContain(studio.id);
    expect(week.studios.map((s) => s.studioId)).not.toContain(elsewhere.id);
    // booked this month: four one-hour sessions not cancelled
    expect(week.studios.find((s) => s.studioId === studio.id)?.utilisation.bookedMinutes).toBe(240);

    // the page answers the coordinator; a peer tutor (no edit:session) gets 403
    expect((await call(coordPage.loader, "/sessions/week", coordinator.cookie)).status).toBe(200);
    expect((await call(coordPage.loader, "/sessions/week", tutor.cookie)).status).toBe(403);
  });

  it("a person's week lists the sessions they facilitate and a district's week its studios' sessions", async () => {
    const tutor = await makePeerTutor(mine);
    const studio = makeScheduleStudio({ districtId: mine });
    const nextMonday = addDays(mondayOf(todayIn(TZ)), 7);
    const at = new Date(Date.parse(`${nextMonday}T10:00:00+08:00`)).toISOString();
    const end = new Date(Date.parse(`${nextMonday}T11:00:00+08:00`)).toISOString();
    const s = makeRawSession({ studioId: studio.id, facilitatorIds: [tutor.personId], startsAt: at, endsAt: end });
    const notMine = makeRawSession({ studioId: studio.id, startsAt: at, endsAt: end });
    const page = await call(calendarPage.loader, `/calendar?week=${nextMonday}`, tutor.cookie);
    const sessions = (page.body as { week: { sessions: { id: number; startTime: string }[] } }).week.sessions;
    expect(sessions.map((x) => x.id)).toEqual([s.id]);
    expect(sessions[0]!.startTime).toBe("10:00");
    const district = await call(districtPage.loader, `/districts/${mine}/week?week=${nextMonday}`, tutor.cookie, { id: String(mine) });
    expect((district.body as { week: { sessions: { id: number }[] } }).week.sessions.map((x) => x.id)).toEqual(expect.arrayContaining([s.id, notMine.id]));
    expect((await call(districtPage.loader, "/districts/999999/week", tutor.cookie, { id: "999999" })).status).toBe(404);
  });
});
