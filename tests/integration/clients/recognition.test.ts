/**
 * Three-year recognition and the monitoring-lift request: the worklist (DESIGN.md §5) by scope;
 * recording a recognition, refused with the reason for an ineligible client; the lift request's
 * steps in order only, refused for an unrecognised client; the bilingual request letter without
 * the real name unless a permitted viewer explicitly includes it (an audited reveal).
 */
import { Outlet } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { and, eq } from "drizzle-orm";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, clientIdentities, monitoringLiftRequests, recognitions, substanceEvents } from "#db/schema";
import { getDb } from "~/db.server";
import { addDays, programToday, recognitionWorklist } from "~/domain/clients";
import { formatDate } from "~/i18n/format";
import type { Locale } from "~/i18n/config";
import * as recognitionRoute from "~/routes/clients.$id.recognition";
import * as letterRoute from "~/routes/clients_.$id.lift-letter";
import * as worklistRoute from "~/routes/recognition";
import { makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";

const context = { cspNonce: "" };
type Failure = { errors: Record<string, string>; values: Record<string, string> };
type WorklistData = Awaited<ReturnType<typeof worklistRoute.loader>>;
type RecognitionData = Awaited<ReturnType<typeof recognitionRoute.loader>>;

const call = (fn: (args: never) => unknown, path: string, cookie: string, params: Record<string, string> = {}, form?: Record<string, string>) =>
  respond(() => (fn as (a: unknown) => unknown)({ request: makeRequest(path, { cookie, form }), params, context }));

function render(Component: React.ComponentType, pattern: string, path: string, loaderData: unknown, actionData?: unknown, locale: Locale = "en"): string {
  const Stub = createRemixStub([
    { id: "root", path: "/", Component: () => createElement(Outlet), children: [{ id: "page", path: pattern.slice(1), Component }] },
  ]);
  const html = renderToString(
    createElement(Stub, {
      initialEntries: [path],
      hydrationData: { loaderData: { root: { locale, timeZone: "Asia/Shanghai" }, page: loaderData }, actionData: actionData ? { page: actionData } : undefined },
    }),
  );
  return html.replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/\s+/g, " ");
}

let districtA: number;
let districtB: number;
let today: string;
/** today three calendar years ago (29 February becomes 28 February), worked out by hand */
let threeYearsAgo: string;

beforeAll(() => {
  districtA = makeDistrict().id;
  districtB = makeDistrict().id;
  today = programToday(getDb());
  const [y, m, d] = today.split("-");
  threeYearsAgo = `${Number(y) - 3}-${m}-${m === "02" && d === "29" ? "28" : d}`;
  const original = console.error;
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].includes("useLayoutEffect does nothing on the server")) return;
    original(...args);
  });
});

function addEvent(clientId: number, date: string, kind: "use" | "relapse" | "test_negative" | "test_positive" | "facility_release") {
  getDb().insert(substanceEvents).values({ clientId, date, kind }).run();
}

async function recognise(clientId: number, byUserId: number, on = today) {
  getDb().insert(recognitions).values({ clientId, recognisedOn: on, recognisedByUserId: byUserId, evidence: "测试认定（虚构）" }).run();
}

