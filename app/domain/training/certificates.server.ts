/**
 * Certificates after they are issued (issuing is certification's job): public verification,
 * printing, continuing education, renewal, suspension and revocation, and the list of
 * certificates about to expire. Every write is audited in its own transaction.
 *
 * Renewal and active service (decision): a renewal needs the programme's continuing-education
 * hours, recorded in continuing_education, in the certificate's current period, and the
 * programme's number of group sessions facilitated in that period. Group sessions are only now
 * being recorded in Tongban, and most of a period's sessions happened before, so the renewing
 * trainer states (attests) the number of sessions the tutor facilitated, with the number Tongban
 * has recorded shown beside it (and offered as the default); the attested figure is checked
 * against the programme and kept in the audit log with the recorded one. Once a full period of
 * sessions is in Tongban, `renewCertificate` can count them itself and the field can go.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { and, asc, desc, eq, gte, isNull, lt, lte, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import {
  certificateRenewals,
  certificates,
  cohorts,
  continuingEducation,
  districts,
  groupSessions,
  peerTutors,
  persons,
  sessionFacilitators,
  trainingProgrammes,
} from "#db/schema";
import { can } from "~/auth/permissions";
import type { RoleGrant } from "~/auth/roles";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { msg } from "~/domain/shared/fields";
import type { Page } from "~/domain/shared/paging";
import { DEFAULT_TIME_ZONE, startOfLocalDayUtc } from "~/i18n/format";
// pure calendar arithmetic of the clients area, imported directly (its index reaches back here)
import { addDays, addMonths, localDate } from "../clients/dates";
import { certificateStanding, expiringUntil, type CertificateStanding } from "./practise";
import { VERIFICATION_ALPHABET, VERIFICATION_CODE_LENGTH } from "./requirements";
import { REASON_MAX } from "./schemas";

type Reader = Pick<Db, "select">;

/** Trainers and admins manage certificates (renew, suspend, revoke, print any): edit:certificate. */
export function canManageCertificates(user: { roles: RoleGrant[] }): boolean {
  return can(user, "edit:certificate");
}

// ---------------------------------------------------------------------------------------------
// Verification (public)

/** A certificate number: letters, digits and inner hyphens, 3–40 characters (e.g. "TB-C3-001"). */
const NUMBER_RE = /^[A-Z0-9](?:[A-Z0-9-]{1,38})[A-Z0-9]$/;
/**
 * A verification code as certification makes them: VERIFICATION_CODE_LENGTH characters of
 * VERIFICATION_ALPHABET (no 0/O, no 1/I). Spaces and hyphens typed for readability are ignored,
 * and so is case.
 */
const CODE_RE = new RegExp(`^[${VERIFICATION_ALPHABET}]{${VERIFICATION_CODE_LENGTH}}$`);
export const CERTIFICATE_NUMBER_MAX = 40;
/** room for a code typed in groups ("ABCD EFGH JK") */
export const VERIFICATION_CODE_MAX = 2 * VERIFICATION_CODE_LENGTH;

export function normaliseCertificateNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

export function normaliseVerificationCode(raw: string): string {
  return raw.replace(/[\s-]/g, "").toUpperCase();
}

export type VerificationInput =
  | { ok: true; number: string; code: string }
  | { ok: false; errors: { number?: string; code?: string } };

/** Checks the shape of what was typed or scanned; says nothing about whether such a certificate exists. */
export function parseVerificationInput(number: string | null | undefined, code: string | null | undefined): VerificationInput {
  const errors: { number?: string; code?: string } = {};
  const n = normaliseCertificateNumber((number ?? "").slice(0, 200));
  const c = normaliseVerificationCode((code ?? "").slice(0, 200));
  if (!n) errors.number = "registry.verify.numberRequired";
  else if (!NUMBER_RE.test(n)) errors.number = "registry.verify.badNumber";
  if (!c) errors.code = "registry.verify.codeRequired";
  else if (!CODE_RE.test(c)) errors.code = msg("registry.verify.badCode", { length: VERIFICATION_CODE_LENGTH });
  if (errors.number || errors.code) return { ok: false, errors };
  return { ok: true, number: n, code: c };
}

