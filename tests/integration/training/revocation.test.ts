/**
 * Revocation and suspension: a reason is required (and, for revocation, a confirmation); a
 * revoked or suspended tutor may not practise, so caseload assignment refuses them; revocation is
 * final and sets the tutor's status; every change is audited. Trainers and admins only.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { auditLog, certificates, peerTutors } from "#db/schema";
import { assignWorker } from "~/domain/clients";
import { SYSTEM_ACTOR, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { liftSuspension, mayPractiseOn, revokeCertificate, suspendCertificate } from "~/domain/training";
import { todayIn } from "~/i18n/format";
import { action } from "~/routes/registry.$tutorId";
import { makeClient, makeCoordinator, makeSocialWorker } from "../../clients-factories";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";
import { makeTrainer } from "../../training-factories";
import { makeCertifiedTutor } from "./registry-builders";

let trainer: Awaited<ReturnType<typeof makeTrainer>>;
let actor: Actor;
let districtId: number;
const today = todayIn();

beforeAll(async () => {
  trainer = await makeTrainer();
  actor = { userId: trainer.id, login: trainer.login, ip: "127.0.0.1" };
  districtId = makeDistrict().id;
});

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error("expected a refusal");
}

const certificateOf = (id: number) => getDb().select().from(certificates).where(eq(certificates.id, id)).get()!;
const tutorRow = (id: number) => getDb().select().from(peerTutors).where(eq(peerTutors.id, id)).get()!;
const auditOf = (action: string, certificateId: number) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.entity, "certificate"), eq(auditLog.entityId, String(certificateId))))
    .all();

async function post(cookie: string, tutorId: number, form: Record<string, string>) {
  const request = makeRequest(`/registry/${tutorId}`, { method: "POST", cookie, form });
  return respond(() => action({ request, params: { tutorId: String(tutorId) }, context: { cspNonce: "" } }));
}

describe("revocation (domain)", () => {
  it("requires a reason", async () => {
    const tutor = await makeCertifiedTutor({ districtId });
    for (const reason of ["", "   "]) {
      const e = refusal(() => revokeCertificate(getDb(), actor, { certificateId: tutor.certificateId, reason }));
      expect([e.key, e.field]).toEqual(["registry.reasonRequired", "reason"]);
    }
    expect(certificateOf(tutor.certificateId).revokedAt).toBeNull();
  });

  it("revokes for good: the certificate, the tutor's status and reason, and an audit record", async () => {
    const tutor = await makeCertifiedTutor({ districtId });
    revokeCertificate(getDb(), actor, { certificateId: tutor.certificateId, reason: "测试撤销原因（虚构）" });
    const cert = certificateOf(tutor.certificateId);
    expect(cert.revokedAt).not.toBeNull();
    expect(cert.revokedReason).toBe("测试撤销原因（虚构）");
    expect(tutorRow(tutor.tutorId)).toMatchObject({ status: "revoked", statusReason: "测试撤销原因（虚构）" });
    const audit = auditOf("revoke_certificate", tutor.certificateId);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ reason: "测试撤销原因（虚构）", number: tutor.number, peerTutorId: tutor.tutorId });
    expect(refusal(() => revokeCertificate(getDb(), actor, { certificateId: tutor.certificateId, reason: "again" })).key).toBe("registry.alreadyRevoked");
    expect(refusal(() => suspendCertificate(getDb(), actor, { certificateId: tutor.certificateId, reason: "x" })).key).toBe("registry.alreadyRevoked");
  });

  it("blocks mayPractise, and caseload assignment refuses a revoked tutor as peer tutor", async () => {
    const tutor = await makeCertifiedTutor({ districtId });
    const client = await makeClient({ districtId });
    expect(mayPractiseOn(getDb(), tutor.personId, today)).toBe(true);
    revokeCertificate(getDb(), actor, { certificateId: tutor.certificateId, reason: "测试撤销原因（虚构）" });
    expect(mayPractiseOn(getDb(), tutor.personId, today)).toBe(false);
    const e = refusal(() => assignWorker(getDb(), SYSTEM_ACTOR, { clientId: client.id, kind: "peer_tutor", personId: tutor.personId, fromDate: today }));
    expect(e.key).toBe("clients.assign.notActivePeerTutor");
  });

  it("does not touch the tutor's status when the revoked certificate is not their current one", async () => {
    const tutor = await makeCertifiedTutor({ districtId });
    // an older certificate of the same person
    const old = getDb()
      .insert(certificates)
      .values({ number: `${tutor.number}-OLD`, verificationCode: "ABCDEFGHJK", holderPersonId: tutor.personId, cohortId: tutor.cohortId, issuedOn: "2020-01-01", expiresOn: "2022-01-01" })
      .returning()
      .get();
    revokeCertificate(getDb(), actor, { certificateId: old.id, reason: "测试（虚构）" });
    expect(tutorRow(tutor.tutorId).status).toBe("active");
    expect(mayPractiseOn(getDb(), tutor.personId, today)).toBe(true);
  });
});

describe("suspension (domain)", () => {
  it("requires a reason to suspend and to lift, audits both, and blocks practice in between", async () => {
    const tutor = await makeCertifiedTutor({ districtId });
    expect(refusal(() => suspendCertificate(getDb(), actor, { certificateId: tutor.certificateId, reason: "" })).key).toBe("registry.reasonRequired");
    suspendCertificate(getDb(), actor, { certificateId: tutor.certificateId, reason: "测试暂停原因（虚构）" });
    expect(mayPractiseOn(getDb(), tutor.personId, today)).toBe(false);
    expect(tutorRow(tutor.tutorId).status).toBe("active");
    expect(refusal(() => suspendCertificate(getDb(), actor, { certificateId: tutor.certificateId, reason: "x" })).key).toBe("registry.alreadySuspended");
    expect(refusal(() => liftSuspension(getDb(), actor, { certificateId: tutor.certificateId, reason: " " })).key).toBe("registry.reasonRequired");
    liftSuspension(getDb(), actor, { certificateId: tutor.certificateId, reason: "测试解除原因（虚构）" });
    expect(mayPractiseOn(getDb(), tutor.personId, today)).toBe(true);
    expect(refusal(() => liftSuspension(getDb(), actor, { certificateId: tutor.certificateId, reason: "x" })).key).toBe("registry.notSuspended");
    expect(auditOf("suspend_certificate", tutor.certificateId)[0]!.details).toMatchObject({ reason: "测试暂停原因（虚构）" });
    expect(auditOf("lift_certificate_suspension", tutor.certificateId)[0]!.details).toMatchObject({
      reason: "测试解除原因（虚构）",
      suspendedReason: "测试暂停原因（虚构）",
    });
  });

  it("caseload assignment refuses a suspended tutor", async () => {
    const tutor = await makeCertifiedTutor({ districtId });
    const client = await makeClient({ districtId });
    suspendCertificate(getDb(), actor, { certificateId: tutor.certificateId, reason: "测试暂停原因（虚构）" });
    const e = refusal(() => assignWorker(getDb(), SYSTEM_ACTOR, { clientId: client.id, kind: "peer_tutor", personId: tutor.personId, fromDate: today }));
    expect(e.key).toBe("clients.assign.notActivePeerTutor");
  });
});

describe("revocation and suspension on the tutor's profile page", () => {
  it("a trainer revokes with a reason and the confirmation, and is sent back with a flash", async () => {
    const tutor = await makeCertifiedTutor({ districtId });
    const res = await post(trainer.cookie, tutor.tutorId, { intent: "revoke", certificateId: String(tutor.certificateId), reason: "测试撤销原因（虚构）", confirm: "on" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Set-Cookie")).toContain("registry.revoke.done");
    expect(certificateOf(tutor.certificateId).revokedAt).not.toBeNull();
    expect(auditOf("revoke_certificate", tutor.certificateId)[0]!.actorUserId).toBe(trainer.id);
  });

  it("without a reason or without the confirmation the form comes back (400), input kept, nothing revoked", async () => {
    const tutor = await makeCertifiedTutor({ districtId });
    const noReason = await post(trainer.cookie, tutor.tutorId, { intent: "revoke", certificateId: String(tutor.certificateId), reason: "", confirm: "on" });
    expect(noReason.status).toBe(400);
    expect((noReason.body as { errors: Record<string, string> }).errors.reason).toBe("form.required");
    const noConfirm = await post(trainer.cookie, tutor.tutorId, { intent: "revoke", certificateId: String(tutor.certificateId), reason: "测试撤销原因（虚构）" });
    expect(noConfirm.status).toBe(400);
    expect(noConfirm.body).toMatchObject({ errors: { confirm: "registry.revoke.confirmRequired" }, values: { reason: "测试撤销原因（虚构）" } });
    const tooLong = await post(trainer.cookie, tutor.tutorId, { intent: "revoke", certificateId: String(tutor.certificateId), reason: "长".repeat(501), confirm: "on" });
    expect((tooLong.body as { errors: Record<string, string> }).errors.reason).toBe("form.tooLong?max=500");
    const control = await post(trainer.cookie, tutor.tutorId, { intent: "revoke", certificateId: String(tutor.certificateId), reason: "a\u0000b", confirm: "on" });
    expect((control.body as { errors: Record<string, string> }).errors.reason).toBe("form.controlChars");
    const badId = await post(trainer.cookie, tutor.tutorId, { intent: "revoke", certificateId: "abc", reason: "x", confirm: "on" });
    expect((badId.body as { errors: Record<string, string> }).errors.certificateId).toBe("form.unknownId");
    expect(certificateOf(tutor.certificateId).revokedAt).toBeNull();
    expect(auditOf("revoke_certificate", tutor.certificateId)).toEqual([]);
  });

  it("revoking twice answers 400, not 500", async () => {
    const tutor = await makeCertifiedTutor({ districtId });
    const form = { intent: "revoke", certificateId: String(tutor.certificateId), reason: "测试撤销原因（虚构）", confirm: "on" };
    expect((await post(trainer.cookie, tutor.tutorId, form)).status).toBe(302);
    const again = await post(trainer.cookie, tutor.tutorId, form);
    expect(again.status).toBe(400);
    expect((again.body as { errors: Record<string, string> }).errors._form).toBe("registry.alreadyRevoked");
  });

  it("a trainer suspends and lifts with reasons", async () => {
    const tutor = await makeCertifiedTutor({ districtId });
    const s = await post(trainer.cookie, tutor.tutorId, { intent: "suspend", certificateId: String(tutor.certificateId), reason: "测试暂停原因（虚构）" });
    expect(s.status).toBe(302);
    expect(certificateOf(tutor.certificateId).suspendedAt).not.toBeNull();
    const l = await post(trainer.cookie, tutor.tutorId, { intent: "lift", certificateId: String(tutor.certificateId), reason: "测试解除原因（虚构）" });
    expect(l.status).toBe(302);
    expect(certificateOf(tutor.certificateId).suspendedAt).toBeNull();
  });

  it("coordinators, social workers and signed-in people without a role may not revoke (403)", async () => {
    const tutor = await makeCertifiedTutor({ districtId });
    const form = { intent: "revoke", certificateId: String(tutor.certificateId), reason: "测试（虚构）", confirm: "on" };
    for (const who of [await makeCoordinator([districtId]), await makeSocialWorker(districtId), await makeSignedInUser([])]) {
      expect((await post(who.cookie, tutor.tutorId, form)).status).toBe(403);
    }
    expect(certificateOf(tutor.certificateId).revokedAt).toBeNull();
  });
});
