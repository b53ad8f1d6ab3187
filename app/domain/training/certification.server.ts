/**
 * Certification (结业认证): issuing a certificate to a trainee who meets every requirement of the
 * cohort's programme. One transaction writes the certificate, creates or re-activates the person's
 * peer-tutor record (certificate fields mirrored), completes the enrolment and records the
 * certifying trainer in the audit log. Printing, verification, renewal and revocation live elsewhere
 * (certificates.server.ts).
 */
import { randomInt } from "node:crypto";
import { and, eq, like } from "drizzle-orm";
import type { Db } from "#db/client";
import { certificates, cohorts, enrollments, peerTutors, trainingProgrammes } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { grantRoleToPerson } from "~/domain/people";
import { addMonths } from "~/domain/clients";
import { DomainError } from "~/domain/shared/errors";
import { requirementReport, requirementReports } from "./facts.server";
import {
  certificateNumber,
  certificateSerial,
  meetsAllRequirements,
  requirementMessage,
  VERIFICATION_ALPHABET,
  VERIFICATION_CODE_LENGTH,
  type RequirementItem,
} from "./requirements";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Refusal to certify someone who does not meet every requirement; `missing` lists what is missing. */
export class NotQualifiedError extends DomainError {
  constructor(readonly missing: RequirementItem[]) {
    super("training.certify.notQualified", "_form");
    this.name = "NotQualifiedError";
  }
  /** The missing items as encoded messages ("training.req.practicum?hours=18&required=24"). */
  messages(locale: "zh-CN" | "en" = "en"): string[] {
    return this.missing.map((m) => requirementMessage(m, locale));
  }
}

export function isNotQualified(e: unknown): e is NotQualifiedError {
  return e instanceof NotQualifiedError;
}

/** Cohort statuses in which trainees may be certified. */
export const CERTIFYING_STATUSES = ["running", "assessing", "certified"] as const;

export type IssuedCertificate = {
  certificateId: number;
  enrollmentId: number;
  personId: number;
  number: string;
  verificationCode: string;
  issuedOn: string;
  expiresOn: string;
};

/** 10 random characters from an alphabet without 0/O or 1/I. */
export function newVerificationCode(): string {
  let out = "";
  for (let i = 0; i < VERIFICATION_CODE_LENGTH; i++) out += VERIFICATION_ALPHABET[randomInt(VERIFICATION_ALPHABET.length)];
  return out;
}

/** The next free "TB-C{cohort}-{NNN}" (imported peer tutors' numbers count as taken). */
function nextCertificateNumber(tx: Tx, cohortNumber: number): string {
  const prefix = `TB-C${cohortNumber}-%`;
  const taken = [
    ...tx.select({ n: certificates.number }).from(certificates).where(like(certificates.number, prefix)).all(),
    ...tx.select({ n: peerTutors.certificateNumber }).from(peerTutors).where(like(peerTutors.certificateNumber, prefix)).all(),
  ];
  let max = 0;
  for (const { n } of taken) max = Math.max(max, certificateSerial(n, cohortNumber) ?? 0);
  return certificateNumber(cohortNumber, max + 1);
}

