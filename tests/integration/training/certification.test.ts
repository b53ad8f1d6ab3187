/**
 * Certification: only a trainee who meets every requirement is certified; the certificate, the
 * peer-tutor record and the audit entry naming the trainer are written together; twice is refused.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, certificates, enrollments, peerTutors, userRoles, users } from "#db/schema";
import { getDb } from "~/db.server";
import { addMonths } from "~/domain/clients";
import { certifyEnrollment, VERIFICATION_ALPHABET, type RequirementItem } from "~/domain/training";
import { todayIn } from "~/i18n/format";
import * as cohortRoute from "~/routes/training.cohorts.$id._index";
import * as traineeRoute from "~/routes/training.cohorts.$id.trainees.$enrollmentId";
import { makeDistrict, makeUser } from "../../factories";
import {
  addPracticumRaw,
  enrol,
  makeCohort,
  makePerson,
  makeQualifiedTrainee,
  makeTrainer,
  postRoute,
} from "../../training-factories";

const today = () => todayIn("Asia/Shanghai");
const traineePath = (cohortId: number, enrollmentId: number) => ({
  path: `/training/cohorts/${cohortId}/trainees/${enrollmentId}`,
  params: { id: String(cohortId), enrollmentId: String(enrollmentId) },
});

describe("certifying one trainee", () => {
  it("issues the certificate, creates the active peer-tutor record and audits the certifying trainer", async () => {
    const { cohort } = makeCohort({ status: "assessing" });
    const trainer = await makeTrainer(cohort.id);
    const district = makeDistrict();
    const e = makeQualifiedTrainee(cohort.id, trainer.id, trainer.personId, "测试学员乙（虚构）", { districtId: district.id });
    const { path, params } = traineePath(cohort.id, e.id);

    const res = await postRoute(traineeRoute, path, params, trainer.cookie, { intent: "certify" });
    expect(res.status).toBe(302);

    const db = getDb();
    const cert = db.select().from(certificates).where(eq(certificates.enrollmentId, e.id)).get()!;
    expect(cert.number).toBe(`TB-C${cohort.number}-001`);
    expect(cert.verificationCode).toMatch(new RegExp(`^[${VERIFICATION_ALPHABET}]{10}$`));
    expect(cert.verificationCode).not.toMatch(/[01OI]/);
    expect(cert.issuedOn).toBe(today());
    expect(cert.expiresOn).toBe(addMonths(today(), 24));
    expect(cert.certifiedByUserId).toBe(trainer.id);
    expect(cert.holderPersonId).toBe(e.personId);

    const tutor = db.select().from(peerTutors).where(eq(peerTutors.personId, e.personId)).get()!;
    expect(tutor).toMatchObject({
      status: "active",
      cohortId: cohort.id,
      districtId: district.id,
      certificateNumber: cert.number,
      certifiedOn: cert.issuedOn,
      expiresOn: cert.expiresOn,
    });
    expect(db.select().from(enrollments).where(eq(enrollments.id, e.id)).get()!.status).toBe("completed");

    const audit = db.select().from(auditLog).where(and(eq(auditLog.action, "certify"), eq(auditLog.entity, "enrollment"), eq(auditLog.entityId, String(e.id)))).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorUserId).toBe(trainer.id);
    expect(audit[0]!.details).toMatchObject({ certificateNumber: cert.number });
  });

  it("gives a trainee who already has a login the peer-tutor role, audited", async () => {
    const { cohort } = makeCohort({ status: "assessing" });
    const trainer = await makeTrainer(cohort.id);
    const volunteer = await makeUser([]);
    const personId = getDb().select({ personId: users.personId }).from(users).where(eq(users.id, volunteer.id)).get()!.personId;
    const e = makeQualifiedTrainee(cohort.id, trainer.id, trainer.personId, undefined, { personId });
    const { path, params } = traineePath(cohort.id, e.id);
    expect((await postRoute(traineeRoute, path, params, trainer.cookie, { intent: "certify" })).status).toBe(302);
    const roles = getDb().select().from(userRoles).where(eq(userRoles.userId, volunteer.id)).all();
    expect(roles.map((r) => [r.role, r.districtId])).toEqual([["peer_tutor", null]]);
    const granted = getDb().select().from(auditLog).where(and(eq(auditLog.action, "grant_role"), eq(auditLog.entityId, String(volunteer.id)))).all();
    expect(granted).toHaveLength(1);
  });

  it("re-activates an existing peer-tutor record of the person instead of adding a second", async () => {
    const first = makeCohort({ status: "assessing" });
    const trainer = await makeTrainer(first.cohort.id);
    const person = makePerson("测试学员丙（虚构）");
    const e1 = makeQualifiedTrainee(first.cohort.id, trainer.id, trainer.personId, undefined, { personId: person.id });
    certifyEnrollment(getDb(), { userId: trainer.id, login: trainer.login, ip: "" }, first.cohort.id, e1.id, today());
    getDb().update(peerTutors).set({ status: "revoked", statusReason: "测试（虚构）" }).where(eq(peerTutors.personId, person.id)).run();

    const second = makeCohort({ status: "assessing" });
    const trainer2 = await makeTrainer(second.cohort.id);
    const e2 = makeQualifiedTrainee(second.cohort.id, trainer2.id, trainer2.personId, undefined, { personId: person.id });
    const { path, params } = traineePath(second.cohort.id, e2.id);
    expect((await postRoute(traineeRoute, path, params, trainer2.cookie, { intent: "certify" })).status).toBe(302);

    const rows = getDb().select().from(peerTutors).where(eq(peerTutors.personId, person.id)).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "active", statusReason: "", cohortId: second.cohort.id, certificateNumber: `TB-C${second.cohort.number}-001` });
  });

  it("refuses a trainee who does not qualify, listing the missing items with their numbers, and writes nothing", async () => {
    const { cohort } = makeCohort({ status: "assessing" });
    const trainer = await makeTrainer(cohort.id);
    // one qualified trainee gives the cohort its held session; the second has no attendance, no assessments, 18 signed-off hours
    makeQualifiedTrainee(cohort.id, trainer.id, trainer.personId);
    const short = enrol(cohort.id, "测试学员丁（虚构）");
    addPracticumRaw(short.id, 18, trainer.personId, trainer.id);
    const { path, params } = traineePath(cohort.id, short.id);

    const res = await postRoute(traineeRoute, path, params, trainer.cookie, { intent: "certify" });
    expect(res.status).toBe(400);
    const body = res.body as { errors: Record<string, string>; missing: RequirementItem[] };
    expect(body.errors._form).toBe("training.certify.notQualified");
    expect(body.missing.map((m) => m.kind)).toEqual(["attendance", ...Array(6).fill("module"), "practicum"]);
    expect(body.missing.find((m) => m.kind === "practicum")).toMatchObject({ hours: 18, requiredHours: 24 });
    expect(body.missing.find((m) => m.kind === "attendance")).toMatchObject({ percent: 0, requiredPercent: 80 });

    const db = getDb();
    expect(db.select().from(certificates).where(eq(certificates.enrollmentId, short.id)).all()).toEqual([]);
    expect(db.select().from(peerTutors).where(eq(peerTutors.personId, short.personId)).all()).toEqual([]);
    expect(db.select().from(enrollments).where(eq(enrollments.id, short.id)).get()!.status).toBe("enrolled");
  });

  it("refuses certifying twice with a clear message", async () => {
    const { cohort } = makeCohort({ status: "assessing" });
    const trainer = await makeTrainer(cohort.id);
    const e = makeQualifiedTrainee(cohort.id, trainer.id, trainer.personId);
    const { path, params } = traineePath(cohort.id, e.id);
    expect((await postRoute(traineeRoute, path, params, trainer.cookie, { intent: "certify" })).status).toBe(302);
    const again = await postRoute(traineeRoute, path, params, trainer.cookie, { intent: "certify" });
    expect(again.status).toBe(400);
    expect((again.body as { errors: Record<string, string> }).errors._form).toBe(`training.certify.already?number=TB-C${cohort.number}-001`);
    expect(getDb().select().from(certificates).where(eq(certificates.enrollmentId, e.id)).all()).toHaveLength(1);
  });

  it("numbers certificates of a cohort 001, 002 … skipping numbers already held by imported tutors", async () => {
    const { cohort } = makeCohort({ status: "assessing" });
    const trainer = await makeTrainer(cohort.id);
    const imported = makePerson();
    getDb()
      .insert(peerTutors)
      .values({ personId: imported.id, cohortId: cohort.id, districtId: makeDistrict().id, certificateNumber: `TB-C${cohort.number}-002`, certifiedOn: "2025-01-01", expiresOn: "2027-01-01" })
      .run();
    const actor = { userId: trainer.id, login: trainer.login, ip: "" };
    const a = makeQualifiedTrainee(cohort.id, trainer.id, trainer.personId);
    expect(certifyEnrollment(getDb(), actor, cohort.id, a.id, today()).number).toBe(`TB-C${cohort.number}-003`);
  });

  it("refuses certification while the cohort is still in planning", async () => {
    const { cohort } = makeCohort({ status: "planning" });
    const trainer = await makeTrainer(cohort.id);
    const e = makeQualifiedTrainee(cohort.id, trainer.id, trainer.personId);
    const { path, params } = traineePath(cohort.id, e.id);
    const res = await postRoute(traineeRoute, path, params, trainer.cookie, { intent: "certify" });
    expect(res.status).toBe(400);
    expect((res.body as { errors: Record<string, string> }).errors._form).toBe("training.certify.cohortStatus");
  });
});

describe("certify all who qualify", () => {
  it("certifies only the qualifying trainees and leaves the others enrolled", async () => {
    const { cohort } = makeCohort({ status: "assessing" });
    const trainer = await makeTrainer(cohort.id);
    const q1 = makeQualifiedTrainee(cohort.id, trainer.id, trainer.personId);
    const q2 = makeQualifiedTrainee(cohort.id, trainer.id, trainer.personId);
    const notYet = enrol(cohort.id, "测试学员戊（虚构）");
    addPracticumRaw(notYet.id, 24, trainer.personId, trainer.id);
    const withdrawn = makeQualifiedTrainee(cohort.id, trainer.id, trainer.personId, undefined, { status: "withdrawn" });

    const res = await postRoute(cohortRoute, `/training/cohorts/${cohort.id}`, { id: String(cohort.id) }, trainer.cookie, { intent: "certifyAll" });
    expect(res.status).toBe(302);

    const db = getDb();
    const issued = db.select().from(certificates).where(eq(certificates.cohortId, cohort.id)).all();
    expect(issued.map((c) => c.enrollmentId).sort()).toEqual([q1.id, q2.id].sort());
    expect(issued.map((c) => c.number).sort()).toEqual([`TB-C${cohort.number}-001`, `TB-C${cohort.number}-002`]);
    const statusOf = (id: number) => db.select().from(enrollments).where(eq(enrollments.id, id)).get()!.status;
    expect(statusOf(notYet.id)).toBe("enrolled");
    expect(statusOf(withdrawn.id)).toBe("withdrawn");
    expect(db.select().from(auditLog).where(and(eq(auditLog.action, "certify"), eq(auditLog.actorUserId, trainer.id))).all()).toHaveLength(2);
  });

  it("refuses a coordinator (403) and a trainer of another cohort (403)", async () => {
    const { cohort } = makeCohort({ status: "assessing" });
    const trainer = await makeTrainer(cohort.id);
    makeQualifiedTrainee(cohort.id, trainer.id, trainer.personId);
    const other = await makeTrainer(makeCohort().cohort.id);
    const { makeSignedInUser } = await import("../../factories");
    const coordinator = await makeSignedInUser([{ role: "coordinator", districtId: makeDistrict().id }]);
    for (const cookie of [other.cookie, coordinator.cookie]) {
      const res = await postRoute(cohortRoute, `/training/cohorts/${cohort.id}`, { id: String(cohort.id) }, cookie, { intent: "certifyAll" });
      expect(res.status).toBe(403);
    }
    expect(getDb().select().from(certificates).where(eq(certificates.cohortId, cohort.id)).all()).toEqual([]);
  });
});
