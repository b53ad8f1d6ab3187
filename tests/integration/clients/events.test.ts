/**
 * Substance events and the abstinence clock through the events page: the client's social worker
 * records events; a relapse restarts the clock and a negative test does not; an event before
 * intake, in the future, a duplicate, or without consent is refused with the reason and the input
 * kept; the case team reads, others get 403 or 404.
 */
import { Outlet } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { and, eq } from "drizzle-orm";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, substanceEvents } from "#db/schema";
import { getDb } from "~/db.server";
import { addDays, programToday } from "~/domain/clients";
import type { Locale } from "~/i18n/config";
import * as eventsRoute from "~/routes/clients.$id.events";
import { assignTo, makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";

const context = { cspNonce: "" };
type Failure = { errors: Record<string, string>; values: Record<string, string> };
type EventsData = Awaited<ReturnType<typeof eventsRoute.loader>>;

async function page(path: string, cookie: string, params: Record<string, string>) {
  return respond(() => eventsRoute.loader({ request: makeRequest(path, { cookie }), params, context }));
}
async function record(path: string, cookie: string, params: Record<string, string>, form: Record<string, string>) {
  return respond(() => eventsRoute.action({ request: makeRequest(path, { cookie, form }), params, context }));
}

function render(loaderData: unknown, path: string, locale: Locale = "en"): string {
  const Stub = createRemixStub([
    {
      id: "root",
      path: "/",
      Component: () => createElement(Outlet),
      children: [{ id: "page", path: "clients/:id/events", Component: eventsRoute.default }],
    },
  ]);
  const html = renderToString(
    createElement(Stub, { initialEntries: [path], hydrationData: { loaderData: { root: { locale, timeZone: "Asia/Shanghai" }, page: loaderData } } }),
  );
  return html.replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/\s+/g, " ");
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

async function team(options: { intakeDate?: string; consent?: boolean } = {}) {
  const sw = await makeSocialWorker(districtA);
  const pt = await makePeerTutor(districtA);
  const client = await makeClient({
    districtId: districtA,
    socialWorkerPersonId: sw.personId,
    peerTutorPersonId: pt.personId,
    intakeDate: options.intakeDate ?? "2025-01-10",
    consent: options.consent,
  });
  return { sw, pt, client, path: `/clients/${client.id}/events`, params: { id: String(client.id) } };
}

describe("the abstinence clock", () => {
  it("a relapse restarts the clock shown on the events page: 40 days since the relapse, 30 days reached, 90 days next", async () => {
    const t = await team({ intakeDate: addDays(today, -400) });
    const relapse = addDays(today, -40);
    const res = await record(t.path, t.sw.cookie, t.params, { date: relapse, kind: "relapse", note: "家属反映（虚构）" });
    expect(res.status).toBe(302);
    const data = (await page(t.path, t.sw.cookie, t.params)).body as EventsData;
    expect(data.clock.since).toBe(relapse);
    expect(data.clock.days).toBe(40);
    expect(data.clock.reached).toEqual([{ key: "days30", date: addDays(relapse, 30) }]);
    expect(data.clock.next).toEqual({ key: "days90", date: addDays(relapse, 90) });
    expect(data.nextInDays).toBe(50);
    expect(render(data, t.path)).toContain("40 days");
  });

  it("a negative test does not move the clock: still counted from intake 100 days ago", async () => {
    const intake = addDays(today, -100);
    const t = await team({ intakeDate: intake });
    expect((await record(t.path, t.sw.cookie, t.params, { date: addDays(today, -5), kind: "test_negative", note: "" })).status).toBe(302);
    const data = (await page(t.path, t.sw.cookie, t.params)).body as EventsData;
    expect(data.clock.since).toBe(intake);
    expect(data.clock.days).toBe(100);
    expect(data.clock.reached.map((m) => m.key)).toEqual(["days30", "days90"]);
  });

  it("a release from a facility restarts the clock like a relapse", async () => {
    const t = await team({ intakeDate: addDays(today, -500) });
    await record(t.path, t.sw.cookie, t.params, { date: addDays(today, -3), kind: "facility_release", note: "" });
    const data = (await page(t.path, t.sw.cookie, t.params)).body as EventsData;
    expect(data.clock.days).toBe(3);
  });

  it("lists the events newest first and audits the view as part 'events'", async () => {
    const t = await team({ intakeDate: addDays(today, -300) });
    for (const [days, kind] of [[-200, "use"], [-10, "test_negative"], [-100, "test_positive"]] as const) {
      await record(t.path, t.sw.cookie, t.params, { date: addDays(today, days), kind, note: "" });
    }
    const data = (await page(t.path, t.pt.cookie, t.params)).body as EventsData;
    expect(data.rows.map((r) => r.kind)).toEqual(["test_negative", "test_positive", "use"]);
    expect(data.rows[0]!.recordedBy).toMatch(/（虚构）$/);
    const views = getDb()
      .select({ details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.action, "view"), eq(auditLog.entityId, String(t.client.id)), eq(auditLog.actorUserId, t.pt.id)))
      .all();
    expect(views).toEqual([{ details: { part: "events" } }]);
  });

  it("renders the clock and milestones in Chinese", async () => {
    const t = await team({ intakeDate: addDays(today, -95) });
    const zh = render((await page(t.path, t.sw.cookie, t.params)).body, t.path, "zh-CN");
    expect(zh).toContain("95 天");
    expect(zh).toContain("里程碑");
    expect(zh).toContain("记录事件");
  });
});

