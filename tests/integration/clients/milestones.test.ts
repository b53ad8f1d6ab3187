/**
 * The team's upcoming abstinence milestones (/milestones): computed from intake dates and
 * clock-restarting events, for the clients in the viewer's scope — a social worker's caseload, a
 * peer tutor's mentees, a coordinator's districts; a city-wide viewer picks a district first.
 */
import { Outlet } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { substanceEvents } from "#db/schema";
import { getDb } from "~/db.server";
import { addDays, programToday } from "~/domain/clients";
import type { Locale } from "~/i18n/config";
import * as milestonesRoute from "~/routes/milestones";
import { makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";

const context = { cspNonce: "" };
type Data = Awaited<ReturnType<typeof milestonesRoute.loader>>;

async function list(cookie: string, search = "") {
  return respond(() => milestonesRoute.loader({ request: makeRequest(`/milestones${search}`, { cookie }), params: {}, context }));
}
const rowsOf = async (cookie: string, search = "") => ((await list(cookie, search)).body as Data).rows;

function render(loaderData: unknown, locale: Locale = "en"): string {
  const Stub = createRemixStub([
    { id: "root", path: "/", Component: () => createElement(Outlet), children: [{ id: "page", path: "milestones", Component: milestonesRoute.default }] },
  ]);
  const html = renderToString(
    createElement(Stub, { initialEntries: ["/milestones"], hydrationData: { loaderData: { root: { locale, timeZone: "Asia/Shanghai" }, page: loaderData } } }),
  );
  return html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
}

/** The same calendar day one year earlier, by hand (29 February becomes 28 February). */
function oneYearBefore(date: string): string {
  const [y, m, d] = date.split("-");
  return `${Number(y) - 1}-${m}-${m === "02" && d === "29" ? "28" : d}`;
}

let districtA: number;
let districtB: number;
let today: string;

beforeAll(() => {
  districtA = makeDistrict().id;
  districtB = makeDistrict().id;
  today = programToday(getDb());
  const original = console.error;
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].includes("useLayoutEffect does nothing on the server")) return;
    original(...args);
  });
});