describe("the recognition worklist", () => {
  it("lists a client abstinent 3 years + 1 day, and not one with 3 years − 1 day, a closed one or a recognised one", async () => {
    const sw = await makeSocialWorker(districtA);
    const mk = (opts: Partial<Parameters<typeof makeClient>[0]>) => makeClient({ districtId: districtA, socialWorkerPersonId: sw.personId, ...opts });
    const plusOne = await mk({ intakeDate: addDays(threeYearsAgo, -1), alias: "三年加一天（化名）" });
    const exactly = await mk({ intakeDate: "2015-03-01", alias: "整三年（化名）" });
    addEvent(exactly.id, threeYearsAgo, "relapse");
    const minusOne = await mk({ intakeDate: "2015-03-01", alias: "差一天（化名）" });
    addEvent(minusOne.id, addDays(threeYearsAgo, 1), "relapse");
    const closed = await mk({ intakeDate: "2015-03-01", status: "closed", alias: "已结案（化名）" });
    const recognised = await mk({ intakeDate: "2015-03-01", alias: "已认定（化名）" });
    await recognise(recognised.id, sw.id, addDays(today, -30));
    const negativeOnly = await mk({ intakeDate: "2018-06-01", alias: "阴性检测（化名）" });
    addEvent(negativeOnly.id, addDays(today, -20), "test_negative");

    const res = await call(worklistRoute.loader, "/recognition", sw.cookie);
    expect(res.status).toBe(200);
    const data = res.body as WorklistData;
    const ids = data.rows.map((r) => r.clientId);
    expect(ids).toContain(plusOne.id);
    expect(ids).toContain(exactly.id);
    expect(ids).toContain(negativeOnly.id);
    expect(ids).not.toContain(minusOne.id);
    expect(ids).not.toContain(closed.id);
    expect(ids).not.toContain(recognised.id);
    const row = data.rows.find((r) => r.clientId === plusOne.id)!;
    expect(row.since).toBe(addDays(threeYearsAgo, -1));
    expect(row.eligibleFrom).toBe(addDays(today, -1));
    // longest abstinent first
    expect(ids.indexOf(negativeOnly.id)).toBeLessThan(ids.indexOf(plusOne.id));
  });

  it("is scoped: a social worker sees only their caseload, a coordinator their districts, an admin all; a peer tutor gets 403", async () => {
    const swA = await makeSocialWorker(districtA);
    const swB = await makeSocialWorker(districtB);
    const a = await makeClient({ districtId: districtA, socialWorkerPersonId: swA.personId, intakeDate: "2016-01-01" });
    const b = await makeClient({ districtId: districtB, socialWorkerPersonId: swB.personId, intakeDate: "2016-01-01" });
    const idsFor = async (cookie: string) => ((await call(worklistRoute.loader, "/recognition", cookie)).body as WorklistData).rows.map((r) => r.clientId);
    expect(await idsFor(swA.cookie)).toContain(a.id);
    expect(await idsFor(swA.cookie)).not.toContain(b.id);
    const coordA = await makeCoordinator([districtA]);
    expect(await idsFor(coordA.cookie)).toContain(a.id);
    expect(await idsFor(coordA.cookie)).not.toContain(b.id);
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    expect(await idsFor(admin.cookie)).toEqual(expect.arrayContaining([a.id, b.id]));
    const pt = await makePeerTutor(districtA);
    expect((await call(worklistRoute.loader, "/recognition", pt.cookie)).status).toBe(403);
  });
});

describe("the worklist on 29 February's anniversary", () => {
  it("a client abstinent since 2020-02-29 is on the list of 2023-02-28 but not of 2023-02-27", async () => {
    const sw = await makeSocialWorker(districtA);
    const leap = await makeClient({ districtId: districtA, socialWorkerPersonId: sw.personId, intakeDate: "2015-01-01" });
    addEvent(leap.id, "2020-02-29", "facility_release");
    const viewer = { id: sw.id, personId: sw.personId, roles: [{ role: "social_worker" as const, districtId: districtA }] };
    const on = (asOf: string) => recognitionWorklist(getDb(), viewer, { asOf, page: { limit: 25, offset: 0 } }).rows.map((r) => r.clientId);
    expect(on("2023-02-28")).toEqual([leap.id]);
    expect(on("2023-02-27")).toEqual([]);
  });
});

async function eligibleTeam() {
  const sw = await makeSocialWorker(districtA);
  const pt = await makePeerTutor(districtA);
  const client = await makeClient({ districtId: districtA, socialWorkerPersonId: sw.personId, peerTutorPersonId: pt.personId, intakeDate: "2016-05-01" });
  return { sw, pt, client, path: `/clients/${client.id}/recognition`, params: { id: String(client.id) } };
}

