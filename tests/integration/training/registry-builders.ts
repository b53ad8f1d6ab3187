/**
 * Builders for the certificate, verification and registry tests: a certified peer tutor as raw
 * rows (certificate, peer_tutors mirror), with or without a sign-in. Certification itself is
 * tested elsewhere; these tests start after a certificate exists. Every person is fictional.
 */
import { eq } from "drizzle-orm";
import { getDb } from "~/db.server";
import { certificates, continuingEducation, peerTutors, persons, trainingProgrammes, users } from "#db/schema";
import { newVerificationCode } from "~/domain/training";
import { makeDistrict, makeSignedInUser } from "../../factories";
import { makeCohort } from "../../training-factories";

let seq = 0;

export type TutorOptions = {
  /** default: a new certified cohort with a new programme (24 months, 12 CE hours, 6 sessions to renew) */
  cohortId?: number;
  districtId?: number;
  homeStudioId?: number | null;
  name?: string;
  number?: string;
  code?: string;
  issuedOn?: string;
  expiresOn?: string;
  status?: "active" | "paused" | "alumni" | "revoked";
  suspendedAt?: string | null;
  revokedAt?: string | null;
  /** a sign-in with the peer_tutor role (default false: a person without a login) */
  login?: boolean;
  /** no certificates row: the tutor stands on the dates the peer_tutors row mirrors */
  withoutCertificateRow?: boolean;
};

export type RenewalRules = { certificateValidMonths?: number; renewalEducationHours?: number; renewalServiceSessions?: number };

/** A certified cohort with its own programme; the programme's renewal rules may be set (raw). */
export function certifiedCohort(rules: RenewalRules = {}) {
  const { cohort, programme } = makeCohort({ status: "certified", startsOn: "2024-03-01", endsOn: "2024-06-30" });
  if (Object.keys(rules).length > 0) getDb().update(trainingProgrammes).set(rules).where(eq(trainingProgrammes.id, programme.id)).run();
  return { cohortId: cohort.id, cohortNumber: cohort.number, programmeId: programme.id };
}

export async function makeCertifiedTutor(options: TutorOptions = {}) {
  const db = getDb();
  const n = ++seq;
  const cohortId = options.cohortId ?? certifiedCohort().cohortId;
  const districtId = options.districtId ?? makeDistrict().id;
  let personId: number;
  let cookie = "";
  let userId: number | null = null;
  if (options.login) {
    const user = await makeSignedInUser([{ role: "peer_tutor", districtId }]);
    personId = db.select({ personId: users.personId }).from(users).where(eq(users.id, user.id)).get()!.personId;
    if (options.name) db.update(persons).set({ displayName: options.name }).where(eq(persons.id, personId)).run();
    cookie = user.cookie;
    userId = user.id;
  } else {
    personId = db.insert(persons).values({ displayName: options.name ?? `测试辅导员${n}（虚构）` }).returning().get().id;
  }
  const number = options.number ?? `TB-T${String(Date.now() % 100000)}-${String(n).padStart(3, "0")}`;
  const code = options.code ?? newVerificationCode();
  const issuedOn = options.issuedOn ?? "2024-07-01";
  const expiresOn = options.expiresOn ?? "2099-06-30";
  let certificateId: number | null = null;
  if (!options.withoutCertificateRow) {
    certificateId = db
      .insert(certificates)
      .values({
        number,
        verificationCode: code,
        holderPersonId: personId,
        cohortId,
        issuedOn,
        expiresOn,
        suspendedAt: options.suspendedAt ?? null,
        suspendedReason: options.suspendedAt ? "测试暂停（虚构）" : "",
        revokedAt: options.revokedAt ?? null,
        revokedReason: options.revokedAt ? "测试撤销（虚构）" : "",
      })
      .returning()
      .get().id;
  }
  const tutorId = db
    .insert(peerTutors)
    .values({
      personId,
      cohortId,
      districtId,
      homeStudioId: options.homeStudioId ?? null,
      certificateNumber: number,
      certifiedOn: issuedOn,
      expiresOn,
      status: options.status ?? (options.revokedAt ? "revoked" : "active"),
    })
    .returning()
    .get().id;
  return { personId, tutorId, certificateId: certificateId as number, number, code, cohortId, districtId, cookie, userId, issuedOn, expiresOn };
}

/** Continuing-education hours (raw). */
export function addEducation(personId: number, date: string, hours: number) {
  getDb().insert(continuingEducation).values({ personId, date, hours, activity: "测试继续教育（虚构）" }).run();
}