describe("upcoming milestones", () => {
  it("shows a client reaching 1 year in 10 days, counted from the last relapse", async () => {
    const sw = await makeSocialWorker(districtA);
    const inTen = addDays(today, 10);
    const client = await makeClient({ districtId: districtA, socialWorkerPersonId: sw.personId, intakeDate: "2019-04-01", alias: "一年在望（化名）" });
    getDb().insert(substanceEvents).values({ clientId: client.id, date: oneYearBefore(inTen), kind: "relapse" }).run();
    // a negative test since does not move the clock
    getDb().insert(substanceEvents).values({ clientId: client.id, date: addDays(today, -3), kind: "test_negative" }).run();

    const rows = await rowsOf(sw.cookie);
    const row = rows.find((r) => r.clientId === client.id);
    expect(row).toMatchObject({ alias: "一年在望（化名）", since: oneYearBefore(inTen), milestone: { key: "years1", date: inTen }, inDays: 10 });
    const en = render((await list(sw.cookie)).body);
    expect(en).toContain("一年在望（化名）");
    expect(en).toContain("1 year");
    expect(en).toContain("in 10 days");
    const zh = render((await list(sw.cookie)).body, "zh-CN");
    expect(zh).toContain("1 年");
    expect(zh).toContain("10 天后");
  });

  it("leaves out a milestone 40 days away, a closed client, a client whose intake is still to come, and other workers' clients", async () => {
    const sw = await makeSocialWorker(districtA);
    const far = await makeClient({ districtId: districtA, socialWorkerPersonId: sw.personId, intakeDate: addDays(today, -50) }); // 90 days in 40
    const closed = await makeClient({ districtId: districtA, socialWorkerPersonId: sw.personId, intakeDate: addDays(today, -25), status: "closed" });
    const later = await makeClient({ districtId: districtA, socialWorkerPersonId: sw.personId, intakeDate: addDays(today, 5) });
    const soon = await makeClient({ districtId: districtA, socialWorkerPersonId: sw.personId, intakeDate: addDays(today, -25) }); // 30 days in 5
    const otherSw = await makeSocialWorker(districtA);
    const notMine = await makeClient({ districtId: districtA, socialWorkerPersonId: otherSw.personId, intakeDate: addDays(today, -25) });
    const ids = (await rowsOf(sw.cookie)).map((r) => r.clientId);
    expect(ids).toEqual([soon.id]);
    expect(ids).not.toContain(far.id);
    expect(ids).not.toContain(closed.id);
    expect(ids).not.toContain(later.id);
    expect(ids).not.toContain(notMine.id);
    expect((await rowsOf(sw.cookie)).find((r) => r.clientId === soon.id)).toMatchObject({ milestone: { key: "days30", date: addDays(today, 5) }, inDays: 5 });
  });

  it("a peer tutor sees their mentees, a coordinator their districts, not others'", async () => {
    const pt = await makePeerTutor(districtA);
    const mentee = await makeClient({ districtId: districtA, peerTutorPersonId: pt.personId, intakeDate: addDays(today, -80) }); // 90 days in 10
    const elsewhere = await makeClient({ districtId: districtB, intakeDate: addDays(today, -80) });
    const notMentee = await makeClient({ districtId: districtA, intakeDate: addDays(today, -80) });
    const ptIds = (await rowsOf(pt.cookie)).map((r) => r.clientId);
    expect(ptIds).toContain(mentee.id);
    expect(ptIds).not.toContain(notMentee.id);
    expect(ptIds).not.toContain(elsewhere.id);

    const coordA = await makeCoordinator([districtA]);
    const coordIds = (await rowsOf(coordA.cookie)).map((r) => r.clientId);
    expect(coordIds).toEqual(expect.arrayContaining([mentee.id, notMentee.id]));
    expect(coordIds).not.toContain(elsewhere.id);
    // a district outside the grant in the URL is ignored, not obeyed
    expect((await rowsOf(coordA.cookie, `?district=${districtB}`)).map((r) => r.clientId)).not.toContain(elsewhere.id);
  });

  it("a city-wide viewer chooses a district first; a trainer gets 403", async () => {
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const client = await makeClient({ districtId: districtB, intakeDate: addDays(today, -170) }); // 6 months soon
    const first = (await list(admin.cookie)).body as Data;
    expect(first.needsDistrict).toBe(true);
    expect(first.rows).toEqual([]);
    expect(render(first)).toContain("Choose a district");
    const chosen = await rowsOf(admin.cookie, `?district=${districtB}`);
    expect(chosen.map((r) => r.clientId)).toContain(client.id);
    const trainer = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    expect((await list(trainer.cookie)).status).toBe(403);
  });
});

describe("navigation to the casework lists", () => {
  it("offers recognition, plans to approve and milestones to the roles that can open them", async () => {
    const { navigationFor } = await import("~/auth/navigation");
    const ours = (roles: { role: "admin" | "coordinator" | "social_worker" | "peer_tutor" | "trainer"; districtId: number | null }[]) =>
      navigationFor({ roles })
        .map((i) => i.to)
        .filter((to) => ["/recognition", "/plans/pending", "/milestones"].includes(to))
        .sort();
    expect(ours([{ role: "social_worker", districtId: 1 }])).toEqual(["/milestones", "/recognition"]);
    expect(ours([{ role: "coordinator", districtId: 1 }])).toEqual(["/milestones", "/plans/pending", "/recognition"]);
    expect(ours([{ role: "peer_tutor", districtId: 1 }])).toEqual(["/milestones"]);
    expect(ours([{ role: "admin", districtId: null }])).toEqual(["/recognition"]);
    expect(ours([{ role: "trainer", districtId: null }])).toEqual([]);
  });
});