describe("recording a recognition", () => {
  it("the social worker recognises an eligible client with evidence; the worklist then leaves it out", async () => {
    const t = await eligibleTeam();
    const res = await call(recognitionRoute.action, t.path, t.sw.cookie, t.params, { intent: "recognise", recognisedOn: today, evidence: "三年来尿检均为阴性（虚构）" });
    expect(res.status).toBe(302);
    const row = getDb().select().from(recognitions).where(eq(recognitions.clientId, t.client.id)).get()!;
    expect(row).toMatchObject({ recognisedOn: today, recognisedByUserId: t.sw.id, evidence: "三年来尿检均为阴性（虚构）" });
    const audit = getDb().select().from(auditLog).where(and(eq(auditLog.action, "record_recognition"), eq(auditLog.entityId, String(t.client.id)))).all();
    expect(audit).toHaveLength(1);
    const list = (await call(worklistRoute.loader, "/recognition", t.sw.cookie)).body as WorklistData;
    expect(list.rows.map((r) => r.clientId)).not.toContain(t.client.id);
    const page = (await call(recognitionRoute.loader, t.path, t.sw.cookie, t.params)).body as RecognitionData;
    expect(page.status.recognised).toBe(true);
    expect(page.canStartLift).toBe(true);
  });

  it("recognising an ineligible client is refused (400) with the reason: abstinent since the relapse, eligible three years later", async () => {
    const t = await eligibleTeam();
    const relapse = addDays(today, -100);
    addEvent(t.client.id, relapse, "relapse");
    const [y, m, d] = relapse.split("-");
    const from = `${Number(y) + 3}-${m}-${m === "02" && d === "29" ? "28" : d}`;
    const res = await call(recognitionRoute.action, t.path, t.sw.cookie, t.params, { intent: "recognise", recognisedOn: today, evidence: "尝试认定（虚构）" });
    expect(res.status).toBe(400);
    const { errors, values } = res.body as Failure;
    expect(errors._form).toBe(`casework.recognition.notYet?since=${relapse}&from=${from}`);
    expect(values.evidence).toBe("尝试认定（虚构）");
    expect(getDb().select().from(recognitions).where(eq(recognitions.clientId, t.client.id)).all()).toHaveLength(0);
  });

  it("a closed client and an already recognised client are refused with their reasons", async () => {
    const sw = await makeSocialWorker(districtA);
    const closed = await makeClient({ districtId: districtA, socialWorkerPersonId: sw.personId, intakeDate: "2016-05-01", status: "closed" });
    const r1 = await call(recognitionRoute.action, `/clients/${closed.id}/recognition`, sw.cookie, { id: String(closed.id) }, { intent: "recognise", recognisedOn: today, evidence: "x" });
    expect((r1.body as Failure).errors._form).toBe("casework.recognition.closed");
    const done = await makeClient({ districtId: districtA, socialWorkerPersonId: sw.personId, intakeDate: "2016-05-01" });
    await recognise(done.id, sw.id, "2020-01-01");
    const r2 = await call(recognitionRoute.action, `/clients/${done.id}/recognition`, sw.cookie, { id: String(done.id) }, { intent: "recognise", recognisedOn: today, evidence: "x" });
    expect(r2.status).toBe(400);
    expect((r2.body as Failure).errors._form).toBe("casework.recognition.already?date=2020-01-01");
  });

  it("evidence is required, the date may not be in the future, and consent must be current", async () => {
    const t = await eligibleTeam();
    const blank = await call(recognitionRoute.action, t.path, t.sw.cookie, t.params, { intent: "recognise", recognisedOn: today, evidence: "   " });
    expect((blank.body as Failure).errors.evidence).toBe("form.required");
    const future = await call(recognitionRoute.action, t.path, t.sw.cookie, t.params, { intent: "recognise", recognisedOn: addDays(today, 2), evidence: "x" });
    expect((future.body as Failure).errors.recognisedOn).toBe("casework.recognition.future");
    const sw = await makeSocialWorker(districtA);
    const noConsent = await makeClient({ districtId: districtA, socialWorkerPersonId: sw.personId, intakeDate: "2016-05-01", consent: false });
    const r = await call(recognitionRoute.action, `/clients/${noConsent.id}/recognition`, sw.cookie, { id: String(noConsent.id) }, { intent: "recognise", recognisedOn: today, evidence: "x" });
    expect((r.body as Failure).errors._form).toBe("clients.noConsent");
  });

  it("only the current social worker records: the peer tutor and the district's coordinator get 403", async () => {
    const t = await eligibleTeam();
    const form = { intent: "recognise", recognisedOn: today, evidence: "x" };
    expect((await call(recognitionRoute.action, t.path, t.pt.cookie, t.params, form)).status).toBe(403);
    const coord = await makeCoordinator([districtA]);
    expect((await call(recognitionRoute.action, t.path, coord.cookie, t.params, form)).status).toBe(403);
    expect(getDb().select().from(recognitions).where(eq(recognitions.clientId, t.client.id)).all()).toHaveLength(0);
  });
});

