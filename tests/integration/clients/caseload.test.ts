/**
 * Caseloads: coordinators (their districts) and admins assign a client's social worker and peer
 * tutor from /clients/$id/assign, one current of each kind with history; only active social
 * workers of the district and active certified peer tutors can be chosen; the reassignment queue
 * lists every open client left with a worker who can no longer hold them, or with none.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { SYSTEM_ACTOR } from "~/domain/audit";
import { currentAssignment } from "~/domain/clients";
import { setUserActive } from "~/domain/people";
import * as assignRoute from "~/routes/clients.$id.assign";
import * as overviewRoute from "~/routes/clients.$id._index";
import * as queueRoute from "~/routes/caseloads.reassign";
import { clientAssignments, peerTutors, staffProfiles, userRoles } from "#db/schema";
import { makeDistrict, makeSignedInUser } from "../../factories";
import { endAssignment, makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { clientAudit, futureDate, get, post, type FormAnswer } from "./clients-helpers";

const params = (id: number) => ({ id: String(id) });
const assign = (id: number, cookie: string, form: Record<string, string>) => post(assignRoute.action, `/clients/${id}/assign`, cookie, form, params(id));
const openAssign = (id: number, cookie: string) => get(assignRoute.loader, `/clients/${id}/assign`, cookie, params(id));

type AssignPage = { choices: { social_worker: { value: number }[]; peer_tutor: { value: number }[] } };
type QueueRow = { clientId: number; kind: string; reason: string };
type QueueBody = { rows: QueueRow[]; total: number };

let d1: number;
let d2: number;
let coordinator: Awaited<ReturnType<typeof makeCoordinator>>;
let sw: Awaited<ReturnType<typeof makeSocialWorker>>;

beforeAll(async () => {
  d1 = makeDistrict().id;
  d2 = makeDistrict().id;
  coordinator = await makeCoordinator([d1]);
  sw = await makeSocialWorker(d1);
});

describe("assigning workers", () => {
  it("replaces the social worker from a date, keeps the history, and the former worker then gets 404", async () => {
    const next = await makeSocialWorker(d1);
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId, intakeDate: "2025-01-10" });
    const res = await assign(client.id, coordinator.cookie, { intent: "assign", kind: "social_worker", personId: String(next.personId), fromDate: "2025-06-01" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/clients/${client.id}`);
    const rows = getDb().select().from(clientAssignments).where(eq(clientAssignments.clientId, client.id)).orderBy(clientAssignments.id).all();
    expect(rows.map((r) => [r.personId, r.fromDate, r.toDate])).toEqual([
      [sw.personId, "2025-01-10", "2025-06-01"],
      [next.personId, "2025-06-01", null],
    ]);
    expect(clientAudit(client.id, "assign_worker").at(-1)!.actorUserId).toBe(coordinator.id);
    expect((await get(overviewRoute.loader, `/clients/${client.id}`, sw.cookie, params(client.id))).status).toBe(404);
    expect((await get(overviewRoute.loader, `/clients/${client.id}`, next.cookie, params(client.id))).status).toBe(200);
  });

  it("gives an active certified peer tutor a mentee, and an admin may do it too", async () => {
    const tutor = await makePeerTutor(d2);
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId });
    expect((await assign(client.id, coordinator.cookie, { intent: "assign", kind: "peer_tutor", personId: String(tutor.personId), fromDate: "2025-06-01" })).status).toBe(302);
    expect(currentAssignment(getDb(), client.id, "peer_tutor")?.personId).toBe(tutor.personId);
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const second = await makePeerTutor(d1);
    expect((await assign(client.id, admin.cookie, { intent: "assign", kind: "peer_tutor", personId: String(second.personId), fromDate: "2025-07-01" })).status).toBe(302);
    expect(currentAssignment(getDb(), client.id, "peer_tutor")?.personId).toBe(second.personId);
  });

  it("ends peer-tutor support without a successor", async () => {
    const tutor = await makePeerTutor(d1);
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId, peerTutorPersonId: tutor.personId });
    expect((await assign(client.id, coordinator.cookie, { intent: "endPeerTutor", toDate: "2025-08-01" })).status).toBe(302);
    expect(currentAssignment(getDb(), client.id, "peer_tutor")).toBeUndefined();
    expect(clientAudit(client.id, "end_assignment")).toHaveLength(1);
    expect((await get(overviewRoute.loader, `/clients/${client.id}`, tutor.cookie, params(client.id))).status).toBe(404);
  });

  it("offers only the district's active social workers and active, unexpired, certified peer tutors", async () => {
    const disabled = await makeSocialWorker(d1);
    setUserActive(getDb(), SYSTEM_ACTOR, disabled.id, false);
    const elsewhere = await makeSocialWorker(d2);
    const active = await makePeerTutor(d1);
    const paused = await makePeerTutor(d1, { status: "paused" });
    const revoked = await makePeerTutor(d1, { status: "revoked" });
    const expired = await makePeerTutor(d1, { expiresOn: "2020-01-01" });
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId });
    const page = (await openAssign(client.id, coordinator.cookie)).body as AssignPage;
    const sws = page.choices.social_worker.map((c) => c.value);
    expect(sws).toContain(sw.personId);
    expect(sws).not.toContain(disabled.personId);
    expect(sws).not.toContain(elsewhere.personId);
    const tutors = page.choices.peer_tutor.map((c) => c.value);
    expect(tutors).toContain(active.personId);
    for (const t of [paused, revoked, expired]) expect(tutors).not.toContain(t.personId);
  });
});

describe("assignment refuses bad input with 400, the field message and the input kept", () => {
  async function expectBad(clientId: number, form: Record<string, string>, field: string, key: string) {
    const before = getDb().select().from(clientAssignments).where(eq(clientAssignments.clientId, clientId)).all();
    const res = await assign(clientId, coordinator.cookie, form);
    expect(res.status).toBe(400);
    expect((res.body as FormAnswer).errors[field]).toBe(key);
    expect((res.body as FormAnswer).values).toMatchObject(form);
    expect(getDb().select().from(clientAssignments).where(eq(clientAssignments.clientId, clientId)).all()).toEqual(before);
  }

  it("a second active assignment of the same worker", async () => {
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId });
    await expectBad(client.id, { intent: "assign", kind: "social_worker", personId: String(sw.personId), fromDate: "2025-06-01" }, "personId", "clients.assign.alreadyAssigned");
  });

  it("an inactive (paused) peer tutor", async () => {
    const paused = await makePeerTutor(d1, { status: "paused" });
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId });
    await expectBad(client.id, { intent: "assign", kind: "peer_tutor", personId: String(paused.personId), fromDate: "2025-06-01" }, "personId", "clients.assign.notActivePeerTutor");
  });

  it("a revoked peer tutor", async () => {
    const revoked = await makePeerTutor(d1, { status: "revoked" });
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId });
    await expectBad(client.id, { intent: "assign", kind: "peer_tutor", personId: String(revoked.personId), fromDate: "2025-06-01" }, "personId", "clients.assign.notActivePeerTutor");
  });

  it("a peer tutor whose certificate has expired", async () => {
    const expired = await makePeerTutor(d1, { expiresOn: "2025-01-01" });
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId });
    await expectBad(client.id, { intent: "assign", kind: "peer_tutor", personId: String(expired.personId), fromDate: "2025-06-01" }, "personId", "clients.assign.notActivePeerTutor");
  });

  it("a social worker of another district", async () => {
    const elsewhere = await makeSocialWorker(d2);
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId });
    await expectBad(client.id, { intent: "assign", kind: "social_worker", personId: String(elsewhere.personId), fromDate: "2025-06-01" }, "personId", "clients.assign.notSocialWorker");
  });

  it("a person who is not a social worker, as social worker", async () => {
    const tutor = await makePeerTutor(d1);
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId });
    await expectBad(client.id, { intent: "assign", kind: "social_worker", personId: String(tutor.personId), fromDate: "2025-06-01" }, "personId", "clients.assign.notSocialWorker");
  });

  it("an unknown person id and a malformed one", async () => {
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId });
    await expectBad(client.id, { intent: "assign", kind: "peer_tutor", personId: "99999999", fromDate: "2025-06-01" }, "personId", "form.unknownId");
    await expectBad(client.id, { intent: "assign", kind: "peer_tutor", personId: "1; drop table", fromDate: "2025-06-01" }, "personId", "form.unknownId");
  });

  it("an unknown kind", async () => {
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId });
    await expectBad(client.id, { intent: "assign", kind: "boss", personId: String(sw.personId), fromDate: "2025-06-01" }, "kind", "form.unknownChoice");
  });

  it("a start date in the future, before intake, or before the current assignment", async () => {
    const next = await makeSocialWorker(d1);
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId, intakeDate: "2025-01-10" });
    const form = (fromDate: string) => ({ intent: "assign", kind: "social_worker", personId: String(next.personId), fromDate });
    await expectBad(client.id, form(futureDate()), "fromDate", "clients.dateInFuture");
    await expectBad(client.id, form("2024-12-31"), "fromDate", "clients.assign.beforeIntake");
    const other = await makeClient({ districtId: d1, intakeDate: "2025-01-10" });
    getDb().insert(clientAssignments).values({ clientId: other.id, kind: "social_worker", personId: sw.personId, fromDate: "2025-05-01" }).run();
    await expectBad(other.id, form("2025-03-01"), "fromDate", "clients.assign.beforeCurrent");
  });

  it("any assignment to a closed case", async () => {
    const next = await makeSocialWorker(d1);
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId, status: "closed" });
    await expectBad(client.id, { intent: "assign", kind: "social_worker", personId: String(next.personId), fromDate: "2025-06-01" }, "_form", "clients.closed");
  });
});

describe("who may assign", () => {
  it("answers 403 to the client's social worker and peer tutor, 404 to another district's coordinator, 403 to a trainer", async () => {
    const tutor = await makePeerTutor(d1);
    const next = await makeSocialWorker(d1);
    const client = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId, peerTutorPersonId: tutor.personId });
    const form = { intent: "assign", kind: "social_worker", personId: String(next.personId), fromDate: "2025-06-01" };
    for (const who of [sw, tutor]) {
      expect((await openAssign(client.id, who.cookie)).status).toBe(403);
      expect((await assign(client.id, who.cookie, form)).status).toBe(403);
    }
    const otherCoordinator = await makeCoordinator([d2]);
    expect((await openAssign(client.id, otherCoordinator.cookie)).status).toBe(404);
    expect((await assign(client.id, otherCoordinator.cookie, form)).status).toBe(404);
    const trainer = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    expect((await openAssign(client.id, trainer.cookie)).status).toBe(403);
    expect(currentAssignment(getDb(), client.id, "social_worker")?.personId).toBe(sw.personId);
  });
});

describe("the reassignment queue", () => {
  it("lists the district's open clients whose worker can no longer hold them, or who have no social worker", async () => {
    const d = makeDistrict().id;
    const c = await makeCoordinator([d]);
    const fine = await makeSocialWorker(d);
    const disabled = await makeSocialWorker(d);
    const leaver = await makeSocialWorker(d);
    const revokedTutor = await makePeerTutor(d);
    const okTutor = await makePeerTutor(d);

    const ok = await makeClient({ districtId: d, socialWorkerPersonId: fine.personId, peerTutorPersonId: okTutor.personId });
    const withDisabled = await makeClient({ districtId: d, socialWorkerPersonId: disabled.personId });
    const withLeaver = await makeClient({ districtId: d, socialWorkerPersonId: leaver.personId });
    const withRevoked = await makeClient({ districtId: d, socialWorkerPersonId: fine.personId, peerTutorPersonId: revokedTutor.personId });
    const orphan = await makeClient({ districtId: d });
    const closedOrphan = await makeClient({ districtId: d, status: "closed" });
    const elsewhere = await makeClient({ districtId: d2 });

    setUserActive(getDb(), SYSTEM_ACTOR, disabled.id, false);
    // the leaver is no longer a social worker: staff profile ended and the role taken away
    getDb().update(staffProfiles).set({ active: false }).where(eq(staffProfiles.personId, leaver.personId)).run();
    getDb().delete(userRoles).where(eq(userRoles.userId, leaver.id)).run();
    getDb().update(peerTutors).set({ status: "revoked" }).where(eq(peerTutors.personId, revokedTutor.personId)).run();

    const res = await get(queueRoute.loader, "/caseloads/reassign", c.cookie);
    expect(res.status).toBe(200);
    const body = res.body as QueueBody;
    const seen = body.rows.map((r) => [r.clientId, r.kind, r.reason]).sort();
    expect(seen).toEqual(
      [
        [withDisabled.id, "social_worker", "login_disabled"],
        [withLeaver.id, "social_worker", "not_social_worker"],
        [withRevoked.id, "peer_tutor", "not_active_peer_tutor"],
        [orphan.id, "social_worker", "no_social_worker"],
      ].sort(),
    );
    expect(body.total).toBe(4);
    const listed = body.rows.map((r) => r.clientId);
    for (const notThere of [ok.id, closedOrphan.id, elsewhere.id]) expect(listed).not.toContain(notThere);

    // assigning someone takes the client off the queue
    await assign(orphan.id, c.cookie, { intent: "assign", kind: "social_worker", personId: String(fine.personId), fromDate: "2025-06-01" });
    endAssignment(withRevoked.id, "peer_tutor", "2025-06-01");
    const after = (await get(queueRoute.loader, "/caseloads/reassign", c.cookie)).body as QueueBody;
    expect(after.rows.map((r) => r.clientId).sort()).toEqual([withDisabled.id, withLeaver.id].sort());
  });

  it("shows an admin every district and answers 403 to social workers, peer tutors and trainers", async () => {
    const orphan = await makeClient({ districtId: d2 });
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const body = (await get(queueRoute.loader, "/caseloads/reassign", admin.cookie)).body as QueueBody;
    expect(body.rows.map((r) => r.clientId)).toContain(orphan.id);
    const tutor = await makePeerTutor(d1);
    const trainer = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    for (const who of [sw, tutor, trainer]) expect((await get(queueRoute.loader, "/caseloads/reassign", who.cookie)).status).toBe(403);
  });
});