function certifyIn(tx: Tx, actor: Actor, cohortId: number, enrollmentId: number, today: string): IssuedCertificate {
  if (actor.userId === null) throw new DomainError("form.badRequest", "_form");
  const row = tx
    .select({ enrollment: enrollments, cohort: cohorts, programme: trainingProgrammes })
    .from(enrollments)
    .innerJoin(cohorts, eq(cohorts.id, enrollments.cohortId))
    .innerJoin(trainingProgrammes, eq(trainingProgrammes.id, cohorts.programmeId))
    .where(and(eq(enrollments.id, enrollmentId), eq(enrollments.cohortId, cohortId)))
    .get();
  if (!row) throw new DomainError("form.unknownId", "_form");
  const { enrollment, cohort, programme } = row;
  const already = tx.select({ number: certificates.number }).from(certificates).where(eq(certificates.enrollmentId, enrollmentId)).get();
  if (already || enrollment.status === "completed") {
    throw new DomainError(`training.certify.already?number=${already?.number ?? ""}`, "_form");
  }
  if (enrollment.status !== "enrolled") throw new DomainError(`training.enrol.notEnrolled?status=${enrollment.status}`, "_form");
  if (!(CERTIFYING_STATUSES as readonly string[]).includes(cohort.status)) throw new DomainError("training.certify.cohortStatus", "_form");
  if (enrollment.districtId === null) throw new DomainError("training.certify.noDistrict", "_form");

  const report = requirementReport(tx, cohortId, enrollmentId);
  if (!report || !meetsAllRequirements(report)) throw new NotQualifiedError(report?.missing ?? []);

  const number = nextCertificateNumber(tx, cohort.number);
  const verificationCode = newVerificationCode();
  const expiresOn = addMonths(today, programme.certificateValidMonths);
  const certificate = tx
    .insert(certificates)
    .values({
      number,
      verificationCode,
      holderPersonId: enrollment.personId,
      cohortId,
      enrollmentId,
      issuedOn: today,
      expiresOn,
      certifiedByUserId: actor.userId,
    })
    .returning()
    .get();
  const stamp = new Date().toISOString();
  const tutor = tx.select({ id: peerTutors.id }).from(peerTutors).where(eq(peerTutors.personId, enrollment.personId)).get();
  const tutorFields = {
    cohortId,
    districtId: enrollment.districtId,
    certificateNumber: number,
    certifiedOn: today,
    expiresOn,
    status: "active" as const,
    statusReason: "",
  };
  let peerTutorId: number;
  if (tutor) {
    tx.update(peerTutors).set({ ...tutorFields, updatedAt: stamp }).where(eq(peerTutors.id, tutor.id)).run();
    peerTutorId = tutor.id;
  } else {
    peerTutorId = tx.insert(peerTutors).values({ personId: enrollment.personId, ...tutorFields }).returning().get().id;
  }
  tx.update(enrollments).set({ status: "completed", statusReason: "", updatedAt: stamp }).where(eq(enrollments.id, enrollmentId)).run();
  // a certified tutor who already has a login can use the peer-tutor pages at once
  const roleGranted = grantRoleToPerson(tx, actor, enrollment.personId, "peer_tutor");
  recordAudit(tx, actor, {
    action: "certify",
    entity: "enrollment",
    entityId: enrollmentId,
    details: {
      certificateNumber: number,
      certificateId: certificate.id,
      cohortId,
      personId: enrollment.personId,
      peerTutorId,
      peerTutorRecord: tutor ? "activated" : "created",
      roleGranted,
      expiresOn,
    },
  });
  return { certificateId: certificate.id, enrollmentId, personId: enrollment.personId, number, verificationCode, issuedOn: today, expiresOn };
}

/**
 * Certifies one trainee (the actor is the certifying trainer). Refused with NotQualifiedError
 * listing the missing items, or a DomainError when certified already.
 */
export function certifyEnrollment(db: Db, actor: Actor, cohortId: number, enrollmentId: number, today: string): IssuedCertificate {
  return db.transaction((tx) => certifyIn(tx, actor, cohortId, enrollmentId, today));
}

/** Certifies every enrolled trainee of the cohort who meets all requirements; the others are left as they are. */
export function certifyAllQualifying(
  db: Db,
  actor: Actor,
  cohortId: number,
  today: string,
): { certified: IssuedCertificate[]; notQualified: number } {
  return db.transaction((tx) => {
    const cohort = tx.select({ status: cohorts.status }).from(cohorts).where(eq(cohorts.id, cohortId)).get();
    if (!cohort) throw new DomainError("form.unknownId", "_form");
    if (!(CERTIFYING_STATUSES as readonly string[]).includes(cohort.status)) throw new DomainError("training.certify.cohortStatus", "_form");
    const enrolled = tx
      .select({ id: enrollments.id, districtId: enrollments.districtId })
      .from(enrollments)
      .where(and(eq(enrollments.cohortId, cohortId), eq(enrollments.status, "enrolled")))
      .orderBy(enrollments.id)
      .all();
    const reports = requirementReports(
      tx,
      cohortId,
      enrolled.map((e) => e.id),
    );
    const certified: IssuedCertificate[] = [];
    let notQualified = 0;
    for (const e of enrolled) {
      const report = reports.get(e.id);
      if (!report || !meetsAllRequirements(report) || e.districtId === null) {
        notQualified++;
        continue;
      }
      certified.push(certifyIn(tx, actor, cohortId, e.id, today));
    }
    return { certified, notQualified };
  });
}

/** The certificate issued for an enrolment, if any (number and dates; verification is elsewhere). */
export function certificateOfEnrollment(db: Db, enrollmentId: number) {
  return db
    .select({
      id: certificates.id,
      number: certificates.number,
      issuedOn: certificates.issuedOn,
      expiresOn: certificates.expiresOn,
      revokedAt: certificates.revokedAt,
      suspendedAt: certificates.suspendedAt,
    })
    .from(certificates)
    .where(eq(certificates.enrollmentId, enrollmentId))
    .get();
}