describe("the monitoring-lift request", () => {
  it("is refused for a client who is not recognised", async () => {
    const t = await eligibleTeam();
    const res = await call(recognitionRoute.action, t.path, t.sw.cookie, t.params, { intent: "liftCreate" });
    expect(res.status).toBe(400);
    expect((res.body as Failure).errors._form).toBe("casework.lift.notRecognised");
    expect(getDb().select().from(monitoringLiftRequests).where(eq(monitoringLiftRequests.clientId, t.client.id)).all()).toHaveLength(0);
  });

  it("moves draft → sent → granted only in that order, with dates and a note", async () => {
    const t = await eligibleTeam();
    const recognisedOn = addDays(today, -20);
    await recognise(t.client.id, t.sw.id, recognisedOn);
    const act = (form: Record<string, string>) => call(recognitionRoute.action, t.path, t.sw.cookie, t.params, form);
    expect((await act({ intent: "liftCreate" })).status).toBe(302);
    const request = () => getDb().select().from(monitoringLiftRequests).where(eq(monitoringLiftRequests.clientId, t.client.id)).get()!;
    const requestId = String(request().id);
    expect(request().status).toBe("draft");
    // a second request while one is open
    expect(((await act({ intent: "liftCreate" })).body as Failure).errors._form).toBe("casework.lift.openExists");

    // a draft cannot be granted
    const early = await act({ intent: "liftDecide", requestId, outcome: "granted", decidedOn: today, note: "公安同意（虚构）" });
    expect(early.status).toBe(400);
    expect((early.body as Failure).errors._form).toBe("casework.lift.notSent");
    expect(request().status).toBe("draft");

    // not sent before the recognition
    const tooEarly = await act({ intent: "liftSend", requestId, sentOn: addDays(recognisedOn, -1) });
    expect((tooEarly.body as Failure).errors.sentOn).toBe(`casework.lift.beforeRecognition?date=${recognisedOn}`);
    const sentOn = addDays(today, -10);
    expect((await act({ intent: "liftSend", requestId, sentOn })).status).toBe(302);
    expect(request()).toMatchObject({ status: "sent", sentOn });
    // sent twice
    expect(((await act({ intent: "liftSend", requestId, sentOn })).body as Failure).errors._form).toBe("casework.lift.notDraft");

    // the answer needs a note and may not predate the sending
    expect(((await act({ intent: "liftDecide", requestId, outcome: "granted", decidedOn: today, note: "" })).body as Failure).errors.note).toBe("form.required");
    expect(((await act({ intent: "liftDecide", requestId, outcome: "granted", decidedOn: addDays(sentOn, -1), note: "x" })).body as Failure).errors.decidedOn).toBe(
      `casework.lift.beforeSent?date=${sentOn}`,
    );
    expect((await act({ intent: "liftDecide", requestId, outcome: "granted", decidedOn: today, note: "公安同意（虚构）" })).status).toBe(302);
    expect(request()).toMatchObject({ status: "granted", decidedOn: today, note: "公安同意（虚构）" });

    // decided for good: no further step, no new request
    expect(((await act({ intent: "liftDecide", requestId, outcome: "refused", decidedOn: today, note: "x" })).body as Failure).errors._form).toBe("casework.lift.notSent");
    expect(((await act({ intent: "liftCreate" })).body as Failure).errors._form).toBe("casework.lift.alreadyGranted");
    const actions = getDb().select({ a: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, String(t.client.id))).all().map((r) => r.a);
    expect(actions).toEqual(expect.arrayContaining(["lift_request_create", "lift_request_send", "lift_request_decide"]));
  });

  it("after a refusal a new request may be started; a request id of another client is unknown", async () => {
    const t = await eligibleTeam();
    await recognise(t.client.id, t.sw.id, addDays(today, -20));
    getDb().insert(monitoringLiftRequests).values({ clientId: t.client.id, status: "refused", sentOn: addDays(today, -9), decidedOn: addDays(today, -2), note: "暂不解除（虚构）" }).run();
    expect((await call(recognitionRoute.action, t.path, t.sw.cookie, t.params, { intent: "liftCreate" })).status).toBe(302);
    const other = await eligibleTeam();
    await recognise(other.client.id, other.sw.id, addDays(today, -20));
    await call(recognitionRoute.action, other.path, other.sw.cookie, other.params, { intent: "liftCreate" });
    const foreign = getDb().select().from(monitoringLiftRequests).where(eq(monitoringLiftRequests.clientId, other.client.id)).get()!;
    const res = await call(recognitionRoute.action, t.path, t.sw.cookie, t.params, { intent: "liftSend", requestId: String(foreign.id), sentOn: today });
    expect(res.status).toBe(400);
    expect((res.body as Failure).errors.requestId).toBe("form.unknownId");
    expect(getDb().select().from(monitoringLiftRequests).where(eq(monitoringLiftRequests.id, foreign.id)).get()!.status).toBe("draft");
  });

  it("the recognition page renders the status and the lift steps in both languages", async () => {
    const t = await eligibleTeam();
    const data = (await call(recognitionRoute.loader, t.path, t.sw.cookie, t.params)).body;
    const en = render(recognitionRoute.default, "/clients/:id/recognition", t.path, data);
    expect(en).toContain("Eligible: abstinent since");
    expect(en).toContain("Record recognition");
    await recognise(t.client.id, t.sw.id, addDays(today, -3));
    const after = (await call(recognitionRoute.loader, t.path, t.sw.cookie, t.params)).body;
    const zh = render(recognitionRoute.default, "/clients/:id/recognition", t.path, after, undefined, "zh-CN");
    expect(zh).toContain("认定");
    expect(zh).toContain("发起解除申请");
    expect(zh).toContain("打印申请函");
  });
});

