/**
 * Due BARC-10 assessments in the worker's tasks (issue "Clients and caseloads" item 10): who is
 * listed, in what order, for whom, and the /tasks page.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { barc10Assessments, clientFlags } from "#db/schema";
import { addMonths, barc10Due, listTasks, localDate } from "~/domain/clients";
import { loader } from "~/routes/tasks";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";
import { makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";

const AS_OF = "2026-06-15";
let districtId: number;
let sw: Awaited<ReturnType<typeof makeSocialWorker>>;
let recorderId: number;

beforeAll(async () => {
  districtId = makeDistrict().id;
  sw = await makeSocialWorker(districtId);
  recorderId = sw.id;
});

function assessed(clientId: number, takenOn: string, total = 30) {
  getDb()
    .insert(barc10Assessments)
    .values({ clientId, takenOn, answers: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3], total, recordedBy: recorderId })
    .run();
}

const viewer = (u: { id: number; personId: number }, roles: { role: "social_worker" | "peer_tutor" | "coordinator" | "admin"; districtId: number | null }[]) => ({
  id: u.id,
  personId: u.personId,
  roles,
});

describe("barc10Due", () => {
  it("lists a never-assessed client and one assessed 3 months ago, not one assessed last week", async () => {
    const worker = await makeSocialWorker(districtId);
    const never = await makeClient({ districtId, socialWorkerPersonId: worker.personId, intakeDate: "2026-01-05" });
    const threeMonths = await makeClient({ districtId, socialWorkerPersonId: worker.personId, intakeDate: "2025-01-10" });
    assessed(threeMonths.id, "2025-12-15");
    assessed(threeMonths.id, "2026-03-15");
    const lastWeek = await makeClient({ districtId, socialWorkerPersonId: worker.personId, intakeDate: "2025-01-10" });
    assessed(lastWeek.id, "2026-06-08");

    const { items, total } = barc10Due(getDb(), viewer(worker, [{ role: "social_worker", districtId }]), AS_OF);
    expect(items.map((i) => i.clientId)).toEqual([never.id, threeMonths.id]);
    expect(total).toBe(2);
    expect(items[0]).toMatchObject({ dueOn: "2026-01-05", lastTakenOn: null, daysOverdue: 161 });
    expect(items[1]).toMatchObject({ dueOn: "2026-06-15", lastTakenOn: "2026-03-15", daysOverdue: 0 });
  });

  it("lists an assessment falling due within 14 days, not on the 15th", async () => {
    const worker = await makeSocialWorker(districtId);
    const in14 = await makeClient({ districtId, socialWorkerPersonId: worker.personId });
    assessed(in14.id, "2026-03-29"); // due 2026-06-29
    const in15 = await makeClient({ districtId, socialWorkerPersonId: worker.personId });
    assessed(in15.id, "2026-03-30"); // due 2026-06-30
    const ids = barc10Due(getDb(), viewer(worker, [{ role: "social_worker", districtId }]), AS_OF).items.map((i) => i.clientId);
    expect(ids).toEqual([in14.id]);
  });

  it("uses the month-end rule: assessed 30 November, due the last day of February", async () => {
    const worker = await makeSocialWorker(districtId);
    const client = await makeClient({ districtId, socialWorkerPersonId: worker.personId });
    assessed(client.id, "2025-11-30");
    expect(addMonths("2025-11-30", 3)).toBe("2026-02-28");
    const items = barc10Due(getDb(), viewer(worker, [{ role: "social_worker", districtId }]), "2026-02-14").items;
    expect(items.map((i) => [i.clientId, i.dueOn])).toEqual([[client.id, "2026-02-28"]]);
    expect(barc10Due(getDb(), viewer(worker, [{ role: "social_worker", districtId }]), "2026-02-13").items).toEqual([]);
  });

  it("leaves out closed clients and clients of other workers, and lists the district for its coordinator", async () => {
    const worker = await makeSocialWorker(districtId);
    const other = await makeSocialWorker(districtId);
    const mine = await makeClient({ districtId, socialWorkerPersonId: worker.personId });
    await makeClient({ districtId, socialWorkerPersonId: worker.personId, status: "closed" });
    const theirs = await makeClient({ districtId, socialWorkerPersonId: other.personId });
    const ids = barc10Due(getDb(), viewer(worker, [{ role: "social_worker", districtId }]), AS_OF, { limit: 100, offset: 0 }).items.map((i) => i.clientId);
    expect(ids).toEqual([mine.id]);
    const coordinator = await makeCoordinator([districtId]);
    const coordIds = barc10Due(getDb(), viewer(coordinator, [{ role: "coordinator", districtId }]), AS_OF, { limit: 1000, offset: 0 }).items.map((i) => i.clientId);
    expect(coordIds).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    const otherDistrict = makeDistrict().id;
    const elsewhere = await makeCoordinator([otherDistrict]);
    expect(barc10Due(getDb(), viewer(elsewhere, [{ role: "coordinator", districtId: otherDistrict }]), AS_OF).total).toBe(0);
  });

  it("puts a client in crisis first, then the longest overdue", async () => {
    const tutor = await makePeerTutor(districtId);
    const v = viewer(tutor, [{ role: "peer_tutor", districtId }]);
    const old = await makeClient({ districtId, peerTutorPersonId: tutor.personId, intakeDate: "2025-02-01" });
    const crisis = await makeClient({ districtId, peerTutorPersonId: tutor.personId, intakeDate: "2026-06-01" });
    getDb().insert(clientFlags).values({ clientId: crisis.id, kind: "crisis", reason: "测试危机（虚构）", raisedByUserId: recorderId, raisedAt: new Date().toISOString() }).run();
    const newer = await makeClient({ districtId, peerTutorPersonId: tutor.personId, intakeDate: "2026-03-01" });
    const items = barc10Due(getDb(), v, AS_OF).items;
    expect(items.map((i) => i.clientId)).toEqual([crisis.id, old.id, newer.id]);
    expect(items[0]!.crisis).toBe(true);
    const tasks = listTasks(getDb(), v, AS_OF, { limit: 2, offset: 0 });
    expect(tasks.total).toBe(3);
    expect(tasks.items.map((t) => [t.kind, t.clientId])).toEqual([
      ["barc10Due", crisis.id],
      ["barc10Due", old.id],
    ]);
    expect(listTasks(getDb(), v, AS_OF, { limit: 2, offset: 2 }).items.map((t) => t.clientId)).toEqual([newer.id]);
  });
});

describe("/tasks", () => {
  it("lists the signed-in worker's due assessments as typed items", async () => {
    const worker = await makeSocialWorker(districtId);
    const today = localDate(new Date(), "Asia/Shanghai");
    const due = await makeClient({ districtId, socialWorkerPersonId: worker.personId, intakeDate: "2025-01-10" });
    const fresh = await makeClient({ districtId, socialWorkerPersonId: worker.personId, intakeDate: "2025-01-10" });
    assessed(fresh.id, today);
    const res = await respond(() => loader({ request: makeRequest("/tasks", { cookie: worker.cookie }), params: {}, context: { cspNonce: "" } }));
    expect(res.status).toBe(200);
    const body = res.body as { items: { kind: string; clientId: number }[]; total: number };
    expect(body.items).toEqual([expect.objectContaining({ kind: "barc10Due", clientId: due.id, lastTakenOn: null })]);
    expect(body.total).toBe(1);
  });

  it("answers 403 to a trainer", async () => {
    const trainer = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    const res = await respond(() => loader({ request: makeRequest("/tasks", { cookie: trainer.cookie }), params: {}, context: { cspNonce: "" } }));
    expect(res.status).toBe(403);
  });
});
