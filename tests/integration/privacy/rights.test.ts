/**
 * A client's rights: a complete copy of what is held (printable and JSON) for their social
 * worker and admins only, audited; correction requests and outcomes; withdrawal of consent stops
 * new records and closes the case.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, clientIdentities, clients, correctionRequests } from "#db/schema";
import { getDb } from "~/db.server";
import { requireCurrentConsent } from "~/domain/clients";
import { loader as heldLoader } from "~/routes/clients_.$id.held-data";
import { action as rightsAction, loader as rightsLoader } from "~/routes/clients.$id.rights";
import { action as overviewAction } from "~/routes/clients.$id._index";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";
import { addContact, makeClient, makePeerTutor, makeSocialWorker } from "../../clients-factories";

const ctx = { cspNonce: "" };
let districtId: number;
let sw: Awaited<ReturnType<typeof makeSocialWorker>>;

beforeAll(async () => {
  districtId = makeDistrict().id;
  sw = await makeSocialWorker(districtId);
});

async function caseWithHistory() {
  const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId, intakeDate: "2024-03-01" });
  getDb().insert(clientIdentities).values({ clientId: client.id, realName: "王测试（虚构）", idNumber: "TEST-ID-0001", phone: "TEST-PHONE-01", address: "虚构路 1 号" }).run();
  addContact({ clientId: client.id, authorUserId: sw.id, summary: "私密记录：测试（虚构）", private: true });
  addContact({ clientId: client.id, authorUserId: sw.id, summary: "普通记录（虚构）" });
  return client;
}

describe("a copy of everything held", () => {
  it("the client's social worker gets every section, identity and private notes included, as JSON", async () => {
    const client = await caseWithHistory();
    const res = await respond(() => heldLoader({ request: makeRequest(`/clients/${client.id}/held-data?format=json`, { cookie: sw.cookie }), params: { id: String(client.id) }, context: ctx }));
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toContain("attachment");
    const body = (await (res.body as Response).json()) as { sections: { key: string; rows: Record<string, unknown>[] }[] };
    const section = (k: string) => body.sections.find((s) => s.key === k)!.rows;
    expect(section("identity")[0]).toMatchObject({ realName: "王测试（虚构）", idNumber: "TEST-ID-0001" });
    expect(section("contacts").map((c) => c.summary)).toEqual(expect.arrayContaining(["私密记录：测试（虚构）", "普通记录（虚构）"]));
    expect(section("consents")).toHaveLength(1);
    expect(section("team")).toHaveLength(1);
    expect(body.sections.map((s) => s.key)).toEqual(
      expect.arrayContaining(["case", "plans", "goals", "events", "recognitions", "recovery", "flags", "liftRequests", "registrations", "attendance", "corrections"]),
    );
    const audit = getDb().select().from(auditLog).where(and(eq(auditLog.entity, "client"), eq(auditLog.entityId, String(client.id)))).all();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["view", "reveal_identity"]));
  });

  it("an admin may print it; a coordinator and the client's peer tutor may not", async () => {
    const client = await caseWithHistory();
    const tutor = await makePeerTutor(districtId);
    const withTutor = await makeClient({ districtId, socialWorkerPersonId: sw.personId, peerTutorPersonId: tutor.personId });
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const coordinator = await makeSignedInUser([{ role: "coordinator", districtId }]);
    const call = (cookie: string, id: number) =>
      respond(() => heldLoader({ request: makeRequest(`/clients/${id}/held-data`, { cookie }), params: { id: String(id) }, context: ctx }));
    expect((await call(admin.cookie, client.id)).status).toBe(200);
    expect((await call(coordinator.cookie, client.id)).status).toBe(403);
    expect((await call(tutor.cookie, withTutor.id)).status).toBe(403);
    expect((await respond(() => rightsLoader({ request: makeRequest(`/clients/${client.id}/rights`, { cookie: coordinator.cookie }), params: { id: String(client.id) }, context: ctx }))).status).toBe(403);
  });

  it("a social worker of another caseload gets 404, not the data", async () => {
    const client = await caseWithHistory();
    const other = await makeSocialWorker(districtId);
    const res = await respond(() => heldLoader({ request: makeRequest(`/clients/${client.id}/held-data`, { cookie: other.cookie }), params: { id: String(client.id) }, context: ctx }));
    expect(res.status).toBe(404);
  });
});

describe("correction requests", () => {
  it("records a request and its outcome, audited; a second outcome is refused", async () => {
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId, intakeDate: "2024-03-01" });
    const post = (form: Record<string, string>) =>
      respond(() => rightsAction({ request: makeRequest(`/clients/${client.id}/rights`, { cookie: sw.cookie, form }), params: { id: String(client.id) }, context: ctx }));
    expect((await post({ intent: "request", requestedOn: "2026-11-01", request: "出生日期记录有误（虚构）" })).status).toBe(302);
    const row = getDb().select().from(correctionRequests).where(eq(correctionRequests.clientId, client.id)).get()!;
    expect(row.outcome).toBe("pending");
    expect((await post({ intent: "decide", requestId: String(row.id), outcome: "corrected", decidedOn: "2026-11-02", note: "已更正（虚构）" })).status).toBe(302);
    expect(getDb().select().from(correctionRequests).where(eq(correctionRequests.id, row.id)).get()!.outcome).toBe("corrected");
    const again = await post({ intent: "decide", requestId: String(row.id), outcome: "declined", decidedOn: "2026-11-03", note: "x" });
    expect(again.status).toBe(400);
    expect(getDb().select().from(auditLog).where(eq(auditLog.entity, "correction_request")).all().map((a) => a.action)).toEqual(expect.arrayContaining(["create", "decide"]));
  });

  it("bad input keeps what was typed and says why: future date, missing text, another client's request", async () => {
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId, intakeDate: "2024-03-01" });
    const other = await makeClient({ districtId, socialWorkerPersonId: sw.personId, intakeDate: "2024-03-01" });
    const post = (id: number, form: Record<string, string>) =>
      respond(() => rightsAction({ request: makeRequest(`/clients/${id}/rights`, { cookie: sw.cookie, form }), params: { id: String(id) }, context: ctx }));
    const future = await post(client.id, { intent: "request", requestedOn: "2999-01-01", request: "测试（虚构）" });
    expect(future.status).toBe(400);
    expect((future.body as { values: Record<string, string> }).values.request).toBe("测试（虚构）");
    expect((await post(client.id, { intent: "request", requestedOn: "2026-11-01", request: "" })).status).toBe(400);
    await post(other.id, { intent: "request", requestedOn: "2026-11-01", request: "另一个对象（虚构）" });
    const theirs = getDb().select().from(correctionRequests).where(eq(correctionRequests.clientId, other.id)).get()!;
    const cross = await post(client.id, { intent: "decide", requestId: String(theirs.id), outcome: "declined", decidedOn: "2026-11-02", note: "x" });
    expect(cross.status).toBe(400);
    expect(getDb().select().from(correctionRequests).where(eq(correctionRequests.id, theirs.id)).get()!.outcome).toBe("pending");
  });
});

describe("withdrawal of consent", () => {
  it("stops new records and closes the case on that day", async () => {
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId, intakeDate: "2024-03-01" });
    const res = await respond(() =>
      overviewAction({ request: makeRequest(`/clients/${client.id}`, { cookie: sw.cookie, form: { intent: "withdraw", withdrawnOn: "2026-11-20" } }), params: { id: String(client.id) }, context: ctx }),
    );
    expect(res.status).toBe(302);
    const after = getDb().select().from(clients).where(eq(clients.id, client.id)).get()!;
    expect(after.status).toBe("closed");
    expect(after.closedOn).toBe("2026-11-20");
    expect(() => requireCurrentConsent(getDb(), client.id, "2026-11-21")).toThrow();
  });
});