describe("the lift request letter", () => {
  const REAL_NAME = "王测试（虚构）";
  const RECOGNISED_ON = "2024-03-15";

  async function recognisedWithIdentity() {
    const t = await eligibleTeam();
    await recognise(t.client.id, t.sw.id, RECOGNISED_ON);
    getDb().insert(clientIdentities).values({ clientId: t.client.id, realName: REAL_NAME, idNumber: "000000000000000000" }).run();
    return { ...t, letterPath: `/clients/${t.client.id}/lift-letter` };
  }
  const reveals = (clientId: number) =>
    getDb()
      .select({ details: auditLog.details, by: auditLog.actorUserId })
      .from(auditLog)
      .where(and(eq(auditLog.action, "reveal_identity"), eq(auditLog.entityId, String(clientId))))
      .all();

  it("shows both languages on one page with the organisation, alias, case number and recognition date, and no real name", async () => {
    const t = await recognisedWithIdentity();
    const res = await call(letterRoute.loader, t.letterPath, t.sw.cookie, t.params);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(REAL_NAME);
    const html = render(letterRoute.default, "/clients/:id/lift-letter", t.letterPath, res.body);
    expect(html).toContain("关于申请解除动态管控的函");
    expect(html).toContain("Request to lift dynamic monitoring");
    expect(html).toContain("同伴教育项目（示例组织）");
    expect(html).toContain("Peer Education Program (example organisation)");
    expect(html).toContain(t.client.alias);
    expect(html).toContain(t.client.caseNumber);
    expect(html).toContain(formatDate("en", RECOGNISED_ON));
    expect(html).toContain(formatDate("zh-CN", RECOGNISED_ON));
    expect(html).toContain("Include the real name");
    expect(html).not.toContain(REAL_NAME);
    expect(reveals(t.client.id)).toEqual([]);
  });

  it("includes the real name only when the social worker asks, and records the reveal as part lift_letter", async () => {
    const t = await recognisedWithIdentity();
    const res = await call(letterRoute.action, t.letterPath, t.sw.cookie, t.params, { intent: "includeIdentity" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, realName: REAL_NAME });
    expect(reveals(t.client.id)).toEqual([{ details: { part: "lift_letter", found: true }, by: t.sw.id }]);
    const data = (await call(letterRoute.loader, t.letterPath, t.sw.cookie, t.params)).body;
    const html = render(letterRoute.default, "/clients/:id/lift-letter", t.letterPath, data, res.body, "zh-CN");
    expect(html).toContain(REAL_NAME);
    expect(html).toContain("已显示真实姓名");
  });

  it("a coordinator may print the letter without the name, but including it is 403 and reveals nothing", async () => {
    const t = await recognisedWithIdentity();
    const coord = await makeCoordinator([districtA]);
    const page = await call(letterRoute.loader, t.letterPath, coord.cookie, t.params);
    expect(page.status).toBe(200);
    const html = render(letterRoute.default, "/clients/:id/lift-letter", t.letterPath, page.body);
    expect(html).not.toContain("Include the real name");
    expect(html).not.toContain(REAL_NAME);
    expect((await call(letterRoute.action, t.letterPath, coord.cookie, t.params, { intent: "includeIdentity" })).status).toBe(403);
    expect(reveals(t.client.id)).toEqual([]);
  });

  it("a peer tutor may not open the letter (403); another district's coordinator gets 404", async () => {
    const t = await recognisedWithIdentity();
    expect((await call(letterRoute.loader, t.letterPath, t.pt.cookie, t.params)).status).toBe(403);
    const coordB = await makeCoordinator([districtB]);
    expect((await call(letterRoute.loader, t.letterPath, coordB.cookie, t.params)).status).toBe(404);
    expect((await call(letterRoute.action, t.letterPath, coordB.cookie, t.params, { intent: "includeIdentity" })).status).toBe(404);
  });

  it("an admin may include the name (audited); an unrecognised client has no letter", async () => {
    const t = await recognisedWithIdentity();
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const res = await call(letterRoute.action, t.letterPath, admin.cookie, t.params, { intent: "includeIdentity" });
    expect((res.body as { realName: string }).realName).toBe(REAL_NAME);
    expect(reveals(t.client.id).map((r) => r.by)).toEqual([admin.id]);

    const u = await eligibleTeam();
    const data = (await call(letterRoute.loader, `/clients/${u.client.id}/lift-letter`, u.sw.cookie, u.params)).body as { letter: unknown };
    expect(data.letter).toBeNull();
    expect(render(letterRoute.default, "/clients/:id/lift-letter", `/clients/${u.client.id}/lift-letter`, data)).toContain("not recognised");
  });
});