/** What the public may learn: the standing, the holder's display name and the dates. Nothing more. */
export type VerificationAnswer =
  | { result: "no_match" }
  | {
      result: "valid" | "expired" | "revoked" | "not_valid";
      holderName: string;
      issuedOn: string;
      expiresOn: string;
      /** the local date of the revocation, for a revoked certificate */
      revokedOn: string | null;
    };

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
/** Compared against when the number is unknown, so that case costs what a wrong code costs. */
const NO_SUCH_CERTIFICATE = digest("tongban:no-such-certificate");

/**
 * Verifies a number and code (from parseVerificationInput). An unknown number and a known number
 * with the wrong code give the same answer, "no_match", by the same path: the same query runs,
 * and the code is compared in constant time with the certificate's code or, when there is no
 * such certificate, with a stand-in.
 */
export function verifyCertificate(
  db: Reader,
  input: { number: string; code: string; today: string; timeZone: string },
): VerificationAnswer {
  const row = db
    .select({
      code: certificates.verificationCode,
      holderName: persons.displayName,
      issuedOn: certificates.issuedOn,
      expiresOn: certificates.expiresOn,
      suspendedAt: certificates.suspendedAt,
      revokedAt: certificates.revokedAt,
    })
    .from(certificates)
    .innerJoin(persons, eq(persons.id, certificates.holderPersonId))
    .where(sql`upper(${certificates.number}) = ${input.number}`)
    .get();
  const expected = row ? digest(normaliseVerificationCode(row.code)) : NO_SUCH_CERTIFICATE;
  const same = timingSafeEqual(digest(input.code), expected);
  if (!row || !same) return { result: "no_match" };
  const standing = certificateStanding(row, input.today);
  return {
    result: standing === "valid" || standing === "expired" || standing === "revoked" ? standing : "not_valid",
    holderName: row.holderName,
    issuedOn: row.issuedOn,
    expiresOn: row.expiresOn,
    revokedOn: row.revokedAt ? localDate(row.revokedAt, input.timeZone) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Reading certificates

export type CertificateView = {
  id: number;
  number: string;
  verificationCode: string;
  holderPersonId: number;
  holderName: string;
  cohortId: number;
  cohortNumber: number;
  programmeNameZh: string;
  programmeNameEn: string;
  issuedOn: string;
  expiresOn: string;
  suspendedAt: string | null;
  suspendedReason: string;
  revokedAt: string | null;
  revokedReason: string;
  /** the peer_tutors row whose current certificate this is, if any */
  tutorId: number | null;
  standing: CertificateStanding;
};

function certificateQuery(db: Reader) {
  return db
    .select({
      id: certificates.id,
      number: certificates.number,
      verificationCode: certificates.verificationCode,
      holderPersonId: certificates.holderPersonId,
      holderName: persons.displayName,
      cohortId: certificates.cohortId,
      cohortNumber: cohorts.number,
      programmeNameZh: trainingProgrammes.nameZh,
      programmeNameEn: trainingProgrammes.nameEn,
      issuedOn: certificates.issuedOn,
      expiresOn: certificates.expiresOn,
      suspendedAt: certificates.suspendedAt,
      suspendedReason: certificates.suspendedReason,
      revokedAt: certificates.revokedAt,
      revokedReason: certificates.revokedReason,
      tutorId: peerTutors.id,
    })
    .from(certificates)
    .innerJoin(persons, eq(persons.id, certificates.holderPersonId))
    .innerJoin(cohorts, eq(cohorts.id, certificates.cohortId))
    .innerJoin(trainingProgrammes, eq(trainingProgrammes.id, cohorts.programmeId))
    .leftJoin(peerTutors, and(eq(peerTutors.certificateNumber, certificates.number), eq(peerTutors.personId, certificates.holderPersonId)));
}

type CertificateRow = Omit<CertificateView, "standing">;
const withStanding = (today: string) => (row: CertificateRow): CertificateView => ({ ...row, standing: certificateStanding(row, today) });

/** A certificate by its exact number, or undefined. */
export function getCertificateByNumber(db: Reader, number: string, today: string): CertificateView | undefined {
  const row = certificateQuery(db).where(eq(certificates.number, number)).get();
  return row ? withStanding(today)(row) : undefined;
}

export function getCertificate(db: Reader, certificateId: number, today: string): CertificateView | undefined {
  const row = certificateQuery(db).where(eq(certificates.id, certificateId)).get();
  return row ? withStanding(today)(row) : undefined;
}

/** Every certificate a person holds, newest first. */
export function certificatesOfPerson(db: Reader, personId: number, today: string): CertificateView[] {
  return certificateQuery(db)
    .where(eq(certificates.holderPersonId, personId))
    .orderBy(desc(certificates.issuedOn), desc(certificates.id))
    .all()
    .map(withStanding(today));
}

/** A cohort's certificates for bulk printing, by number; revoked ones are left out and counted. */
export function cohortCertificatesForPrint(
  db: Reader,
  cohortId: number,
  today: string,
): { cohort: { id: number; number: number } | undefined; certificates: CertificateView[]; revokedLeftOut: number } {
  const cohort = db.select({ id: cohorts.id, number: cohorts.number }).from(cohorts).where(eq(cohorts.id, cohortId)).get();
  if (!cohort) return { cohort, certificates: [], revokedLeftOut: 0 };
  const all = certificateQuery(db).where(eq(certificates.cohortId, cohortId)).orderBy(asc(certificates.number)).all().map(withStanding(today));
  const kept = all.filter((c) => c.standing !== "revoked");
  return { cohort, certificates: kept, revokedLeftOut: all.length - kept.length };
}

export function renewalsOf(db: Reader, certificateId: number) {
  return db
    .select()
    .from(certificateRenewals)
    .where(eq(certificateRenewals.certificateId, certificateId))
    .orderBy(desc(certificateRenewals.renewedOn), desc(certificateRenewals.id))
    .all();
}

// ---------------------------------------------------------------------------------------------
// Continuing education

export const CE_ACTIVITY_MAX = 200;
export const CE_HOURS_MAX = 24;

export type ContinuingEducationInput = { personId: number; date: string; hours: number; activity: string };

/**
 * Records continuing-education hours of a certificate holder or peer tutor. Refused when the
 * person is neither, the date is in the future, or the hours are not in quarter hours within (0, 24].
 */
export function recordContinuingEducation(db: Db, actor: Actor, input: ContinuingEducationInput & { today: string }): number {
  if (!(input.hours > 0 && input.hours <= CE_HOURS_MAX) || !Number.isInteger(input.hours * 4)) {
    throw new DomainError(msg("registry.ce.hoursRange", { max: CE_HOURS_MAX }), "hours");
  }
  if (input.date > input.today) throw new DomainError("registry.ce.futureDate", "date");
  return db.transaction((tx) => {
    const holder =
      tx.select({ id: certificates.id }).from(certificates).where(eq(certificates.holderPersonId, input.personId)).get() ??
      tx.select({ id: peerTutors.id }).from(peerTutors).where(eq(peerTutors.personId, input.personId)).get();
    if (!holder) throw new DomainError("form.unknownId");
    const id = tx
      .insert(continuingEducation)
      .values({ personId: input.personId, date: input.date, hours: input.hours, activity: input.activity, recordedBy: actor.userId })
      .returning({ id: continuingEducation.id })
      .get().id;
    recordAudit(tx, actor, {
      action: "record_continuing_education",
      entity: "person",
      entityId: input.personId,
      details: { continuingEducationId: id, date: input.date, hours: input.hours, activity: input.activity },
    });
    return id;
  });
}

/** A person's continuing-education entries, newest first. */
export function listContinuingEducation(db: Reader, personId: number) {
  return db
    .select({ id: continuingEducation.id, date: continuingEducation.date, hours: continuingEducation.hours, activity: continuingEducation.activity })
    .from(continuingEducation)
    .where(eq(continuingEducation.personId, personId))
    .orderBy(desc(continuingEducation.date), desc(continuingEducation.id))
    .all();
}

// ---------------------------------------------------------------------------------------------
// Renewal

export type RenewalCheck = {
  /** first day of the certificate's current period: the issue date, or the day after the last renewal */
  periodStart: string;
  /** continuing-education hours recorded from periodStart to today */
  educationHours: number;
  /** group sessions held in the period with the holder as a facilitator, as Tongban records them */
  recordedServiceSessions: number;
  requiredEducationHours: number;
  requiredServiceSessions: number;
  validMonths: number;
  /** the expiry a renewal today would give: the current expiry plus the programme's months */
  newExpiresOn: string;
  /** why a renewal is refused whatever the sessions: revoked or suspended */
  blocked: "revoked" | "suspended" | null;
};

type CertificateForRenewal = { id: number; holderPersonId: number; issuedOn: string; expiresOn: string; cohortId: number; suspendedAt: string | null; revokedAt: string | null };

function renewalCheckOf(db: Reader, certificate: CertificateForRenewal, today: string, timeZone: string): RenewalCheck {
  const programme = db
    .select({
      validMonths: trainingProgrammes.certificateValidMonths,
      hours: trainingProgrammes.renewalEducationHours,
      sessions: trainingProgrammes.renewalServiceSessions,
    })
    .from(cohorts)
    .innerJoin(trainingProgrammes, eq(trainingProgrammes.id, cohorts.programmeId))
    .where(eq(cohorts.id, certificate.cohortId))
    .get()!;
  const last = db
    .select({ renewedOn: certificateRenewals.renewedOn })
    .from(certificateRenewals)
    .where(eq(certificateRenewals.certificateId, certificate.id))
    .orderBy(desc(certificateRenewals.renewedOn), desc(certificateRenewals.id))
    .get();
  const periodStart = last ? addDays(last.renewedOn, 1) : certificate.issuedOn;
  const educationHours =
    db
      .select({ hours: sql<number>`coalesce(sum(${continuingEducation.hours}), 0)` })
      .from(continuingEducation)
      .where(
        and(
          eq(continuingEducation.personId, certificate.holderPersonId),
          gte(continuingEducation.date, periodStart),
          lte(continuingEducation.date, today),
        ),
      )
      .get()?.hours ?? 0;
  const recordedServiceSessions =
    db
      .select({ n: sql<number>`count(*)` })
      .from(sessionFacilitators)
      .innerJoin(groupSessions, eq(groupSessions.id, sessionFacilitators.sessionId))
      .where(
        and(
          eq(sessionFacilitators.personId, certificate.holderPersonId),
          eq(groupSessions.status, "held"),
          gte(groupSessions.startsAt, startOfLocalDayUtc(periodStart, timeZone).toISOString()),
          lt(groupSessions.startsAt, startOfLocalDayUtc(addDays(today, 1), timeZone).toISOString()),
        ),
      )
      .get()?.n ?? 0;
  return {
    periodStart,
    educationHours,
    recordedServiceSessions,
    requiredEducationHours: programme.hours,
    requiredServiceSessions: programme.sessions,
    validMonths: programme.validMonths,
    newExpiresOn: addMonths(certificate.expiresOn, programme.validMonths),
    blocked: certificate.revokedAt ? "revoked" : certificate.suspendedAt ? "suspended" : null,
  };
}

function loadForRenewal(db: Reader, certificateId: number): CertificateForRenewal {
  const certificate = db
    .select({
      id: certificates.id,
      holderPersonId: certificates.holderPersonId,
      issuedOn: certificates.issuedOn,
      expiresOn: certificates.expiresOn,
      cohortId: certificates.cohortId,
      suspendedAt: certificates.suspendedAt,
      revokedAt: certificates.revokedAt,
    })
    .from(certificates)
    .where(eq(certificates.id, certificateId))
    .get();
  if (!certificate) throw new DomainError("form.unknownId", "certificateId");
  return certificate;
}

/** Where a certificate stands towards renewal today, for the renewal form. */
export function renewalCheck(db: Reader, certificateId: number, today: string, timeZone = DEFAULT_TIME_ZONE): RenewalCheck {
  return renewalCheckOf(db, loadForRenewal(db, certificateId), today, timeZone);
}

/** A little slack for sums of decimal hours (0.1 + 0.2). */
const HOURS_EPSILON = 1e-9;

/**
 * Renews a certificate on `today` when the programme's rules are met: the expiry moves on by the
 * programme's months from the current expiry; a renewal row, the tutor's mirrored expiry and the
 * audit log record it. Refused (DomainError, with the numbers) when the certificate is revoked or
 * suspended, the continuing-education hours of the period fall short, or the attested number of
 * sessions facilitated does (see the module comment). Returns the new expiry.
 */
export function renewCertificate(
  db: Db,
  actor: Actor,
  input: { certificateId: number; serviceSessions: number; today: string; timeZone?: string },
): string {
  return db.transaction((tx) => {
    const certificate = loadForRenewal(tx, input.certificateId);
    const check = renewalCheckOf(tx, certificate, input.today, input.timeZone ?? DEFAULT_TIME_ZONE);
    if (check.blocked === "revoked") throw new DomainError("registry.renew.revoked");
    if (check.blocked === "suspended") throw new DomainError("registry.renew.suspended");
    if (check.educationHours + HOURS_EPSILON < check.requiredEducationHours) {
      throw new DomainError(
        msg("registry.renew.hoursShort", { have: round2(check.educationHours), need: check.requiredEducationHours, since: check.periodStart }),
      );
    }
    if (!Number.isInteger(input.serviceSessions) || input.serviceSessions < check.requiredServiceSessions) {
      throw new DomainError(
        msg("registry.renew.serviceShort", { have: input.serviceSessions, need: check.requiredServiceSessions }),
        "serviceSessions",
      );
    }
    const now = new Date().toISOString();
    tx.update(certificates).set({ expiresOn: check.newExpiresOn, updatedAt: now }).where(eq(certificates.id, certificate.id)).run();
    const full = tx.select({ number: certificates.number }).from(certificates).where(eq(certificates.id, certificate.id)).get()!;
    tx.update(peerTutors)
      .set({ expiresOn: check.newExpiresOn, updatedAt: now })
      .where(and(eq(peerTutors.personId, certificate.holderPersonId), eq(peerTutors.certificateNumber, full.number)))
      .run();
    const renewalId = tx
      .insert(certificateRenewals)
      .values({
        certificateId: certificate.id,
        renewedOn: input.today,
        previousExpiresOn: certificate.expiresOn,
        newExpiresOn: check.newExpiresOn,
        renewedByUserId: actor.userId,
      })
      .returning({ id: certificateRenewals.id })
      .get().id;
    recordAudit(tx, actor, {
      action: "renew_certificate",
      entity: "certificate",
      entityId: certificate.id,
      details: {
        renewalId,
        number: full.number,
        renewedOn: input.today,
        previousExpiresOn: certificate.expiresOn,
        newExpiresOn: check.newExpiresOn,
        periodStart: check.periodStart,
        educationHours: round2(check.educationHours),
        requiredEducationHours: check.requiredEducationHours,
        /** stated by the renewing trainer from the studio's records (see the module comment) */
        attestedServiceSessions: input.serviceSessions,
        recordedServiceSessions: check.recordedServiceSessions,
        requiredServiceSessions: check.requiredServiceSessions,
      },
    });
    return check.newExpiresOn;
  });
}

const round2 = (n: number) => Math.round(n * 100) / 100;

// ---------------------------------------------------------------------------------------------
// Suspension and revocation

function loadForChange(db: Reader, certificateId: number) {
  const certificate = db
    .select({
      id: certificates.id,
      number: certificates.number,
      holderPersonId: certificates.holderPersonId,
      suspendedAt: certificates.suspendedAt,
      suspendedReason: certificates.suspendedReason,
      revokedAt: certificates.revokedAt,
    })
    .from(certificates)
    .where(eq(certificates.id, certificateId))
    .get();
  if (!certificate) throw new DomainError("form.unknownId", "certificateId");
  return certificate;
}

function requireReason(reason: string): string {
  const r = reason.trim();
  if (!r) throw new DomainError("registry.reasonRequired", "reason");
  if (r.length > REASON_MAX) throw new DomainError(msg("form.tooLong", { max: REASON_MAX }), "reason");
  return r;
}

/** Suspends a certificate (reason required): the holder may not practise until the suspension is lifted. */
export function suspendCertificate(db: Db, actor: Actor, input: { certificateId: number; reason: string }): void {
  const reason = requireReason(input.reason);
  db.transaction((tx) => {
    const certificate = loadForChange(tx, input.certificateId);
    if (certificate.revokedAt) throw new DomainError("registry.alreadyRevoked");
    if (certificate.suspendedAt) throw new DomainError("registry.alreadySuspended");
    const now = new Date().toISOString();
    tx.update(certificates).set({ suspendedAt: now, suspendedReason: reason, updatedAt: now }).where(eq(certificates.id, certificate.id)).run();
    recordAudit(tx, actor, {
      action: "suspend_certificate",
      entity: "certificate",
      entityId: certificate.id,
      details: { number: certificate.number, holderPersonId: certificate.holderPersonId, reason },
    });
  });
}

/** Lifts a suspension (reason required, kept in the audit log with the suspension's reason). */
export function liftSuspension(db: Db, actor: Actor, input: { certificateId: number; reason: string }): void {
  const reason = requireReason(input.reason);
  db.transaction((tx) => {
    const certificate = loadForChange(tx, input.certificateId);
    if (certificate.revokedAt) throw new DomainError("registry.alreadyRevoked");
    if (!certificate.suspendedAt) throw new DomainError("registry.notSuspended");
    const now = new Date().toISOString();
    tx.update(certificates).set({ suspendedAt: null, suspendedReason: "", updatedAt: now }).where(eq(certificates.id, certificate.id)).run();
    recordAudit(tx, actor, {
      action: "lift_certificate_suspension",
      entity: "certificate",
      entityId: certificate.id,
      details: {
        number: certificate.number,
        holderPersonId: certificate.holderPersonId,
        reason,
        suspendedAt: certificate.suspendedAt,
        suspendedReason: certificate.suspendedReason,
      },
    });
  });
}

/**
 * Revokes a certificate for good (reason required). When it is the holder's current certificate,
 * their peer-tutor status becomes revoked with the same reason. From then on they may not practise:
 * no new mentees, no sessions. Their current mentees stay assigned until a coordinator reassigns
 * them (the clients area decides that, not this function).
 */
export function revokeCertificate(db: Db, actor: Actor, input: { certificateId: number; reason: string }): void {
  const reason = requireReason(input.reason);
  db.transaction((tx) => {
    const certificate = loadForChange(tx, input.certificateId);
    if (certificate.revokedAt) throw new DomainError("registry.alreadyRevoked");
    const now = new Date().toISOString();
    tx.update(certificates).set({ revokedAt: now, revokedReason: reason, updatedAt: now }).where(eq(certificates.id, certificate.id)).run();
    const tutor = tx
      .update(peerTutors)
      .set({ status: "revoked", statusReason: reason, updatedAt: now })
      .where(and(eq(peerTutors.personId, certificate.holderPersonId), eq(peerTutors.certificateNumber, certificate.number)))
      .returning({ id: peerTutors.id })
      .get();
    recordAudit(tx, actor, {
      action: "revoke_certificate",
      entity: "certificate",
      entityId: certificate.id,
      details: { number: certificate.number, holderPersonId: certificate.holderPersonId, reason, peerTutorId: tutor?.id ?? null },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Expiring soon

export type ExpiringRow = {
  certificateId: number;
  number: string;
  holderName: string;
  expiresOn: string;
  suspended: boolean;
  cohortNumber: number;
  tutorId: number | null;
  districtNameZh: string | null;
  districtNameEn: string | null;
};

/**
 * Certificates, not revoked, whose expiry falls from today to EXPIRING_WITHIN_DAYS days ahead
 * (both included), soonest first: the trainers' and coordinators' renewal worklist.
 */
export function listExpiring(db: Reader, input: { today: string; page: Page }): { rows: ExpiringRow[]; total: number } {
  const where = and(isNull(certificates.revokedAt), gte(certificates.expiresOn, input.today), lte(certificates.expiresOn, expiringUntil(input.today)));
  const rows = db
    .select({
      certificateId: certificates.id,
      number: certificates.number,
      holderName: persons.displayName,
      expiresOn: certificates.expiresOn,
      suspended: sql<number>`${certificates.suspendedAt} is not null`,
      cohortNumber: cohorts.number,
      tutorId: peerTutors.id,
      districtNameZh: districts.nameZh,
      districtNameEn: districts.nameEn,
    })
    .from(certificates)
    .innerJoin(persons, eq(persons.id, certificates.holderPersonId))
    .innerJoin(cohorts, eq(cohorts.id, certificates.cohortId))
    .leftJoin(peerTutors, and(eq(peerTutors.certificateNumber, certificates.number), eq(peerTutors.personId, certificates.holderPersonId)))
    .leftJoin(districts, eq(districts.id, peerTutors.districtId))
    .where(where)
    .orderBy(asc(certificates.expiresOn), asc(certificates.number))
    .limit(input.page.limit)
    .offset(input.page.offset)
    .all()
    .map((r) => ({ ...r, suspended: Boolean(r.suspended) }));
  const total = db.select({ n: sql<number>`count(*)` }).from(certificates).where(where).get()?.n ?? 0;
  return { rows, total };
}