describe("recording an event is refused with the reason and the input kept", () => {
  it("an event before intake", async () => {
    const t = await team({ intakeDate: "2025-01-10" });
    const res = await record(t.path, t.sw.cookie, t.params, { date: "2025-01-09", kind: "use", note: "入组前（虚构）" });
    expect(res.status).toBe(400);
    const { errors, values } = res.body as Failure;
    expect(errors.date).toBe("casework.events.beforeIntake?date=2025-01-10");
    expect(values).toMatchObject({ date: "2025-01-09", kind: "use", note: "入组前（虚构）" });
  });

  it("an event in the future", async () => {
    const t = await team();
    const tomorrow = addDays(today, 1);
    const res = await record(t.path, t.sw.cookie, t.params, { date: tomorrow, kind: "test_negative", note: "" });
    expect(res.status).toBe(400);
    expect((res.body as Failure).errors.date).toBe("casework.events.future");
    expect((res.body as Failure).values.date).toBe(tomorrow);
  });

  it("a duplicate of the same client, date and kind; another kind that day is fine", async () => {
    const t = await team();
    const day = addDays(today, -7);
    expect((await record(t.path, t.sw.cookie, t.params, { date: day, kind: "test_positive", note: "" })).status).toBe(302);
    const again = await record(t.path, t.sw.cookie, t.params, { date: day, kind: "test_positive", note: "第二次" });
    expect(again.status).toBe(400);
    expect((again.body as Failure).errors.date).toBe("casework.events.duplicate");
    expect((again.body as Failure).values.note).toBe("第二次");
    expect((await record(t.path, t.sw.cookie, t.params, { date: day, kind: "relapse", note: "" })).status).toBe(302);
    expect(getDb().select().from(substanceEvents).where(eq(substanceEvents.clientId, t.client.id)).all()).toHaveLength(2);
  });

  it("without a current consent", async () => {
    const t = await team({ consent: false });
    const res = await record(t.path, t.sw.cookie, t.params, { date: addDays(today, -1), kind: "use", note: "" });
    expect(res.status).toBe(400);
    expect((res.body as Failure).errors._form).toBe("clients.noConsent");
    expect((res.body as Failure).values.kind).toBe("use");
    expect(getDb().select().from(substanceEvents).where(eq(substanceEvents.clientId, t.client.id)).all()).toHaveLength(0);
  });

  it("wrong types and bad text: unknown kind, impossible date, over-long note, control characters", async () => {
    const t = await team();
    const res = await record(t.path, t.sw.cookie, t.params, { date: "2025-13-01", kind: "party", note: "x".repeat(501) });
    expect(res.status).toBe(400);
    const { errors } = res.body as Failure;
    expect(errors.date).toBe("form.invalidDate");
    expect(errors.kind).toBe("form.unknownChoice");
    expect(errors.note).toBe("form.tooLong?max=500");
    const ctrl = await record(t.path, t.sw.cookie, t.params, { date: addDays(today, -1), kind: "use", note: "bad\u0000note" });
    expect((ctrl.body as Failure).errors.note).toBe("form.controlChars");
  });
});

describe("who may record and read events", () => {
  it("the peer tutor reads the events page but recording is 403", async () => {
    const t = await team();
    expect((await page(t.path, t.pt.cookie, t.params)).status).toBe(200);
    expect((await record(t.path, t.pt.cookie, t.params, { date: addDays(today, -1), kind: "use", note: "" })).status).toBe(403);
  });

  it("a coordinator of the district reads but may not record (403); of another district gets 404; a trainer 403", async () => {
    const t = await team();
    const coordA = await makeCoordinator([districtA]);
    expect((await page(t.path, coordA.cookie, t.params)).status).toBe(200);
    expect((await record(t.path, coordA.cookie, t.params, { date: addDays(today, -1), kind: "use", note: "" })).status).toBe(403);
    const coordB = await makeCoordinator([districtB]);
    expect((await page(t.path, coordB.cookie, t.params)).status).toBe(404);
    expect((await record(t.path, coordB.cookie, t.params, { date: addDays(today, -1), kind: "use", note: "" })).status).toBe(404);
    const trainer = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    expect((await page(t.path, trainer.cookie, t.params)).status).toBe(403);
  });

  it("a former social worker whose assignment ended may no longer record (404 outside their caseload)", async () => {
    const t = await team();
    const successor = await makeSocialWorker(districtA);
    assignTo(t.client.id, "social_worker", successor.personId, addDays(today, -1));
    expect((await record(t.path, t.sw.cookie, t.params, { date: addDays(today, -1), kind: "use", note: "" })).status).toBe(404);
    expect((await record(t.path, successor.cookie, t.params, { date: addDays(today, -1), kind: "use", note: "" })).status).toBe(302);
  });
});
