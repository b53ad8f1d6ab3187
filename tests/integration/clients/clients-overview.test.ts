/**
 * The client overview (/clients/$id): who may open it (404 outside one's scope, 403 without any
 * client permission), what it shows, and the current social worker's edits: intake details,
 * status with its history (close with a reason, reopen), each audited.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import type { ClientOverview } from "~/domain/clients";
import * as overviewRoute from "~/routes/clients.$id._index";
import * as layout from "~/routes/clients.$id";
import { clients, substanceEvents } from "#db/schema";
import { makeDistrict, makeSignedInUser, makeSubdistrict } from "../../factories";
import { assignTo, makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { clientAudit, futureDate, get, post, type FormAnswer } from "./clients-helpers";

type OverviewBody = { overview: ClientOverview; can: { edit: boolean; revealIdentity: boolean; assign: boolean } };

const path = (id: number) => `/clients/${id}`;
const params = (id: number) => ({ id: String(id) });
const open = (id: number, cookie: string) => get(overviewRoute.loader, path(id), cookie, params(id));
const act = (id: number, cookie: string, form: Record<string, string>) => post(overviewRoute.action, path(id), cookie, form, params(id));

function detailsForm(client: typeof clients.$inferSelect, overrides: Record<string, string> = {}) {
  return {
    intent: "details",
    caseNumber: client.caseNumber,
    alias: client.alias,
    districtId: String(client.districtId),
    subdistrictId: client.subdistrictId ? String(client.subdistrictId) : "",
    pointId: client.pointId ? String(client.pointId) : "",
    legalStatus: client.legalStatus,
    intakeDate: client.intakeDate,
    riskLevel: client.riskLevel,
    ...overrides,
  };
}

function reload(id: number) {
  return getDb().select().from(clients).where(eq(clients.id, id)).get()!;
}

let d1: number;
let d2: number;
let sw: Awaited<ReturnType<typeof makeSocialWorker>>;
let otherSw: Awaited<ReturnType<typeof makeSocialWorker>>;
let tutor: Awaited<ReturnType<typeof makePeerTutor>>;
let otherTutor: Awaited<ReturnType<typeof makePeerTutor>>;
let coordinator: Awaited<ReturnType<typeof makeCoordinator>>;

beforeAll(async () => {
  d1 = makeDistrict().id;
  d2 = makeDistrict().id;
  sw = await makeSocialWorker(d1);
  otherSw = await makeSocialWorker(d1);
  tutor = await makePeerTutor(d1);
  otherTutor = await makePeerTutor(d1);
  coordinator = await makeCoordinator([d1]);
});

describe("who may open the overview", () => {
  it("opens for the client's social worker and records the view", async () => {
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId });
    const res = await open(client.id, sw.cookie);
    expect(res.status).toBe(200);
    const body = res.body as OverviewBody;
    expect(body.overview.facts.alias).toBe(client.alias);
    expect(body.can.edit).toBe(true);
    expect(clientAudit(client.id, "view").map((a) => a.details)).toEqual([{ part: "overview" }]);
  });

  it("answers 404 to a peer tutor opening another tutor's mentee", async () => {
    const client = await makeClient({ districtId: d1, peerTutorPersonId: otherTutor.personId });
    expect((await open(client.id, tutor.cookie)).status).toBe(404);
    const mine = await makeClient({ districtId: d1, peerTutorPersonId: tutor.personId });
    const res = await open(mine.id, tutor.cookie);
    expect(res.status).toBe(200);
    expect((res.body as OverviewBody).can.edit).toBe(false);
  });

  it("answers 404 to a social worker editing a client of another caseload (they cannot even see it)", async () => {
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: otherSw.personId });
    expect((await open(client.id, sw.cookie)).status).toBe(404);
    const res = await act(client.id, sw.cookie, detailsForm(client, { alias: "改名测试（化名）" }));
    expect(res.status).toBe(404);
    expect(reload(client.id).alias).toBe(client.alias);
  });

  it("lets a coordinator read clients of their districts but not edit them (403), and 404s another district's client", async () => {
    const inside = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId });
    const outside = await makeClient({ districtId: d2 });
    const res = await open(inside.id, coordinator.cookie);
    expect(res.status).toBe(200);
    expect((res.body as OverviewBody).can).toMatchObject({ edit: false, revealIdentity: false, assign: true });
    expect((await act(inside.id, coordinator.cookie, detailsForm(inside, { alias: "改名测试（化名）" }))).status).toBe(403);
    expect((await act(inside.id, coordinator.cookie, { intent: "status", change: "close", on: "2025-06-01", reason: "测试" })).status).toBe(403);
    expect(reload(inside.id).status).toBe("active");
    expect((await open(outside.id, coordinator.cookie)).status).toBe(404);
  });

  it("answers 403 to a trainer", async () => {
    const client = await makeClient({ districtId: d1 });
    const trainer = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    expect((await open(client.id, trainer.cookie)).status).toBe(403);
    expect((await act(client.id, trainer.cookie, { intent: "reveal" })).status).toBe(403);
  });

  it("answers 404 to a former worker once the assignment has ended", async () => {
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId, peerTutorPersonId: tutor.personId });
    expect((await open(client.id, sw.cookie)).status).toBe(200);
    expect((await open(client.id, tutor.cookie)).status).toBe(200);
    assignTo(client.id, "social_worker", otherSw.personId, "2025-06-01");
    assignTo(client.id, "peer_tutor", otherTutor.personId, "2025-06-01");
    expect((await open(client.id, sw.cookie)).status).toBe(404);
    expect((await open(client.id, tutor.cookie)).status).toBe(404);
    expect((await act(client.id, sw.cookie, { intent: "reveal" })).status).toBe(404);
    expect((await open(client.id, otherSw.cookie)).status).toBe(200);
  });

  it("answers 404 to a malformed or unknown id", async () => {
    expect((await get(overviewRoute.loader, "/clients/abc", sw.cookie, { id: "abc" })).status).toBe(404);
    expect((await get(overviewRoute.loader, "/clients/99999999", sw.cookie, { id: "99999999" })).status).toBe(404);
  });
});

describe("what the overview shows", () => {
  it("shows the team with its history and abstinence since the latest relapse with the next milestone", async () => {
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: otherSw.personId, intakeDate: "2024-01-10" });
    assignTo(client.id, "social_worker", sw.personId, "2024-06-01");
    getDb()
      .insert(substanceEvents)
      .values([
        { clientId: client.id, date: "2024-03-01", kind: "relapse" },
        { clientId: client.id, date: "2024-04-01", kind: "test_negative" },
      ])
      .run();
    const body = (await open(client.id, sw.cookie)).body as OverviewBody;
    expect(body.overview.team.map((a) => [a.personId, a.fromDate, a.toDate])).toEqual([
      [sw.personId, "2024-06-01", null],
      [otherSw.personId, "2024-01-10", "2024-06-01"],
    ]);
    expect(body.overview.abstinence?.since).toBe("2024-03-01");
    expect(body.overview.abstinence?.next?.date).toBeDefined();
    expect(body.overview.abstinence!.next!.date > body.overview.abstinence!.since).toBe(true);
    expect(body.overview.cadence?.overdue).toMatchObject({ overdue: true, reason: "never_contacted" });
  });

  it("never returns the identity to a coordinator, a peer tutor or even the social worker before a reveal", async () => {
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId, peerTutorPersonId: tutor.personId });
    const identity = { realName: "保密姓名测试（虚构）", idNumber: "TESTID0000000X", phone: "0000-111-2222", address: "虚构秘密路99号" };
    expect((await act(client.id, sw.cookie, { intent: "identity", ...identity })).status).toBe(302);
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    for (const who of [coordinator, tutor, sw, admin]) {
      for (const loader of [overviewRoute.loader, layout.loader]) {
        const res = await get(loader, path(client.id), who.cookie, params(client.id));
        expect(res.status).toBe(200);
        const json = JSON.stringify(res.body);
        for (const value of Object.values(identity)) expect(json).not.toContain(value);
      }
    }
    const asCoordinator = (await open(client.id, coordinator.cookie)).body as OverviewBody;
    expect(asCoordinator.overview.identityOnFile).toBeNull();
    expect(((await open(client.id, sw.cookie)).body as OverviewBody).overview.identityOnFile).toBe(true);
  });
});

describe("status: close with a reason, reopen, history kept", () => {
  it("closes with a reason, reopens, and shows both changes in the history", async () => {
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId, intakeDate: "2024-01-10" });
    const close = await act(client.id, sw.cookie, { intent: "status", change: "close", on: "2025-02-01", reason: "迁出本市（测试）" });
    expect(close.status).toBe(302);
    expect(reload(client.id)).toMatchObject({ status: "closed", closedOn: "2025-02-01", closedReason: "迁出本市（测试）" });
    const reopen = await act(client.id, sw.cookie, { intent: "status", change: "reopen", on: "2025-03-01", reason: "" });
    expect(reopen.status).toBe(302);
    expect(reload(client.id)).toMatchObject({ status: "active", closedOn: null, closedReason: "" });
    const body = (await open(client.id, sw.cookie)).body as OverviewBody;
    expect(body.overview.statusHistory.map((h) => [h.from, h.to, h.on, h.reason])).toEqual([
      ["closed", "active", "2025-03-01", ""],
      ["active", "closed", "2025-02-01", "迁出本市（测试）"],
    ]);
    expect(clientAudit(client.id, "status_change")).toHaveLength(2);
  });

  it("moves to a facility and back", async () => {
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId });
    expect((await act(client.id, sw.cookie, { intent: "status", change: "to_facility", on: "2025-04-01", reason: "" })).status).toBe(302);
    expect(reload(client.id).status).toBe("in_facility");
    expect((await act(client.id, sw.cookie, { intent: "status", change: "back_active", on: "2025-05-01", reason: "" })).status).toBe(302);
    expect(reload(client.id).status).toBe("active");
  });

  it("refuses closing without a reason: 400 with the field message and the input kept", async () => {
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId });
    const res = await act(client.id, sw.cookie, { intent: "status", change: "close", on: "2025-04-01", reason: "  " });
    expect(res.status).toBe(400);
    expect((res.body as FormAnswer).errors.reason).toBe("form.required");
    expect((res.body as FormAnswer).values).toMatchObject({ change: "close", on: "2025-04-01" });
    expect(reload(client.id).status).toBe("active");
  });

  it("refuses a change that does not fit the current status, a future date, and a date before intake", async () => {
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId, intakeDate: "2025-01-10" });
    const reopen = await act(client.id, sw.cookie, { intent: "status", change: "reopen", on: "2025-04-01", reason: "" });
    expect((reopen.body as FormAnswer).errors.change).toBe("clients.status.notFrom");
    const future = await act(client.id, sw.cookie, { intent: "status", change: "close", on: futureDate(), reason: "测试" });
    expect((future.body as FormAnswer).errors.on).toBe("clients.dateInFuture");
    const early = await act(client.id, sw.cookie, { intent: "status", change: "close", on: "2024-12-31", reason: "测试" });
    expect((early.body as FormAnswer).errors.on).toBe("clients.status.beforeIntake");
    const unknown = await act(client.id, sw.cookie, { intent: "status", change: "vanish", on: "2025-04-01", reason: "" });
    expect((unknown.body as FormAnswer).errors.change).toBe("form.unknownChoice");
    for (const r of [reopen, future, early, unknown]) expect(r.status).toBe(400);
    expect(reload(client.id).status).toBe("active");
  });
});

describe("editing intake details", () => {
  it("saves the corrected details and audits what changed", async () => {
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId });
    const sub = makeSubdistrict(d1);
    const res = await act(client.id, sw.cookie, detailsForm(client, { alias: "新化名测试（化名）", riskLevel: "high", subdistrictId: String(sub.id) }));
    expect(res.status).toBe(302);
    expect(reload(client.id)).toMatchObject({ alias: "新化名测试（化名）", riskLevel: "high", subdistrictId: sub.id });
    const audit = clientAudit(client.id, "update");
    expect(audit).toHaveLength(1);
    expect(Object.keys((audit[0]!.details as { changes: object }).changes).sort()).toEqual(["alias", "riskLevel", "subdistrictId"]);
  });

  it("refuses bad details with 400, the field message and the input kept", async () => {
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId });
    const other = await makeClient({ districtId: d1 });
    const otherSub = makeSubdistrict(d2);
    const cases: [Record<string, string>, string, string][] = [
      [{ caseNumber: other.caseNumber }, "caseNumber", "clients.caseNumberTaken"],
      [{ alias: "长".repeat(41) }, "alias", "form.tooLong?max=40"],
      [{ alias: "测试\u0000对象" }, "alias", "form.controlChars"],
      [{ subdistrictId: String(otherSub.id) }, "subdistrictId", "clients.intake.subdistrictNotInDistrict"],
      [{ districtId: "999999" }, "districtId", "form.unknownId"],
      [{ intakeDate: futureDate() }, "intakeDate", "clients.dateInFuture"],
      [{ riskLevel: "extreme" }, "riskLevel", "form.unknownChoice"],
    ];
    for (const [overrides, field, key] of cases) {
      const form = detailsForm(client, overrides);
      const res = await act(client.id, sw.cookie, form);
      expect(res.status, field).toBe(400);
      expect((res.body as FormAnswer).errors[field], field).toBe(key);
      expect((res.body as FormAnswer).values.alias).toBe(form.alias);
    }
    expect(reload(client.id)).toMatchObject({ alias: client.alias, caseNumber: client.caseNumber });
  });

  it("answers an unknown intent with a form message, not a 500", async () => {
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId });
    const res = await act(client.id, sw.cookie, { intent: "delete" });
    expect(res.status).toBe(400);
    expect((res.body as FormAnswer).errors._form).toBe("clients.unknownAction");
  });
});
