/**
 * Risk and crisis flags (issue "Clients and caseloads" item 11): who raises and resolves, the
 * crisis list and the client header, the audit trail, and bad input.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { auditLog, clientFlags } from "#db/schema";
import { action, loader } from "~/routes/clients.$id.flags";
import { loader as layoutLoader } from "~/routes/clients.$id";
import { loader as crisisLoader } from "~/routes/crisis";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";
import { endAssignment, makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";

let districtId: number;
let otherDistrictId: number;
let sw: Awaited<ReturnType<typeof makeSocialWorker>>;
let pt: Awaited<ReturnType<typeof makePeerTutor>>;
let coordinator: Awaited<ReturnType<typeof makeCoordinator>>;
let admin: Awaited<ReturnType<typeof makeSignedInUser>>;

beforeAll(async () => {
  districtId = makeDistrict().id;
  otherDistrictId = makeDistrict().id;
  sw = await makeSocialWorker(districtId);
  pt = await makePeerTutor(districtId);
  coordinator = await makeCoordinator([districtId]);
  admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
});

function clientOfTeam(options: { status?: "active" | "closed"; alias?: string } = {}) {
  return makeClient({ districtId, socialWorkerPersonId: sw.personId, peerTutorPersonId: pt.personId, ...options });
}

function post(clientId: number, cookie: string, form: Record<string, string>) {
  const request = makeRequest(`/clients/${clientId}/flags`, { method: "POST", cookie, form });
  return respond(() => action({ request, params: { id: String(clientId) }, context: { cspNonce: "" } }));
}

function get(clientId: number, cookie: string, search = "") {
  return respond(() => loader({ request: makeRequest(`/clients/${clientId}/flags${search}`, { cookie }), params: { id: String(clientId) }, context: { cspNonce: "" } }));
}

async function header(clientId: number, cookie: string) {
  const res = await respond(() => layoutLoader({ request: makeRequest(`/clients/${clientId}`, { cookie }), params: { id: String(clientId) }, context: { cspNonce: "" } }));
  return (res.body as { header: { openFlags: { risk: number; crisis: number } } }).header;
}

async function crisisList(cookie: string) {
  const res = await respond(() => crisisLoader({ request: makeRequest("/crisis", { cookie }), params: {}, context: { cspNonce: "" } }));
  expect(res.status).toBe(200);
  return (res.body as { rows: { id: number; crisis: boolean; openCrisis: number; openRisk: number }[] }).rows;
}

const raise = (clientId: number, cookie: string, kind: "risk" | "crisis", reason = "情绪低落，家属来电求助（虚构）") =>
  post(clientId, cookie, { intent: "raise", kind, reason });

const flagsOf = (clientId: number) => getDb().select().from(clientFlags).where(eq(clientFlags.clientId, clientId)).all();

const audited = (action: string, clientId: number) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.entity, "client"), eq(auditLog.entityId, String(clientId))))
    .all();

type Failure = { errors: Record<string, string>; values: Record<string, string> };

describe("a crisis flag", () => {
  it("puts that client first in /crisis and in the header count; resolving removes it; both audited", async () => {
    const withRisk = await clientOfTeam();
    const inCrisis = await clientOfTeam();
    expect((await raise(withRisk.id, sw.cookie, "risk")).status).toBe(302);

    const raised = await raise(inCrisis.id, sw.cookie, "crisis");
    expect(raised.status).toBe(302);
    expect(raised.headers.get("Location")).toBe(`/clients/${inCrisis.id}/flags`);

    for (const viewer of [coordinator, sw, pt]) {
      const rows = await crisisList(viewer.cookie);
      expect(rows[0]).toMatchObject({ id: inCrisis.id, crisis: true, openCrisis: 1 });
      expect(rows.map((r) => r.id)).toContain(withRisk.id);
    }
    expect(await header(inCrisis.id, sw.cookie)).toMatchObject({ openFlags: { crisis: 1, risk: 0 } });
    expect(audited("raise_flag", inCrisis.id)).toHaveLength(1);
    expect(audited("raise_flag", inCrisis.id)[0]!.details).toMatchObject({ kind: "crisis" });

    const flagId = flagsOf(inCrisis.id)[0]!.id;
    const resolved = await post(inCrisis.id, sw.cookie, { intent: "resolve", flagId: String(flagId), note: "已联系家属，情况稳定（虚构）" });
    expect(resolved.status).toBe(302);

    const after = await crisisList(coordinator.cookie);
    expect(after.map((r) => r.id)).not.toContain(inCrisis.id);
    expect(after.map((r) => r.id)).toContain(withRisk.id);
    expect(await header(inCrisis.id, sw.cookie)).toMatchObject({ openFlags: { crisis: 0, risk: 0 } });
    expect(audited("resolve_flag", inCrisis.id)).toHaveLength(1);
    const row = flagsOf(inCrisis.id)[0]!;
    expect(row.resolvedByUserId).toBe(sw.id);
    expect(row.resolutionNote).toBe("已联系家属，情况稳定（虚构）");
    expect(row.resolvedAt).not.toBeNull();
  });

  it("counts each listed client's own open flags in /crisis, not another row's", async () => {
    const riskOnly = await clientOfTeam({ alias: "风险标记（化名）" });
    const both = await clientOfTeam({ alias: "双重标记（化名）" });
    expect((await raise(riskOnly.id, sw.cookie, "risk")).status).toBe(302);
    expect((await raise(both.id, sw.cookie, "risk")).status).toBe(302);
    expect((await raise(both.id, sw.cookie, "crisis")).status).toBe(302);
    expect((await raise(both.id, sw.cookie, "crisis", "第二次危机（虚构）")).status).toBe(302);
    const rows = await crisisList(sw.cookie);
    const a = rows.find((r) => r.id === riskOnly.id);
    const b = rows.find((r) => r.id === both.id);
    expect(a).toMatchObject({ crisis: false, openRisk: 1, openCrisis: 0 });
    expect(b).toMatchObject({ crisis: true, openRisk: 1, openCrisis: 2 });
    expect(rows.findIndex((r) => r.id === both.id)).toBeLessThan(rows.findIndex((r) => r.id === riskOnly.id));
  });

  it("is not listed in /crisis for someone outside the client's team or district", async () => {
    const client = await clientOfTeam();
    await raise(client.id, sw.cookie, "crisis");
    const otherPt = await makePeerTutor(districtId);
    const otherCoordinator = await makeCoordinator([otherDistrictId]);
    expect((await crisisList(otherPt.cookie)).map((r) => r.id)).not.toContain(client.id);
    expect((await crisisList(otherCoordinator.cookie)).map((r) => r.id)).not.toContain(client.id);
  });

  it("answers 403 on /crisis to a trainer", async () => {
    const trainer = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    const res = await respond(() => crisisLoader({ request: makeRequest("/crisis", { cookie: trainer.cookie }), params: {}, context: { cspNonce: "" } }));
    expect(res.status).toBe(403);
  });
});

describe("who raises and resolves flags", () => {
  it("a peer tutor of another client gets 404 on the flags page and its form", async () => {
    const client = await clientOfTeam();
    const otherPt = await makePeerTutor(districtId);
    await makeClient({ districtId, peerTutorPersonId: otherPt.personId });
    expect((await get(client.id, otherPt.cookie)).status).toBe(404);
    expect((await raise(client.id, otherPt.cookie, "crisis")).status).toBe(404);
    expect(flagsOf(client.id)).toHaveLength(0);
  });

  it("the client's peer tutor raises a flag but may not resolve it", async () => {
    const client = await clientOfTeam();
    expect((await raise(client.id, pt.cookie, "risk")).status).toBe(302);
    const page = (await get(client.id, pt.cookie)).body as { rights: { raise: boolean; resolve: boolean } };
    expect(page.rights).toEqual({ raise: true, resolve: false });
    const flagId = flagsOf(client.id)[0]!.id;
    expect((await post(client.id, pt.cookie, { intent: "resolve", flagId: String(flagId), note: "好转（虚构）" })).status).toBe(403);
    expect(flagsOf(client.id)[0]!.resolvedAt).toBeNull();
  });

  it("a coordinator of the district raises and resolves; one of another district gets 404", async () => {
    const client = await clientOfTeam();
    expect((await raise(client.id, coordinator.cookie, "crisis")).status).toBe(302);
    const flagId = flagsOf(client.id)[0]!.id;
    const elsewhere = await makeCoordinator([otherDistrictId]);
    expect((await post(client.id, elsewhere.cookie, { intent: "resolve", flagId: String(flagId), note: "x" })).status).toBe(404);
    expect((await post(client.id, coordinator.cookie, { intent: "resolve", flagId: String(flagId), note: "危机已解除（虚构）" })).status).toBe(302);
  });

  it("an admin reads the flags but may not raise one", async () => {
    const client = await clientOfTeam();
    expect((await get(client.id, admin.cookie)).status).toBe(200);
    expect((await raise(client.id, admin.cookie, "crisis")).status).toBe(403);
    expect(flagsOf(client.id)).toHaveLength(0);
  });

  it("a social worker whose assignment ended gets 404", async () => {
    const formerSw = await makeSocialWorker(districtId);
    const client = await makeClient({ districtId, socialWorkerPersonId: formerSw.personId });
    endAssignment(client.id, "social_worker");
    expect((await get(client.id, formerSw.cookie)).status).toBe(404);
  });

  it("the resolve form opens from ?resolve= for someone who may resolve, and not for a peer tutor", async () => {
    const client = await clientOfTeam();
    await raise(client.id, pt.cookie, "risk");
    const flagId = flagsOf(client.id)[0]!.id;
    const forSw = (await get(client.id, sw.cookie, `?resolve=${flagId}`)).body as { resolving: { id: number } | null };
    expect(forSw.resolving?.id).toBe(flagId);
    const forPt = (await get(client.id, pt.cookie, `?resolve=${flagId}`)).body as { resolving: { id: number } | null };
    expect(forPt.resolving).toBeNull();
  });
});

describe("bad input", () => {
  it("refuses an empty, over-long or control-character reason with 400 and keeps the input", async () => {
    const client = await clientOfTeam();
    const long = "长".repeat(501);
    for (const [reason, key] of [
      ["   ", "form.required"],
      [long, "form.tooLong?max=500"],
      ["危机\u0007（虚构）", "form.controlChars"],
    ] as const) {
      const res = await raise(client.id, sw.cookie, "crisis", reason);
      expect(res.status).toBe(400);
      expect((res.body as Failure).errors.reason).toBe(key);
      expect((res.body as Failure).values.reason).toBe(reason);
    }
    expect(flagsOf(client.id)).toHaveLength(0);
  });

  it("refuses an unknown kind or intent with 400", async () => {
    const client = await clientOfTeam();
    const kind = await post(client.id, sw.cookie, { intent: "raise", kind: "panic", reason: "x" });
    expect(kind.status).toBe(400);
    expect((kind.body as Failure).errors.kind).toBe("form.unknownChoice");
    const intent = await post(client.id, sw.cookie, { intent: "delete" });
    expect(intent.status).toBe(400);
    expect(flagsOf(client.id)).toHaveLength(0);
  });

  it("refuses to resolve a flag of another client, or one already resolved, with 400", async () => {
    const client = await clientOfTeam();
    const other = await clientOfTeam();
    await raise(other.id, sw.cookie, "risk");
    const otherFlag = flagsOf(other.id)[0]!.id;
    const foreign = await post(client.id, sw.cookie, { intent: "resolve", flagId: String(otherFlag), note: "x" });
    expect(foreign.status).toBe(400);
    expect((foreign.body as Failure).errors.flagId).toBe("form.unknownId");
    expect(flagsOf(other.id)[0]!.resolvedAt).toBeNull();

    expect((await post(other.id, sw.cookie, { intent: "resolve", flagId: String(otherFlag), note: "好转（虚构）" })).status).toBe(302);
    const again = await post(other.id, sw.cookie, { intent: "resolve", flagId: String(otherFlag), note: "再次（虚构）" });
    expect(again.status).toBe(400);
    expect((again.body as Failure).errors.flagId).toBe("wellbeing.flag.alreadyResolved");

    const bogus = await post(other.id, sw.cookie, { intent: "resolve", flagId: "abc", note: "x" });
    expect(bogus.status).toBe(400);
    expect((bogus.body as Failure).errors.flagId).toBe("form.unknownId");
  });

  it("refuses a new flag on a closed case", async () => {
    const client = await clientOfTeam({ status: "closed" });
    const res = await raise(client.id, sw.cookie, "crisis");
    expect(res.status).toBe(400);
    expect((res.body as Failure).errors._form).toBe("wellbeing.flag.closedCase");
  });

  it("answers 403 to a signed-in person with no role and 404 for an unknown client", async () => {
    const nobody = await makeSignedInUser([]);
    const client = await clientOfTeam();
    expect((await get(client.id, nobody.cookie)).status).toBe(403);
    expect((await get(987_654, sw.cookie)).status).toBe(404);
  });
});
